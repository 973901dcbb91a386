package io.memsync.document;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import io.memsync.document.UpdateEvaluator.Evaluation;

/** Merge patches (RFC 7396): the new document and its effect. */
final class MergePatch {

    private MergePatch() {
    }

    static Evaluation evaluate(JsonObject doc, JsonObject patch, LimitCheck check) {
        List<JsonObject> ops = new ArrayList<>();
        JsonObject result = merge((PJsonObject) doc, patch, "", ops);
        check.effect(ops);
        check.document(result);
        Set<String> paths = new LinkedHashSet<>();
        for (JsonObject op : ops) {
            paths.add(Paths.dotted(op.getString("path")));
        }
        return new Evaluation(result, PJsonArray.ofList(new ArrayList<>(ops)), List.copyOf(paths), false);
    }

    static PJsonObject merge(PJsonObject target, JsonObject patch, String ptr, List<JsonObject> ops) {
        for (Map.Entry<String, JsonValue> e : patch.entrySet()) {
            String k = e.getKey();
            JsonValue pv = e.getValue();
            JsonValue old = target.get(k);
            String p = Paths.pointerChild(ptr, k);
            if (pv.getValueType() == JsonValue.ValueType.NULL) {
                if (old != null) {
                    ops.add(Effects.op("remove", p, null));
                    target = target.without(k);
                }
            } else if (pv instanceof JsonObject po) {
                if (old instanceof PJsonObject oo) {
                    target = target.with(k, merge(oo, po, p, ops));
                } else {
                    JsonValue nv = mergeFresh(PJsonObject.EMPTY, po);
                    ops.add(Effects.op(old == null ? "add" : "replace", p, nv));
                    target = target.with(k, nv);
                }
            } else {
                JsonValue nv = PersistentJson.value(pv);
                if (old == null) {
                    ops.add(Effects.op("add", p, nv));
                } else if (!old.equals(nv)) {
                    ops.add(Effects.op("replace", p, nv));
                }
                target = target.with(k, nv);
            }
        }
        return target;
    }

    static PJsonObject mergeFresh(PJsonObject target, JsonObject patch) {
        for (Map.Entry<String, JsonValue> e : patch.entrySet()) {
            JsonValue pv = e.getValue();
            if (pv.getValueType() == JsonValue.ValueType.NULL) {
                target = target.without(e.getKey());
            } else if (pv instanceof JsonObject po) {
                target = target.with(e.getKey(), mergeFresh(PJsonObject.EMPTY, po));
            } else {
                target = target.with(e.getKey(), PersistentJson.value(pv));
            }
        }
        return target;
    }
}
