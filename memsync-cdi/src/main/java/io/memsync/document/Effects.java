package io.memsync.document;

import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.memsync.MemSyncException;


/**
 * Application of RFC 6902 JSON Patches ("effects") to persistent documents.
 *
 * <p>Every operation ({@code add}, {@code remove}, {@code replace}, {@code move}, {@code copy},
 * {@code test}) costs {@code O(depth × log n)}: only the containers on the path are rebuilt, everything
 * else is shared with the input document, which is never modified.
 */
public final class Effects {

    private static final JsonString ADD_OP = JsonValues.JSON.createValue("add");
    private static final JsonString REMOVE_OP = JsonValues.JSON.createValue("remove");
    private static final JsonString REPLACE_OP = JsonValues.JSON.createValue("replace");

    private Effects() {
    }

    /**
     * Applies an effect (a JSON Patch) to a document.
     *
     * @param document the document (converted to the persistent form when it is not already)
     * @param effect   the JSON Patch operations
     * @return the new persistent document
     * @throws MemSyncException {@link MemSyncException#ERR_INVALID_PATCH} when an operation is malformed
     *                          or does not apply (missing target, failed {@code test}, …)
     */
    public static JsonObject apply(JsonObject document, JsonArray effect) {
        JsonObject doc = PersistentJson.object(document);
        for (int i = 0; i < effect.size(); i++) {
            JsonValue op = effect.get(i);
            if (!(op instanceof JsonObject o)) {
                throw new MemSyncException(MemSyncException.ERR_INVALID_PATCH,
                        "JSON Patch operation " + i + " is not an object");
            }
            doc = applyOne(doc, o, null, null);
        }
        return doc;
    }

    /**
     * Builds one effect operation.
     *
     * @param op    {@code add}, {@code remove} or {@code replace}
     * @param path  JSON Pointer
     * @param value value, or {@code null} for remove
     * @return the operation object
     */
    static JsonObject op(String op, String path, JsonValue value) {
        JsonValue o = switch (op) {
            case "add" -> ADD_OP;
            case "remove" -> REMOVE_OP;
            case "replace" -> REPLACE_OP;
            default -> JsonValues.JSON.createValue(op);
        };
        JsonValue p = JsonValues.JSON.createValue(path);
        return PJsonObject.ofFlat(value == null ? new Object[] {"op", o, "path", p}
                : new Object[] {"op", o, "path", p, "value", value});
    }

    /**
     * Applies one JSON Patch operation, optionally recording an equivalent add/remove/replace effect and
     * the touched pointers.
     *
     * @param doc      persistent document
     * @param o        the operation
     * @param recorded where to append effect operations, or {@code null}
     * @param touched  where to append touched pointers, or {@code null}
     * @return the new document
     */
    static JsonObject applyOne(JsonObject doc, JsonObject o, List<JsonObject> recorded, List<String> touched) {
        String op = string(o, "op", o);
        String path = string(o, "path", o);
        String[] t = tokens(path, o);
        try {
            switch (op) {
                case "add": {
                    JsonValue v = PersistentJson.value(value(o));
                    String[] resolved = resolveAppend(doc, t);
                    doc = root(apply(doc, t, 0, ADD, v, o));
                    record(recorded, touched, "add", pointer(resolved), v);
                    return doc;
                }
                case "remove":
                    doc = root(apply(doc, t, 0, REMOVE, null, o));
                    record(recorded, touched, "remove", path, null);
                    return doc;
                case "replace": {
                    JsonValue v = PersistentJson.value(value(o));
                    doc = root(apply(doc, t, 0, REPLACE, v, o));
                    record(recorded, touched, "replace", path, v);
                    return doc;
                }
                case "move": {
                    String from = string(o, "from", o);
                    String[] f = tokens(from, o);
                    if (path.equals(from)) {
                        get(doc, f, o);
                        return doc;
                    }
                    if (path.startsWith(from + "/")) {
                        throw fail(o, "cannot move a value into itself");
                    }
                    JsonValue v = get(doc, f, o);
                    doc = root(apply(doc, f, 0, REMOVE, null, o));
                    record(recorded, touched, "remove", from, null);
                    String[] resolved = resolveAppend(doc, t);
                    doc = root(apply(doc, t, 0, ADD, v, o));
                    record(recorded, touched, "add", pointer(resolved), v);
                    return doc;
                }
                case "copy": {
                    JsonValue v = get(doc, tokens(string(o, "from", o), o), o);
                    String[] resolved = resolveAppend(doc, t);
                    doc = root(apply(doc, t, 0, ADD, v, o));
                    record(recorded, touched, "add", pointer(resolved), v);
                    return doc;
                }
                case "test": {
                    JsonValue v = get(doc, t, o);
                    if (!JsonValues.jsonEquals(v, value(o))) {
                        throw fail(o, "test failed: value is " + v);
                    }
                    return doc;
                }
                default:
                    throw fail(o, "unknown op '" + op + "'");
            }
        } catch (IndexOutOfBoundsException | ClassCastException e) {
            throw fail(o, "does not apply: " + e.getMessage());
        }
    }

    private static void record(List<JsonObject> recorded, List<String> touched, String op, String path,
            JsonValue v) {
        if (recorded != null) {
            recorded.add(op(op, path, v));
        }
        if (touched != null) {
            touched.add(path);
        }
    }

    private static final int ADD = 0;
    private static final int REMOVE = 1;
    private static final int REPLACE = 2;

    private static JsonObject root(JsonValue v) {
        if (v instanceof JsonObject o) {
            return o;
        }
        throw new MemSyncException(MemSyncException.ERR_INVALID_PATCH,
                "JSON Patch would make the document a " + v.getValueType() + ", not an object");
    }

    /** Applies one structural operation at tokens[i..] below node, returning the new node. */
    private static JsonValue apply(JsonValue node, String[] t, int i, int kind, JsonValue v, JsonObject o) {
        if (t.length == 0) {
            if (kind == REMOVE) {
                throw fail(o, "cannot remove the whole document");
            }
            return v;
        }
        String tok = t[i];
        boolean last = i == t.length - 1;
        if (node instanceof PJsonObject obj) {
            JsonValue child = obj.get(tok);
            if (last) {
                switch (kind) {
                    case ADD:
                        return obj.with(tok, v);
                    case REPLACE:
                        if (child == null) {
                            throw fail(o, "no member '" + tok + "' to replace");
                        }
                        return obj.with(tok, v);
                    default:
                        if (child == null) {
                            throw fail(o, "no member '" + tok + "' to remove");
                        }
                        return obj.without(tok);
                }
            }
            if (child == null) {
                throw fail(o, "no member '" + tok + "'");
            }
            JsonValue nc = apply(child, t, i + 1, kind, v, o);
            return obj.with(tok, nc);
        }
        if (node instanceof PJsonArray arr) {
            int idx;
            if (last && kind == ADD && tok.equals("-")) {
                idx = arr.size();
            } else {
                idx = Paths.index(tok);
            }
            int limit = last && kind == ADD ? arr.size() : arr.size() - 1;
            if (idx < 0 || idx > limit) {
                throw fail(o, "index '" + tok + "' out of bounds (size " + arr.size() + ")");
            }
            if (last) {
                return switch (kind) {
                    case ADD -> arr.plus(idx, v);
                    case REPLACE -> arr.with(idx, v);
                    default -> arr.minus(idx);
                };
            }
            return arr.with(idx, apply(arr.get(idx), t, i + 1, kind, v, o));
        }
        throw fail(o, "cannot address '" + tok + "' inside a " + node.getValueType());
    }

    private static JsonValue get(JsonValue doc, String[] t, JsonObject o) {
        JsonValue cur = doc;
        for (String tok : t) {
            JsonValue next = Paths.child(cur, tok);
            if (next == null) {
                throw fail(o, "no value at '" + tok + "'");
            }
            cur = next;
        }
        return cur;
    }

    /** Replaces a final "-" (array append) by the concrete index. */
    private static String[] resolveAppend(JsonValue doc, String[] t) {
        if (t.length == 0 || !t[t.length - 1].equals("-")) {
            return t;
        }
        JsonValue parent = doc;
        for (int i = 0; i < t.length - 1 && parent != null; i++) {
            parent = Paths.child(parent, t[i]);
        }
        if (parent instanceof JsonArray a) {
            String[] r = t.clone();
            r[r.length - 1] = Integer.toString(a.size());
            return r;
        }
        return t;
    }

    static String pointer(String[] t) {
        String p = "";
        for (String tok : t) {
            p = Paths.pointerChild(p, tok);
        }
        return p;
    }

    private static String[] tokens(String pointer, JsonObject o) {
        try {
            return Paths.pointerTokens(pointer);
        } catch (IllegalArgumentException e) {
            throw fail(o, e.getMessage());
        }
    }

    private static String string(JsonObject o, String key, JsonObject op) {
        if (o.get(key) instanceof JsonString s) {
            return s.getString();
        }
        throw fail(op, "missing string member '" + key + "'");
    }

    private static JsonValue value(JsonObject o) {
        JsonValue v = o.get("value");
        if (v == null) {
            throw fail(o, "missing member 'value'");
        }
        return v;
    }

    private static MemSyncException fail(JsonObject op, String msg) {
        String path = op.get("path") instanceof JsonString s ? s.getString() : "?";
        String name = op.get("op") instanceof JsonString s ? s.getString() : "?";
        return new MemSyncException(MemSyncException.ERR_INVALID_PATCH,
                "JSON Patch '" + name + "' at '" + path + "': " + msg);
    }

    static List<JsonObject> newList() {
        return new ArrayList<>(4);
    }
}
