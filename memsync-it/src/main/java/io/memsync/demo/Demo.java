package io.memsync.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.memsync.it.PeerProcess;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/**
 * Three JVM processes share one document (a counter and a list) while all of them write; the host is killed with
 * {@code kill -9}; a survivor takes over; the demo checks that every process ends with the same document and that
 * no acknowledged write of a survivor was lost or applied twice. Every process it started is killed at the end.
 */
public final class Demo {
    private static final String NAME = "demo";
    private static final int WRITES = 2000;

    private Demo() {
    }

    /**
     * Runs the demo.
     *
     * @param args ignored
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path rendezvous = Files.createTempDirectory("memsync-demo-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<PeerProcess> started = new ArrayList<>();
        int exit = 1;
        try {
            say("starting three processes sharing '" + NAME + "' (rendezvous " + rendezvous + ")");
            PeerProcess a = PeerProcess.launch("A", rendezvous);
            started.add(a);
            PeerProcess b = PeerProcess.launch("B", rendezvous);
            started.add(b);
            PeerProcess c = PeerProcess.launch("C", rendezvous);
            started.add(c);
            for (PeerProcess p : started) {
                JsonObject s = p.call("start " + NAME + " data={\"counter\":0,\"list\":[]}");
                say("process " + p.label() + " (pid " + p.pid() + ") is " + s.getString("role") + ", term " + s.getJsonNumber("term"));
            }

            // a fresh JVM is still loading and compiling code for its first seconds; failing over then is slower
            say("warming up (each process writes 1,000 increments of 'warm')");
            List<CompletableFuture<String>> warm = started.stream().map(p -> p.send("incs warm 1000 16 quiet")).toList();
            for (CompletableFuture<String> w : warm) {
                w.get(120, TimeUnit.SECONDS);
            }
            say("all three write concurrently: each patch is {$inc:{counter:1}, $push:{list:\"<process>-<i>\"}}");
            AtomicLong killedAt = new AtomicLong();
            AtomicLong firstAckAfterKill = new AtomicLong();
            for (PeerProcess p : List.of(b, c)) {
                p.onLine(line -> {
                    if (line.startsWith("! ack") && killedAt.get() != 0 && Demo.term(line) > 1) {
                        firstAckAfterKill.compareAndSet(0, System.nanoTime());
                    }
                });
            }
            CompletableFuture<String> runA = a.send("writes " + WRITES + " 16 A");
            CompletableFuture<String> runB = b.send("writes " + WRITES + " 16 B");
            CompletableFuture<String> runC = c.send("writes " + WRITES + " 16 C");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (a.acks() < WRITES / 3 && System.nanoTime() < deadline && !runA.isDone()) {
                Thread.onSpinWait();
                Thread.sleep(1); // demo pacing only, not synchronisation
            }
            say("host A has " + a.acks() + " acknowledged writes: kill -9 " + a.pid());
            killedAt.set(System.nanoTime());
            a.kill9();
            long gone = System.nanoTime();

            String rb = runB.get(120, TimeUnit.SECONDS);
            String rc = runC.get(120, TimeUnit.SECONDS);
            say("B finished: " + rb);
            say("C finished: " + rc);
            if (firstAckAfterKill.get() != 0) {
                say(String.format("failover: first write acknowledged by the new host (term 2) %.1f ms after the kill"
                                + " (the killed JVM was gone after %.1f ms)",
                        (firstAckAfterKill.get() - killedAt.get()) / 1e6, (gone - killedAt.get()) / 1e6));
            }
            for (PeerProcess p : List.of(b, c)) {
                JsonObject s = p.call("status");
                say("process " + p.label() + " is now " + s.getString("role") + ", term " + s.getJsonNumber("term")
                        + ", version " + s.getJsonNumber("version"));
            }

            JsonObject db = waitQuiet(b);
            JsonObject dc = waitQuiet(c);
            boolean same = db.equals(dc);
            List<String> items = db.getJsonArray("list").getValuesAs(JsonString::getString);
            Set<String> distinct = new HashSet<>(items);
            long missing = 0;
            for (String tag : List.of("B", "C")) {
                for (int i = 0; i < WRITES; i++) {
                    if (!distinct.contains(tag + "-" + i)) {
                        missing++;
                    }
                }
            }
            long fromA = items.stream().filter(s -> s.startsWith("A-")).count();
            say("final counter " + db.getInt("counter") + ", list size " + items.size() + " (" + fromA
                    + " from the killed host), documents equal on B and C: " + same);
            say("survivors' acknowledged writes missing: " + missing + ", duplicates: " + (items.size() - distinct.size())
                    + ", counter matches list: " + (db.getInt("counter") == items.size()));
            exit = same && missing == 0 && distinct.size() == items.size() && db.getInt("counter") == items.size() ? 0 : 1;
            say(exit == 0 ? "OK: nothing lost, nothing applied twice" : "FAILED");
        } finally {
            started.forEach(PeerProcess::close);
            say("stopped every process the demo started");
        }
        System.exit(exit);
    }

    private static JsonObject waitQuiet(PeerProcess p) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (p.call("status").getInt("pending") == 0) {
                break;
            }
            Thread.sleep(100); // demo polling
        }
        return p.call("data", Duration.ofSeconds(30));
    }

    /** The term at the end of an {@code ! ack <label> <term>} line. */
    static long term(String ackLine) {
        return Long.parseLong(ackLine.substring(ackLine.lastIndexOf(' ') + 1));
    }

    private static void say(String line) {
        System.out.println("[demo] " + line);
    }
}
