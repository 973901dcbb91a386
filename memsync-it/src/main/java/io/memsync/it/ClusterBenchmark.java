package io.memsync.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.json.JsonObject;

/**
 * Multi-process benchmarks whose figures README reports: failover time after {@code kill -9} of the host,
 * ping-pong latency between two client processes, and pipelined patch throughput with two observers.
 * Run with {@code ./bench.sh cluster}. Not a test: it asserts nothing.
 */
public final class ClusterBenchmark {
    private ClusterBenchmark() {
    }

    /**
     * Runs the benchmarks.
     *
     * @param args optional: which ones ({@code failover}, {@code pingpong}, {@code throughput}); all by default
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        List<String> which = args.length == 0 ? List.of("failover", "handover", "pingpong", "rpc", "throughput") : List.of(args);
        for (String b : which) {
            switch (b) {
                case "failover" -> failover(Integer.getInteger("memsync.bench.rounds", 10), false);
                case "handover" -> failover(Integer.getInteger("memsync.bench.rounds", 10), true);
                case "pingpong" -> pingPong(20_000);
                case "throughput" -> throughput(Integer.getInteger("memsync.bench.patches", 2_000_000),
                        Integer.getInteger("memsync.bench.warmPatches", 1_000_000));
                case "rpc" -> rpc(20_000);
                default -> throw new IllegalArgumentException("unknown benchmark " + b);
            }
        }
        System.exit(0);
    }

    private static Path rendezvous() throws Exception {
        return Files.createTempDirectory("memsync-bench-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    /** {@code graceful}: the host calls {@code stop()} (handover) instead of being killed. */
    private static void failover(int rounds, boolean graceful) throws Exception {
        long[] millis = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            Path dir = rendezvous();
            try (PeerProcess a = PeerProcess.launch("A", dir);
                 PeerProcess b = PeerProcess.launch("B", dir);
                 PeerProcess c = PeerProcess.launch("C", dir)) {
                a.call("start failover data={\"n\":0}");
                b.call("start failover");
                c.call("start failover");
                long oldTerm = a.call("status").getJsonNumber("term").longValue();
                AtomicLong killedAt = new AtomicLong();
                AtomicLong firstAck = new AtomicLong();
                b.onLine(l -> {
                    if (l.startsWith("! ack") && killedAt.get() != 0 && Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)) > oldTerm) {
                        firstAck.compareAndSet(0, System.nanoTime());
                    }
                });
                CompletableFuture<String> run = b.send("incs n 1000000 1");
                while (b.acks() < 2000) {
                    Thread.sleep(1); // benchmark pacing: let the writer warm up
                }
                killedAt.set(System.nanoTime());
                if (Boolean.getBoolean("memsync.bench.trace")) {
                    System.out.println(java.time.LocalTime.now() + " kill -9 " + a.pid());
                }
                if (graceful) {
                    a.send("stop");
                } else {
                    a.kill9();
                }
                long reaped = System.nanoTime();
                while (firstAck.get() == 0) {
                    Thread.sleep(1);
                }
                millis[r] = TimeUnit.NANOSECONDS.toMicros(firstAck.get() - killedAt.get());
                System.out.printf("%s round %d: %.1f ms%s%n", graceful ? "handover" : "failover", r + 1, millis[r] / 1000.0,
                        graceful ? "" : String.format(" (the killed process was gone after %.1f ms)", (reaped - killedAt.get()) / 1e6));
                run.cancel(true);
            }
        }
        Arrays.sort(millis);
        System.out.printf("%s -> first acknowledged patch at new host: median %.1f ms, max %.1f ms (%d rounds)%n",
                graceful ? "HANDOVER stop() of the host" : "FAILOVER kill -9 of the host",
                millis[rounds / 2] / 1000.0, millis[rounds - 1] / 1000.0, rounds);
    }

    private static void pingPong(int rounds) throws Exception {
        latency("start pingpong data={\"ping\":0,\"pong\":0}", "start pingpong", "start pingpong", "ponger", "pinger", rounds,
                "PINGPONG client A -> client B observer -> client A, timed on A's patching thread");
    }

    private static void rpc(int rounds) throws Exception {
        latency("start rpcbench", "start rpcbench", "start rpcbench rpc", null, "rpcbench", rounds,
                "RPC client A -> handler in client B (via the host)");
    }

    /**
     * A host (launched with the JVM options in {@code memsync.bench.hostJvmArgs}, none by default) and two clients
     * A and B started with the given commands; B then runs {@code bThen} (if not null); A
     * runs {@code aCommand} for the warm-up rounds, then for the measured ones, and its percentiles are printed.
     */
    private static void latency(String hostStart, String aStart, String bStart, String bThen, String aCommand, int rounds,
                                String label) throws Exception {
        Path dir = rendezvous();
        String hostJvmArgs = System.getProperty("memsync.bench.hostJvmArgs", "").trim();
        try (PeerProcess host = PeerProcess.launch("H", dir, hostJvmArgs.isEmpty() ? new String[0] : hostJvmArgs.split("\\s+"));
             PeerProcess a = PeerProcess.launch("A", dir);
             PeerProcess b = PeerProcess.launch("B", dir)) {
            host.call(hostStart);
            a.call(aStart);
            b.call(bStart);
            if (bThen != null) {
                b.call(bThen);
            }
            a.call(aCommand + " " + Integer.getInteger("memsync.bench.warmup", 20_000), java.time.Duration.ofMinutes(10));
            JsonObject r = a.call(aCommand + " " + rounds, java.time.Duration.ofMinutes(10));
            System.out.println(label + ": p50 " + r.get("p50us") + " us, p99 " + r.get("p99us") + " us ("
                    + r.getInt("samples") + " samples" + (hostJvmArgs.isEmpty() ? "" : "; host JVM " + hostJvmArgs) + ")");
        }
    }

    private static void throughput(int patches, int warmPatches) throws Exception {
        Path dir = rendezvous();
        try (PeerProcess host = PeerProcess.launch("H", dir);
             PeerProcess w = PeerProcess.launch("W", dir);
             PeerProcess o1 = PeerProcess.launch("O1", dir);
             PeerProcess o2 = PeerProcess.launch("O2", dir)) {
            host.call("start throughput data={\"n\":0,\"warm\":0}");
            w.call("start throughput");
            o1.call("start throughput");
            o2.call("start throughput");
            // the same run, untimed, until the four JVMs have compiled the hot paths
            w.call("incs warm " + warmPatches + " 4096 quiet", java.time.Duration.ofMinutes(5));
            for (PeerProcess p : List.of(w, o1, o2)) {
                p.call("awaitValue warm " + warmPatches, java.time.Duration.ofMinutes(5));
            }
            List<CompletableFuture<String>> waits = new ArrayList<>();
            for (PeerProcess p : List.of(w, o1, o2)) {
                waits.add(p.send("awaitValue n " + patches));
            }
            long t0 = System.nanoTime();
            CompletableFuture<String> run = w.send("incs n " + patches + " 4096 quiet");
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            long t1 = System.nanoTime();
            run.get(10, TimeUnit.MINUTES);
            double perSecond = patches / ((t1 - t0) / 1e9);
            System.out.printf("THROUGHPUT one client writing pipelined $inc, two observing: %.0f patches/s until all converge (%d patches)%n",
                    perSecond, patches);
        }
    }
}
