package io.memsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.memsync.storage.Durability;
import io.memsync.storage.LoadedState;
import io.memsync.storage.LogRecord;
import io.memsync.storage.SnapshotRecord;
import io.memsync.storage.Storage;
import io.memsync.storage.Store;
import io.memsync.storage.StoreOptions;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Time to open and load the file store after 100,000 appended records of 120 bytes (a restart of the whole group):
 * {@code compaction=false}: all 100,000 records in the log, no snapshot; {@code compaction=true}: as the host
 * would leave it, a snapshot (1 MB of state) every 10,000 records, so the load reads the newest snapshot and the log
 * after the older one. Opening includes checking every checksum and the version rule.
 *
 * <p>Run: {@code ./bench.sh jmh StoreLoadBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StoreLoadBenchmark {
    private static final int RECORDS = 100_000;

    /** Whether snapshots were written every 10,000 records. */
    @Param({"false", "true"})
    public boolean compaction;

    private Path dir;

    /**
     * Writes the store once.
     *
     * @throws IOException when the folder cannot be created
     */
    @Setup(Level.Trial)
    public void write() throws IOException {
        Path base = Path.of(System.getProperty("memsync.bench.dir", System.getProperty("java.io.tmpdir")));
        dir = Files.createTempDirectory(base, "memsync-load-bench");
        byte[] payload = new byte[120];
        byte[] state = new byte[1 << 20];
        try (Store s = Storage.open(dir.toString(), "bench", StoreOptions.builder().durability(Durability.NONE)
                .snapshotEveryEntries(compaction ? 10_000 : Long.MAX_VALUE).build())) {
            for (long v = 1; v <= RECORDS; v++) {
                s.append(new LogRecord(1, v, payload));
                if (s.snapshotDue()) {
                    s.writeSnapshot(new SnapshotRecord(1, v, state));
                }
            }
        }
    }

    /**
     * Deletes the store.
     *
     * @throws IOException when it cannot be deleted
     */
    @TearDown(Level.Trial)
    public void delete() throws IOException {
        StoreAppendBenchmark.deleteTree(dir);
    }

    /**
     * Opens, loads, closes.
     *
     * @return what was loaded
     */
    @Benchmark
    public long openAndLoad() {
        try (Store s = Storage.open(dir.toString(), "bench", StoreOptions.defaults())) {
            LoadedState l = s.load();
            if (l.lastVersion() != RECORDS) {
                throw new IllegalStateException("loaded up to " + l.lastVersion());
            }
            return l.tail().size();
        }
    }
}
