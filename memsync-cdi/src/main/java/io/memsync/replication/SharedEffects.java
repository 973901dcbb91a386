package io.memsync.replication;

import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import io.memsync.document.JsonProviders;
import io.memsync.document.PersistentJson;

/**
 * Lets the log entries of an installed snapshot share the document's values. On the host an entry's effect and the
 * document hold the same value instances (applying the effect put them there); a snapshot's text carries both, so a
 * replica that parsed one would hold two copies: a joined replica held twice the heap of its host for a document
 * set in one update (a 10 MB {@code $set} still in the log tail). Values are immutable, so an effect's value that
 * equals the document's value at its path is replaced by the document's instance; the entry is unchanged as JSON.
 * Only objects and arrays are considered (a scalar costs as much as the reference to it).
 */
final class SharedEffects {

    /** Static methods only. */
    private SharedEffects() {
    }

    /**
     * The entries, each effect's container values replaced by the document's equal instance at the op's path where
     * there is one.
     *
     * @param entries the log tail of a snapshot
     * @param doc     the snapshot's document
     * @return entries equal to {@code entries}, in order
     */
    static List<Entry> withDocument(List<Entry> entries, JsonObject doc) {
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            JsonArray shared = e.effect() == null ? null : share(e.effect(), doc);
            out.add(shared == null ? e : new Entry(e.term(), e.version(), e.peer(), e.seq(), e.hlc(), shared, e.code(),
                    e.message(), e.paths(), e.commutative()));
        }
        return out;
    }

    /** The effect with shared values, or {@code null} when no value could be shared. */
    private static JsonArray share(JsonArray effect, JsonObject doc) {
        JsonValue[] ops = null;
        for (int i = 0; i < effect.size(); i++) {
            if (!(effect.get(i) instanceof JsonObject op) || !(op.get("value") instanceof JsonValue v)
                    || !(v instanceof JsonObject || v instanceof JsonArray) || !(op.get("path") instanceof jakarta.json.JsonString p)) {
                continue;
            }
            JsonValue inDoc = at(doc, p.getString());
            if (inDoc == null || inDoc == v || !same(inDoc, v)) {
                continue;
            }
            if (ops == null) {
                ops = effect.toArray(new JsonValue[0]);
            }
            ops[i] = PersistentJson.object(JsonProviders.JSON.createObjectBuilder(op).add("value", inDoc).build());
        }
        if (ops == null) {
            return null;
        }
        JsonArrayBuilder b = JsonProviders.JSON.createArrayBuilder();
        for (JsonValue op : ops) {
            b.add(op);
        }
        return PersistentJson.array(b.build());
    }

    /**
     * Whether two values are the same JSON with members in the same order. Stricter than {@code equals} on purpose:
     * the shared instance must write the entry's text unchanged; and JSON-P's {@code equals} of numbers would leave a
     * cached {@code BigDecimal} in every integer it compares (0.8 MB for a document of 20,000 such members).
     */
    private static boolean same(JsonValue a, JsonValue b) {
        if (a == b) {
            return true;
        }
        if (a.getValueType() != b.getValueType()) {
            return false;
        }
        switch (a) {
            case JsonObject x -> {
                JsonObject y = (JsonObject) b;
                if (x.size() != y.size()) {
                    return false;
                }
                var i = x.entrySet().iterator();
                var j = y.entrySet().iterator();
                while (i.hasNext()) {
                    var e = i.next();
                    var f = j.next();
                    if (!e.getKey().equals(f.getKey()) || !same(e.getValue(), f.getValue())) {
                        return false;
                    }
                }
                return true;
            }
            case JsonArray x -> {
                JsonArray y = (JsonArray) b;
                if (x.size() != y.size()) {
                    return false;
                }
                for (int k = 0; k < x.size(); k++) {
                    if (!same(x.get(k), y.get(k))) {
                        return false;
                    }
                }
                return true;
            }
            case jakarta.json.JsonString x -> {
                return x.getString().equals(((jakarta.json.JsonString) b).getString());
            }
            case jakarta.json.JsonNumber x -> {
                // Integer, Long or BigDecimal as parsed: an int and a long of one value count as different (no sharing)
                return x.numberValue().equals(((jakarta.json.JsonNumber) b).numberValue());
            }
            default -> {
                return true; // true, false, null: the value type says it all
            }
        }
    }

    /** The value at a JSON Pointer, or {@code null} when there is none. */
    private static JsonValue at(JsonValue root, String pointer) {
        if (pointer.isEmpty()) {
            return root;
        }
        if (pointer.charAt(0) != '/') {
            return null;
        }
        JsonValue v = root;
        int start = 1;
        while (v != null) {
            int end = pointer.indexOf('/', start);
            String token = pointer.substring(start, end < 0 ? pointer.length() : end).replace("~1", "/").replace("~0", "~");
            if (v instanceof JsonObject o) {
                v = o.get(token);
            } else if (v instanceof JsonArray a) {
                int i = index(token);
                v = i >= 0 && i < a.size() ? a.get(i) : null;
            } else {
                return null;
            }
            if (end < 0) {
                return v;
            }
            start = end + 1;
        }
        return null;
    }

    private static int index(String token) {
        if (token.isEmpty() || token.length() > 9 || (token.length() > 1 && token.charAt(0) == '0')) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
