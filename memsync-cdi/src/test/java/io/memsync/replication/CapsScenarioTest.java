package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memsync.MemSyncException;
import io.memsync.Update;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Caps on what waits (issue 13, item 4): relays whose provider never answers, updates waiting for a host. */
class CapsScenarioTest {
    private final Cluster cluster = new Cluster(4);

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static MemSyncException failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (MemSyncException) e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void aRelayWhoseProviderNeverAnswersTimesOutAtTheHost() throws Exception {
        Cluster.Member host = cluster.add(JsonValue.EMPTY_JSON_OBJECT, b -> b.timeout(Duration.ofMillis(500)));
        host.replica.start();
        Cluster.Member provider = cluster.add(JsonValue.EMPTY_JSON_OBJECT, b -> b.rpcNames(Set.of("never")));
        provider.events.rpc = (method, args) -> new CompletableFuture<>(); // never answers
        provider.replica.start();
        Cluster.Member caller = cluster.add(JsonValue.EMPTY_JSON_OBJECT, b -> b.timeout(Duration.ofSeconds(30)));
        caller.replica.start();
        await().until(() -> provider.replica.status().role() == ReplicaStatus.Role.CLIENT);
        MemSyncException e = failure(caller.replica.call("never", JsonValue.EMPTY_JSON_ARRAY));
        assertThat(e.code()).isEqualTo(MemSyncException.ERR_TIMEOUT);
        assertThat(e.getMessage()).contains("'never'").contains("did not answer within");
        await().until(() -> host.replica.messaging.relaysInFlight() == 0);
    }

    @Test
    void updatesWaitingForAHostAreBoundedWithBusy() throws Exception {
        cluster.started();
        Cluster.Member client = cluster.add(JsonValue.EMPTY_JSON_OBJECT, b -> b.timeout(Duration.ofMinutes(5)));
        client.replica.start();
        client.node.refuseConnects = true;
        cluster.net.disconnect(client.node);
        await().until(() -> client.replica.status().role() != ReplicaStatus.Role.CLIENT);
        Update inc = Update.of(Json.createObjectBuilder().add("$inc", Json.createObjectBuilder().add("n", 1)).build());
        List<CompletableFuture<Outcome>> waiting = new ArrayList<>();
        for (int i = 0; i < LocalUpdates.MAX_PENDING; i++) {
            waiting.add(client.replica.submit(inc, null));
        }
        MemSyncException e = failure(client.replica.submit(inc, null));
        assertThat(e.code()).isEqualTo(MemSyncException.ERR_BUSY);
        assertThat(e.getMessage()).contains(LocalUpdates.MAX_PENDING + " updates waiting");
        assertThat(client.replica.status().pendingCount()).isEqualTo(LocalUpdates.MAX_PENDING);
        assertThat(waiting).allMatch(f -> !f.isDone(), "still waiting (none was dropped)");
    }
}
