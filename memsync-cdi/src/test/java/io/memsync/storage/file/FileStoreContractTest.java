package io.memsync.storage.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.memsync.storage.Durability;
import io.memsync.storage.Storage;
import io.memsync.storage.Store;
import io.memsync.storage.StoreContract;
import io.memsync.storage.StoreOptions;

/** The store contract on the file store, opened through the SPI from a plain path. */
class FileStoreContractTest extends StoreContract {
    @TempDir
    Path base;

    @Override
    protected Store openStore(StoreOptions options) {
        return Storage.open(base.toString(), "doc", options);
    }

    @Override
    protected int segmentCount() {
        return count("wal-");
    }

    @Override
    protected int snapshotCount() {
        return count("snapshot-");
    }

    @Test
    void batchHandsTheRecordToTheOperatingSystemBeforeAcknowledging() throws IOException {
        // a 1 s window: the fsync may come a second later, the write to the segment file may not
        Store s = open(StoreOptions.builder().durability(Durability.BATCH).batchWindow(Duration.ofSeconds(1)).build());
        join(s.append(rec(1, 1)));
        for (long v = 2; v <= 20; v++) {
            CompletableFuture<Void> f = s.append(rec(1, v));
            assertThat(f).as("BATCH completes the stage of version %d before append returns", v).isCompletedWithValue(null);
            String segments = segmentText();
            assertThat(segments).as("version %d is in a segment file when its stage completes", v).contains(text(rec(1, v).payload()));
        }
    }

    private String segmentText() throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.list(base.resolve("doc"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("wal-")).sorted().toList()) {
                b.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return b.toString();
    }

    private int count(String prefix) {
        try (Stream<Path> s = Files.list(base.resolve("doc"))) {
            return (int) s.filter(p -> p.getFileName().toString().startsWith(prefix) && !p.toString().endsWith(".tmp")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
