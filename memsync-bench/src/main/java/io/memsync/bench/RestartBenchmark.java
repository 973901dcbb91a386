package io.memsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.memsync.Durability;
import io.memsync.MemSync;
import io.memsync.SharedObject;
import io.memsync.Update;

import jakarta.json.JsonObject;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A full restart after 100,000 patches, through the public API: the setup runs a host with {@code file(dir)} that
 * applies 100,000 patches ({@code $inc} of a counter and {@code $set} of one of 1,000 keys) and stops; each shot
 * starts a new network on the same folder ({@code start()}: rendezvous, listener, opening the store, loading its
 * newest snapshot and the log after it, the host's catch-up), checks that the document is at version 100,000 or
 * beyond, and stops it again.
 *
 * <p>Run: {@code java -jar memsync-bench/target/benchmarks.jar RestartBenchmark -f 1 -wi 2 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RestartBenchmark {
    static final int PATCHES = 100_000;
    private Path dir;
    private Path rendezvous;

    /**
     * Writes the store once: 100,000 patches, pipelined.
     *
     * @throws IOException when the folders cannot be created
     */
    @Setup(Level.Trial)
    public void write() throws IOException {
        Path base = Path.of(System.getProperty("memsync.bench.dir", System.getProperty("java.io.tmpdir")));
        dir = Files.createTempDirectory(base, "memsync-restart-bench");
        rendezvous = Files.createTempDirectory("memsync-restart-rv", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try (SharedObject<JsonObject> host = builder().data("{\"n\":0,\"items\":{}}").durability(Durability.NONE).start()) {
            List<CompletableFuture<?>> window = new ArrayList<>();
            for (int i = 1; i <= PATCHES; i++) {
                window.add(host.patch(Update.inc("n", 1).set("items.k" + (i % 1000), i)).toCompletableFuture());
                if (window.size() == 1000) {
                    CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                    window.clear();
                }
            }
            CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
        }
    }

    private MemSync.Builder builder() {
        return MemSync.builder("restart-bench").rendezvous(rendezvous).file(dir.resolve("store"));
    }

    /**
     * Deletes the store.
     *
     * @throws IOException when it cannot be deleted
     */
    @TearDown(Level.Trial)
    public void delete() throws IOException {
        StoreAppendBenchmark.deleteTree(dir);
        StoreAppendBenchmark.deleteTree(rendezvous);
    }

    /**
     * Starts on the persisted store, checks the version, stops.
     *
     * @return the version loaded
     */
    @Benchmark
    public long restart() {
        try (SharedObject<JsonObject> again = builder().start()) {
            long v = again.status().version();
            if (v < PATCHES || again.read("n", Integer.class) != PATCHES) {
                throw new IllegalStateException("restart loaded version " + v + ", n = " + again.read("n", Integer.class));
            }
            return v;
        }
    }
}
