package io.memsync.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.memsync.storage.Durability;
import io.memsync.storage.LogRecord;
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
 * Appends per second to the file store under each {@link Durability}, one appending thread as the host's ordering
 * thread is, with a record of about the size of a small patch's effect (120 bytes).
 * <ul>
 *   <li>{@code pipelined}: the host's way: append, and wait only when 1,024 appends are not yet acknowledged;</li>
 *   <li>{@code oneByOne}: append and wait for that record's stage before the next (a single writer awaiting each
 *       patch's acknowledgement): the latency of one acknowledged append under the mode (see {@link Durability}:
 *       at once for {@code NONE}, after the write to the segment for {@code BATCH}, after the fsync for
 *       {@code ALWAYS}).</li>
 * </ul>
 * The store folder is in {@code java.io.tmpdir} (override with {@code -Dmemsync.bench.dir=…}); figures depend on the
 * disk's fsync cost.
 *
 * <p>Run: {@code ./bench.sh jmh StoreAppendBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreAppendBenchmark {
    private static final int WINDOW = 1024;

    /** The durability mode. */
    @Param({"NONE", "BATCH", "ALWAYS"})
    public Durability durability;

    private Path dir;
    private Store store;
    private long version;
    private final ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    private byte[] payload;

    /**
     * Opens a fresh store.
     *
     * @throws IOException when the folder cannot be created
     */
    @Setup(Level.Iteration)
    public void open() throws IOException {
        Path base = Path.of(System.getProperty("memsync.bench.dir", System.getProperty("java.io.tmpdir")));
        dir = Files.createTempDirectory(base, "memsync-store-bench");
        // no compaction during the measurement: the host would write a snapshot every 10,000 records
        store = Storage.open(dir.toString(), "bench", StoreOptions.builder().durability(durability).snapshotEveryEntries(Long.MAX_VALUE).build());
        version = 0;
        payload = "[{\"op\":\"replace\",\"path\":\"/k5000/n\",\"value\":42}]".repeat(3).substring(0, 120).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Closes and deletes the store.
     *
     * @throws IOException when it cannot be deleted
     */
    @TearDown(Level.Iteration)
    public void close() throws IOException {
        inFlight.forEach(CompletableFuture::join);
        inFlight.clear();
        store.close();
        deleteTree(dir);
    }

    /**
     * One append, waiting only when {@value #WINDOW} are in flight.
     *
     * @return the stage (so JMH keeps it)
     */
    @Benchmark
    public CompletableFuture<Void> pipelined() {
        CompletableFuture<Void> f = store.append(new LogRecord(1, ++version, payload));
        inFlight.add(f);
        if (inFlight.size() > WINDOW) {
            inFlight.poll().join();
        }
        return f;
    }

    /** One append, waiting until its stage completes (the record is then as durable as the mode promises). */
    @Benchmark
    public void oneByOne() {
        store.append(new LogRecord(1, ++version, payload)).join();
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
