package io.memsync.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.memsync.MemSyncException;
import io.memsync.storage.Durability;
import io.memsync.storage.LoadedState;
import io.memsync.storage.SnapshotRecord;
import io.memsync.storage.StoreOptions;

/** What the file store recovers from: torn and corrupt log tails, corrupt snapshots, leftovers, a second writer. */
class FileStoreRecoveryTest {
    private static final StoreOptions ALWAYS = StoreOptions.builder().durability(Durability.ALWAYS).build();

    @TempDir
    Path dir;

    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (warnings) {
                    warnings.add(r);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger logger = Logger.getLogger(FileStore.class.getName());

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(capture);
    }

    private static io.memsync.storage.LogRecord rec(long term, long version) {
        return new io.memsync.storage.LogRecord(term, version, ("entry " + version).getBytes(StandardCharsets.UTF_8));
    }

    private void write(long from, long to) {
        try (FileStore s = FileStore.open(dir, ALWAYS)) {
            for (long v = from; v <= to; v++) {
                s.append(rec(1, v)).join();
            }
        }
    }

    private Path biggestSegment() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private String warningText() {
        synchronized (warnings) {
            return warnings.stream().map(LogRecord::getMessage).reduce("", (a, b) -> a + "\n" + b);
        }
    }

    @Test
    void aTornTailIsCutAndReported() throws IOException {
        write(1, 20);
        Path seg = biggestSegment();
        long size = Files.size(seg);
        try (var ch = java.nio.channels.FileChannel.open(seg, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size - 5); // the last record lost its last 5 bytes
        }
        try (FileStore s = FileStore.open(dir, ALWAYS)) {
            LoadedState l = s.load();
            assertThat(l.lastVersion()).isEqualTo(19);
            assertThat(l.tail()).hasSize(19);
            assertThat(l.cuts()).singleElement().satisfies(c -> {
                assertThat(c.where()).isEqualTo(seg.getFileName().toString());
                assertThat(c.reason()).contains("torn record");
                assertThat(c.dropped()).isEqualTo(size - 5 - c.offset());
            });
            assertThat(warningText()).contains("torn record").contains(seg.getFileName().toString());
            // the cut is physical: the store continues at 20 and the next open finds nothing to cut
            s.append(rec(2, 20)).join();
        }
        warnings.clear();
        try (FileStore s = FileStore.open(dir, ALWAYS)) {
            LoadedState l = s.load();
            assertThat(l.cuts()).isEmpty();
            assertThat(l.lastVersion()).isEqualTo(20);
            assertThat(l.tail().getLast().term()).isEqualTo(2);
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void aFlippedByteCutsTheLogAtTheCorruptRecord() throws IOException {
        write(1, 20);
        Path seg = biggestSegment();
        byte[] bytes = Files.readAllBytes(seg);
        // find record 10 by its payload and flip a byte in it
        int at = indexOf(bytes, "entry 10".getBytes(StandardCharsets.UTF_8));
        bytes[at + 3] ^= 0x40;
        Files.write(seg, bytes);
        try (FileStore s = FileStore.open(dir, ALWAYS)) {
            LoadedState l = s.load();
            assertThat(l.lastVersion()).isEqualTo(9);
            assertThat(l.tail()).extracting(io.memsync.storage.LogRecord::version).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(l.cuts()).singleElement().satisfies(c -> assertThat(c.reason()).contains("checksum mismatch"));
            assertThat(warningText()).contains("checksum mismatch");
        }
    }

    @Test
    void aCorruptNewestSnapshotFallsBackToThePreviousOne() throws IOException {
        try (FileStore s = FileStore.open(dir, ALWAYS)) {
            for (long v = 1; v <= 30; v++) {
                s.append(rec(1, v)).join();
                if (v == 10 || v == 20) {
                    s.writeSnapshot(new SnapshotRecord(1, v, ("state@" + v).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        Path newest = dir.resolve(io.memsync.storage.log.StoreNames.snapshot(20, 1));
        byte[] b = Files.readAllBytes(newest);
        b[b.length - 2] ^= 1;
        Files.write(newest, b);
        try (FileStore s = FileStore.open(dir, ALWAYS)) {
            LoadedState l = s.load();
            assertThat(l.snapshot().orElseThrow().version()).isEqualTo(10);
            assertThat(new String(l.snapshot().get().state(), StandardCharsets.UTF_8)).isEqualTo("state@10");
            assertThat(l.tail()).extracting(io.memsync.storage.LogRecord::version).first().isEqualTo(11L);
            assertThat(l.lastVersion()).isEqualTo(30);
            assertThat(l.tail()).hasSize(20);
            assertThat(l.cuts()).singleElement().satisfies(c -> {
                assertThat(c.where()).isEqualTo(newest.getFileName().toString());
                assertThat(c.reason()).contains("checksum mismatch").contains("falling back");
            });
            assertThat(warningText()).contains(newest.getFileName().toString());
        }
        assertThat(names()).contains(newest.getFileName() + ".corrupt").doesNotContain(newest.getFileName().toString());
    }

    @Test
    void leftoverTemporaryFilesAreDeletedOnOpen() throws IOException {
        write(1, 3);
        Path junk = dir.resolve(io.memsync.storage.log.StoreNames.snapshot(3, 1) + ".tmp");
        Files.write(junk, new byte[] {1, 2, 3});
        try (FileStore s = FileStore.open(dir, ALWAYS)) {
            assertThat(s.load().lastVersion()).isEqualTo(3);
            assertThat(s.load().snapshot()).isEmpty();
        }
        assertThat(names()).noneMatch(n -> n.endsWith(".tmp"));
    }

    @Test
    void aSegmentTornAtItsHeaderHoldsNothingAndIsRemoved() throws IOException {
        write(1, 5);
        Path torn = dir.resolve(io.memsync.storage.log.StoreNames.segment(99, 5));
        Files.write(torn, new byte[] {'M', 'S', 'Y'});
        try (FileStore s = FileStore.open(dir, ALWAYS)) {
            LoadedState l = s.load();
            assertThat(l.lastVersion()).isEqualTo(5);
            assertThat(l.cuts()).singleElement().satisfies(c -> assertThat(c.reason()).contains("torn segment header"));
        }
        assertThat(names()).doesNotContain(torn.getFileName().toString());
    }

    @Test
    void aSecondWriterInThisProcessIsRefused() {
        try (FileStore s = FileStore.open(dir, ALWAYS)) {
            assertThatThrownBy(() -> FileStore.open(dir, ALWAYS)).isInstanceOf(MemSyncException.class)
                    .hasMessageContaining("already open in this process")
                    .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_IO);
            // the refused open did not release the first one's lock
            s.append(rec(1, 1)).join();
        }
        try (FileStore again = FileStore.open(dir, ALWAYS)) {
            assertThat(again.load().lastVersion()).isEqualTo(1);
        }
    }

    @Test
    void snapshotsAreWrittenWithoutLeavingTemporaryFiles() throws IOException {
        try (FileStore s = FileStore.open(dir, ALWAYS)) {
            s.append(rec(1, 1)).join();
            s.writeSnapshot(new SnapshotRecord(1, 1, new byte[100_000]));
        }
        assertThat(names()).noneMatch(n -> n.endsWith(".tmp")).contains(io.memsync.storage.log.StoreNames.snapshot(1, 1));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if (i + needle.length < haystack.length && Character.isDigit(haystack[i + needle.length])) {
                continue; // "entry 10" must not match "entry 100"
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
