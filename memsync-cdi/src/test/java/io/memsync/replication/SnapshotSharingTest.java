package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.memsync.Update;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replica that joins by snapshot holds one copy of a value that is both in the document and in an effect of the
 * log tail, as its host does: the snapshot's text carries it twice, the joined replica's log shares the document's
 * instance (a joined replica used to hold twice its host's heap for a document set in one recent update).
 */
class SnapshotSharingTest {
    private final Cluster cluster = new Cluster(7);

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static JsonObject bigObject(int members) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        for (int i = 0; i < members; i++) {
            b.add("k" + i, Json.createObjectBuilder().add("i", i).add("s", i + "x".repeat(40)));
        }
        return b.build();
    }

    /** The container values of the effects of the log entries, with the op's path. */
    private static List<Object[]> effectValues(Cluster.Member m) {
        return m.replica.state.log.entriesAfter(0).stream().filter(Entry::accepted)
                .flatMap(e -> e.effect().getValuesAs(JsonObject.class).stream())
                .filter(op -> op.get("value") instanceof JsonObject || op.get("value") instanceof jakarta.json.JsonArray)
                .map(op -> new Object[] {op.getString("path"), op.get("value")}).toList();
    }

    @Test
    void joinedReplicaSharesTheDocumentsValuesWithItsLogTail() {
        Cluster.Member host = cluster.started();
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (int i = 0; i < 40; i++) {
            list.add(Json.createObjectBuilder().add("n", i));
        }
        host.replica.submit(Update.set("big", bigObject(200)), null).join();
        host.replica.submit(Update.set("nested.list", list.build()), null).join();
        host.replica.submit(Update.set("small", Json.createObjectBuilder().add("a", 1).build()), null).join();

        Cluster.Member late = cluster.started();
        assertThat(late.replica.view()).isEqualTo(host.replica.view());
        JsonObject view = late.replica.view();
        List<Object[]> values = effectValues(late);
        assertThat(values).extracting(v -> v[0]).containsExactly("/big", "/nested", "/small");
        // the same instances, not equal copies
        assertThat(values.get(0)[1]).isSameAs(view.get("big"));
        assertThat(values.get(1)[1]).isSameAs(view.get("nested"));
        assertThat(values.get(2)[1]).isSameAs(view.get("small"));
        // the entries are unchanged as JSON
        assertThat(late.replica.state.log.entriesAfter(0)).extracting(Entry::effect)
                .isEqualTo(host.replica.state.log.entriesAfter(0).stream().map(Entry::effect).toList());
    }

    @Test
    void valueChangedSinceItsEntryIsNotShared() {
        Cluster.Member host = cluster.started();
        host.replica.submit(Update.set("big", bigObject(50)), null).join();
        host.replica.submit(Update.inc("big.k3.i", 1), null).join();

        Cluster.Member late = cluster.started();
        assertThat(late.replica.view()).isEqualTo(host.replica.view());
        JsonValue inLog = (JsonValue) effectValues(late).get(0)[1];
        assertThat(inLog).isNotSameAs(late.replica.view().get("big"));
        assertThat(((JsonObject) inLog).getJsonObject("k3").getInt("i")).isEqualTo(3);
        assertThat(late.replica.view().getJsonObject("big").getJsonObject("k3").getInt("i")).isEqualTo(4);
    }
}
