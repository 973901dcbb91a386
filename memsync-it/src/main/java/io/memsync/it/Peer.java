package io.memsync.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import io.memsync.MemSync;
import io.memsync.MemSyncException;
import io.memsync.Role;
import io.memsync.SharedObject;
import io.memsync.Status;
import io.memsync.Update;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * A memsync process scripted over stdin/stdout, for multi-process tests, the demo and benchmarks.
 *
 * <p>Each input line is {@code <id> <command> [args…]}; each reply is {@code <id> ok <json>} or
 * {@code <id> err <code> <message>}. Lines starting with {@code !} are unsolicited (acknowledgements, changes).
 * Commands:
 * <ul>
 *   <li>{@code start <name> [key=value…]} (the reply has the status and {@code startMicros}, how long
 *       {@code start()} took): keys {@code data} (JSON), {@code reader}, {@code maxWriters},
 *       {@code waitSlot} (ms), {@code timeout} (ms), {@code rpc} (registers {@code echo}, {@code fail},
 *       {@code slow}), {@code file} (the file store's folder), {@code storage} (a storage URI),
 *       {@code durability} ({@code none}, {@code batch}, {@code always}), {@code acks} ({@code local},
 *       {@code replica})</li>
 *   <li>{@code patch <json>}: one patch, reply after acknowledgement</li>
 *   <li>{@code incs <path> <count> <window>}: {@code count} pipelined {@code $inc}s of 1, at most {@code window}
 *       unacknowledged; prints {@code ! ack <path>} per acknowledgement; replies with acked/failed counts</li>
 *   <li>{@code incloop <path> [hostPauseMicros]}: {@code $inc}s of 1, one at a time, each waiting for its outcome,
 *       until {@code stoploop} (while this process is host, whose own updates need no round trip, it pauses
 *       {@code hostPauseMicros} between them); prints {@code ! sent <path> <n>} before sending the n-th, then {@code ! acked <path> <n>
 *       <term> <version>} or {@code ! failed <path> <n> <code>}; replies with attempted/acked/failed/unknown counts
 *       ({@code unknown}: {@code ERR_TIMEOUT}, outcome unknown)</li>
 *   <li>{@code firestop <path> <count>}: fires {@code count} {@code $inc}s of 1 without waiting, then calls
 *       {@code stop()}; replies with how many stages ended in each outcome ({@code ok}, an error code, or
 *       {@code incomplete} after 60 s)</li>
 *   <li>{@code deepset <path> <levels>}: one {@code $set} of an object nested {@code levels} deep
 *       ({@code {"n":{"n":…{}}}}) at the path</li>
 *   <li>{@code ponger}: answers each {@code ping} with a {@code $set} of {@code pong} to the same value;
 *       {@code pinger <rounds> [from]}: ping-pong round trips, timed on the pinger's thread, percentiles of rounds
 *       {@code from}… ; {@code rpcbench <rounds> [from]}: the same for calls of {@code echo}</li>
 *   <li>{@code bigstring <path> <chars>}: one {@code $set} of a new string of {@code chars} characters at the path</li>
 *   <li>{@code heap}: heap bytes in use after a full collection</li>
 *   <li>{@code data}, {@code status}, {@code ping}, {@code stop}, {@code exit}</li>
 * </ul>
 */
public final class Peer {
    private final CommandLoop loop;
    private final String label = "p" + ProcessHandle.current().pid();
    private SharedObject<JsonObject> shared;
    /** The next ping target: above every value this process has set (see {@link #pinger}). */
    private long nextPing = Long.MIN_VALUE;

    private Peer(CommandLoop loop) {
        this.loop = loop;
    }

    /**
     * Runs the command loop until {@code exit} or end of input.
     *
     * @param args ignored
     * @throws Exception on I/O failure
     */
    public static void main(String[] args) throws Exception {
        Peer peer = new Peer(CommandLoop.onStdout());
        peer.echoReplicaLog();
        peer.loop.run(peer::execute, t -> t instanceof MemSyncException m ? m.code() : t.getClass().getSimpleName());
        if (peer.shared != null) {
            peer.shared.close();
        }
    }

    /**
     * Echoes what the replica logs at INFO and above as {@code ! log <message>} lines, so tests can wait for a
     * state the API does not show (such as waiting for a writer slot) instead of waiting for a while.
     */
    private void echoReplicaLog() {
        REPLICA_LOG.addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.INFO.intValue()) {
                    say("! log " + String.valueOf(record.getMessage()).replace('\n', ' '));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    /** Held here: the logging framework holds loggers weakly, and with this one would go the handler. */
    private static final java.util.logging.Logger REPLICA_LOG = java.util.logging.Logger.getLogger("io.memsync.replication.Replica");

    private void say(String line) {
        loop.say(line);
    }

    private String execute(String cmd, String rest) throws Exception {
        return switch (cmd) {
            case "start" -> start(rest);
            case "patch" -> {
                var r = shared.patch(rest).toCompletableFuture().join();
                yield "{\"version\":" + r.version() + ",\"term\":" + r.term() + "}";
            }
            case "incs" -> incs(rest.split(" "));
            case "incloop" -> {
                String[] p = rest.trim().split(" ");
                yield incloop(p[0], p.length > 1 ? Long.parseLong(p[1]) : 0);
            }
            case "stoploop" -> {
                looping = false;
                yield "{}";
            }
            case "firestop" -> fireAndStop(rest.split(" "));
            case "deepset" -> {
                String[] p = rest.split(" ");
                jakarta.json.JsonValue v = JsonObject.EMPTY_JSON_OBJECT;
                for (int i = 0; i < Integer.parseInt(p[1]); i++) {
                    v = Json.createObjectBuilder().add("n", v).build();
                }
                var r = shared.patch(Update.set(p[0], v)).toCompletableFuture().join();
                yield "{\"version\":" + r.version() + ",\"term\":" + r.term() + "}";
            }
            case "writes" -> writes(rest.split(" "));
            case "ponger" -> {
                shared.observe("ping", Long.class, v -> {
                    if (v != null) {
                        shared.patch(Update.set("pong", v));
                    }
                });
                yield "{}";
            }
            case "pinger" -> pinger(rest.trim().split(" "));
            case "rpcbench" -> rpcbench(rest.trim().split(" "));
            case "heap" -> "{\"bytes\":" + RoundTrips.heapAfterGc() + "}";
            case "awaitValue" -> awaitValue(rest.split(" "));
            case "data" -> shared.data().toString();
            case "call" -> {
                String[] p = rest.split(" ", 2);
                Object[] args = p.length > 1
                        ? jakarta.json.Json.createReader(new java.io.StringReader(p[1])).readArray().toArray()
                        : new Object[0];
                jakarta.json.JsonValue r = shared.call(p[0], jakarta.json.JsonValue.class, args).toCompletableFuture().join();
                yield "{\"result\":" + r + "}";
            }
            case "emit" -> {
                String[] p = rest.split(" ");
                for (int i = 0; i < Integer.parseInt(p[1]); i++) {
                    shared.events().emit(p[0], Json.createObjectBuilder().add("from", label).add("i", i).build());
                }
                yield "{}";
            }
            case "listen" -> {
                String event = rest.trim();
                shared.events().on(event, jakarta.json.JsonObject.class, v -> say("! event " + event + " " + v));
                yield "{}";
            }
            case "digest" -> {
                String text = shared.data().toString();
                yield "{\"length\":" + text.length() + ",\"hash\":" + text.hashCode() + ",\"version\":" + shared.status().version() + "}";
            }
            case "bigdoc" -> bigdoc(Integer.parseInt(rest.trim()));
            case "bigstring" -> {
                String[] a = rest.trim().split(" ");
                int chars = Integer.parseInt(a[1]);
                // a new value each time (an equal one would change nothing): the clock's reading at its end
                String tail = String.format("%020d", System.nanoTime());
                String value = chars >= 20 ? "s".repeat(chars - 20) + tail : tail.substring(20 - chars);
                var r = shared.patch(Update.set(a[0], value)).toCompletableFuture().join();
                yield "{\"version\":" + r.version() + "}";
            }
            case "observe" -> {
                String path = rest.trim();
                shared.observe(path, c -> say("! change " + path + " " + c.state() + " " + c.origin() + " " + c.value()));
                yield "{}";
            }
            case "status" -> status(shared.status()).toString();
            case "ping" -> "{\"micros\":" + shared.ping().toCompletableFuture().join().toNanos() / 1000 + "}";
            case "stop" -> {
                shared.stop();
                yield "{}";
            }
            default -> throw new IllegalArgumentException("unknown command " + cmd);
        };
    }

    private String start(String rest) {
        String[] parts = rest.split(" ");
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                opts.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            } else {
                opts.put(parts[i], "true");
            }
        }
        if (shared != null) {
            shared.start();
            return status(shared.status()).toString();
        }
        MemSync.Builder b = MemSync.builder(parts[0]);
        if (opts.containsKey("data")) {
            b.data(opts.get("data"));
        }
        if (opts.containsKey("reader")) {
            b.roles(Role.READER);
        }
        if (opts.containsKey("maxWriters")) {
            b.maxWriters(Integer.parseInt(opts.get("maxWriters")));
        }
        if (opts.containsKey("waitSlot")) {
            b.waitForWriterSlot(Duration.ofMillis(Long.parseLong(opts.get("waitSlot"))));
        }
        if (opts.containsKey("timeout")) {
            b.timeout(Duration.ofMillis(Long.parseLong(opts.get("timeout"))));
        }
        if (opts.containsKey("rendezvous")) {
            b.rendezvous(Path.of(opts.get("rendezvous")));
        }
        if (opts.containsKey("file")) {
            b.file(Path.of(opts.get("file")));
        }
        if (opts.containsKey("storage")) {
            b.storage(opts.get("storage"));
        }
        if (opts.containsKey("durability")) {
            b.durability(io.memsync.Durability.valueOf(opts.get("durability").toUpperCase(java.util.Locale.ROOT)));
        }
        if (opts.containsKey("acks")) {
            b.acks(io.memsync.Acks.valueOf(opts.get("acks").toUpperCase(java.util.Locale.ROOT)));
        }
        if (opts.containsKey("rpc")) {
            b.rpc("echo", a -> a.json())
                    .rpc("pid", a -> ProcessHandle.current().pid())
                    .rpc("fail", a -> {
                        throw new IllegalStateException("failed on purpose: " + a.json());
                    })
                    .rpc("hang", a -> {
                        say("! hanging");
                        return new CompletableFuture<>();
                    });
        }
        long t0 = System.nanoTime();
        shared = b.start();
        long micros = (System.nanoTime() - t0) / 1000;
        return Json.createObjectBuilder(status(shared.status())).add("startMicros", micros).build().toString();
    }

    private String incs(String[] args) throws InterruptedException {
        String path = args[0];
        Update inc = Update.inc(path, 1);
        String label = args.length > 3 && args[3].equals("quiet") ? "quiet:" + path : path;
        return pipeline(Integer.parseInt(args[1]), Integer.parseInt(args[2]), label, i -> inc);
    }

    /** {@code writes <count> <window> <tag>}: each patch increments "counter" and pushes "tag-i" onto "list". */
    private String writes(String[] args) throws InterruptedException {
        String tag = args[2];
        return pipeline(Integer.parseInt(args[0]), Integer.parseInt(args[1]), tag,
                i -> Update.inc("counter", 1).push("list", tag + "-" + i));
    }

    private String pipeline(int count, int window, String label, java.util.function.IntFunction<Update> update)
            throws InterruptedException {
        Semaphore permits = new Semaphore(window);
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong outcomes = new AtomicLong();
        java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(count == 0 ? 0 : 1);
        boolean quiet = label.startsWith("quiet:");
        // permits are taken and given back a chunk at a time: waking this thread for every single acknowledgement
        // would cost more than the patch itself (the window stays bounded)
        int chunk = Math.max(1, window / 16);
        int held = 0;
        for (int i = 0; i < count; i++) {
            if (held == 0) {
                held = Math.min(chunk, count - i);
                permits.acquire(held);
            }
            held--;
            shared.patch(update.apply(i)).whenComplete((r, e) -> {
                if (e == null) {
                    acked.incrementAndGet();
                    if (!quiet) {
                        say("! ack " + label + " " + r.term());
                    }
                } else {
                    failed.incrementAndGet();
                }
                long n = outcomes.incrementAndGet();
                if (n % chunk == 0) {
                    permits.release(chunk);
                }
                if (n == count) {
                    all.countDown();
                }
            });
        }
        all.await(); // every outcome is in
        return "{\"acked\":" + acked.get() + ",\"failed\":" + failed.get() + "}";
    }

    private volatile boolean looping;

    /** {@code incloop <path>}: one {@code $inc} at a time until {@code stoploop} (or the object is stopped). */
    private String incloop(String path, long hostPauseMicros) {
        Update inc = Update.inc(path, 1);
        long attempted = 0;
        long acked = 0;
        long failed = 0;
        long unknown = 0;
        looping = true;
        while (looping) {
            if (hostPauseMicros > 0 && shared.status().isHost()) {
                // pacing only: unpaced, a host acknowledging its own updates locally takes a core to itself
                java.util.concurrent.locks.LockSupport.parkNanos(hostPauseMicros * 1000);
            }
            attempted++;
            // printed before the patch leaves: a process killed at any moment has attempted at most what it printed
            say("! sent " + path + " " + attempted);
            try {
                var r = shared.patch(inc).toCompletableFuture().join();
                acked++;
                say("! acked " + path + " " + attempted + " " + r.term() + " " + r.version());
            } catch (RuntimeException e) {
                Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                String code = t instanceof MemSyncException m ? m.code() : t.getClass().getSimpleName();
                if (code.equals(MemSyncException.ERR_TIMEOUT)) {
                    unknown++;
                } else {
                    failed++;
                }
                say("! failed " + path + " " + attempted + " " + code);
                if (code.equals(MemSyncException.ERR_STOPPED)) {
                    break;
                }
                // pacing only: a refusal decided locally (read-only) would otherwise spin this loop
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
        }
        return "{\"attempted\":" + attempted + ",\"acked\":" + acked + ",\"failed\":" + failed
                + ",\"unknown\":" + unknown + "}";
    }

    /** {@code firestop <path> <count>}: {@code count} {@code $inc}s without waiting, then {@code stop()}. */
    private String fireAndStop(String[] args) throws InterruptedException {
        Update inc = Update.inc(args[0], 1);
        int count = Integer.parseInt(args[1]);
        java.util.List<CompletableFuture<?>> stages = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            stages.add(shared.patch(inc).toCompletableFuture());
        }
        shared.stop();
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (CompletableFuture<?> f : stages) {
            String outcome;
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                outcome = "ok";
            } catch (java.util.concurrent.ExecutionException e) {
                outcome = e.getCause() instanceof MemSyncException m ? m.code() : String.valueOf(e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                outcome = "incomplete";
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        JsonObjectBuilder b = Json.createObjectBuilder();
        outcomes.forEach(b::add);
        return b.build().toString();
    }

    /**
     * {@code pinger <rounds> [from]}: sets {@code ping} and waits for the ponger's equal {@code pong}, {@code rounds}
     * times; reports the percentiles of rounds {@code from} (a fifth of them by default) to the end. The clock stops
     * on this thread, when it has the pong (the observer only hands the value over). Targets count up from above the
     * current {@code ping} and {@code pong}, so the first {@code $set} always changes the document and no stale pong
     * matches.
     */
    private String pinger(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int from = args.length > 1 ? Integer.parseInt(args[1]) : rounds / 5;
        java.util.concurrent.BlockingQueue<Long> pongs = new java.util.concurrent.LinkedBlockingQueue<>();
        try (var sub = shared.observe("pong", Long.class, v -> {
            if (v != null) {
                pongs.add(v);
            }
        })) {
            long first = Math.max(nextPing, 1 + Math.max(longAt("ping"), longAt("pong")));
            nextPing = first + rounds;
            long[] rtt = RoundTrips.pingPong(rounds, first, v -> shared.patch(Update.set("ping", v)), pongs);
            return RoundTrips.percentiles(rtt, from);
        }
    }

    private long longAt(String path) {
        Long v = shared.read(path, Long.class);
        return v == null ? 0 : v;
    }

    /** {@code rpcbench <rounds> [from]}: calls "echo" {@code rounds} times, one at a time; reports percentiles. */
    private String rpcbench(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int from = args.length > 1 ? Integer.parseInt(args[1]) : rounds / 5;
        long[] rtt = RoundTrips.calls(rounds,
                i -> shared.call("echo", jakarta.json.JsonValue.class, i).toCompletableFuture().join());
        return RoundTrips.percentiles(rtt, from);
    }

    /** Waits until the integer at a path equals a value (or 120 s pass). */
    private String awaitValue(String[] args) throws Exception {
        String path = args[0];
        long expected = Long.parseLong(args[1]);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try (var sub = shared.observe(path, Long.class, v -> {
            if (v != null && v == expected) {
                done.countDown();
            }
        })) {
            Long now = shared.read(path, Long.class);
            if ((now == null || now != expected) && !done.await(120, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException(path + " did not reach " + expected + ", it is " + shared.read(path, Long.class));
            }
        }
        return "{}";
    }

    private String bigdoc(int entries) {
        // one provider for the whole build: each Json.createObjectBuilder() looks the provider up on the classpath
        jakarta.json.spi.JsonProvider json = jakarta.json.spi.JsonProvider.provider();
        JsonObjectBuilder big = json.createObjectBuilder();
        String filler = "x".repeat(480);
        for (int i = 0; i < entries; i++) {
            // a string of its own per member (one shared instance would make the heap look 10 MB smaller)
            big.add("k" + i, json.createObjectBuilder().add("i", i).add("s", i + filler));
        }
        var r = shared.patch(Update.set("big", big.build())).toCompletableFuture().join();
        return "{\"version\":" + r.version() + ",\"length\":" + shared.data().toString().length() + "}";
    }

    static JsonObject status(Status s) {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("role", s.role().name())
                .add("term", s.term())
                .add("version", s.version())
                .add("peerId", s.peerId())
                .add("peers", s.peers().size())
                .add("pending", s.pending());
        if (s.persistenceFailing()) {
            b.add("persistenceFailure", s.persistenceFailure());
        }
        return b.build();
    }
}
