package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.memsync.Update;
import io.memsync.document.JsonText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, on the simulated network (one thread, simulated clock; a paused process reads nothing, so what the host
 * sends it piles up as its backlog): the cap on updates a recovering host holds, and a client cut off by its send
 * budget that comes back and catches up by snapshot.
 */
class HoldAndBudgetScenarioTest {
    private static final long MS = 1_000_000L;
    private final Simulation sim = new Simulation(13);
    private final InMemoryNetwork net = new InMemoryNetwork(sim, 13);
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(Replica.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                warnings.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private record Proc(InMemoryNetwork.Node node, Replica replica, CompletableFuture<Void> start) {
    }

    @BeforeEach
    void listen() {
        logger.addHandler(handler);
    }

    @AfterEach
    void tearDown() {
        logger.removeHandler(handler);
        net.close();
    }

    private Proc proc(String data, Consumer<ReplicaOptions.Builder> custom) {
        InMemoryNetwork.Node node = net.node();
        ReplicaOptions.Builder b = ReplicaOptions.builder(Cluster.NAME).data(JsonText.parseObject(data))
                .process(node.pid, 1).heartbeatInterval(Duration.ofMillis(20)).timeout(Duration.ofMinutes(10))
                .recoveryWait(Duration.ofMillis(300)).clock(sim.wallClock());
        custom.accept(b);
        Replica r = new Replica(b.build(), node.transport(), node.election(), net.liveness(), change -> { }, node.proc);
        return new Proc(node, r, r.startAsync());
    }

    private Proc start(String data, Consumer<ReplicaOptions.Builder> custom) {
        Proc p = proc(data, custom);
        sim.runUntil(p.start::isDone, 5_000 * MS);
        assertThat(p.start).isCompleted();
        return p;
    }

    private static Update inc(String path) {
        return Update.of(JsonText.parseObject("{\"$inc\":{\"" + path + "\":1}}"));
    }

    @Test
    void aRecoveringHostHoldsAtMostItsCapOfUpdatesThenDisconnectsTheSenderWhoseUpdatesStayPendingAndApplyLater() {
        Proc a = start("{\"v\":1}", b -> { });
        Proc b = start("{}", o -> { });
        Proc c = start("{}", o -> { });
        c.node().proc.pause(); // alive but silent: the next host waits for it
        net.crash(a.node());
        a.replica().kill();
        sim.runUntil(() -> b.replica().status().role() == ReplicaStatus.Role.HOST, 5_000 * MS);
        assertThat(b.replica().status().role()).isEqualTo(ReplicaStatus.Role.HOST);
        // a new process joins during that recovery and sends one update more than the host holds
        Proc d = proc("{}", o -> { });
        sim.runUntil(() -> !d.node().pipes.isEmpty(), 1_000 * MS);
        List<CompletableFuture<Outcome>> fs = new ArrayList<>();
        for (int i = 0; i <= HostRecovery.MAX_HELD; i++) {
            fs.add(d.replica().submit(inc("d"), null));
        }
        sim.runUntil(() -> warnings.stream().anyMatch(w -> w.contains(HostRecovery.MAX_HELD
                + " updates wait for the end of recovery already")), 5_000 * MS);
        assertThat(warnings).anyMatch(w -> w.contains("disconnected") && w.contains(HostRecovery.MAX_HELD + " updates"));
        assertThat(fs).noneMatch(CompletableFuture::isDone); // back-pressure: nothing failed, nothing lost
        assertThat(d.replica().status().pendingCount()).isEqualTo(HostRecovery.MAX_HELD + 1);
        // recovery ends: every update of d applies exactly once
        c.node().proc.resume();
        sim.runUntil(() -> fs.stream().allMatch(CompletableFuture::isDone), 60_000 * MS);
        assertThat(fs).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(b.replica().view().getInt("d")).isEqualTo(HostRecovery.MAX_HELD + 1);
    }

    @Test
    void aClientCutOffByItsSendBudgetComesBackAndCatchesUpBySnapshot() {
        SendBudget budget = new SendBudget(256 * 1024, 100_000);
        Proc host = start("{\"n\":0}", o -> o.sendBudget(budget));
        Proc client = start("{}", o -> o.sendBudget(budget));
        CompletableFuture<Outcome> first = client.replica().submit(inc("n"), null);
        sim.runUntil(first::isDone, 5_000 * MS);
        long seen = client.replica().status().version();
        client.node().proc.pause(); // stops reading: what the host sends it piles up
        String value = "v".repeat(200);
        List<CompletableFuture<Outcome>> fs = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            fs.add(host.replica().submit(Update.of(JsonText.parseObject("{\"$set\":{\"k" + (i % 50) + "\":\"" + value
                    + i + "\"}}")), null));
        }
        sim.runUntil(() -> fs.stream().allMatch(CompletableFuture::isDone), 60_000 * MS);
        assertThat(fs).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        // the host cut it off at its budget and compacted its log past what it had
        sim.runUntil(() -> host.replica().state.log.base() > seen, 5_000 * MS);
        assertThat(warnings).anyMatch(w -> w.contains("past its send budget of ") && w.contains("it catches up when it reconnects"));
        assertThat(host.replica().state.log.base()).isGreaterThan(seen);
        // it runs again: it reconnects and gets the state it missed as a snapshot, then keeps writing
        client.node().proc.resume();
        sim.runUntil(() -> client.replica().status().role() == ReplicaStatus.Role.CLIENT
                && client.replica().view().equals(host.replica().view()), 30_000 * MS);
        assertThat(client.replica().view()).isEqualTo(host.replica().view());
        assertThat(client.replica().status().version()).isEqualTo(host.replica().status().version());
        CompletableFuture<Outcome> after = client.replica().submit(inc("n"), null);
        sim.runUntil(after::isDone, 5_000 * MS);
        assertThat(after).isCompleted();
        assertThat(host.replica().view().getInt("n")).isEqualTo(2);
    }
}
