package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.memsync.document.JsonText;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How a client looks for a host after losing its own, on the simulated network (one thread, simulated clock): it
 * does not connect to a host whose process died (the record still names it until a successor publishes), and it
 * does reconnect to a host that is alive when only the connection broke.
 */
class HostSearchScenarioTest {
    private static final long MS = 1_000_000L;
    private final Simulation sim = new Simulation(7);
    private final InMemoryNetwork net = new InMemoryNetwork(sim, 7);

    private record Proc(InMemoryNetwork.Node node, Replica replica, CompletableFuture<Void> start) {
        ReplicaStatus status() {
            return replica.status();
        }
    }

    private Proc start(String data, boolean joinOnly) {
        InMemoryNetwork.Node node = net.node();
        ReplicaOptions options = ReplicaOptions.builder(Cluster.NAME).data(JsonText.parseObject(data))
                .process(node.pid, 1).heartbeatInterval(Duration.ofMillis(20)).timeout(Duration.ofSeconds(30))
                .recoveryWait(Duration.ofMillis(300)).joinOnly(joinOnly).clock(sim.wallClock()).build();
        Replica r = new Replica(options, node.transport(), node.election(), net.liveness(), change -> { }, node.proc);
        Proc p = new Proc(node, r, r.startAsync());
        sim.runUntil(p.start::isDone, 5_000 * MS);
        assertThat(p.start).isCompleted();
        return p;
    }

    private int attempts(String endpoint) {
        AtomicInteger n = net.connectAttempts.get(endpoint);
        return n == null ? 0 : n.get();
    }

    @Test
    void aClientWaitsForTheSuccessorInsteadOfConnectingToItsDeadHost() {
        Proc host = start("{\"n\":0}", false);
        Proc client = start("{}", true); // join-only: it never takes the lease, so the dead host's record stays a while
        String deadEndpoint = net.published().getLast().endpoint();
        int before = attempts(deadEndpoint);
        net.crash(host.node());
        host.replica().kill();
        sim.runUntil(() -> client.status().role() == ReplicaStatus.Role.CONNECTING, 1_000 * MS);
        sim.runFor(50 * MS); // the record names the dead host all this time: the client polls, it does not connect
        Proc successor = start("{}", false);
        sim.runUntil(() -> client.status().role() == ReplicaStatus.Role.CLIENT
                && client.status().term() == successor.status().term(), 5_000 * MS);
        assertThat(client.status().role()).isEqualTo(ReplicaStatus.Role.CLIENT);
        assertThat(client.status().term()).isEqualTo(successor.status().term()).isGreaterThan(1);
        assertThat(attempts(deadEndpoint) - before).as("connects to the dead host's endpoint").isZero();
        assertThat(client.replica().view().getInt("n")).isZero();
    }

    @Test
    void aClientReconnectsToItsHostWhenOnlyTheConnectionBroke() {
        Proc host = start("{\"n\":0}", false);
        Proc client = start("{}", false);
        String endpoint = net.published().getLast().endpoint();
        long term = host.status().term();
        int before = attempts(endpoint);
        net.disconnect(client.node());
        sim.runUntil(() -> client.status().role() == ReplicaStatus.Role.CONNECTING, 1_000 * MS);
        // at once: not after the 2 s during which a dead host's record is only re-read
        assertThat(sim.runUntil(() -> client.status().role() == ReplicaStatus.Role.CLIENT, 200 * MS))
                .as("reconnected within 200 ms").isTrue();
        assertThat(client.status().term()).isEqualTo(term);
        assertThat(attempts(endpoint) - before).as("connects to the live host").isPositive();
    }

    @Test
    void withNoSuccessorTheClientTriesTheRecordedHostAgainAfterTwoSeconds() {
        Proc host = start("{\"n\":0}", false);
        Proc client = start("{}", true); // join-only: nobody takes over
        String deadEndpoint = net.published().getLast().endpoint();
        int before = attempts(deadEndpoint);
        net.crash(host.node());
        host.replica().kill();
        sim.runFor(1_900 * MS);
        assertThat(attempts(deadEndpoint) - before).as("connects within the first 1.9 s").isZero();
        sim.runFor(600 * MS);
        assertThat(attempts(deadEndpoint) - before).as("connects once the 2 s are over").isPositive();
        assertThat(client.status().role()).isEqualTo(ReplicaStatus.Role.CONNECTING);
    }
}
