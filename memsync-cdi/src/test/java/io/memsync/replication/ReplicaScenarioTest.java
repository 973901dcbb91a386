package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.memsync.MemSyncChange;
import io.memsync.MemSyncException;
import io.memsync.Precondition;
import io.memsync.Update;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplicaScenarioTest {
    private final Cluster cluster = new Cluster(42);

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static JsonObject obj(String json) {
        return Json.createReader(new java.io.StringReader(json)).readObject();
    }

    private static Update set(String path, int v) {
        return Update.of(obj("{\"$set\":{\"" + path + "\":" + v + "}}"));
    }

    private static Update inc(String path) {
        return Update.of(obj("{\"$inc\":{\"" + path + "\":1}}"));
    }

    private static MemSyncException failure(CompletableFuture<?> f) {
        try {
            f.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return (MemSyncException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected failure");
    }

    private void awaitConverged() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Cluster.Member> live = cluster.live();
            JsonObject first = live.get(0).replica.view();
            for (Cluster.Member m : live) {
                assertThat(m.replica.view()).isEqualTo(first);
                assertThat(m.replica.status().version()).isEqualTo(live.get(0).replica.status().version());
                assertThat(m.replica.status().pendingCount()).isZero();
            }
        });
    }

    @Test
    void hostAndTwoClientsConverge() {
        Cluster.Member host = cluster.started(obj("{\"a\":1}"));
        Cluster.Member c1 = cluster.started();
        Cluster.Member c2 = cluster.started();
        assertThat(host.replica.status().role()).isEqualTo(ReplicaStatus.Role.HOST);
        assertThat(c1.replica.status().role()).isEqualTo(ReplicaStatus.Role.CLIENT);
        assertThat(c1.replica.view()).isEqualTo(obj("{\"a\":1}"));
        List<CompletableFuture<Outcome>> fs = new ArrayList<>();
        fs.add(host.replica.submit(set("h", 1), null));
        fs.add(c1.replica.submit(set("x", 1), null));
        fs.add(c2.replica.submit(set("y", 2), null));
        fs.forEach(CompletableFuture::join);
        awaitConverged();
        assertThat(c2.replica.view()).isEqualTo(obj("{\"a\":1,\"h\":1,\"x\":1,\"y\":2}"));
        assertThat(host.replica.status().version()).isEqualTo(3);
        assertThat(host.replica.hasPeers()).isTrue();
        await().untilAsserted(() -> assertThat(c1.replica.status().peers()).hasSize(3));
        assertThat(c1.replica.ping().join()).isNotNull();
        assertThat(host.replica.ping().join()).as("the host measures its round trip to every client").isPositive();
        assertThat(host.events.overlapped || c1.events.overlapped).isFalse();
    }

    @Test
    void clientReadsItsWritesThenSeesConfirmation() {
        Cluster.Member host = cluster.started();
        Cluster.Member c = cluster.started();
        host.node.delay(Duration.ofMillis(150));
        CompletableFuture<Outcome> f = c.replica.submit(set("x", 7), null);
        assertThat(c.replica.view().getInt("x")).isEqualTo(7);
        assertThat(c.replica.status().pendingCount()).isEqualTo(1);
        assertThat(c.events.changes.get(0).state()).isEqualTo(MemSyncChange.State.PENDING);
        Outcome o = f.join();
        assertThat(o.version()).isEqualTo(1);
        assertThat(o.effect().toString()).contains("/x");
        await().untilAsserted(() -> assertThat(c.events.changes).extracting(ViewChange::state)
                .containsExactly(MemSyncChange.State.PENDING, MemSyncChange.State.CONFIRMED));
        assertThat(c.events.changes.get(1).local()).isTrue();
        assertThat(c.replica.status().pendingCount()).isZero();
    }

    @Test
    void staleWriteLosesAndRollsBack() {
        cluster.started();
        // A's clock says it created its update earlier than B's; A's frames are slow, so B's arrives first
        Cluster.Member a = cluster.add(Json.createObjectBuilder().build(),
                b -> b.clock(InstantSource.fixed(Instant.ofEpochMilli(1_000))));
        Cluster.Member b = cluster.add(Json.createObjectBuilder().build(),
                o -> o.clock(InstantSource.fixed(Instant.ofEpochMilli(2_000))));
        a.replica.start();
        b.replica.start();
        a.node.delay(Duration.ofMillis(200));
        CompletableFuture<Outcome> fa = a.replica.submit(set("x", 1), null);
        CompletableFuture<Outcome> fb = b.replica.submit(set("x", 2), null);
        assertThat(fb.join().version()).isEqualTo(1);
        MemSyncException e = failure(fa);
        assertThat(e.code()).isEqualTo(MemSyncException.ERR_STALE_PATCH);
        assertThat(e.version()).isEqualTo(2);
        awaitConverged();
        assertThat(a.replica.view().getInt("x")).isEqualTo(2);
        ViewChange last = a.events.changes.get(a.events.changes.size() - 1);
        assertThat(last.state()).isEqualTo(MemSyncChange.State.ROLLED_BACK);
        assertThat(last.after().getInt("x")).isEqualTo(2);
        assertThat(last.before().getInt("x")).isEqualTo(1);
    }

    @Test
    void laterCreatedArrivingLaterWins() {
        cluster.started();
        Cluster.Member a = cluster.add(Json.createObjectBuilder().build(),
                b -> b.clock(InstantSource.fixed(Instant.ofEpochMilli(1_000))));
        Cluster.Member b = cluster.add(Json.createObjectBuilder().build(),
                o -> o.clock(InstantSource.fixed(Instant.ofEpochMilli(2_000))));
        a.replica.start();
        b.replica.start();
        b.node.delay(Duration.ofMillis(200));
        CompletableFuture<Outcome> fa = a.replica.submit(set("x", 1), null);
        CompletableFuture<Outcome> fb = b.replica.submit(set("x", 2), null);
        fa.join();
        fb.join();
        awaitConverged();
        assertThat(a.replica.view().getInt("x")).isEqualTo(2);
    }

    @Test
    void concurrentIncrementsNeverConflict() {
        cluster.started();
        Cluster.Member a = cluster.started();
        Cluster.Member b = cluster.started();
        cluster.net.maxDelay(Duration.ofMillis(5));
        List<CompletableFuture<Outcome>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fs.add(a.replica.submit(inc("n"), null));
            fs.add(b.replica.submit(inc("n"), null));
        }
        fs.forEach(CompletableFuture::join);
        awaitConverged();
        assertThat(a.replica.view().getInt("n")).isEqualTo(100);
    }

    @Test
    void preconditions() {
        Cluster.Member host = cluster.started(obj("{\"state\":\"running\"}"));
        Cluster.Member c = cluster.started();
        c.replica.submit(set("x", 1), Precondition.version(0)).join();
        MemSyncException e = failure(c.replica.submit(set("x", 2), Precondition.version(0)));
        assertThat(e.code()).isEqualTo(MemSyncException.ERR_PRECONDITION);
        assertThat(e.version()).isEqualTo(2);
        assertThat(c.replica.view().getInt("x")).isEqualTo(1);
        c.replica.submit(set("y", 1), Precondition.matches("{\"state\":\"running\"}")).join();
        assertThat(failure(c.replica.submit(set("y", 2), Precondition.matches("{\"state\":\"done\"}"))).code())
                .isEqualTo(MemSyncException.ERR_PRECONDITION);
        assertThat(failure(host.replica.submit(set("z", 2), Precondition.matches("{\"x\":{\"$gt\":5}}"))).code())
                .isEqualTo(MemSyncException.ERR_PRECONDITION);
        awaitConverged();
        assertThat(c.replica.view()).isEqualTo(obj("{\"state\":\"running\",\"x\":1,\"y\":1}"));
    }

    @Test
    void invalidUpdateFailsAtOnce() {
        cluster.started(obj("{\"s\":\"text\"}"));
        Cluster.Member c = cluster.started();
        assertThat(failure(c.replica.submit(inc("s"), null)).code()).isEqualTo(MemSyncException.ERR_INVALID_PATCH);
        assertThat(c.replica.status().pendingCount()).isZero();
    }

    @Test
    void hostCrashMidLoadLosesNothingAndAppliesNothingTwice() {
        Cluster.Member host = cluster.started();
        Cluster.Member a = cluster.started();
        Cluster.Member b = cluster.started();
        cluster.net.maxDelay(Duration.ofMillis(3));
        long oldTerm = host.replica.status().term();
        List<CompletableFuture<Outcome>> fs = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 40; i++) {
            fs.add(a.replica.submit(inc("n"), null));
            fs.add(b.replica.submit(inc("n"), null));
            if (i == 20) {
                cluster.crash(host);
            }
        }
        for (CompletableFuture<Outcome> f : fs) {
            f.join();
        }
        awaitConverged();
        assertThat(a.replica.view().getInt("n")).isEqualTo(80);
        Cluster.Member newHost = a.replica.status().role() == ReplicaStatus.Role.HOST ? a : b;
        assertThat(newHost.replica.status().role()).isEqualTo(ReplicaStatus.Role.HOST);
        assertThat(newHost.replica.status().term()).isGreaterThan(oldTerm);
        for (Cluster.Member m : List.of(a, b)) {
            assertVersionsMonotonic(m);
        }
    }

    static void assertVersionsMonotonic(Cluster.Member m) {
        long last = -1;
        for (ViewChange c : m.events.changes) {
            if (c.state() == MemSyncChange.State.CONFIRMED) {
                assertThat(c.version()).isGreaterThanOrEqualTo(last);
                last = c.version();
            }
        }
    }

    @Test
    void gracefulStopHandsOver() {
        Cluster.Member host = cluster.started();
        Cluster.Member a = cluster.started();
        Cluster.Member b = cluster.started();
        for (int i = 0; i < 10; i++) {
            host.replica.submit(inc("n"), null);
            a.replica.submit(inc("n"), null).join();
        }
        long v = host.replica.status().version();
        host.replica.stop();
        assertThat(host.replica.status().role()).isEqualTo(ReplicaStatus.Role.STOPPED);
        // the stopping host's last record names the handover version (a new host may already have replaced it)
        assertThat(cluster.net.published()).anySatisfy(r -> assertThat(r.handoverVersion()).isEqualTo(v));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.replica.status().role() == ReplicaStatus.Role.HOST
                || b.replica.status().role() == ReplicaStatus.Role.HOST);
        b.replica.submit(inc("n"), null).join();
        awaitConverged();
        assertThat(a.replica.view().getInt("n")).isEqualTo(21);
        // the stopped replica can start again, with a fresh peer id, and gets the live document
        String oldId = host.replica.status().peerId();
        host.replica.start();
        assertThat(host.replica.status().peerId()).isNotEqualTo(oldId);
        assertThat(host.replica.view().getInt("n")).isEqualTo(21);
    }

    @Test
    void lateJoinerGetsLargeSnapshotInChunks() {
        String big = "x".repeat(1_500_000);
        Cluster.Member host = cluster.started(Json.createObjectBuilder().add("big", big).add("q", "\"quoted\"").build());
        for (int i = 0; i < 5; i++) {
            host.replica.submit(inc("n"), null).join();
        }
        Cluster.Member late = cluster.started();
        assertThat(late.replica.view()).isEqualTo(host.replica.view());
        assertThat(late.replica.view().getString("big")).hasSize(1_500_000);
        late.replica.submit(inc("n"), null).join();
        awaitConverged();
    }

    @Test
    void malformedFrameIsAnsweredAndHostKeepsServing() throws Exception {
        Cluster.Member host = cluster.started();
        Cluster.Member c = cluster.started();
        HostRecord rec = cluster.net.record();
        List<String> received = new CopyOnWriteArrayList<>();
        Channel raw = cluster.net.node().transport().connect(rec.endpoint(), Cluster.NAME,
                java.util.Base64.getDecoder().decode(rec.secret()), new ChannelHandler() {
                    @Override
                    public void onFrame(Channel channel, String frame) {
                        received.add(frame);
                    }

                    @Override
                    public void onClose(Channel channel) {
                    }
                }, Duration.ofSeconds(1));
        raw.send("this is not json");
        raw.send("{\"t\":\"patch\",\"seq\":1}");
        raw.send("{\"t\":\"hello\"}");
        await().untilAsserted(() -> assertThat(received).hasSize(3)
                .allSatisfy(f -> assertThat(f).contains("ERR_PROTOCOL")));
        c.replica.submit(set("ok", 1), null).join();
        assertThat(host.replica.view().getInt("ok")).isEqualTo(1);
    }

    @Test
    void writerCapRefusesExtraWriter() {
        cluster.add(Json.createObjectBuilder().build(), b -> b.maxWriters(2)).replica.start();
        cluster.started();
        Cluster.Member third = cluster.add(Json.createObjectBuilder().build());
        assertThatThrownBy(() -> third.replica.start()).isInstanceOfSatisfying(MemSyncException.class,
                e -> assertThat(e.code()).isEqualTo(MemSyncException.ERR_MAX_WRITERS));
        Cluster.Member reader = cluster.add(Json.createObjectBuilder().build(), b -> b.writer(false));
        reader.replica.start();
        assertThat(reader.replica.status().role()).isEqualTo(ReplicaStatus.Role.CLIENT);
    }

    @Test
    void readerCannotWrite() {
        cluster.started();
        Cluster.Member reader = cluster.add(Json.createObjectBuilder().build(), b -> b.writer(false));
        reader.replica.start();
        assertThat(failure(reader.replica.submit(set("x", 1), null)).code()).isEqualTo(MemSyncException.ERR_READ_ONLY);
        assertThat(reader.replica.view()).isEmpty();
    }

    @Test
    void startTimesOutWithoutHost() {
        Cluster.Member m = cluster.add(Json.createObjectBuilder().build(), b -> b.timeout(Duration.ofMillis(300)));
        cluster.net.revokeLease(); // nothing held, but make every attempt fail by killing the process first
        cluster.net.crash(m.node);
        assertThatThrownBy(() -> m.replica.start()).isInstanceOfSatisfying(MemSyncException.class,
                e -> assertThat(e.code()).isEqualTo(MemSyncException.ERR_TIMEOUT));
    }

    @Test
    void startedProcessWinningLeaseRecoversFromLiveMembers() {
        Cluster.Member host = cluster.started(obj("{\"v\":1}"));
        Cluster.Member c = cluster.started();
        host.replica.submit(set("v", 2), null).join();
        await().until(() -> c.replica.status().version() == 1);
        cluster.crash(host);
        Cluster.Member fresh = cluster.add(obj("{\"v\":99}"));
        fresh.replica.start();
        awaitConverged();
        assertThat(fresh.replica.view().getInt("v")).isEqualTo(2);
    }

    @Test
    void hostWhoseLeaseIsRevokedStepsDown() {
        Cluster.Member host = cluster.started();
        Cluster.Member c = cluster.started();
        host.replica.submit(inc("n"), null).join();
        long oldTerm = host.replica.status().term();
        cluster.net.revokeLease();
        // the host steps down; whoever takes the free lease next (possibly the same process) opens a newer term
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.live().stream()
                .anyMatch(m -> m.replica.status().role() == ReplicaStatus.Role.HOST && m.replica.status().term() > oldTerm));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            long hosts = cluster.live().stream().filter(m -> m.replica.status().role() == ReplicaStatus.Role.HOST).count();
            assertThat(hosts).isEqualTo(1);
        });
        c.replica.submit(inc("n"), null).join();
        awaitConverged();
        assertThat(c.replica.view().getInt("n")).isEqualTo(2);
    }

    @Test
    void timedOutUpdateStaysPendingAndAppliesOnce() {
        Cluster.Member host = cluster.started();
        Cluster.Member c = cluster.add(Json.createObjectBuilder().build(), b -> b.timeout(Duration.ofMillis(300)));
        c.replica.start();
        host.node.delay(Duration.ofMillis(700));
        CompletableFuture<Outcome> f = c.replica.submit(inc("n"), null);
        assertThat(failure(f).code()).isEqualTo(MemSyncException.ERR_TIMEOUT);
        assertThat(c.replica.status().pendingCount()).isEqualTo(1);
        assertThat(c.replica.view().getInt("n")).isEqualTo(1);
        host.node.delay(Duration.ZERO);
        awaitConverged();
        assertThat(host.replica.view().getInt("n")).isEqualTo(1);
        assertThat(c.replica.view().getInt("n")).isEqualTo(1);
    }

    @Test
    void hungHostKeepsRoleWhileLeaseIsHeld() {
        Cluster.Member host = cluster.started();
        Cluster.Member c = cluster.started();
        host.node.delay(Duration.ofMillis(400)); // heartbeats arrive far too late: the client suspects the host
        CompletableFuture<Outcome> during = c.replica.submit(inc("n"), null);
        // it tries the lease, finds it held, and keeps following the (slow) host: no takeover, no dropped connection
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                .until(() -> c.replica.status().role() == ReplicaStatus.Role.CLIENT);
        assertThat(host.replica.status().role()).isEqualTo(ReplicaStatus.Role.HOST);
        host.node.delay(Duration.ZERO);
        during.join();
        c.replica.submit(inc("n"), null).join();
        awaitConverged();
        assertThat(host.replica.status().role()).isEqualTo(ReplicaStatus.Role.HOST);
    }

    @Test
    void clientStopWaitsForTheOutcomeOfWhatItSentThenLeaves() {
        Cluster.Member host = cluster.started();
        Cluster.Member c = cluster.started();
        host.node.delay(Duration.ofMillis(300));
        CompletableFuture<Outcome> f = c.replica.submit(inc("n"), null);
        c.replica.stop();
        // the host applied it: a stop must not report it as failed
        assertThat(f).isCompleted();
        assertThat(f.join().version()).isPositive();
        assertThat(host.replica.view().getInt("n")).isEqualTo(1);
        assertThat(failure(c.replica.submit(inc("n"), null)).code()).isEqualTo(MemSyncException.ERR_STOPPED);
        host.node.delay(Duration.ZERO);
        await().until(() -> !host.replica.hasPeers());
    }

    @Test
    void anUpdateTooLargeForAFrameIsRefusedAtSubmitAndNothingIsApplied() {
        Cluster.Member host = cluster.started();
        Cluster.Member c = cluster.add(JsonValue.EMPTY_JSON_OBJECT, o -> o.maxFrameBytes(4096));
        c.replica.start();
        CompletableFuture<Outcome> f = c.replica.submit(Update.of(obj("{\"$set\":{\"big\":\"" + "\u00e9".repeat(3000) + "\"}}")), null);
        MemSyncException e = failure(f);
        assertThat(e.code()).isEqualTo(MemSyncException.ERR_TOO_LARGE);
        assertThat(e.getMessage()).contains("4096");
        assertThat(c.replica.view().containsKey("big")).isFalse();
        assertThat(c.replica.status().pendingCount()).isZero();
        // the next update is not held behind it
        assertThat(c.replica.submit(set("small", 1), null).join().version()).isPositive();
        await().until(() -> host.replica.view().getInt("small", 0) == 1);
        assertThat(host.replica.view().containsKey("big")).isFalse();
    }

    @Test
    void anUpdateStillInFlightWhenAStopGivesUpIsOutcomeUnknownNotStopped() {
        Cluster.Member host = cluster.started();
        Cluster.Member c = cluster.add(JsonValue.EMPTY_JSON_OBJECT, o -> o.timeout(Duration.ofMillis(400)));
        c.replica.start();
        host.node.delay(Duration.ofMillis(1500)); // the outcome arrives after the stop stopped waiting for it
        CompletableFuture<Outcome> f = c.replica.submit(inc("n"), null);
        c.replica.stop();
        assertThat(failure(f).code()).isEqualTo(MemSyncException.ERR_TIMEOUT);
        assertThat(failure(f).getMessage()).contains("outcome unknown");
        host.node.delay(Duration.ZERO);
        await().until(() -> host.replica.view().getInt("n", 0) == 1); // it was applied after all
    }

    @SuppressWarnings("unused")
    private static void unused(CompletionException e) {
    }
}
