package io.memsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What persistence costs a host's patches, through the public API: one host alone with {@code file(dir)} and the
 * given durability ({@code OFF}: no {@code file} option), patching {@code $inc} on its own document.
 * {@code oneByOne} waits for each acknowledgement before the next patch (a caller that needs each outcome);
 * {@code pipelined} keeps 256 in flight and waits for all of them (concurrent callers, whose records share fsyncs).
 *
 * <p>Run: {@code java -jar memsync-bench/target/benchmarks.jar PersistedPatchBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PersistedPatchBenchmark {
    /** The durability mode, or {@code OFF} for no persistence. */
    @Param({"OFF", "NONE", "BATCH", "ALWAYS"})
    public String durability;

    private Path dir;
    private Path rendezvous;
    private SharedObject<JsonObject> host;
    private final Update inc = Update.inc("n", 1);

    /**
     * Starts the host.
     *
     * @throws IOException when the folders cannot be created
     */
    @Setup(Level.Trial)
    public void start() throws IOException {
        Path base = Path.of(System.getProperty("memsync.bench.dir", System.getProperty("java.io.tmpdir")));
        dir = Files.createTempDirectory(base, "memsync-patch-bench");
        rendezvous = Files.createTempDirectory("memsync-patch-rv", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        MemSync.Builder b = MemSync.builder("patch-bench").rendezvous(rendezvous).data("{\"n\":0}");
        if (!durability.equals("OFF")) {
            b.file(dir.resolve("store")).durability(Durability.valueOf(durability));
        }
        host = b.start();
    }

    /**
     * Stops the host and deletes the store.
     *
     * @throws IOException when it cannot be deleted
     */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        host.stop();
        StoreAppendBenchmark.deleteTree(dir);
        StoreAppendBenchmark.deleteTree(rendezvous);
    }

    /**
     * One patch, waiting for its acknowledgement.
     *
     * @return its version
     */
    @Benchmark
    public long oneByOne() {
        return host.patch(inc).toCompletableFuture().join().version();
    }

    /**
     * 256 patches in flight, then waits for all.
     *
     * @return how many
     */
    @Benchmark
    @OperationsPerInvocation(256)
    public int pipelined() {
        CompletableFuture<?>[] all = new CompletableFuture<?>[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = host.patch(inc).toCompletableFuture();
        }
        CompletableFuture.allOf(all).join();
        return all.length;
    }
}
