package io.memsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Conflicting writes across real processes: the later-created write wins, increments never conflict. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StaleWriteProcessTest {
    static final String NAME = "it-stale";
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final Peers peers = new Peers();

    @Test
    void laterCreatedSetWinsAndTheEarlierOneArrivingLaterIsRejected() throws Exception {
        PeerProcess host = peers.launch("H");
        PeerProcess b = peers.launch("B");
        PeerProcess c = peers.launch("C");
        host.call("start " + NAME + " data={\"v\":\"initial\"}");
        b.call("start " + NAME);
        c.call("start " + NAME);
        List<String> bChanges = new CopyOnWriteArrayList<>();
        b.onLine(l -> {
            if (l.startsWith("! change v ")) {
                bChanges.add(l);
            }
        });
        b.call("observe v");
        int staleSeen = 0;
        for (int rr = 0; rr < 10; rr++) {
            int round = rr;
            // the host is paused, so both writes are created from the same base version and reach it together
            Peers.signal(host, "STOP");
            CompletableFuture<String> early;
            CompletableFuture<String> late;
            try {
                early = b.send("patch {\"$set\":{\"v\":\"b" + round + "\"}}");
                await().atMost(WAIT).until(() -> b.call("data").getString("v").equals("b" + round));
                late = c.send("patch {\"$set\":{\"v\":\"c" + round + "\"}}");
                await().atMost(WAIT).until(() -> c.call("data").getString("v").equals("c" + round));
            } finally {
                Peers.signal(host, "CONT");
            }
            assertThat(late.get(60, TimeUnit.SECONDS)).as("the later-created write is applied").startsWith("ok ");
            String earlyOutcome = early.get(60, TimeUnit.SECONDS);
            assertThat(earlyOutcome).satisfiesAnyOf(
                    r -> assertThat(r).startsWith("ok "),
                    r -> assertThat(r).startsWith("err ERR_STALE_PATCH"));
            if (earlyOutcome.startsWith("err")) {
                staleSeen++;
            }
            String expected = "c" + round;
            await().atMost(WAIT).untilAsserted(() -> {
                for (PeerProcess p : List.of(host, b, c)) {
                    assertThat(p.call("data").getString("v")).isEqualTo(expected);
                }
            });
            // the loser's observer ends on the final value
            await().atMost(WAIT).until(() -> !bChanges.isEmpty() && bChanges.get(bChanges.size() - 1).endsWith("\"" + expected + "\""));
        }
        System.out.println("stale rejections seen in 10 rounds: " + staleSeen);
    }

    @Test
    void concurrentIncrementsOfOnePathNeverConflict() throws Exception {
        PeerProcess host = peers.launch("H");
        PeerProcess b = peers.launch("B");
        PeerProcess c = peers.launch("C");
        host.call("start " + NAME + " data={\"n\":0}");
        b.call("start " + NAME);
        c.call("start " + NAME);
        CompletableFuture<String> rb = b.send("incs n 1000 64");
        CompletableFuture<String> rc = c.send("incs n 1000 64");
        JsonObject ob = parse(rb.get(120, TimeUnit.SECONDS));
        JsonObject oc = parse(rc.get(120, TimeUnit.SECONDS));
        assertThat(ob.getInt("failed")).isZero();
        assertThat(oc.getInt("failed")).isZero();
        await().atMost(WAIT).untilAsserted(() -> {
            for (PeerProcess p : List.of(host, b, c)) {
                assertThat(p.call("data").getInt("n")).isEqualTo(2000);
            }
        });
    }

    private static JsonObject parse(String reply) {
        assertThat(reply).startsWith("ok ");
        return jakarta.json.Json.createReader(new java.io.StringReader(reply.substring(3))).readObject();
    }
}
