package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.memsync.MemSyncException;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events, RPC calls and RPC results larger than a frame (issue 13): refused at the sender with {@code ERR_TOO_LARGE}
 * naming the size and the limit, in both directions, on an in-memory network that drops frames over 64 KiB as a
 * WebSocket peer does. A call fails at once, a too-large result fails the caller's call (not a timeout).
 */
class MessageLimitScenarioTest {
    private static final int FRAME = 64 * 1024;
    private static final String BIG = "x\"é".repeat(30_000); // about 120 KB as a frame
    private static final String LIMIT = "over the limit of " + (FRAME - MessageFrames.RELAY_MARGIN) + " bytes";
    private final Cluster cluster = new Cluster(11);

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private Cluster.Member member(Set<String> rpc) {
        Cluster.Member m = cluster.add(JsonValue.EMPTY_JSON_OBJECT, b -> b.maxFrameBytes(FRAME).rpcNames(rpc)
                .timeout(Duration.ofMinutes(5)));
        m.events.rpc = (method, args) -> CompletableFuture.completedFuture(
                method.endsWith("big") ? Json.createValue(BIG) : Json.createValue("small"));
        m.replica.start();
        return m;
    }

    private static MemSyncException failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (MemSyncException) e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void eventsLargerThanAFrameAreRefusedAtEmitOnHostAndClient() {
        cluster.net.maxFrameBytes = FRAME;
        Cluster.Member host = member(Set.of());
        Cluster.Member client = member(Set.of());
        await().until(() -> client.replica.status().role() == ReplicaStatus.Role.CLIENT);
        for (Cluster.Member m : new Cluster.Member[] {host, client}) {
            assertThatThrownBy(() -> m.replica.emit("huge", Json.createValue(BIG)))
                    .isInstanceOfSatisfying(MemSyncException.class, e -> assertThat(e.code())
                            .isEqualTo(MemSyncException.ERR_TOO_LARGE))
                    .hasMessageContaining("event 'huge'").hasMessageContaining(LIMIT).hasMessageMatching("(?s).* is \\d+ bytes.*");
        }
        // nothing of the refused events went out; a small one after them reaches both
        assertThat(client.replica.emit("small", Json.createValue("ok"))).isTrue();
        await().untilAsserted(() -> {
            assertThat(host.events.eventNames).containsExactly("small");
            assertThat(client.events.eventNames).containsExactly("small");
        });
        assertThat(cluster.net.oversized.get()).isZero();
    }

    @Test
    void callsLargerThanAFrameFailAtOnce() throws Exception {
        cluster.net.maxFrameBytes = FRAME;
        Cluster.Member host = member(Set.of("small"));
        Cluster.Member client = member(Set.of("small"));
        await().until(() -> client.replica.status().role() == ReplicaStatus.Role.CLIENT);
        for (Cluster.Member m : new Cluster.Member[] {host, client}) {
            CompletableFuture<JsonValue> f = m.replica.call("small", Json.createArrayBuilder().add(BIG).build());
            assertThat(f).isCompletedExceptionally(); // at once, not after the 5 minute timeout
            MemSyncException e = failure(f);
            assertThat(e.code()).isEqualTo(MemSyncException.ERR_TOO_LARGE);
            assertThat(e.getMessage()).contains("RPC call 'small'").contains(LIMIT);
        }
        assertThat(cluster.net.oversized.get()).isZero();
    }

    @Test
    void aResultLargerThanAFrameFailsTheCallerWithTooLargeBothWays() throws Exception {
        cluster.net.maxFrameBytes = FRAME;
        Cluster.Member host = member(Set.of("hostbig"));
        await().until(() -> host.replica.status().role() == ReplicaStatus.Role.HOST);
        Cluster.Member provider = member(Set.of("big", "small"));
        Cluster.Member caller = member(Set.of());
        await().until(() -> provider.replica.status().role() == ReplicaStatus.Role.CLIENT
                && caller.replica.status().role() == ReplicaStatus.Role.CLIENT);
        // a client calls: the host serves it, its result is too large for the frame back
        MemSyncException fromHost = failure(caller.replica.call("hostbig", JsonValue.EMPTY_JSON_ARRAY));
        assertThat(fromHost.code()).isEqualTo(MemSyncException.ERR_TOO_LARGE);
        assertThat(fromHost.getMessage()).contains("result of RPC method 'hostbig'").contains(LIMIT);
        // the host calls: a client serves it, its result is too large for the frame to the host
        MemSyncException fromClient = failure(host.replica.call("big", JsonValue.EMPTY_JSON_ARRAY));
        assertThat(fromClient.code()).isEqualTo(MemSyncException.ERR_TOO_LARGE);
        assertThat(fromClient.getMessage()).contains("result of RPC method 'big'").contains(LIMIT);
        assertThat(cluster.net.oversized.get()).isZero();
        // relayed through the host too, and small results still travel
        MemSyncException relayed = failure(caller.replica.call("big", JsonValue.EMPTY_JSON_ARRAY));
        assertThat(relayed.code()).isEqualTo(MemSyncException.ERR_TOO_LARGE);
        assertThat(caller.replica.call("small", JsonValue.EMPTY_JSON_ARRAY).get(60, TimeUnit.SECONDS))
                .isEqualTo(Json.createValue("small"));
    }
}
