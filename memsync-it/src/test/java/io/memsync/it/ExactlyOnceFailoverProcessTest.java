package io.memsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once application across many host failovers (issue 8): three writer processes each increment their own
 * counter one {@code $inc} at a time, waiting for each outcome; the host is {@code kill -9}ed
 * {@code memsync.failover.kills} times at random 0.3–1 s intervals, and a fresh writer is started after each kill.
 * At the end every process's counter lies between what it saw acknowledged and what it attempted, the survivors'
 * counters equal their acknowledged counts, and the survivors' documents are equal.
 *
 * <p>The kill moments come from a seeded {@link Random}: the seed is printed, and {@code -Dmemsync.failover.seed=…}
 * reuses it (the moments relative to each kill repeat; the processes' own timing does not).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ExactlyOnceFailoverProcessTest {
    static final String NAME = "it-exactly-once";
    static final Duration WAIT = Duration.ofSeconds(60);
    /** How long a kill waits for a host and another started writer (a fresh writer's start may take 30 s on a busy machine). */
    static final Duration HOST_WAIT = Duration.ofSeconds(120);
    /**
     * A host acknowledges its own updates without a round trip: unpaced it would take a core of the 2-core machine
     * for itself (tens of thousands a second) and starve the joining writers. Clients are not paced.
     */
    static final long HOST_PAUSE_MICROS = 500;

    @RegisterExtension
    final Peers peers = new Peers();

    /** One writer process and what it was seen doing; {@code killedInTerm} is set when it was killed as host. */
    static final class Writer {
        final PeerProcess process;
        final IncLoop loop;
        volatile long killedInTerm = -1;

        Writer(PeerProcess process, IncLoop loop) {
            this.process = process;
            this.loop = loop;
        }

        String label() {
            return process.label();
        }
    }

    private final List<Writer> writers = new CopyOnWriteArrayList<>();
    private final List<String> startFailures = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** JVMs booted ahead (nothing started in them yet), so a fresh writer's start after a kill is quick. */
    private final BlockingQueue<CompletableFuture<PeerProcess>> spares = new LinkedBlockingQueue<>();
    private ExecutorService launcher;

    @Test
    void everyCountStaysBetweenWhatItsWriterSawAcknowledgedAndWhatItAttempted() throws Exception {
        int kills = Integer.getInteger("memsync.failover.kills", 30);
        long seed = Long.getLong("memsync.failover.seed", System.nanoTime());
        System.out.println("ExactlyOnceFailoverProcessTest: " + kills + " host kills, seed " + seed
                + " (-Dmemsync.failover.seed=" + seed + " to reuse it)");
        Random random = new Random(seed);
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor();
        launcher = Executors.newVirtualThreadPerTaskExecutor();
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            bootSpare();
            bootSpare();
            // the three first writers are all members before any writes (a host writing flat out slows the others' start)
            List<PeerProcess> first = new ArrayList<>();
            for (String options : List.of(" data={\"c\":{}}", "", "")) {
                PeerProcess p = peers.launch("w" + ids.incrementAndGet());
                p.call("start " + NAME + options, WAIT);
                first.add(p);
            }
            first.forEach(p -> writers.add(new Writer(p, IncLoop.start(p, "c." + p.label(), HOST_PAUSE_MICROS))));
            for (int k = 1; k <= kills; k++) {
                int delay = 300 + random.nextInt(701);
                long due = System.nanoTime() + delay * 1_000_000L;
                Writer killed;
                try {
                    killed = killer.schedule(this::killTheHost, delay, TimeUnit.MILLISECONDS).get(3, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("kill " + k + "/" + kills + " (seed " + seed + "): " + e.getCause().getMessage(), e.getCause());
                }
                System.out.println("kill " + k + "/" + kills + " " + delay + " ms after the last (+"
                        + (System.nanoTime() - due) / 1_000_000 + " ms waiting for a host and another holder): " + killed.label()
                        + " (host of term " + killed.killedInTerm + ") " + killed.loop);
                starts.add(CompletableFuture.runAsync(this::startWriter, starter));
            }
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            System.out.println(kills + " kills in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } finally {
            killer.shutdownNow();
            starter.shutdownNow();
            launcher.shutdownNow();
        }

        List<Writer> survivors = writers.stream().filter(w -> w.process.isAlive()).toList();
        // every pending update resolves: the loops stop after their last outcome
        List<String> violations = new ArrayList<>();
        List<CompletableFuture<JsonObject>> stops = survivors.stream()
                .map(w -> CompletableFuture.supplyAsync(w.loop::stop)).toList();
        List<Writer> unresolved = new ArrayList<>();
        for (int i = 0; i < stops.size(); i++) {
            try {
                stops.get(i).get(2, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException e) {
                unresolved.add(survivors.get(i));
                violations.add(survivors.get(i).label() + " (survivor): an update never resolved: " + e.getCause().getMessage());
            }
        }
        if (unresolved.isEmpty()) {
            try {
                awaitConverged(survivors);
            } catch (AssertionError e) {
                violations.add("the survivors did not converge: " + e.getMessage());
            }
        }
        JsonObject counters = survivors.get(0).process.call("data").getJsonObject("c");
        for (Writer w : writers) {
            if (!w.process.isAlive()) {
                w.process.outputClosed().get(30, TimeUnit.SECONDS); // everything it printed before dying is in
            }
            IncLoop l = w.loop;
            long count = counters.containsKey(w.label()) ? counters.getJsonNumber(w.label()).longValue() : 0;
            long max = l.attempted() - l.definitelyFailed();
            String who = w.label() + (w.killedInTerm >= 0 ? " (killed as host of term " + w.killedInTerm + ")" : " (survivor)");
            if (count > max) {
                violations.add(who + ": counter " + count + " > " + max + " increments it attempted (" + l + ")"
                        + " -- applied more than once");
            }
            if (w.killedInTerm >= 0) {
                // No lower bound for a killed process: an acknowledged change survives while a process that saw it
                // survives (DESIGN.md 4), and a kill -9 can take the only copy with it. Entries a dying host had
                // written to its sockets may never be read (the kernel resets a connection whose owner died with
                // unread input), so even entries ordered by an earlier host may have reached nobody else before the
                // killed process itself hosted and died. Reported, not asserted.
                long min = l.ackedBefore(w.killedInTerm);
                if (count < min) {
                    System.out.println(who + ": counter " + count + " < " + min + " acknowledged to it by earlier hosts ("
                            + l + "); lost with the processes that held them");
                }
            } else {
                long acked = l.acked();
                if (count < acked) {
                    violations.add(who + ": counter " + count + " < " + acked + " acknowledged (" + l + ") -- acknowledged change lost");
                }
                if (l.failures().isEmpty() && !unresolved.contains(w) && count != acked) {
                    violations.add(who + ": counter " + count + " != " + acked + " acknowledged, every outcome known (" + l + ")");
                }
            }
        }
        startFailures.forEach(f -> violations.add("a fresh writer could not start: " + f));
        System.out.println("counters " + counters + "; writers " + writers.stream().map(w -> w.loop.toString()).toList());
        assertThat(violations).as("exactly-once after " + kills + " host kills (seed " + seed + "); counters " + counters)
                .isEmpty();
    }

    private void bootSpare() {
        String label = "w" + ids.incrementAndGet();
        spares.add(CompletableFuture.supplyAsync(() -> {
            try {
                return peers.launch(label);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, launcher));
    }

    /** Starts a fresh writer (in a JVM booted ahead) and its increment loop; a failure is recorded, not thrown. */
    private void startWriter() {
        bootSpare();
        String label = "?";
        try {
            PeerProcess p = spares.take().get(2, TimeUnit.MINUTES);
            label = p.label();
            long t0 = System.nanoTime();
            // a start racing the next kills may take long on a busy machine: 60 s before it says ERR_TIMEOUT
            p.call("start " + NAME + " timeout=60000", WAIT.plusSeconds(30));
            System.out.println(label + " started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            writers.add(new Writer(p, IncLoop.start(p, "c." + label, HOST_PAUSE_MICROS)));
        } catch (Exception | AssertionError e) {
            startFailures.add(label + ": " + e.getMessage());
        }
    }

    /**
     * Kills the process that is host now, and returns it. It waits for a host to claim the role and for another
     * started writer: a kill never leaves the document without a live holder (when it would, DESIGN.md §4 lets
     * acknowledged writes go), so every increment acknowledged by an earlier host is owed to the end.
     */
    private Writer killTheHost() {
        Map<Writer, Long> hosts = new ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicLong live = new java.util.concurrent.atomic.AtomicLong();
        try {
            await().atMost(HOST_WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
                hosts.clear();
                for (Writer w : writers) {
                    hostTerm(w).ifPresent(t -> hosts.put(w, t));
                }
                live.set(writers.stream().filter(w -> w.killedInTerm < 0 && w.process.isAlive()).count());
                return hosts.size() == 1 && live.get() >= 2;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("for " + HOST_WAIT + " no single host with another started writer alive: hosts "
                    + hosts.keySet().stream().map(w -> w.label() + " term " + hosts.get(w)).toList() + ", " + live.get()
                    + " started writers alive, " + (ids.get() - writers.size() - spares.size() - startFailures.size()) + " still starting"
                    + ", start failures " + startFailures, e);
        }
        Writer host = hosts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        host.killedInTerm = hosts.get(host);
        host.process.kill9();
        return host;
    }

    /** The term of a writer that says it is host; empty for a client, a dead process or one still starting. */
    private static Optional<Long> hostTerm(Writer w) {
        if (!w.process.isAlive() || w.killedInTerm >= 0) {
            return Optional.empty();
        }
        try {
            String r = w.process.send("status").get(5, TimeUnit.SECONDS);
            if (!r.startsWith("ok ")) {
                return Optional.empty();
            }
            JsonObject s = jakarta.json.Json.createReader(new java.io.StringReader(r.substring(3))).readObject();
            return s.getString("role").equals("HOST") ? Optional.of(s.getJsonNumber("term").longValue()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static void awaitConverged(List<Writer> survivors) {
        await().atMost(WAIT).untilAsserted(() -> {
            List<JsonObject> statuses = survivors.stream().map(w -> w.process.call("status")).toList();
            List<JsonObject> digests = survivors.stream().map(w -> w.process.call("digest")).toList();
            assertThat(statuses).as("statuses").allSatisfy(s -> assertThat(s.getInt("pending")).isZero());
            assertThat(statuses).extracting(s -> s.getString("role")).as("roles").containsOnlyOnce("HOST");
            assertThat(digests).as("documents of the survivors").allSatisfy(d -> assertThat(d).isEqualTo(digests.get(0)));
        });
        List<JsonObject> docs = survivors.stream().map(w -> w.process.call("data")).toList();
        assertThat(docs).as("documents of the survivors").allSatisfy(d -> assertThat(d).isEqualTo(docs.get(0)));
    }
}
