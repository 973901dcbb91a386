package io.memsync.replication;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Test helper: replicas on one {@link InMemoryNetwork}. */
final class Cluster implements AutoCloseable {
    static final String NAME = "doc";
    final InMemoryNetwork net;
    final List<Member> members = new ArrayList<>();

    Cluster(long seed) {
        net = new InMemoryNetwork(seed);
    }

    Member add(JsonObject data) {
        return add(data, b -> { });
    }

    Member add(JsonObject data, Consumer<ReplicaOptions.Builder> custom) {
        InMemoryNetwork.Node node = net.node();
        ReplicaOptions.Builder b = ReplicaOptions.builder(NAME).data(data).process(node.pid, 1)
                .heartbeatInterval(Duration.ofMillis(20)).timeout(Duration.ofSeconds(5))
                .recoveryWait(Duration.ofMillis(300));
        custom.accept(b);
        Recorder rec = new Recorder();
        Member m = new Member(node, new Replica(b.build(), node.transport(), node.election(), net.liveness(), rec), rec);
        members.add(m);
        return m;
    }

    Member started(JsonObject data) {
        Member m = add(data);
        m.replica.start();
        return m;
    }

    Member started() {
        return started(JsonValue.EMPTY_JSON_OBJECT);
    }

    void crash(Member m) {
        net.crash(m.node);
        m.replica.kill();
        m.crashed = true;
    }

    List<Member> live() {
        return members.stream().filter(m -> !m.crashed && m.replica.status().role() != ReplicaStatus.Role.STOPPED).toList();
    }

    @Override
    public void close() {
        for (Member m : members) {
            m.replica.kill();
        }
        net.close();
    }

    /** A replica with its simulated process and recorded events. */
    static final class Member {
        final InMemoryNetwork.Node node;
        final Replica replica;
        final Recorder events;
        volatile boolean crashed;

        Member(InMemoryNetwork.Node node, Replica replica, Recorder events) {
            this.node = node;
            this.replica = replica;
            this.events = events;
        }
    }

    /** Records listener calls and checks they are never concurrent. */
    static final class Recorder implements ReplicaListener {
        final List<ViewChange> changes = new CopyOnWriteArrayList<>();
        final List<ReplicaStatus> roles = new CopyOnWriteArrayList<>();
        private volatile boolean inside;
        volatile boolean overlapped;
        /** Serves RPC calls when set. */
        volatile java.util.function.BiFunction<String, jakarta.json.JsonArray,
                java.util.concurrent.CompletionStage<jakarta.json.JsonValue>> rpc;

        @Override
        public java.util.concurrent.CompletionStage<jakarta.json.JsonValue> invoke(String method, jakarta.json.JsonArray args) {
            var r = rpc;
            return r != null ? r.apply(method, args) : ReplicaListener.super.invoke(method, args);
        }

        /** The names of the events delivered. */
        final List<String> eventNames = new CopyOnWriteArrayList<>();

        @Override
        public void event(String event, jakarta.json.JsonValue payload, boolean local) {
            eventNames.add(event);
        }

        @Override
        public void viewChanged(ViewChange change) {
            if (inside) {
                overlapped = true;
            }
            inside = true;
            changes.add(change);
            inside = false;
        }

        @Override
        public void roleChanged(ReplicaStatus status) {
            roles.add(status);
        }
    }
}
