package io.memsync.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

/**
 * The lookups of {@link PJsonObject} and {@link PJsonArray} never fall back to a scan of their members.
 * Each check counts the calls a scan would make on the probe (or on the elements) instead of timing
 * anything: a scan of the 10,000 members makes thousands of them, a lookup a handful.
 */
class ReadPathCostTest {

    private static final int N = 10_000;

    /** A key that is not a String (so never equal to a member name) and counts how often it is compared. */
    private static final class CountingKey {
        final String like;
        final AtomicLong equalsCalls = new AtomicLong();

        CountingKey(String like) {
            this.like = like;
        }

        @Override
        public boolean equals(Object o) {
            equalsCalls.incrementAndGet();
            return false;
        }

        @Override
        public int hashCode() {
            return like.hashCode(); // lands in the bucket of the member it looks like
        }
    }

    /** A JSON string that counts every equals and hashCode call made on it, into a shared counter. */
    private static final class CountingString implements JsonString {
        final String s;
        final AtomicLong touches;

        CountingString(String s, AtomicLong touches) {
            this.s = s;
            this.touches = touches;
        }

        @Override
        public String getString() {
            return s;
        }

        @Override
        public CharSequence getChars() {
            return s;
        }

        @Override
        public ValueType getValueType() {
            return ValueType.STRING;
        }

        @Override
        public boolean equals(Object o) {
            touches.incrementAndGet();
            return o instanceof JsonString j && j.getString().equals(s);
        }

        @Override
        public int hashCode() {
            touches.incrementAndGet();
            return s.hashCode();
        }

        @Override
        public String toString() {
            return '"' + s + '"';
        }
    }

    private static PJsonObject bigObject() {
        JsonObjectBuilder b = Json.createObjectBuilder();
        for (int i = 0; i < N; i++) {
            b.add("k" + i, i);
        }
        return (PJsonObject) PersistentJson.object(b.build());
    }

    private static List<PJsonObject> objectsInBothForms() {
        PJsonObject big = bigObject();
        PJsonObject small = (PJsonObject) PersistentJson.object(Json.createObjectBuilder()
                .add("k1", 1).add("k2", 2).add("k3", 3).build());
        return List.of(big, big.with("extra", JsonValue.TRUE), small);
    }

    @Test
    void objectLookupsOfAMissingNameDoNotScan() {
        for (PJsonObject o : objectsInBothForms()) {
            CountingKey probe = new CountingKey("k1");
            assertThat(o.containsKey(probe)).isFalse();
            assertThat(o.get(probe)).isNull();
            assertThat(o.getOrDefault(probe, JsonValue.NULL)).isEqualTo(JsonValue.NULL);
            assertThat(o.keySet().contains(probe)).isFalse();
            assertThat(o.entrySet().contains(new AbstractMap.SimpleEntry<>(probe, Json.createValue(1)))).isFalse();
            assertThat(o.containsKey(null)).isFalse();
            assertThat(o.get(null)).isNull();
            // a scan compares the probe with every member (10,000 calls); a lookup at most with one
            assertThat(probe.equalsCalls.get()).as("compares made by lookups in %d members", o.size()).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void objectLookupsOfAPresentMemberAnswerRight() {
        for (PJsonObject o : objectsInBothForms()) {
            assertThat(o.containsKey("k2")).isTrue();
            assertThat(o.keySet().contains("k2")).isTrue();
            assertThat(o.keySet().contains("nope")).isFalse();
            assertThat(o.entrySet().contains(Map.entry("k2", Json.createValue(2)))).isTrue();
            assertThat(o.entrySet().contains(Map.entry("k2", Json.createValue(3)))).isFalse();
            assertThat(o.entrySet().contains(Map.entry("nope", Json.createValue(2)))).isFalse();
            assertThat(o.entrySet().contains("k2")).isFalse();
            assertThat(o.keySet()).hasSize(o.size());
            assertThat(o.entrySet()).hasSize(o.size());
            assertThat(new ArrayList<>(o.keySet()).get(0)).isEqualTo(o.entrySet().iterator().next().getKey());
        }
    }

    @Test
    void entrySetContainsComparesOnlyTheMemberOfThatName() {
        AtomicLong touches = new AtomicLong();
        JsonObjectBuilder b = Json.createObjectBuilder();
        for (int i = 0; i < N; i++) {
            b.add("k" + i, new CountingString("v" + i, touches));
        }
        PJsonObject o = (PJsonObject) PersistentJson.object(b.build());
        PJsonObject tree = o.with("extra", JsonValue.TRUE);
        touches.set(0);
        for (PJsonObject x : List.of(o, tree)) {
            assertThat(x.entrySet().contains(Map.entry("k77", Json.createValue("v77")))).isTrue();
            assertThat(x.entrySet().contains(Map.entry("k77", Json.createValue("other")))).isFalse();
        }
        assertThat(touches.get()).isLessThanOrEqualTo(8);
    }

    private static PJsonArray flatArray(AtomicLong touches, int distinct) {
        List<JsonValue> values = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            values.add(new CountingString("v" + (i % distinct), touches));
        }
        return PJsonArray.ofList(values);
    }

    @Test
    void repeatedArrayLookupsDoNotScanInEitherForm() {
        AtomicLong touches = new AtomicLong();
        PJsonArray flat = flatArray(touches, N / 2); // every value twice
        PJsonArray tree = flat.plus(new CountingString("tail", touches)); // a change moves it to the tree form
        for (PJsonArray a : List.of(flat, tree)) {
            touches.set(0);
            int lookups = 0;
            for (int k = 0; k < 500; k++) {
                int v = k * 7 % (N / 2);
                CountingString probe = new CountingString("v" + v, touches);
                assertThat(a.indexOf(probe)).isEqualTo(v);
                assertThat(a.lastIndexOf(probe)).isEqualTo(v + N / 2);
                assertThat(a.contains(probe)).isTrue();
                assertThat(a.contains(new CountingString("missing" + k, touches))).isFalse();
                lookups += 4;
            }
            // one pass for the first lookup, one to index the elements, then a few calls per lookup;
            // a scan per lookup would make about lookups * N / 2 = 10,000,000
            assertThat(touches.get()).as("equals/hashCode calls for %d lookups", lookups)
                    .isLessThanOrEqualTo(4L * N + 4L * lookups);
        }
    }

    @Test
    void arrayLookupsAgreeWithAnArrayList() {
        Random rnd = new Random(42);
        for (int round = 0; round < 50; round++) {
            int n = 1 + rnd.nextInt(200);
            StringBuilder text = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                text.append(i == 0 ? "" : ",").append(switch (rnd.nextInt(6)) {
                    case 0 -> String.valueOf(rnd.nextInt(5));
                    case 1 -> rnd.nextInt(5) + ".0";
                    case 2 -> "\"s" + rnd.nextInt(5) + "\"";
                    case 3 -> rnd.nextBoolean() ? "true" : "null";
                    case 4 -> "{\"a\":" + rnd.nextInt(3) + "}";
                    default -> "[" + rnd.nextInt(3) + "]";
                });
            }
            JsonArray parsed = (JsonArray) JsonText.parse(text.append("]").toString());
            PJsonArray flat = (PJsonArray) PersistentJson.array(parsed);
            PJsonArray tree = n > 0 ? flat.with(0, flat.get(0)).plus(0, JsonValue.FALSE).minus(0) : flat;
            List<JsonValue> expected = new ArrayList<>(Json.createReader(new java.io.StringReader(text.toString()))
                    .readArray());
            for (PJsonArray a : List.of(flat, tree)) {
                assertThat(a).isEqualTo(expected);
                assertThat(a.hashCode()).isEqualTo(expected.hashCode());
                for (int k = 0; k < 3; k++) { // the first lookup scans, the later ones use the index
                    for (JsonValue probe : expected) {
                        assertThat(a.indexOf(probe)).isEqualTo(expected.indexOf(probe));
                        assertThat(a.lastIndexOf(probe)).isEqualTo(expected.lastIndexOf(probe));
                    }
                    for (JsonValue probe : List.of(Json.createValue(9), Json.createValue("s9"), JsonValue.FALSE,
                            Json.createValue(1), Json.createValue(new java.math.BigDecimal("1.0")))) {
                        assertThat(a.indexOf(probe)).isEqualTo(expected.indexOf(probe));
                        assertThat(a.contains(probe)).isEqualTo(expected.contains(probe));
                    }
                    assertThat(a.indexOf("s1")).isEqualTo(-1);
                    assertThat(a.indexOf(null)).isEqualTo(-1);
                }
            }
        }
    }

    @Test
    void arrayEqualityWalksBothArrays() {
        AtomicLong touches = new AtomicLong();
        PJsonArray a = flatArray(touches, N).plus(JsonValue.TRUE);
        PJsonArray b = flatArray(touches, N).plus(JsonValue.TRUE);
        assertThat(a).isEqualTo(b).isNotSameAs(b);
        assertThat(a).isNotEqualTo(flatArray(touches, N).plus(JsonValue.FALSE));
        assertThat(a).isNotEqualTo(flatArray(touches, N));
        assertThat(a.equals(new ArrayList<>(b))).isTrue();
        assertThat(a.equals(b.subList(0, N))).isFalse();
    }
}
