package io.memsync.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Random;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import io.memsync.MemSyncException;
import io.memsync.Update;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random documents and random updates (seeded, so every failure is reproducible from the reported seed).
 */
class UpdatePropertiesTest {

    private static final String[] KEYS = {"a", "b", "c", "d", "e/f", "g~h"};
    private static final String[] OPS = {"$set", "$unset", "$inc", "$mul", "$min", "$max", "$rename", "$push",
        "$addToSet", "$pop", "$pull", "$pullAll", "$bit", "$setOnInsert"};

    @Property(tries = 400)
    void effectTurnsOldIntoNewOrFailureLeavesDocumentAlone(@ForAll long seed) {
        Random r = new Random(seed);
        JsonObject source = object(r, 0);
        JsonObject before = PersistentJson.object(source);
        JsonObject copy = Json.createReader(new StringReader(source.toString())).readObject();
        JsonObject update = update(r);
        UpdateEvaluator.Evaluation ev;
        try {
            ev = UpdateEvaluator.evaluate(before, Update.of(update));
        } catch (MemSyncException e) {
            assertThat(e.code()).isEqualTo(MemSyncException.ERR_INVALID_PATCH);
            assertThat(before).isEqualTo(copy);
            assertThat(before.toString()).isEqualTo(PersistentJson.object(copy).toString());
            return;
        }
        assertThat(before).isEqualTo(copy);
        Fixture.verifyEffect(before, ev);
        assertThat(Effects.apply(before, ev.effect()).toString()).isEqualTo(ev.document().toString());
        if (ev.document().equals(before)) {
            assertThat(ev.effect()).isEmpty();
        }
        assertThat(Json.createReader(new StringReader(ev.document().toString())).readObject())
                .isEqualTo(ev.document());
    }

    @Property(tries = 300)
    void mergePatchEffectIsExact(@ForAll long seed) {
        Random r = new Random(seed);
        JsonObject before = PersistentJson.object(object(r, 0));
        JsonObject patch = object(r, 1);
        UpdateEvaluator.Evaluation ev = UpdateEvaluator.evaluate(before, Update.mergePatch(patch));
        Fixture.verifyEffect(before, ev);
        assertThat(ev.document()).isEqualTo(Json.createMergePatch(patch).apply(
                Json.createReader(new StringReader(before.toString())).readObject()));
    }

    @Property(tries = 300)
    void persistentConversionEqualsSource(@ForAll long seed) {
        JsonObject source = object(new Random(seed), 0);
        JsonObject p = PersistentJson.object(source);
        assertThat(p).isEqualTo(source);
        assertThat(source).isEqualTo(p);
        assertThat(p.hashCode()).isEqualTo(source.hashCode());
        assertThat(Json.createReader(new StringReader(p.toString())).readObject()).isEqualTo(source);
        assertThat(p.keySet()).containsExactlyElementsOf(source.keySet());
    }

    private static JsonObject object(Random r, int depth) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        int n = r.nextInt(depth == 0 ? 6 : 4);
        for (int i = 0; i < n; i++) {
            b.add(KEYS[r.nextInt(KEYS.length)], value(r, depth + 1));
        }
        return b.build();
    }

    private static JsonValue value(Random r, int depth) {
        int k = r.nextInt(depth >= 3 ? 6 : 9);
        return switch (k) {
            case 0 -> Json.createValue(r.nextInt(7) - 2);
            case 1 -> Json.createValue(r.nextBoolean() ? Integer.MAX_VALUE : Long.MAX_VALUE - r.nextInt(2));
            case 2 -> Json.createValue(new BigDecimal(r.nextInt(50) - 10).movePointLeft(1));
            case 3 -> Json.createValue(new String[] {"x", "y", "", "a\"b"}[r.nextInt(4)]);
            case 4 -> r.nextBoolean() ? JsonValue.TRUE : JsonValue.FALSE;
            case 5 -> JsonValue.NULL;
            case 6, 7 -> {
                JsonArrayBuilder a = Json.createArrayBuilder();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    a.add(value(r, depth + 1));
                }
                yield a.build();
            }
            default -> object(r, depth);
        };
    }

    private static String path(Random r) {
        StringBuilder sb = new StringBuilder(KEYS[r.nextInt(KEYS.length)]);
        int extra = r.nextInt(3);
        for (int i = 0; i < extra; i++) {
            int k = r.nextInt(10);
            sb.append('.').append(k < 5 ? KEYS[k] : k < 8 ? String.valueOf(k - 5) : k == 8 ? "5" : "$[]");
        }
        return sb.toString();
    }

    private static JsonObject update(Random r) {
        JsonObjectBuilder u = Json.createObjectBuilder();
        int ops = 1 + r.nextInt(3);
        for (int i = 0; i < ops; i++) {
            String op = OPS[r.nextInt(OPS.length)];
            JsonObjectBuilder fields = Json.createObjectBuilder();
            int n = 1 + r.nextInt(2);
            for (int j = 0; j < n; j++) {
                fields.add(path(r), argument(r, op));
            }
            u.add(op, fields);
        }
        return u.build();
    }

    private static JsonValue argument(Random r, String op) {
        return switch (op) {
            case "$inc", "$mul" -> r.nextInt(5) == 0 ? Json.createValue(new BigDecimal("1.5"))
                    : Json.createValue(r.nextInt(5) - 1);
            case "$rename" -> Json.createValue(path(r));
            case "$pop" -> Json.createValue(r.nextBoolean() ? 1 : -1);
            case "$bit" -> Json.createObjectBuilder().add(new String[] {"and", "or", "xor"}[r.nextInt(3)],
                    r.nextInt(16)).build();
            case "$pullAll" -> Json.createArrayBuilder().add(value(r, 3)).add(value(r, 3)).build();
            case "$pull" -> r.nextBoolean() ? value(r, 3)
                    : Json.createObjectBuilder().add(r.nextBoolean() ? "$gt" : "$in",
                            r.nextBoolean() ? Json.createValue(0) : Json.createArrayBuilder().add(1).add("x").build())
                            .build();
            case "$push" -> {
                if (r.nextBoolean()) {
                    yield value(r, 2);
                }
                JsonObjectBuilder m = Json.createObjectBuilder()
                        .add("$each", Json.createArrayBuilder().add(value(r, 3)).add(value(r, 3)));
                if (r.nextBoolean()) {
                    m.add("$position", r.nextInt(5) - 2);
                }
                if (r.nextBoolean()) {
                    m.add("$sort", r.nextBoolean() ? 1 : -1);
                }
                if (r.nextBoolean()) {
                    m.add("$slice", r.nextInt(7) - 3);
                }
                yield m.build();
            }
            case "$addToSet" -> r.nextBoolean() ? value(r, 2)
                    : Json.createObjectBuilder().add("$each", Json.createArrayBuilder().add(value(r, 3))
                            .add(value(r, 3))).build();
            default -> value(r, 1);
        };
    }
}
