package io.memsync.document;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The path walk of update operators: rewrites the document along a dotted path (through {@code $[]} too), creating
 * missing documents and padding arrays as MongoDB does, and records the effect in an {@link UpdateRun}.
 */
final class PathWalk {

    /** Largest number of {@code null}s an update may pad an array with. */
    static final int MAX_PADDING = 100_000;

    private PathWalk() {
    }

    /**
     * Rewrites {@code node} below segment {@code i}, recording effect operations. Returns the new node
     * ({@code node} itself when nothing changes).
     */
    static JsonValue write(UpdateRun run, JsonValue node, String[] segs, int i, String ptr, Leaf leaf,
            boolean creates) {
        String seg = segs[i];
        boolean last = i == segs.length - 1;
        if (seg.equals(Paths.ALL)) {
            if (!(node instanceof PJsonArray arr)) {
                throw run.fail("$[] needs an array at '" + prefix(segs, i) + "', found " + kind(node));
            }
            PJsonArray out = arr;
            for (int j = 0; j < arr.size(); j++) {
                JsonValue el = arr.get(j);
                String p = ptr + "/" + j;
                JsonValue nv;
                if (last) {
                    nv = leaf.apply(el);
                    if (nv == null) {
                        nv = JsonValue.NULL;
                    }
                    run.emit(el, nv, p);
                } else {
                    nv = descend(run, el, segs, i, p, leaf, creates);
                }
                out = out.with(j, nv);
            }
            return out;
        }
        if (node instanceof PJsonObject obj) {
            JsonValue child = obj.get(seg);
            String p = Paths.pointerChild(ptr, seg);
            if (last) {
                JsonValue nv = leaf.apply(child);
                run.emit(child, nv, p);
                return nv == null ? obj.without(seg) : obj.with(seg, nv);
            }
            if (child == null) {
                JsonValue created = create(run, segs, i, leaf, creates);
                if (created == null) {
                    return obj;
                }
                run.emit(null, created, p);
                return obj.with(seg, created);
            }
            return obj.with(seg, descend(run, child, segs, i, p, leaf, creates));
        }
        PJsonArray arr = (PJsonArray) node;
        int idx = Paths.index(seg);
        if (idx < 0) {
            requireNoAll(run, segs, i + 1);
            if (!creates) {
                return arr;
            }
            throw run.fail("cannot create field '" + seg + "' in the array at '" + prefix(segs, i) + "'");
        }
        String p = ptr + "/" + idx;
        if (idx < arr.size()) {
            JsonValue child = arr.get(idx);
            if (last) {
                JsonValue nv = leaf.apply(child);
                if (nv == null) {
                    nv = JsonValue.NULL; // MongoDB: unsetting an array element sets it to null
                }
                run.emit(child, nv, p);
                return arr.with(idx, nv);
            }
            return arr.with(idx, descend(run, child, segs, i, p, leaf, creates));
        }
        JsonValue created = last ? leaf.apply(null) : create(run, segs, i, leaf, creates);
        if (created == null) {
            return arr;
        }
        if (idx - arr.size() > MAX_PADDING) {
            throw run.fail("index " + idx + " would pad the array with more than " + MAX_PADDING + " nulls");
        }
        PJsonArray out = arr;
        while (out.size() < idx) {
            run.emit(null, JsonValue.NULL, ptr + "/" + out.size());
            out = out.plus(JsonValue.NULL);
        }
        run.emit(null, created, p);
        return out.plus(created);
    }

    /** Continues the walk into an existing child at segs[i]. */
    static JsonValue descend(UpdateRun run, JsonValue child, String[] segs, int i, String p, Leaf leaf,
            boolean creates) {
        if (child instanceof PJsonObject || child instanceof PJsonArray) {
            return write(run, child, segs, i + 1, p, leaf, creates);
        }
        if (segs[i + 1].equals(Paths.ALL)) {
            throw run.fail("$[] needs an array at '" + prefix(segs, i + 1) + "', found " + kind(child));
        }
        requireNoAll(run, segs, i + 1);
        if (!creates) {
            return child;
        }
        throw run.fail("cannot create field '" + segs[i + 1] + "' inside the " + kind(child) + " at '"
                + prefix(segs, i + 1) + "'");
    }

    /** The value to create for missing segs[i] (nested documents down to the leaf), or null for none. */
    static JsonValue create(UpdateRun run, String[] segs, int i, Leaf leaf, boolean creates) {
        requireNoAll(run, segs, i + 1);
        if (!creates) {
            return null;
        }
        JsonValue v = leaf.apply(null);
        if (v == null) {
            return null;
        }
        for (int j = segs.length - 1; j > i; j--) {
            v = PJsonObject.EMPTY.with(segs[j], v);
        }
        return v;
    }

    /**
     * MongoDB refuses {@code $[]} below a missing path for every operator, {@code $unset} included: "the
     * path must exist in the document in order to apply array updates".
     */
    static void requireNoAll(UpdateRun run, String[] segs, int from) {
        for (int j = from; j < segs.length; j++) {
            if (segs[j].equals(Paths.ALL)) {
                throw run.fail("the path '" + prefix(segs, j) + "' must exist to apply $[]");
            }
        }
    }

    static String prefix(String[] segs, int n) {
        return String.join(".", java.util.Arrays.copyOf(segs, n));
    }

    static String kind(JsonValue v) {
        if (v == null) {
            return "nothing";
        }
        String type = v.getValueType().toString().toLowerCase();
        long b = v instanceof JsonObject || v instanceof JsonArray ? JsonSize.bytes(v) : 0;
        return b > 200 ? type + " of " + b + " bytes" : type + " " + v;
    }

}
