package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.memsync.Update;
import io.memsync.document.JsonText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The pending counts every member reports to the host (with its acknowledgements) and the host passes on (with its
 * heartbeats and welcomes), on the simulated network (one thread, simulated clock), so each case runs the same every
 * time. A client's updates stay pending for as long as a new host recovers (writes wait, they are not refused): the
 * host's view of that client's count follows the client's own, up while they wait and back to 0 once they are ordered.
 */
class PendingReportScenarioTest {
    private static final long MS = 1_000_000L;
    private final Simulation sim = new Simulation(7);
    private final InMemoryNetwork net = new InMemoryNetwork(sim, 7);

    /** A replica of one simulated process. */
    private record Proc(InMemoryNetwork.Node node, Replica replica) {
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
        CompletableFuture<Void> started = r.startAsync();
        sim.runUntil(started::isDone, 5_000 * MS);
        assertThat(started).isCompleted();
        return new Proc(node, r);
    }

    /** The pending count of {@code member} as {@code seenBy}'s status shows it ({@code null} when not listed). */
    private static Integer pendingOf(Proc seenBy, Proc member) {
        ReplicaStatus s = seenBy.status();
        int i = s.peers().indexOf(member.status().peerId());
        return i < 0 || i >= s.peersPending().size() ? null : s.peersPending().get(i);
    }

    @Test
    void theHostSeesAClientsPendingUpdatesWhileTheyWaitAndZeroOnceTheyAreOrdered() {
        Proc first = start("{\"n\":0}");
        Proc b = start("{}");
        Proc c = start("{}");
        Proc paused = start("{}");
        // while all goes well every count is 0, and every member knows every other's
        sim.runFor(100 * MS);
        assertThat(pendingOf(first, b)).isZero();
        assertThat(pendingOf(c, b)).as("passed on by the host's heartbeat").isZero();

        paused.node().proc.pause(); // alive but silent: the next host waits for it before it opens for writes
        net.crash(first.node());
        first.replica().kill();
        sim.runUntil(() -> b.status().role() == ReplicaStatus.Role.HOST || c.status().role() == ReplicaStatus.Role.HOST,
                5_000 * MS);
        Proc host = b.status().role() == ReplicaStatus.Role.HOST ? b : c;
        Proc client = host == b ? c : b;
        assertThat(host.status().recovering()).isTrue();
        sim.runUntil(() -> pendingOf(host, client) != null && pendingOf(host, client) == 0, 1_000 * MS);
        assertThat(pendingOf(host, client)).as("the client is back and reported").isZero();

        List<CompletableFuture<Outcome>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(client.replica().submit(Update.of(JsonText.parseObject("{\"$inc\":{\"n\":1}}")), null));
        }
        sim.runUntil(() -> Integer.valueOf(3).equals(pendingOf(host, client)) && Integer.valueOf(3).equals(pendingOf(client, client)),
                1_000 * MS);
        assertThat(client.status().pendingCount()).isEqualTo(3);
        assertThat(pendingOf(host, client)).as("the host's view of the client's count").isEqualTo(3);
        assertThat(pendingOf(client, client)).as("and the client hears it back with the heartbeat").isEqualTo(3);
        assertThat(pendingOf(host, paused)).as("a member that has not reported to this host").isEqualTo(-1);
        assertThat(waiting).noneMatch(CompletableFuture::isDone);

        paused.node().proc.resume(); // it reports, recovery ends, the held updates are ordered
        sim.runUntil(() -> waiting.stream().allMatch(CompletableFuture::isDone) && Integer.valueOf(0).equals(pendingOf(host, client)),
                5_000 * MS);
        assertThat(waiting).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(client.status().pendingCount()).isZero();
        assertThat(pendingOf(host, client)).as("back to 0 with the next acknowledgement").isZero();
        sim.runUntil(() -> Integer.valueOf(0).equals(pendingOf(paused, client)), 1_000 * MS);
        assertThat(pendingOf(paused, client)).isZero();
    }
}
