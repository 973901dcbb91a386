package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memsync.MemSyncException;
import io.memsync.Update;
import io.memsync.document.Limits;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Update limits end to end on the in-memory network: refused at submit, and again by the host (issue 13, item 1). */
class UpdateLimitsScenarioTest {
    private final Cluster cluster = new Cluster(13);

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static Update copyBomb() {
        JsonArrayBuilder ops = Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("op", "add").add("path", "/a")
                        .add("value", Json.createObjectBuilder().add("x", "y".repeat(90))));
        for (int i = 0; i < 26; i++) {
            ops.add(Json.createObjectBuilder().add("op", "copy").add("from", "/a").add("path", "/a/c" + i));
        }
        return Update.jsonPatch(ops.build());
    }

    private static MemSyncException failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (MemSyncException) e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void copyBombIsRefusedAtSubmitOnHostAndClientAndReplicationGoesOn() throws Exception {
        Cluster.Member host = cluster.started();
        Cluster.Member client = cluster.started();
        for (Cluster.Member m : new Cluster.Member[] {host, client}) {
            MemSyncException e = failure(m.replica.submit(copyBomb(), null));
            assertThat(e.code()).isEqualTo(MemSyncException.ERR_TOO_LARGE);
            assertThat(e.getMessage()).contains("maxEffectSize");
            assertThat(m.replica.view()).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
            assertThat(m.replica.status().pendingCount()).isZero();
        }
        Update set = Update.of(Json.createObjectBuilder().add("$set", Json.createObjectBuilder().add("ok", 1)).build());
        client.replica.submit(set, null).get(10, TimeUnit.SECONDS);
        await().untilAsserted(() -> assertThat(host.replica.view().getInt("ok")).isEqualTo(1));
        assertThat(host.replica.status().version()).isEqualTo(1);
    }

    @Test
    void hostRechecksAClientWithLooserLimitsAndFailsItsUpdate() throws Exception {
        Cluster.Member host = cluster.add(JsonValue.EMPTY_JSON_OBJECT, b -> b.limits(new Limits(4096, 1 << 20, 10)));
        host.replica.start();
        // a client that does not hold its updates to the host's limits (as a hostile one would not)
        Cluster.Member client = cluster.add(JsonValue.EMPTY_JSON_OBJECT, b -> b.limits(Limits.DEFAULT));
        client.replica.start();
        Update big = Update.of(Json.createObjectBuilder().add("$set", Json.createObjectBuilder().add("s", "x".repeat(5000))).build());
        MemSyncException e = failure(client.replica.submit(big, null));
        assertThat(e.code()).isEqualTo(MemSyncException.ERR_TOO_LARGE);
        assertThat(e.getMessage()).contains("maxEffectSize = 4096 bytes");
        await().untilAsserted(() -> {
            assertThat(client.replica.status().pendingCount()).isZero();
            assertThat(client.replica.view()).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
        });
        assertThat(host.replica.view()).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
        // too deep for the host: refused there as well, and the next update goes through
        JsonValue deep = Json.createArrayBuilder().add(Json.createArrayBuilder().add(Json.createArrayBuilder()
                .add(Json.createArrayBuilder().add(Json.createArrayBuilder().add(Json.createArrayBuilder()
                        .add(Json.createArrayBuilder().add(Json.createArrayBuilder().add(Json.createArrayBuilder()
                                .add(Json.createArrayBuilder())))))))))
                .build();
        MemSyncException d = failure(client.replica.submit(Update.of(Json.createObjectBuilder()
                .add("$set", Json.createObjectBuilder().add("d", deep)).build()), null));
        assertThat(d.code()).isEqualTo(MemSyncException.ERR_TOO_LARGE);
        assertThat(d.getMessage()).contains("maxDepth = 10");
        Update small = Update.of(Json.createObjectBuilder().add("$set", Json.createObjectBuilder().add("s", "ok")).build());
        client.replica.submit(small, null).get(10, TimeUnit.SECONDS);
        assertThat(client.replica.view().getString("s")).isEqualTo("ok");
    }
}
