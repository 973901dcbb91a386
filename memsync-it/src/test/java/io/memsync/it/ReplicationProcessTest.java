package io.memsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replication across real JVM processes: convergence, kill -9 of the host, graceful handover, big documents. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReplicationProcessTest {
    static final String NAME = "it-counter";
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final Peers peers = new Peers();

    private List<PeerProcess> network() throws Exception {
        PeerProcess a = peers.launch("A");
        PeerProcess b = peers.launch("B");
        PeerProcess c = peers.launch("C");
        assertThat(a.call("start " + NAME + " data={\"c\":{}}").getString("role")).isEqualTo("HOST");
        assertThat(b.call("start " + NAME).getString("role")).isEqualTo("CLIENT");
        assertThat(c.call("start " + NAME).getString("role")).isEqualTo("CLIENT");
        return List.of(a, b, c);
    }

    private static JsonObject ok(CompletableFuture<String> reply) {
        String r = reply.join();
        assertThat(r).startsWith("ok ");
        return jakarta.json.Json.createReader(new java.io.StringReader(r.substring(3))).readObject();
    }

    private static void awaitConverged(List<PeerProcess> survivors) {
        await().atMost(WAIT).untilAsserted(() -> {
            List<JsonObject> digests = survivors.stream().map(p -> p.call("digest")).toList();
            List<JsonObject> statuses = survivors.stream().map(p -> p.call("status")).toList();
            assertThat(statuses).allSatisfy(s -> assertThat(s.getInt("pending")).isZero());
            assertThat(digests).allSatisfy(d -> assertThat(d).isEqualTo(digests.get(0)));
        });
    }

    @Test
    void threeProcessesIncrementConcurrentlyAndConverge() throws Exception {
        List<PeerProcess> net = network();
        List<CompletableFuture<String>> runs = net.stream().map(p -> p.send("incs c.n 1000 32")).toList();
        for (CompletableFuture<String> run : runs) {
            assertThat(ok(run).getInt("acked")).isEqualTo(1000);
        }
        awaitConverged(net);
        for (PeerProcess p : net) {
            JsonObject data = p.call("data");
            assertThat(data.getJsonObject("c").getInt("n")).isEqualTo(3000);
        }
    }

    @Test
    void killOfTheHostLosesNoAcknowledgedIncrementAndAppliesNoneTwice() throws Exception {
        killHostDuringLoad(400);
    }

    /** Five rounds by default; {@code ./test.sh -Psoak} runs the loop 20 times ({@code memsync.failover.rounds}). */
    @Test
    void killOfTheHostAtRandomMoments() throws Exception {
        int rounds = Integer.getInteger("memsync.failover.rounds", 5);
        for (int round = 1; round <= rounds; round++) {
            int killAt = ThreadLocalRandom.current().nextInt(1, 700);
            try {
                killHostDuringLoad(killAt);
            } catch (AssertionError e) {
                throw new AssertionError("failover round " + round + " (host killed after " + killAt + " acks): " + e.getMessage(), e);
            } finally {
                peers.afterEach(null);
            }
        }
    }

    private void killHostDuringLoad(int killAfterHostAcks) throws Exception {
        List<PeerProcess> net = network();
        PeerProcess host = net.get(0);
        long oldTerm = host.call("status").getJsonNumber("term").longValue();
        CompletableFuture<String> hostRun = host.send("incs c.A 1000 16");
        CompletableFuture<String> bRun = net.get(1).send("incs c.B 1000 16");
        CompletableFuture<String> cRun = net.get(2).send("incs c.C 1000 16");
        await().atMost(WAIT).until(() -> host.acks() >= killAfterHostAcks || hostRun.isDone());
        host.kill9();
        assertThat(host.isAlive()).isFalse();

        JsonObject b = ok(bRun);
        JsonObject c = ok(cRun);
        assertThat(b.getInt("failed")).isZero();
        assertThat(c.getInt("failed")).isZero();
        List<PeerProcess> survivors = net.subList(1, 3);
        awaitConverged(survivors);

        JsonObject counters = survivors.get(0).call("data").getJsonObject("c");
        assertThat(counters.getInt("B")).as("B's acknowledged increments, each applied once").isEqualTo(1000);
        assertThat(counters.getInt("C")).as("C's acknowledged increments, each applied once").isEqualTo(1000);
        int fromHost = counters.containsKey("A") ? counters.getInt("A") : 0;
        // the host's own increments reached the survivors only as far as it broadcast them before it died
        assertThat(fromHost).as("the dead host's increments, none applied twice").isBetween(0, 1000);

        List<JsonObject> statuses = survivors.stream().map(p -> p.call("status")).toList();
        assertThat(statuses).extracting(s -> s.getString("role")).containsExactlyInAnyOrder("HOST", "CLIENT");
        assertThat(statuses).allSatisfy(s -> assertThat(s.getJsonNumber("term").longValue()).isGreaterThan(oldTerm));
    }

    @Test
    void gracefulStopOfTheHostHandsOverWithNothingLost() throws Exception {
        List<PeerProcess> net = network();
        PeerProcess host = net.get(0);
        long oldTerm = host.call("status").getJsonNumber("term").longValue();
        CompletableFuture<String> bRun = net.get(1).send("incs c.B 1000 16");
        CompletableFuture<String> cRun = net.get(2).send("incs c.C 1000 16");
        await().atMost(WAIT).until(() -> net.get(1).acks() >= 200);
        host.call("stop");

        assertThat(ok(bRun).getInt("acked")).isEqualTo(1000);
        assertThat(ok(cRun).getInt("acked")).isEqualTo(1000);
        List<PeerProcess> survivors = net.subList(1, 3);
        awaitConverged(survivors);
        JsonObject counters = survivors.get(0).call("data").getJsonObject("c");
        assertThat(counters.getInt("B")).isEqualTo(1000);
        assertThat(counters.getInt("C")).isEqualTo(1000);
        List<JsonObject> statuses = survivors.stream().map(p -> p.call("status")).toList();
        assertThat(statuses).extracting(s -> s.getString("role")).containsExactlyInAnyOrder("HOST", "CLIENT");
        assertThat(statuses).allSatisfy(s -> assertThat(s.getJsonNumber("term").longValue()).isGreaterThan(oldTerm));

        // the stopped process can start again and joins as a client with the current document
        assertThat(host.call("start " + NAME).getString("role")).isEqualTo("CLIENT");
        awaitConverged(net);
    }

    @Test
    void aJoiningClientReceivesAFiveMegabyteDocumentBeforeStartReturns() throws Exception {
        PeerProcess a = peers.launch("A");
        a.call("start " + NAME);
        JsonObject big = a.call("bigdoc 10000");
        assertThat(big.getInt("length")).isGreaterThan(5_000_000);
        PeerProcess b = peers.launch("B");
        JsonObject status = b.call("start " + NAME);
        assertThat(status.getString("role")).isEqualTo("CLIENT");
        JsonObject digest = b.call("digest");
        assertThat(digest).isEqualTo(a.call("digest"));
    }
}
