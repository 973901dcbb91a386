package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.memsync.Update;
import io.memsync.document.JsonText;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The pending counts between processes that do not all report them, on the simulated network (one thread, simulated
 * clock): a client of a build before the report (acknowledgements without {@code pending}), a host of such a build
 * (heartbeats and welcomes without {@code pp}), and a client whose hello carries a count no decoder accepts when it is
 * passed on. The frames are rewritten on the wire as such a process would send them.
 */
class PendingReportCompatibilityTest {
    private static final long MS = 1_000_000L;
    private final Simulation sim = new Simulation(11);
    private final InMemoryNetwork net = new InMemoryNetwork(sim, 11);

    private Replica start(InMemoryNetwork.Node node, Transport transport, String data) {
        ReplicaOptions options = ReplicaOptions.builder(Cluster.NAME).data(JsonText.parseObject(data))
                .process(node.pid, 1).heartbeatInterval(Duration.ofMillis(20)).timeout(Duration.ofSeconds(2))
                .recoveryWait(Duration.ofMillis(300)).clock(sim.wallClock()).build();
        Replica r = new Replica(options, transport, node.election(), net.liveness(), change -> { }, node.proc);
        CompletableFuture<Void> started = r.startAsync();
        sim.runUntil(started::isDone, 5_000 * MS);
        assertThat(started).as("start of " + node.pid).isCompleted();
        return r;
    }

    private Replica start(String data) {
        InMemoryNetwork.Node node = net.node();
        return start(node, node.transport(), data);
    }

    /** The pending count of {@code member} as {@code seenBy}'s status shows it ({@code null} when not listed). */
    private static Integer pendingOf(Replica seenBy, Replica member) {
        ReplicaStatus s = seenBy.status();
        int i = s.peers().indexOf(member.status().peerId());
        return i < 0 || i >= s.peersPending().size() ? null : s.peersPending().get(i);
    }

    @Test
    void aClientThatDoesNotReportIsUnknownToEveryMemberAndTheOthersAreStillKnown() {
        Replica host = start("{\"n\":0}");
        Replica current = start("{}");
        InMemoryNetwork.Node node = net.node();
        // a build before the report: its acknowledgements carry no "pending"
        Replica older = start(node, RewritingTransport.client(node.transport(),
                f -> f.replaceFirst("^(\\{\"t\":\"ack\",\"v\":\\d+),\"pending\":\\d+}$", "$1}")), "{}");

        sim.runUntil(() -> Integer.valueOf(-1).equals(pendingOf(host, older))
                && Integer.valueOf(-1).equals(pendingOf(current, older)), 1_000 * MS);
        assertThat(pendingOf(host, older)).as("unknown once it acknowledged without a count").isEqualTo(-1);
        assertThat(pendingOf(current, older)).as("passed on as unknown").isEqualTo(-1);
        assertThat(pendingOf(older, current)).as("the reporting client's count still reaches everyone").isZero();
        assertThat(pendingOf(host, current)).isZero();

        CompletableFuture<Outcome> done = older.submit(Update.of(JsonText.parseObject("{\"$inc\":{\"n\":1}}")), null);
        sim.runUntil(done::isDone, 1_000 * MS);
        assertThat(done).isCompleted();
        assertThat(pendingOf(host, older)).isEqualTo(-1);
    }

    @Test
    void underAHostThatDoesNotPassCountsOnEveryOtherMemberIsUnknownAndTheOwnCountIsCurrent() {
        InMemoryNetwork.Node hostNode = net.node();
        // a host of a build before the report: its heartbeats and welcomes carry no "pp"
        Replica host = start(hostNode, RewritingTransport.host(hostNode.transport(),
                f -> f.replaceFirst(",\"pp\":\\[[-0-9,]*]}$", "}")), "{\"n\":0}");
        Replica client = start("{}");
        Replica other = start("{}");
        sim.runUntil(() -> other.status().peers().contains(client.status().peerId())
                && client.status().peers().contains(other.status().peerId()), 1_000 * MS);

        assertThat(host.status().peersPending()).as("the host itself knows them").containsOnly(0);
        assertThat(client.status().peers()).hasSize(3);
        assertThat(client.status().peersPending()).as("nothing heard: none known").isEmpty();
        assertThat(pendingOf(client, other)).isNull();
        assertThat(client.status().pendingCount()).isZero();
    }

    @Test
    void aNegativeCountInAHelloIsPassedOnAsUnknownSoTheFramesCarryingItStillDecode() {
        Replica host = start("{\"n\":0}");
        Replica member = start("{}");
        InMemoryNetwork.Node node = net.node();
        // a hello from a process that sends what no build sends: the host must not pass it on to every member
        Replica odd = start(node, RewritingTransport.client(node.transport(),
                f -> f.startsWith("{\"t\":\"hello\"") ? f.replaceFirst(",\"pending\":0,", ",\"pending\":-5,") : f), "{}");

        assertThat(odd.status().role()).as("its welcome decoded").isEqualTo(ReplicaStatus.Role.CLIENT);
        sim.runUntil(() -> member.status().peers().contains(odd.status().peerId()), 1_000 * MS);
        assertThat(member.status().peers()).as("the member's heartbeats still decode").contains(odd.status().peerId());
        assertThat(pendingOf(member, odd)).isIn(-1, 0);
        assertThat(host.status().peersPending()).allMatch(n -> n >= -1);
    }
}
