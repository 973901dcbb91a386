package io.memsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A starting process never wipes a live document (issue 8, DESIGN.md §4 "Recovery"): the only holder of the
 * document besides the dead host is paused ({@code SIGSTOP}); a process that starts meanwhile with its own data wins
 * the host lock but must wait for that member however long it is paused, and never open with its starting data.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PausedMemberProcessTest {
    static final String NAME = "it-paused";
    static final Duration WAIT = Duration.ofSeconds(60);
    /** Three times the default recovery wait (2 s): a new host that gives up on a paused member does so by then. */
    static final Duration PAUSED_FOR = Duration.ofSeconds(6);

    @RegisterExtension
    final Peers peers = new Peers();

    @Test
    void aNewHostWaitsForAPausedMemberOfTheOldTermAndNeverOpensWithItsOwnData() throws Exception {
        PeerProcess host = peers.launch("H");
        PeerProcess c1 = peers.launch("C1");
        PeerProcess c3 = peers.launch("C3"); // launched now, started later: its start is quick when it counts
        host.call("start " + NAME + " data={\"n\":0}");
        c1.call("start " + NAME);
        assertThat(c1.call("incs n 50 1").getInt("acked")).isEqualTo(50);
        await().atMost(WAIT).until(() -> host.call("data").getInt("n") == 50);
        List<String> freshSeenByC1 = new CopyOnWriteArrayList<>();
        c1.onLine(l -> {
            if (l.startsWith("! change fresh ")) {
                freshSeenByC1.add(l);
            }
        });
        c1.call("observe fresh");

        Peers.signal(c1, "STOP");
        CompletableFuture<String> c3Start;
        AtomicReference<CompletableFuture<String>> probe = new AtomicReference<>();
        try {
            host.kill9();
            c3Start = c3.send("start " + NAME + " data={\"fresh\":true}");
            // while C1 is paused: C3 holds the lock but recovers; it has not opened with {"fresh":true}
            await().during(PAUSED_FOR).atMost(PAUSED_FOR.plusSeconds(10)).untilAsserted(() -> {
                if (!c3Start.isDone()) {
                    return; // start() waits for the recovery: that is waiting
                }
                String r = c3Start.join();
                assertThat(r).as("C3's start() while C1, a live member of the old term holding the document, is paused")
                        .startsWith("ok ");
                JsonObject status = parse(r);
                assertThat(status.getString("role")).as("C3's status while C1 is paused (recovering), start() answered "
                        + r + ", C3's document " + c3.call("data")).isIn("RECOVERING", "CONNECTING");
                assertThat(c3.call("data").containsKey("fresh")).as("C3 serves reads, never its own starting data").isFalse();
                probe.compareAndSet(null, c3.send("patch {\"$set\":{\"probe\":1}}"));
                assertThat(probe.get()).as("a write to C3 waits while it recovers").isNotDone();
            });
        } finally {
            Peers.signal(c1, "CONT");
        }

        // C1 resumes: it reports its state to C3, and the document is C1's
        assertThat(c3Start.get(60, TimeUnit.SECONDS)).as("C3's start() once C1 is back").startsWith("ok ");
        await().atMost(WAIT).untilAsserted(() -> {
            JsonObject d1 = c1.call("data");
            JsonObject d3 = c3.call("data");
            assertThat(d1.getInt("n", -1)).as("C1's 50 acknowledged increments, in C1's document " + d1).isEqualTo(50);
            assertThat(d1.containsKey("fresh")).as("C1's document " + d1 + " holds C3's starting data").isFalse();
            assertThat(d3).as("C3's document equals C1's").isEqualTo(d1);
            assertThat(c1.call("status").getInt("pending")).isZero();
            assertThat(c3.call("status").getInt("pending")).isZero();
        });
        assertThat(freshSeenByC1).as("changes of 'fresh' C1 ever saw").isEmpty();
        if (probe.get() != null) {
            assertThat(probe.get().get(60, TimeUnit.SECONDS)).as("the write that waited during recovery").startsWith("ok ");
        }
    }

    private static JsonObject parse(String reply) {
        return jakarta.json.Json.createReader(new java.io.StringReader(reply.substring(3))).readObject();
    }
}
