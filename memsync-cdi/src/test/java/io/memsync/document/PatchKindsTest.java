package io.memsync.document;

import static io.memsync.document.Fixture.json;
import static io.memsync.document.Fixture.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import io.memsync.MemSyncException;
import io.memsync.Update;

import org.junit.jupiter.api.Test;

class PatchKindsTest {

    private static UpdateEvaluator.Evaluation patch(String doc, String patch, String expected) {
        return Fixture.check(obj(doc), Update.jsonPatch((JsonArray) json(patch)), obj(expected));
    }

    @Test
    void jsonPatchAllOps() {
        var ev = patch("{'a':1,'b':{'c':[1,2]},'d':'x'}",
                "[{'op':'add','path':'/b/c/-','value':3},{'op':'remove','path':'/a'},"
                        + "{'op':'replace','path':'/d','value':'y'},{'op':'move','from':'/d','path':'/e'},"
                        + "{'op':'copy','from':'/b/c','path':'/f'},{'op':'test','path':'/e','value':'y'},"
                        + "{'op':'add','path':'/b/c/0','value':0}]",
                "{'b':{'c':[0,1,2,3]},'e':'y','f':[1,2,3]}");
        assertThat(ev.commutative()).isFalse();
        assertThat(ev.paths()).containsExactly("b.c.2", "a", "d", "e", "f", "b.c.0");
        assertThat(ev.effect().getJsonObject(0).getString("path")).isEqualTo("/b/c/2");
    }

    @Test
    void jsonPatchFailures() {
        JsonObject doc = PersistentJson.object(obj("{'a':1}"));
        for (String p : new String[] {"[{'op':'test','path':'/a','value':2}]", "[{'op':'remove','path':'/zz'}]",
                "[{'op':'bogus','path':'/a'}]", "[{'op':'add','path':'a','value':1}]", "[1]",
                "[{'op':'replace','path':'/a/b','value':1}]", "[{'op':'move','from':'/a','path':'/a/b'}]"}) {
            assertThatThrownBy(() -> UpdateEvaluator.evaluate(doc, Update.jsonPatch((JsonArray) json(p))))
                    .isInstanceOfSatisfying(MemSyncException.class,
                            e -> assertThat(e.code()).isEqualTo(MemSyncException.ERR_INVALID_PATCH));
            assertThat(doc).isEqualTo(obj("{'a':1}"));
        }
    }

    @Test
    void mergePatch() {
        var ev = Fixture.check(obj("{'a':1,'b':{'c':1,'d':2},'e':[1]}"),
                Update.mergePatch(obj("{'a':null,'b':{'c':null,'x':{'y':null,'z':1}},'e':[2],'f':'n','g':null}")),
                obj("{'b':{'d':2,'x':{'z':1}},'e':[2],'f':'n'}"));
        assertThat(ev.paths()).containsExactly("a", "b.c", "b.x", "e", "f");
        assertThat(ev.commutative()).isFalse();
        var none = Fixture.check(obj("{'a':1}"), Update.mergePatch(obj("{'a':1}")), obj("{'a':1}"));
        assertThat(none.effect()).isEmpty();
    }

    @Test
    void effectsApplyMoveCopyTestAndFailures() {
        JsonObject doc = PersistentJson.object(obj("{'a':{'b':1},'c':[1,2]}"));
        JsonObject out = Effects.apply(doc, (JsonArray) json("[{'op':'move','from':'/a/b','path':'/c/1'},"
                + "{'op':'copy','from':'/c','path':'/d'},{'op':'test','path':'/d/1','value':1.0}]"));
        assertThat(out).isEqualTo(obj("{'a':{},'c':[1,1,2],'d':[1,1,2]}"));
        assertThatThrownBy(() -> Effects.apply(doc, (JsonArray) json("[{'op':'add','path':'/c/5','value':1}]")))
                .isInstanceOfSatisfying(MemSyncException.class,
                        e -> assertThat(e.code()).isEqualTo(MemSyncException.ERR_INVALID_PATCH));
        assertThatThrownBy(() -> Effects.apply(doc, (JsonArray) json("[{'op':'remove','path':''}]")))
                .isInstanceOf(MemSyncException.class);
        assertThat(doc).isEqualTo(obj("{'a':{'b':1},'c':[1,2]}"));
    }
}
