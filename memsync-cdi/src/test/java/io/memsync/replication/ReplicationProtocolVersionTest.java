package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.memsync.MemSyncException;
import io.memsync.document.JsonText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * A process that speaks another protocol version is refused by the host with {@code ERR_PROTOCOL}, and its start fails
 * with that code; the host and its members carry on. On the simulated network (one thread, simulated clock).
 */
class ReplicationProtocolVersionTest {
    private static final long MS = 1_000_000L;
    private final Simulation sim = new Simulation(7);
    private final InMemoryNetwork net = new InMemoryNetwork(sim, 7);

    private Replica replica(InMemoryNetwork.Node node, Transport transport) {
        ReplicaOptions options = ReplicaOptions.builder(Cluster.NAME).data(JsonText.parseObject("{\"n\":0}"))
                .process(node.pid, 1).heartbeatInterval(Duration.ofMillis(20)).timeout(Duration.ofSeconds(2))
                .recoveryWait(Duration.ofMillis(300)).clock(sim.wallClock()).build();
        return new Replica(options, transport, node.election(), net.liveness(), change -> { }, node.proc);
    }

    private static Throwable failure(CompletableFuture<Void> f) {
        assertThat(f).isDone();
        try {
            f.get();
            throw new AssertionError("start succeeded");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aHelloOfAnotherProtocolVersionIsRefusedAndTheStartFailsWithErrProtocol() {
        InMemoryNetwork.Node hostNode = net.node();
        Replica host = replica(hostNode, hostNode.transport());
        CompletableFuture<Void> hostStarted = host.startAsync();
        sim.runUntil(hostStarted::isDone, 5_000 * MS);
        assertThat(hostStarted).isCompleted();

        int other = FrameCodec.PROTOCOL_VERSION + 1;
        List<String> sent = new ArrayList<>();
        InMemoryNetwork.Node node = net.node();
        Replica newer = replica(node, RewritingTransport.client(node.transport(), frame -> {
            sent.add(frame);
            return frame.replace("\"pv\":" + FrameCodec.PROTOCOL_VERSION + ",", "\"pv\":" + other + ",");
        }));
        CompletableFuture<Void> started = newer.startAsync();
        sim.runUntil(started::isDone, 5_000 * MS);

        assertThat(sent).anyMatch(f -> f.startsWith("{\"t\":\"hello\""));
        assertThat(started).isCompletedExceptionally();
        Throwable e = failure(started);
        assertThat(e).isInstanceOf(MemSyncException.class);
        assertThat(((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_PROTOCOL);
        assertThat(e.getMessage()).contains("protocol version " + other).contains("(" + FrameCodec.PROTOCOL_VERSION + ")");
        sim.runFor(100 * MS);
        assertThat(newer.status().role()).isEqualTo(ReplicaStatus.Role.STOPPED);
        assertThat(host.status().role()).isEqualTo(ReplicaStatus.Role.HOST);
        assertThat(host.status().peers()).hasSize(1);
    }

    @Test
    void aHelloWithoutAProtocolVersionIsRefusedToo() {
        InMemoryNetwork.Node hostNode = net.node();
        Replica host = replica(hostNode, hostNode.transport());
        CompletableFuture<Void> hostStarted = host.startAsync();
        sim.runUntil(hostStarted::isDone, 5_000 * MS);

        InMemoryNetwork.Node node = net.node();
        Replica older = replica(node, RewritingTransport.client(node.transport(),
                frame -> frame.replace("\"pv\":" + FrameCodec.PROTOCOL_VERSION + ",", "")));
        CompletableFuture<Void> started = older.startAsync();
        sim.runUntil(started::isDone, 5_000 * MS);

        Throwable e = failure(started);
        assertThat(((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_PROTOCOL);
        assertThat(e.getMessage()).contains("no protocol version");
        assertThat(host.status().role()).isEqualTo(ReplicaStatus.Role.HOST);
    }
}
