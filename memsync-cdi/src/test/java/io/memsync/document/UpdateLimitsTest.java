package io.memsync.document;

import static io.memsync.document.Fixture.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import io.memsync.MemSyncException;
import io.memsync.Update;

/** Effect, document and depth limits at evaluation (issue 13, item 1), and the sizes they are measured with. */
class UpdateLimitsTest {

    private static final Limits SMALL = new Limits(2048, 1 << 20, Limits.MAX_DEPTH);

    /** The reproduction: about 1.5 KB of JSON Patch copying a value into itself 26 times (an effect of gigabytes). */
    static JsonArray copyBomb() {
        JsonArrayBuilder ops = Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("op", "add").add("path", "/a")
                        .add("value", Json.createObjectBuilder().add("x", "y".repeat(90))));
        for (int i = 0; i < 26; i++) {
            ops.add(Json.createObjectBuilder().add("op", "copy").add("from", "/a").add("path", "/a/c" + i));
        }
        return ops.build();
    }

    private static MemSyncException refused(JsonObject doc, Update update, Limits limits) {
        MemSyncException e = catchThrowableOfType(() -> UpdateEvaluator.evaluate(doc, update, limits),
                MemSyncException.class);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).isEqualTo(MemSyncException.ERR_TOO_LARGE);
        assertThat(e.getMessage()).contains("nothing was applied");
        return e;
    }

    @Test
    void copyBombIsRefusedNamingTheEffectLimit() {
        JsonArray bomb = copyBomb();
        assertThat(bomb.toString().length()).isBetween(1000, 2000);
        JsonObject doc = PersistentJson.object(obj("{'keep':1}"));
        String before = doc.toString();
        MemSyncException e = refused(doc, Update.jsonPatch(bomb), Limits.DEFAULT);
        assertThat(e.getMessage()).contains("maxEffectSize = " + Limits.DEFAULT_MAX_EFFECT_BYTES + " bytes");
        assertThat(doc.toString()).isEqualTo(before);
    }

    @Test
    void copyBombPastTheEffectLimitMeetsTheDocumentLimit() {
        // with an effect limit the bomb cannot reach, the document limit stops it (its text is never written)
        Limits limits = new Limits(Long.MAX_VALUE, 256L << 20, Limits.MAX_DEPTH);
        MemSyncException e = refused(PJsonObject.EMPTY, Update.jsonPatch(copyBomb()), limits);
        assertThat(e.getMessage()).contains("maxDocumentSize = " + (256L << 20) + " bytes");
    }

    @Test
    void sizesOfSharedValuesSaturateInsteadOfOverflowing() {
        JsonValue v = PersistentJson.value(obj("{'x':'" + "y".repeat(100) + "'}"));
        for (int i = 0; i < 80; i++) { // 2^80 copies of the string: far past a long
            v = ((PJsonObject) PJsonObject.EMPTY.with("l", v)).with("r", v);
        }
        assertThat(JsonSize.bytes(v)).isEqualTo(Long.MAX_VALUE);
        assertThat(JsonSize.depth(v)).isEqualTo(81);
    }

    @Test
    void documentLimitNamesItsValue() {
        Limits limits = new Limits(1 << 20, 4096, Limits.MAX_DEPTH);
        MemSyncException e = refused(PJsonObject.EMPTY,
                Update.of(obj("{'$set':{'s':'" + "z".repeat(5000) + "'}}")), limits);
        assertThat(e.getMessage()).contains("maxDocumentSize = 4096 bytes");
        UpdateEvaluator.evaluate(PJsonObject.EMPTY, Update.of(obj("{'$set':{'s':'" + "z".repeat(4000) + "'}}")), limits);
    }

    private static JsonValue nested(int levels) {
        JsonValue v = JsonValue.EMPTY_JSON_ARRAY; // one level
        for (int i = 1; i < levels; i++) {
            v = Json.createArrayBuilder().add(v).build();
        }
        return v;
    }

    @Test
    void depthLimitCountsFromTheDocument() {
        // the document is level 1, so a value of 999 levels at /a makes 1000: the most allowed
        JsonObject ok = Json.createObjectBuilder().add("$set", Json.createObjectBuilder().add("a", nested(999))).build();
        assertThat(JsonSize.depth(UpdateEvaluator.evaluate(PJsonObject.EMPTY, Update.of(ok)).document()))
                .isEqualTo(Limits.MAX_DEPTH);
        JsonObject deep = Json.createObjectBuilder().add("$set", Json.createObjectBuilder().add("a", nested(1000))).build();
        MemSyncException e = refused(PJsonObject.EMPTY, Update.of(deep), Limits.DEFAULT);
        assertThat(e.getMessage()).contains("1001 levels deep at '/a'").contains("maxDepth = 1000");
        // a nested path counts too, and a lower limit holds for every kind of update
        Limits three = new Limits(1 << 20, 1 << 20, 3);
        assertThat(refused(PJsonObject.EMPTY, Update.of(obj("{'$set':{'a.b.c.d':1}}")), three).getMessage())
                .contains("4 levels deep").contains("maxDepth = 3");
        assertThat(refused(PJsonObject.EMPTY, Update.mergePatch(obj("{'a':{'b':{'c':{}}}}")), three).getMessage())
                .contains("maxDepth = 3");
        UpdateEvaluator.evaluate(PJsonObject.EMPTY, Update.of(obj("{'$set':{'a.b':1}}")), three);
    }

    @Test
    void wireParserAcceptsTheDeepestDocumentInAFrame() {
        String doc = "[".repeat(Limits.MAX_DEPTH) + "]".repeat(Limits.MAX_DEPTH);
        String frame = "{\"t\":\"e\",\"entries\":[{\"e\":[{\"op\":\"add\",\"path\":\"/a\",\"value\":" + doc + "}]}]}";
        assertThat(JsonText.parse(frame)).isNotNull();
    }

    @Test
    void renameOfABigValueIsRefusedByItsEffect() {
        JsonObject doc = PersistentJson.object(obj("{'a':{'s':'" + "q".repeat(3000) + "'}}"));
        MemSyncException e = refused(doc, Update.of(obj("{'$rename':{'a':'b'}}")), SMALL);
        assertThat(e.getMessage()).contains("maxEffectSize = 2048 bytes");
    }

    @Test
    void pushWithSortRewritesTheArrayAndIsRefusedByItsEffect() {
        StringBuilder arr = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            arr.append(i == 0 ? "" : ",").append("'item-").append(1000 + i).append("-padding-padding'");
        }
        JsonObject doc = PersistentJson.object(obj("{'list':" + arr.append("]") + "}"));
        refused(doc, Update.of(obj("{'$push':{'list':{'$each':['item-0'],'$sort':-1}}}")), SMALL);
        refused(doc, Update.of(obj("{'$push':{'list':{'$each':['item-0'],'$position':0,'$slice':90}}}")), SMALL);
        // appending one element is a small effect: accepted under the same limits
        UpdateEvaluator.Evaluation ev = UpdateEvaluator.evaluate(doc, Update.of(obj("{'$push':{'list':'item-0'}}")), SMALL);
        assertThat(ev.effect()).hasSize(1);
    }

    @Test
    void sizeIsTheLengthOfTheWrittenText() {
        List<String> samples = List.of("{}", "[]", "{'a':[1,2.5,-3,1e400,12345678901234567890123],'b':null,'c':true}",
                "{'s':'quote \\\" backslash \\\\ tab \\t nl \\n \\u0001 é € 😀'}", "[false,[[]],{'x':{}}]",
                "{'n':-9223372036854775808,'m':9223372036854775807,'z':0,'d':-0.0}");
        for (String s : samples) {
            JsonValue v = Fixture.json(s);
            assertThat(JsonSize.bytes(v)).as(s).isEqualTo(written(v));
            assertThat(JsonSize.bytes(PersistentJson.value(v))).as(s).isEqualTo(written(v));
        }
    }

    private static long written(JsonValue v) {
        StringBuilder sb = new StringBuilder();
        JsonWriting.write(v, sb);
        return sb.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void sizeCarriedOverByChangesStaysExact() {
        Random random = new Random(13);
        for (int round = 0; round < 200; round++) {
            PJsonObject o = PJsonObject.EMPTY;
            PJsonArray a = PJsonArray.EMPTY;
            JsonSize.bytes(o);
            JsonSize.bytes(a);
            List<String> names = new ArrayList<>();
            for (int step = 0; step < 60; step++) {
                JsonValue v = sample(random);
                int r = random.nextInt(6);
                if (r < 3 || names.isEmpty()) {
                    String n = "k" + random.nextInt(30) + (random.nextBoolean() ? "é" : "");
                    o = o.with(n, v);
                    if (!names.contains(n)) {
                        names.add(n);
                    }
                } else if (r == 3) {
                    o = o.without(names.remove(random.nextInt(names.size())));
                } else if (r == 4 || a.isEmpty()) {
                    a = a.plus(random.nextInt(a.size() + 1), v);
                } else if (random.nextBoolean()) {
                    a = a.minus(random.nextInt(a.size()));
                } else {
                    a = a.with(random.nextInt(a.size()), v);
                }
                assertThat(JsonSize.bytes(o)).isEqualTo(written(o));
                assertThat(JsonSize.bytes(a)).isEqualTo(written(a));
                PJsonObject both = o.with("arr", a);
                assertThat(JsonSize.bytes(both)).isEqualTo(written(both));
            }
        }
    }

    private static JsonValue sample(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> JsonValues.JSON.createValue(random.nextLong());
            case 1 -> JsonValues.JSON.createValue("s\"" + "ü".repeat(random.nextInt(4)));
            case 2 -> JsonValue.TRUE;
            case 3 -> PersistentJson.value(obj("{'x':[1,{'y':'z'}]}"));
            default -> PJsonArray.EMPTY.plus(JsonValue.NULL);
        };
    }
}
