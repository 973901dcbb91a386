package io.memsync.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import io.memsync.MemSyncException;
import io.memsync.Update;

/** Shared checks: every successful evaluation is verified through both effect appliers. */
final class Fixture {

    private Fixture() {
    }

    /** Parses JSON written with single quotes. */
    static JsonValue json(String text) {
        return Json.createReader(new StringReader(text.replace('\'', '"'))).readValue();
    }

    static JsonObject obj(String text) {
        return (JsonObject) json(text);
    }

    /** Evaluates and checks the result, the effect (both appliers) and the untouched input. */
    static UpdateEvaluator.Evaluation check(JsonObject before, Update update, JsonObject expected) {
        JsonObject persistent = PersistentJson.object(before);
        String snapshot = persistent.toString();
        UpdateEvaluator.Evaluation ev = UpdateEvaluator.evaluate(persistent, update);
        if (expected != null) {
            assertThat(ev.document()).isEqualTo(expected);
            assertThat(expected).isEqualTo(ev.document());
            assertThat(ev.document().toString()).isEqualTo(((JsonValue) expected).toString());
        }
        verifyEffect(before, ev);
        assertThat(persistent.toString()).isEqualTo(snapshot);
        assertThat(persistent).isEqualTo(before);
        return ev;
    }

    static void verifyEffect(JsonObject before, UpdateEvaluator.Evaluation ev) {
        for (JsonValue op : ev.effect()) {
            assertThat(op.asJsonObject().getString("op")).isIn("add", "remove", "replace");
        }
        assertThat(Effects.apply(before, ev.effect())).isEqualTo(ev.document());
        JsonObject parsson = obj(before.toString());
        JsonStructure viaJsonP = Json.createPatch(Json.createReader(new StringReader(ev.effect().toString()))
                .readArray()).apply(parsson);
        assertThat(viaJsonP).isEqualTo(ev.document());
    }

    static UpdateEvaluator.Evaluation ok(String doc, String update, String expected) {
        return check(obj(doc), Update.of(obj(update)), obj(expected));
    }

    /** Asserts the update fails with ERR_INVALID_PATCH naming every fragment, leaving the document as is. */
    static MemSyncException fails(String doc, String update, String... fragments) {
        JsonObject before = PersistentJson.object(obj(doc));
        JsonObject copy = obj(doc);
        MemSyncException e = catchThrowableOfType(MemSyncException.class,
                () -> UpdateEvaluator.evaluate(before, Update.of(obj(update))));
        assertThat(e).as("expected a failure").isNotNull();
        assertThat(e.code()).isEqualTo(MemSyncException.ERR_INVALID_PATCH);
        for (String f : fragments) {
            assertThat(e.getMessage()).contains(f);
        }
        assertThat(before).isEqualTo(copy);
        assertThat(before.toString()).isEqualTo(copy.toString());
        return e;
    }
}
