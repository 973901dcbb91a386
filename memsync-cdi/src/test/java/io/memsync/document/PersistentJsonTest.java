package io.memsync.document;

import static io.memsync.document.Fixture.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.math.BigDecimal;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

class PersistentJsonTest {

    private static final String TEXT =
            "{\"z\":1,\"a\":\"s\\\"q\\n\",\"m\":[1,2.5,true,false,null,{\"k\":[]}],\"o\":{\"x\":{}},\"big\":123456789012345678901234}";

    @Test
    void equalsAndHashCodeBothWays() {
        JsonObject parsson = Json.createReader(new StringReader(TEXT)).readObject();
        JsonObject p = PersistentJson.object(parsson);
        assertThat(p).isInstanceOf(PJsonObject.class).isEqualTo(parsson);
        assertThat(parsson).isEqualTo(p);
        assertThat(p.hashCode()).isEqualTo(parsson.hashCode());
        JsonObject built = Json.createObjectBuilder().add("a", 1).add("b", Json.createArrayBuilder().add("x")).build();
        JsonObject pb = PersistentJson.object(built);
        assertThat(built).isEqualTo(pb);
        assertThat(pb).isEqualTo(built);
        JsonArray arr = parsson.getJsonArray("m");
        assertThat(PersistentJson.array(arr)).isEqualTo(arr).hasSameHashCodeAs(arr);
        assertThat(arr).isEqualTo(PersistentJson.array(arr));
        assertThat(p).isNotEqualTo(PersistentJson.object(obj("{'z':2}")));
    }

    @Test
    void toStringRoundTripsAndKeepsOrder() {
        JsonObject p = PersistentJson.object(Json.createReader(new StringReader(TEXT)).readObject());
        assertThat(p.toString()).isEqualTo(TEXT);
        assertThat(Json.createReader(new StringReader(p.toString())).readObject()).isEqualTo(p);
        assertThat(p.keySet()).containsExactly("z", "a", "m", "o", "big");
        JsonObject q = ((PJsonObject) p).with("a", Json.createValue(2)).with("new", JsonValue.TRUE).without("z");
        assertThat(q.keySet()).containsExactly("a", "m", "o", "big", "new");
        assertThat(((PJsonObject) p).without("a").with("a", JsonValue.NULL).keySet())
                .containsExactly("z", "m", "o", "big", "a");
        JsonObject ctl = PersistentJson.object(Json.createObjectBuilder().add("c", "\u0001\t/").build());
        assertThat(Json.createReader(new StringReader(ctl.toString())).readObject()).isEqualTo(ctl);
    }

    @Test
    void gettersWork() {
        JsonObject p = PersistentJson.object(Json.createReader(new StringReader(TEXT)).readObject());
        assertThat(p.getInt("z")).isEqualTo(1);
        assertThat(p.getString("a")).isEqualTo("s\"q\n");
        assertThat(p.getString("nope", "d")).isEqualTo("d");
        assertThat(p.getInt("a", 7)).isEqualTo(7);
        assertThat(p.getJsonArray("m").getBoolean(2)).isTrue();
        assertThat(p.getJsonArray("m").isNull(4)).isTrue();
        assertThat(p.getJsonArray("m").getJsonNumber(1).bigDecimalValue()).isEqualTo(new BigDecimal("2.5"));
        assertThat(p.getJsonArray("m").getJsonObject(5).getJsonArray("k")).isEmpty();
        assertThat(p.getJsonObject("o").getJsonObject("x")).isEmpty();
        assertThat(p.getJsonNumber("big").isIntegral()).isTrue();
        assertThat(p.getValue("/m/5/k")).isEqualTo(JsonValue.EMPTY_JSON_ARRAY);
        assertThat(p.getBoolean("nope", true)).isTrue();
        assertThat(p.getJsonArray("m").getValuesAs(JsonValue.class)).hasSize(6);
        assertThat(p.getValueType()).isEqualTo(JsonValue.ValueType.OBJECT);
    }

    @Test
    void immutable() {
        JsonObject p = PersistentJson.object(obj("{'a':[1]}"));
        assertThatThrownBy(() -> p.put("b", JsonValue.NULL)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(p::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.entrySet().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.getJsonArray("a").add(JsonValue.NULL))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.getJsonArray("a").remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.getJsonArray("a").iterator().remove())
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void alreadyPersistentIsReturnedAsIs() {
        JsonObject p = PersistentJson.object(obj("{'a':1}"));
        assertThat(PersistentJson.object(p)).isSameAs(p);
        assertThat(PersistentJson.emptyObject()).isEmpty();
        assertThat(PersistentJson.value(Json.createValue(3))).isEqualTo(Json.createValue(3));
    }

    @Test
    void replacingOneFieldSharesTheRest() {
        var b = Json.createObjectBuilder();
        for (int i = 0; i < 10_000; i++) {
            b.add("k" + i, Json.createObjectBuilder().add("n", i));
        }
        PJsonObject big = (PJsonObject) PersistentJson.object(b.build());
        PJsonObject changed = big.with("k5000", ((PJsonObject) big.get("k5000")).with("n", Json.createValue(-1)));
        assertThat(changed.get("k4999")).isSameAs(big.get("k4999"));
        assertThat(changed.getJsonObject("k5000").getInt("n")).isEqualTo(-1);
        assertThat(big.getJsonObject("k5000").getInt("n")).isEqualTo(5000);
        assertThat(changed.keySet().stream().skip(5000).findFirst()).contains("k5000");
    }

    @Test
    void objectsBehaveLikeAnOrderedMapAcrossTheFlatAndTreeForms() {
        java.util.Random random = new java.util.Random(7);
        PJsonObject o = PJsonObject.EMPTY;
        java.util.LinkedHashMap<String, JsonValue> model = new java.util.LinkedHashMap<>();
        for (int step = 0; step < 3000; step++) {
            String key = "k" + random.nextInt(2 * PJsonObject.SMALL_MAX + 4);
            if (random.nextInt(3) == 0) {
                o = o.without(key);
                model.remove(key);
            } else {
                JsonValue v = Json.createValue(step);
                o = o.with(key, v);
                model.put(key, v);
            }
            assertThat(o).isEqualTo(model).hasSameHashCodeAs(model);
            assertThat(model).isEqualTo(o);
            assertThat(o.keySet()).containsExactlyElementsOf(model.keySet());
            assertThat(o.size()).isEqualTo(model.size());
            assertThat(o.containsKey(key)).isEqualTo(model.containsKey(key));
            assertThat(o.get(key)).isEqualTo(model.get(key));
            java.util.List<String> visited = new java.util.ArrayList<>();
            o.forEach((k, v) -> visited.add(k));
            assertThat(visited).containsExactlyElementsOf(model.keySet());
        }
    }

    @Test
    void arraysBehaveLikeAListAcrossTheFlatAndTreeForms() {
        arrayBehavesLikeAList(new java.util.ArrayList<>());
        java.util.List<JsonValue> many = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * PJsonArray.SMALL_MAX; i++) {
            many.add(Json.createValue(-i));
        }
        arrayBehavesLikeAList(many); // built in one go: a large flat array until its first change
    }

    private static void arrayBehavesLikeAList(java.util.List<JsonValue> start) {
        java.util.Random random = new java.util.Random(11);
        PJsonArray a = PJsonArray.ofList(start);
        java.util.List<JsonValue> model = new java.util.ArrayList<>(start);
        assertThat(a).isEqualTo(model);
        for (int step = 0; step < 3000; step++) {
            int op = random.nextInt(4);
            JsonValue v = Json.createValue(step);
            if (op == 0 && !model.isEmpty()) {
                int i = random.nextInt(model.size());
                a = a.minus(i);
                model.remove(i);
            } else if (op == 1 && !model.isEmpty()) {
                int i = random.nextInt(model.size());
                a = a.with(i, v);
                model.set(i, v);
            } else if (op == 2 || model.size() < PJsonArray.SMALL_MAX / 2) {
                int i = random.nextInt(model.size() + 1);
                a = a.plus(i, v);
                model.add(i, v);
            } else if (model.size() < 3 * PJsonArray.SMALL_MAX) {
                a = a.plus(v);
                model.add(v);
            }
            assertThat(a).isEqualTo(model).hasSameHashCodeAs(model).containsExactlyElementsOf(model);
            assertThat(model).isEqualTo(a);
        }
        PJsonArray last = a;
        assertThatThrownBy(() -> last.get(last.size())).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> last.plus(last.size() + 1, JsonValue.NULL)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> PJsonArray.EMPTY.minus(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
