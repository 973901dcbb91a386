package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.memsync.MemSyncException;
import io.memsync.Update;
import io.memsync.document.JsonText;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Failover cases with paused processes, on the simulated network (one thread, simulated clock), so each runs the
 * same every time: a new host never opens without a live member of the old term, however long it is paused.
 */
class RecoveryScenarioTest {
    private static final long MS = 1_000_000L;
    private final Simulation sim = new Simulation(42);
    private final InMemoryNetwork net = new InMemoryNetwork(sim, 42);

    /** A replica of one simulated process. */
    private record Proc(InMemoryNetwork.Node node, Replica replica, CompletableFuture<Void> start) {
        ReplicaStatus status() {
            return replica.status();
        }
    }

    private Proc start(String data) {
        InMemoryNetwork.Node node = net.node();
        ReplicaOptions options = ReplicaOptions.builder(Cluster.NAME).data(JsonText.parseObject(data))
                .process(node.pid, 1).heartbeatInterval(Duration.ofMillis(20)).timeout(Duration.ofSeconds(30))
                .recoveryWait(Duration.ofMillis(300)).clock(sim.wallClock()).build();
        Replica r = new Replica(options, node.transport(), node.election(), net.liveness(), change -> { }, node.proc);
        Proc p = new Proc(node, r, r.startAsync());
        sim.runUntil(p.start::isDone, 5_000 * MS);
        return p;
    }

    private CompletableFuture<Outcome> inc(Proc p, String path) {
        return p.replica().submit(Update.of(JsonText.parseObject("{\"$inc\":{\"" + path + "\":1}}")), null);
    }

    private void crash(Proc p) {
        net.crash(p.node());
        p.replica().kill();
    }

    @Test
    void aNewHostWaitsForAPausedMemberInsteadOfOpeningWithItsOwnStartingData() {
        Proc host = start("{\"n\":0}");
        Proc c1 = start("{}");
        for (int i = 0; i < 50; i++) {
            CompletableFuture<Outcome> f = inc(c1, "n");
            sim.runUntil(f::isDone, 5_000 * MS);
            assertThat(f).isCompleted();
        }
        c1.node().proc.pause();
        crash(host);
        InMemoryNetwork.Node node = net.node();
        ReplicaOptions options = ReplicaOptions.builder(Cluster.NAME).data(JsonText.parseObject("{\"fresh\":true}"))
                .process(node.pid, 1).heartbeatInterval(Duration.ofMillis(20)).timeout(Duration.ofSeconds(30))
                .recoveryWait(Duration.ofMillis(300)).clock(sim.wallClock()).build();
        Replica r3 = new Replica(options, node.transport(), node.election(), net.liveness(), change -> { }, node.proc);
        CompletableFuture<Void> started = r3.startAsync();
        // ten recovery waits later the paused member still holds the document: the new host still waits
        sim.runFor(3_000 * MS);
        assertThat(r3.status().role()).isEqualTo(ReplicaStatus.Role.HOST);
        assertThat(started).isNotDone();
        assertThat(r3.view().containsKey("fresh")).isFalse();
        CompletableFuture<Outcome> waiting = r3.submit(Update.of(JsonText.parseObject("{\"$set\":{\"x\":1}}")), null);
        sim.runFor(100 * MS);
        assertThat(waiting).isNotDone(); // writes wait, they are not refused
        c1.node().proc.resume();
        sim.runUntil(() -> started.isDone() && waiting.isDone(), 5_000 * MS);
        assertThat(started).isCompleted();
        assertThat(waiting.join().version()).isEqualTo(51);
        sim.runUntil(() -> c1.replica().view().equals(r3.view()), 5_000 * MS);
        assertThat(r3.view().getInt("n")).isEqualTo(50);
        assertThat(r3.view().containsKey("fresh")).isFalse();
        assertThat(c1.replica().view()).isEqualTo(r3.view());
    }

    @Test
    void whenEveryHolderOfTheDocumentIsGoneTheNewHostOpensWithItsOwnDataAndSaysSo() {
        Proc host = start("{\"n\":0}");
        Proc c1 = start("{}");
        CompletableFuture<Outcome> f = inc(c1, "n");
        sim.runUntil(f::isDone, 5_000 * MS);
        c1.node().proc.pause();
        crash(host);
        crash(c1);
        Proc c3 = start("{\"fresh\":true}");
        assertThat(c3.start()).isCompleted();
        assertThat(c3.replica().view()).isEqualTo(JsonText.parseObject("{\"fresh\":true}"));
    }

    @Test
    void patchesSentRightAfterAHelloThatWaitsForRecoveryWaitWithItAndApply() {
        Proc a = start("{\"v\":1}");
        Proc b = start("{}");
        Proc c = start("{}");
        c.node().proc.pause(); // alive but silent: the next host waits for it
        crash(a);
        sim.runUntil(() -> b.status().role() == ReplicaStatus.Role.HOST, 5_000 * MS);
        assertThat(b.status().role()).isEqualTo(ReplicaStatus.Role.HOST);
        // a process the old term did not know joins during that recovery: its hello waits until recovery ends,
        // and the patch it sends right behind the hello must wait with it, not be refused as "before hello"
        InMemoryNetwork.Node node = net.node();
        ReplicaOptions options = ReplicaOptions.builder(Cluster.NAME).data(JsonText.parseObject("{}"))
                .process(node.pid, 1).heartbeatInterval(Duration.ofMillis(20)).timeout(Duration.ofSeconds(30))
                .clock(sim.wallClock()).build();
        Replica d = new Replica(options, node.transport(), node.election(), net.liveness(), change -> { }, node.proc);
        CompletableFuture<Void> dStarted = d.startAsync();
        sim.runUntil(() -> !node.pipes.isEmpty(), 1_000 * MS); // connected to the recovering host
        CompletableFuture<Outcome> set = d.submit(Update.of(JsonText.parseObject("{\"$set\":{\"d\":1}}")), null);
        sim.runFor(500 * MS);
        assertThat(set).isNotDone();
        c.node().proc.resume();
        sim.runUntil(() -> set.isDone() && b.replica().view().getInt("d", 0) == 1, 5_000 * MS);
        assertThat(dStarted).isCompleted();
        assertThat(set.join().version()).isPositive();
        assertThat(b.replica().view().getInt("d")).isEqualTo(1);
    }

    @Test
    void aStopThatFindsTheHostGoneReportsSentUpdatesAsOutcomeUnknown() {
        Proc host = start("{}");
        Proc c = start("{}");
        host.node().proc.pause(); // the host never answers
        CompletableFuture<Outcome> f = inc(c, "n");
        sim.runFor(10 * MS);
        CompletableFuture<Void> stopped = c.replica().stopAsync();
        sim.runUntil(stopped::isDone, 60_000 * MS);
        assertThat(stopped).isCompleted();
        assertThat(f).isCompletedExceptionally();
        MemSyncException e = (MemSyncException) f.handle((v, x) -> x instanceof CompletionException ce ? ce.getCause() : x)
                .join();
        assertThat(e.code()).isEqualTo(MemSyncException.ERR_TIMEOUT);
        assertThat(e.getMessage()).contains("outcome unknown");
    }
}
