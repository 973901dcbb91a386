package io.memsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The writer cap across real processes: refusal, readers, waiting for a slot, and failover. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WriterCapProcessTest {
    static final String NAME = "it-cap";
    static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final Peers peers = new Peers();

    /** Counts down when the peer's replica logs that every writer slot is taken and it waits for one. */
    private static CountDownLatch waitsForASlot(PeerProcess p) {
        CountDownLatch refused = new CountDownLatch(1);
        p.onLine(l -> {
            if (l.startsWith("! log ") && l.contains("every writer slot is taken; waiting")) {
                refused.countDown();
            }
        });
        return refused;
    }

    @Test
    void aSecondWriterIsRefusedAndReadersStillJoin() throws Exception {
        PeerProcess first = peers.launch("W1");
        PeerProcess second = peers.launch("W2");
        PeerProcess reader = peers.launch("R");
        first.call("start " + NAME + " maxWriters=1");
        assertThat(second.send("start " + NAME + " maxWriters=1").get(30, TimeUnit.SECONDS)).startsWith("err ERR_MAX_WRITERS");
        assertThat(reader.call("start " + NAME + " reader").getString("role")).isEqualTo("CLIENT");
        assertThat(reader.send("patch {\"$set\":{\"a\":1}}").get(30, TimeUnit.SECONDS)).startsWith("err ERR_READ_ONLY");
    }

    @Test
    void aWaitingWriterGetsTheSlotWhenTheWriterIsKilled() throws Exception {
        PeerProcess host = peers.launch("H");
        PeerProcess writer = peers.launch("W1");
        PeerProcess waiting = peers.launch("W2");
        host.call("start " + NAME + " reader maxWriters=1");
        writer.call("start " + NAME + " maxWriters=1");
        CountDownLatch refused = waitsForASlot(waiting);
        CompletableFuture<String> start = waiting.send("start " + NAME + " maxWriters=1 waitSlot=60000");
        assertThat(refused.await(30, TimeUnit.SECONDS)).as("W2 was refused and waits for a slot").isTrue();
        assertThat(start).isNotDone();
        long killedAt = System.nanoTime();
        writer.kill9();
        assertThat(start.get(30, TimeUnit.SECONDS)).startsWith("ok");
        System.out.println("writer slot taken over " + (System.nanoTime() - killedAt) / 1_000_000 + " ms after kill -9");
        assertThat(waiting.call("patch {\"$set\":{\"owner\":\"W2\"}}").getJsonNumber("version").longValue()).isPositive();
    }

    @Test
    void aWaitingWriterGetsTheSlotWhenTheWritingHostIsKilled() throws Exception {
        PeerProcess host = peers.launch("H");
        PeerProcess waiting = peers.launch("W2");
        host.call("start " + NAME + " maxWriters=1");
        CountDownLatch refused = waitsForASlot(waiting);
        CompletableFuture<String> start = waiting.send("start " + NAME + " maxWriters=1 waitSlot=60000");
        assertThat(refused.await(30, TimeUnit.SECONDS)).as("W2 was refused and waits for a slot").isTrue();
        assertThat(start).isNotDone();
        host.kill9();
        assertThat(start.get(30, TimeUnit.SECONDS)).startsWith("ok");
        assertThat(waiting.call("patch {\"$set\":{\"owner\":\"W2\"}}").getJsonNumber("version").longValue()).isPositive();
    }

    @Test
    void afterAHostFailoverTheCapStillHolds() throws Exception {
        PeerProcess host = peers.launch("H");
        PeerProcess writer = peers.launch("W1");
        PeerProcess reader = peers.launch("R");
        PeerProcess waiting = peers.launch("W2");
        host.call("start " + NAME + " reader maxWriters=1");
        writer.call("start " + NAME + " maxWriters=1");
        reader.call("start " + NAME + " reader");
        long oldTerm = writer.call("status").getJsonNumber("term").longValue();
        CountDownLatch refused = waitsForASlot(waiting);
        CompletableFuture<String> start = waiting.send("start " + NAME + " maxWriters=1 waitSlot=60000");
        assertThat(refused.await(30, TimeUnit.SECONDS)).as("W2 was refused and waits for a slot").isTrue();
        assertThat(start).isNotDone();

        host.kill9();
        await().atMost(WAIT).until(() -> writer.call("status").getJsonNumber("term").longValue() > oldTerm
                && writer.call("patch {\"$inc\":{\"n\":1}}").containsKey("version"));
        // the new host knows W1 holds the only slot: W2 keeps waiting
        assertThat(start).isNotDone();
        assertThat(writer.call("patch {\"$inc\":{\"n\":1}}").containsKey("version")).isTrue();

        writer.kill9();
        assertThat(start.get(30, TimeUnit.SECONDS)).startsWith("ok");
        assertThat(waiting.call("patch {\"$inc\":{\"n\":1}}").containsKey("version")).isTrue();
    }
}
