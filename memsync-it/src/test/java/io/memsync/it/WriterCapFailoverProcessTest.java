package io.memsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The writer cap survives a host failover with its holder paused (issue 8, DESIGN.md §4 "Writer cap"): under
 * {@code maxWriters(1)} at no moment do two writers have writes accepted. Each writer's acknowledged writes carry the
 * {@code (term, version)} of their entries; in that order the writers' acknowledged writes never interleave: all of
 * W1's come before all of W2's (W2 got the slot after W1 lost it, W1 then being refused with {@code ERR_READ_ONLY}),
 * or W2 never writes (W1 kept its slot).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WriterCapFailoverProcessTest {
    static final String NAME = "it-cap-failover";
    static final Duration WAIT = Duration.ofSeconds(30);
    /** How long W1 stays paused after the host's kill (the reproduction). */
    static final long PAUSE_AFTER_KILL_MS = 1200;
    /** How long both writers are watched after W1 resumed (the issue saw both counters grow over 3 s). */
    static final Duration WATCH = Duration.ofSeconds(4);
    /** A writer that is host acknowledges its own writes locally: paced, so it does not take a core for itself. */
    static final long HOST_PAUSE_MICROS = 500;

    @RegisterExtension
    final Peers peers = new Peers();

    @Test
    void aPausedWriterAndTheWaitingOneNeverBothHaveWritesAcceptedAfterTheHostDies() throws Exception {
        PeerProcess host = peers.launch("H");
        PeerProcess w1 = peers.launch("W1");
        PeerProcess w2 = peers.launch("W2");
        host.call("start " + NAME + " reader maxWriters=1");
        w1.call("start " + NAME + " maxWriters=1");
        IncLoop loop1 = IncLoop.start(w1, "w1", HOST_PAUSE_MICROS);
        IncLoop loop2 = IncLoop.attach(w2, "w2");
        CountDownLatch refused = new CountDownLatch(1);
        w2.onLine(l -> {
            if (l.startsWith("! log ") && l.contains("every writer slot is taken; waiting")) {
                refused.countDown();
            }
        });
        CompletableFuture<String> w2Start = w2.send("start " + NAME + " maxWriters=1 waitSlot=60000");
        assertThat(refused.await(30, TimeUnit.SECONDS)).as("W2 was refused and waits for a slot").isTrue();
        assertThat(w2Start).isNotDone();
        // W2 writes as soon as it holds a slot
        w2Start.thenAccept(r -> {
            if (r.startsWith("ok ")) {
                loop2.started(w2.send("incloop w2 " + HOST_PAUSE_MICROS));
            }
        });
        await().atMost(WAIT).until(() -> loop1.acked() >= 20);

        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        AtomicReference<String> w1Resumed = new AtomicReference<>();
        try {
            Peers.signal(w1, "STOP");
            long w1AckedWhenPaused = loop1.acked();
            host.kill9();
            ScheduledFuture<?> resume = scheduler.schedule(() -> {
                Peers.signal(w1, "CONT");
                return null;
            }, PAUSE_AFTER_KILL_MS, TimeUnit.MILLISECONDS);
            resume.get(30, TimeUnit.SECONDS);
            w1Resumed.set("W1 resumed with " + w1AckedWhenPaused + " acknowledged");
            await().during(WATCH).atMost(WATCH.plusSeconds(6)).untilAsserted(() -> assertOneWriterAtATime(loop1, loop2, w2Start));
        } finally {
            scheduler.shutdownNow();
            Peers.signal(w1, "CONT"); // harmless when it already runs; never leave it stopped
        }
        loop1.stop();
        if (loop2.reply() != null) {
            loop2.stop();
        }
        assertOneWriterAtATime(loop1, loop2, w2Start);
        System.out.println(w1Resumed.get() + "; W1 " + loop1 + ", W2 start " + (w2Start.isDone() ? w2Start.join() : "waiting")
                + ", W2 " + loop2);
    }

    /** In {@code (term, version)} order the acknowledged writes read W1…W1 W2…W2, and no entry is acknowledged twice. */
    private static void assertOneWriterAtATime(IncLoop loop1, IncLoop loop2, CompletableFuture<String> w2Start) {
        List<IncLoop.Ack> all = new ArrayList<>(loop1.acks());
        all.addAll(loop2.acks());
        all.sort(null);
        List<String> problems = new ArrayList<>();
        int count = 0;
        for (int i = 1; i < all.size(); i++) {
            IncLoop.Ack prev = all.get(i - 1);
            IncLoop.Ack cur = all.get(i);
            String problem = null;
            if (prev.compareTo(cur) == 0) {
                problem = "one entry acknowledged to two writes: " + prev + " and " + cur;
            } else if (prev.writer().equals("W2") && cur.writer().equals("W1")) {
                problem = "W1's write " + cur + " accepted after W2's " + prev;
            }
            if (problem != null && ++count <= 5) {
                problems.add(problem);
            }
        }
        if (count > 5) {
            problems.add("… " + (count - 5) + " more");
        }
        assertThat(problems).as("writes accepted under maxWriters(1) (W1: " + loop1 + ", W2: " + loop2 + ", W2's start: "
                + (w2Start.isDone() ? w2Start.join() : "waiting") + ")").isEmpty();
    }
}
