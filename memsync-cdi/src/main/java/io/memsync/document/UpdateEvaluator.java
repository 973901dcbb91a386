package io.memsync.document;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.memsync.MemSyncException;
import io.memsync.Update;

/**
 * Evaluates an {@link Update} against a document with MongoDB semantics and computes its effect.
 *
 * <p>Supported update operators: {@code $set $unset $inc $mul $min $max $rename $currentDate
 * $setOnInsert} (a no-op: documents always exist), {@code $push} (with {@code $each $position $sort
 * $slice}, applied in that order), {@code $addToSet} (with {@code $each}), {@code $pop $pull $pullAll},
 * and {@code $bit} ({@code and or xor}). Paths are dotted, may index arrays ({@code a.0.b}) and use the
 * all-positional {@code $[]}. As in MongoDB 5.0 and later, the fields are applied in path order (names
 * by code point, array indexes numerically), whatever operator and position hold them, so new members
 * are appended in that order. Missing intermediate documents are created; setting an index past an
 * array's end pads it with {@code null}. Arithmetic follows {@link JsonValues}. JSON Patch (RFC 6902) and
 * merge patch (RFC 7396) updates are supported too.
 *
 * <p>Deliberate differences from MongoDB, which stores BSON rather than JSON: {@code $currentDate} writes
 * an ISO-8601 string with millisecond precision ({@code "date"}) or epoch milliseconds
 * ({@code "timestamp"}); arithmetic with a non-integral operand is exact decimal arithmetic, not binary
 * double ({@code 0.1 + 0.2} is {@code 0.3}); and integer overflow widens past {@code long} instead of
 * failing (see {@link JsonValues}).
 *
 * <p>Every failure is a {@link MemSyncException} with {@link MemSyncException#ERR_INVALID_PATCH} whose
 * message names the operator and path; the input document is immutable and never changes.
 */
public final class UpdateEvaluator {

    /** Largest number of {@code null}s an update may pad an array with. */
    static final int MAX_PADDING = 100_000;

    private static final Set<String> COMMUTATIVE = Set.of("$inc", "$mul", "$min", "$max", "$addToSet");

    /**
     * The outcome of evaluating an update.
     *
     * @param document    the new persistent document
     * @param effect      an RFC 6902 patch (only add/remove/replace) turning the old document into
     *                    {@code document}; empty when nothing changed
     * @param paths       the dotted paths the update touches
     * @param commutative whether every operator is commutative ({@code $inc $mul $min $max $addToSet},
     *                    {@code $push} without {@code $position $slice $sort}, or {@code $setOnInsert},
     *                    which changes nothing)
     */
    public record Evaluation(JsonObject document, JsonArray effect, List<String> paths, boolean commutative) {
    }

    private UpdateEvaluator() {
    }

    /**
     * Evaluates an update.
     *
     * @param document the current document (persistent or not; never modified)
     * @param update   the update
     * @return the new document, its effect, the touched paths and whether the update commutes
     * @throws MemSyncException {@link MemSyncException#ERR_INVALID_PATCH} when the update is invalid or
     *                          does not apply to this document
     */
    public static Evaluation evaluate(JsonObject document, Update update) {
        return evaluate(document, update, new PathClaims());
    }

    /** {@link #evaluate(JsonObject, Update)} checking the update's own paths in {@code claims} (tests read its cost). */
    static Evaluation evaluate(JsonObject document, Update update, PathClaims claims) {
        JsonObject doc = PersistentJson.object(document);
        return switch (update.kind()) {
            case OPERATORS -> operators(doc, asObject(update), claims);
            case JSON_PATCH -> jsonPatch(doc, update);
            case MERGE_PATCH -> mergePatch(doc, asObject(update));
        };
    }

    private static JsonObject asObject(Update update) {
        if (update.json() instanceof JsonObject o) {
            return o;
        }
        throw invalid(update.kind() + " update must be a JSON object");
    }

    // ------------------------------------------------------------------ JSON Patch / merge patch

    private static Evaluation jsonPatch(JsonObject doc, Update update) {
        if (!(update.json() instanceof JsonArray patch)) {
            throw invalid("JSON Patch must be a JSON array");
        }
        List<JsonObject> ops = new ArrayList<>();
        List<String> touched = new ArrayList<>();
        for (int i = 0; i < patch.size(); i++) {
            if (!(patch.get(i) instanceof JsonObject o)) {
                throw invalid("JSON Patch operation " + i + " is not an object");
            }
            doc = Effects.applyOne(doc, o, ops, touched);
        }
        Set<String> paths = new LinkedHashSet<>();
        for (String p : touched) {
            paths.add(Paths.dotted(p));
        }
        return new Evaluation(doc, PJsonArray.ofList(new ArrayList<>(ops)), List.copyOf(paths), false);
    }

    private static Evaluation mergePatch(JsonObject doc, JsonObject patch) {
        List<JsonObject> ops = new ArrayList<>();
        JsonObject result = merge((PJsonObject) doc, patch, "", ops);
        Set<String> paths = new LinkedHashSet<>();
        for (JsonObject op : ops) {
            paths.add(Paths.dotted(op.getString("path")));
        }
        return new Evaluation(result, PJsonArray.ofList(new ArrayList<>(ops)), List.copyOf(paths), false);
    }

    private static PJsonObject merge(PJsonObject target, JsonObject patch, String ptr, List<JsonObject> ops) {
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

    private static PJsonObject mergeFresh(PJsonObject target, JsonObject patch) {
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

    // ------------------------------------------------------------------ update operators

    /** One field of an update; {@code at}: the segments of where it writes (its path; a {@code $rename}'s target). */
    private record Item(String operator, String path, JsonValue arg, String[] at) {
    }

    private static Evaluation operators(JsonObject doc, JsonObject update, PathClaims claimed) {
        if (update.isEmpty()) {
            throw invalid("update document is empty: it needs at least one operator such as $set");
        }
        List<Item> items = new ArrayList<>();
        // every claimed path clashes with no other (equal paths clash), so the touched paths are distinct
        List<String> paths = new ArrayList<>();
        boolean commutative = true;
        for (Map.Entry<String, JsonValue> e : update.entrySet()) {
            String op = e.getKey();
            if (!op.startsWith("$")) {
                throw invalid("'" + op + "' is not an update operator (path '" + op
                        + "'): an update document holds only operators such as $set");
            }
            if (!KNOWN.contains(op)) {
                throw invalid("unknown update operator " + op);
            }
            if (!(e.getValue() instanceof JsonObject fields)) {
                throw invalid(op + " needs a document of {path: value}, got " + e.getValue() + " (path '')");
            }
            if (fields.isEmpty()) {
                throw invalid(op + " is empty (path ''): it needs at least one field");
            }
            for (Map.Entry<String, JsonValue> f : fields.entrySet()) {
                String path = f.getKey();
                String problem = Paths.problem(path);
                if (problem != null) {
                    throw invalid(op + ": " + problem);
                }
                String at = path;
                claim(claimed, paths, path, op);
                if (op.equals("$rename")) {
                    if (!(f.getValue() instanceof JsonString target)) {
                        throw invalid("$rename of '" + path + "' needs a string target path, got " + f.getValue());
                    }
                    String to = target.getString();
                    String p2 = Paths.problem(to);
                    if (p2 != null) {
                        throw invalid("$rename of '" + path + "': target " + p2);
                    }
                    if (to.equals(path)) {
                        throw invalid("$rename of '" + path + "' onto itself");
                    }
                    if (Paths.overlap(path, to)) {
                        throw invalid("$rename of '" + path + "' to '" + to + "': one path is inside the other");
                    }
                    if (path.contains(Paths.ALL) || to.contains(Paths.ALL)) {
                        throw invalid("$rename of '" + path + "' to '" + to + "': $[] is not allowed");
                    }
                    claim(claimed, paths, to, op);
                    at = to;
                }
                items.add(new Item(op, path, f.getValue(), Paths.split(at)));
                commutative &= commutes(op, f.getValue());
            }
        }
        if (items.size() > 1) {
            items.sort((x, y) -> comparePaths(x.at, y.at));
        }
        Run run = new Run();
        JsonValue cur = doc;
        for (Item it : items) {
            run.operator = it.operator;
            run.path = it.path;
            cur = apply(run, cur, it);
        }
        return new Evaluation((JsonObject) cur, PJsonArray.ofList(run.ops), List.copyOf(paths), commutative);
    }

    /**
     * The order in which MongoDB (5.0 and later) applies the fields of an update, whatever operator
     * holds them: segment by segment, array indexes numerically ({@code a.2} before {@code a.10}) and
     * ahead of names, names by code point. It decides the order of members an update appends.
     */
    static int comparePaths(String a, String b) {
        return comparePaths(Paths.split(a), Paths.split(b));
    }

    /** {@link #comparePaths(String, String)} of split paths. */
    private static int comparePaths(String[] sa, String[] sb) {
        for (int i = 0; i < Math.min(sa.length, sb.length); i++) {
            int ia = Paths.index(sa[i]);
            int ib = Paths.index(sb[i]);
            int c;
            if (ia >= 0 && ib >= 0) {
                c = Integer.compare(ia, ib);
            } else if (ia >= 0 || ib >= 0) {
                c = ia >= 0 ? -1 : 1;
            } else {
                c = JsonValues.compareStrings(sa[i], sb[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(sa.length, sb.length);
    }

    private static final Set<String> KNOWN = Set.of("$set", "$unset", "$inc", "$mul", "$min", "$max",
            "$rename", "$currentDate", "$setOnInsert", "$push", "$addToSet", "$pop", "$pull", "$pullAll", "$bit");

    /**
     * Claims a path of the update (where an item reads or writes, {@code $rename} both of its paths): MongoDB
     * refuses an update two of whose paths overlap, or address one array both through {@code $[]} and through
     * an index or name ({@code a.$[].b} with {@code a.0.c}). The touched paths leave out {@code $setOnInsert}'s.
     */
    private static void claim(PathClaims claimed, List<String> paths, String path, String op) {
        String[] c = claimed.claim(path, op);
        if (c != null) {
            throw invalid(op + ": updating the path '" + path + "' would create a conflict with '" + c[0]
                    + "' (" + c[1] + ")");
        }
        if (!op.equals("$setOnInsert")) {
            paths.add(path);
        }
    }

    private static boolean commutes(String op, JsonValue arg) {
        if (COMMUTATIVE.contains(op) || op.equals("$setOnInsert")) {
            return true;
        }
        if (op.equals("$push")) {
            return !(arg instanceof JsonObject o && o.containsKey("$each")
                    && (o.containsKey("$position") || o.containsKey("$slice") || o.containsKey("$sort")));
        }
        return false;
    }

    /** Mutable state of one evaluation: recorded effect and the item being applied (for messages). */
    private static final class Run {
        final List<JsonValue> ops = new ArrayList<>(4);
        String operator;
        String path;

        MemSyncException fail(String msg) {
            return invalid(operator + " at '" + path + "': " + msg);
        }

        void emit(JsonValue old, JsonValue nv, String ptr) {
            if (old == null) {
                if (nv != null) {
                    ops.add(Effects.op("add", ptr, nv));
                }
            } else if (nv == null) {
                ops.add(Effects.op("remove", ptr, null));
            } else if (old != nv && !old.equals(nv)) {
                if (old instanceof PJsonArray oa && nv instanceof PJsonArray na) {
                    arrayDiff(oa, na, ptr);
                } else {
                    ops.add(Effects.op("replace", ptr, nv));
                }
            }
        }

        private void arrayDiff(PJsonArray a, PJsonArray b, String ptr) {
            int n = Math.min(a.size(), b.size());
            int p = 0;
            while (p < n && same(a.get(p), b.get(p))) {
                p++;
            }
            int s = 0;
            while (s < n - p && same(a.get(a.size() - 1 - s), b.get(b.size() - 1 - s))) {
                s++;
            }
            int k = a.size() - p - s;
            int m = b.size() - p - s;
            if (k == 0) {
                for (int j = 0; j < m; j++) {
                    ops.add(Effects.op("add", ptr + "/" + (p + j), b.get(p + j)));
                }
                return;
            }
            if (m < k) {
                // Is b's middle a subsequence of a's middle? Then only removals.
                List<Integer> removed = new ArrayList<>();
                int j = 0;
                for (int i = 0; i < k; i++) {
                    if (j < m && same(a.get(p + i), b.get(p + j))) {
                        j++;
                    } else {
                        removed.add(p + i);
                    }
                }
                if (j == m) {
                    for (int r = removed.size() - 1; r >= 0; r--) {
                        ops.add(Effects.op("remove", ptr + "/" + removed.get(r), null));
                    }
                    return;
                }
            }
            if (k == m && k <= 8) {
                for (int j = 0; j < k; j++) {
                    if (!same(a.get(p + j), b.get(p + j))) {
                        ops.add(Effects.op("replace", ptr + "/" + (p + j), b.get(p + j)));
                    }
                }
                return;
            }
            ops.add(Effects.op("replace", ptr, b));
        }

        private static boolean same(JsonValue x, JsonValue y) {
            return x == y || x.equals(y);
        }
    }

    /** What happens at the end of a path: old value (null when absent) to new value (null to remove). */
    @FunctionalInterface
    private interface Leaf {
        JsonValue apply(JsonValue old);
    }

    private static JsonValue apply(Run run, JsonValue doc, Item it) {
        String op = it.operator;
        JsonValue arg = it.arg;
        String[] segs = Paths.split(it.path);
        switch (op) {
            case "$setOnInsert":
                return doc;
            case "$set": {
                JsonValue v = PersistentJson.value(arg);
                return write(run, doc, segs, 0, "", old -> v, true);
            }
            case "$unset":
                return write(run, doc, segs, 0, "", old -> null, false);
            case "$inc":
            case "$mul": {
                JsonNumber n = number(run, arg);
                boolean inc = op.equals("$inc");
                return write(run, doc, segs, 0, "", old -> {
                    if (old == null) {
                        return inc ? n : JsonValues.multiply(JsonValues.JSON.createValue(0), n);
                    }
                    if (!(old instanceof JsonNumber o)) {
                        throw run.fail("cannot apply to the non-number field value " + old);
                    }
                    return inc ? JsonValues.add(o, n) : JsonValues.multiply(o, n);
                }, true);
            }
            case "$min":
            case "$max": {
                JsonValue v = PersistentJson.value(arg);
                int sign = op.equals("$min") ? -1 : 1;
                return write(run, doc, segs, 0, "", old -> {
                    if (old == null) {
                        return v;
                    }
                    return Integer.signum(JsonValues.compare(v, old)) == sign ? v : old;
                }, true);
            }
            case "$currentDate": {
                JsonValue v = currentDate(run, arg);
                return write(run, doc, segs, 0, "", old -> v, true);
            }
            case "$bit":
                return bit(run, doc, segs, arg);
            case "$rename":
                return rename(run, doc, segs, ((JsonString) arg).getString());
            case "$push":
                return push(run, doc, segs, arg);
            case "$addToSet":
                return addToSet(run, doc, segs, arg);
            case "$pop": {
                if (!(arg instanceof JsonNumber n) || !(n.bigDecimalValue().compareTo(java.math.BigDecimal.ONE) == 0
                        || n.bigDecimalValue().compareTo(java.math.BigDecimal.ONE.negate()) == 0)) {
                    throw run.fail("$pop needs 1 (last) or -1 (first), got " + arg);
                }
                boolean first = n.bigDecimalValue().signum() < 0;
                return write(run, doc, segs, 0, "", old -> {
                    PJsonArray a = array(run, old);
                    if (a == null || a.isEmpty()) {
                        return old;
                    }
                    return a.minus(first ? 0 : a.size() - 1);
                }, false);
            }
            case "$pull": {
                java.util.function.Predicate<JsonValue> test = pullTest(run, arg);
                return write(run, doc, segs, 0, "", old -> {
                    PJsonArray a = array(run, old);
                    if (a == null) {
                        return null;
                    }
                    return removeWhere(a, test);
                }, false);
            }
            case "$pullAll": {
                if (!(arg instanceof JsonArray values)) {
                    throw run.fail("$pullAll needs an array, got " + arg);
                }
                return write(run, doc, segs, 0, "", old -> {
                    PJsonArray a = array(run, old);
                    if (a == null) {
                        return null;
                    }
                    return removeWhere(a, e -> {
                        for (JsonValue v : values) {
                            if (JsonValues.mongoEquals(e, v)) {
                                return true;
                            }
                        }
                        return false;
                    });
                }, false);
            }
            default:
                throw run.fail("unsupported operator");
        }
    }

    // ------------------------------------------------------------------ the path walk

    /**
     * Rewrites {@code node} below segment {@code i}, recording effect operations. Returns the new node
     * ({@code node} itself when nothing changes).
     */
    private static JsonValue write(Run run, JsonValue node, String[] segs, int i, String ptr, Leaf leaf,
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
    private static JsonValue descend(Run run, JsonValue child, String[] segs, int i, String p, Leaf leaf,
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
    private static JsonValue create(Run run, String[] segs, int i, Leaf leaf, boolean creates) {
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
    private static void requireNoAll(Run run, String[] segs, int from) {
        for (int j = from; j < segs.length; j++) {
            if (segs[j].equals(Paths.ALL)) {
                throw run.fail("the path '" + prefix(segs, j) + "' must exist to apply $[]");
            }
        }
    }

    private static String prefix(String[] segs, int n) {
        return String.join(".", java.util.Arrays.copyOf(segs, n));
    }

    private static String kind(JsonValue v) {
        return v == null ? "nothing" : v.getValueType().toString().toLowerCase() + " " + v;
    }

    // ------------------------------------------------------------------ operator helpers

    private static JsonNumber number(Run run, JsonValue arg) {
        if (arg instanceof JsonNumber n) {
            return n;
        }
        throw run.fail("needs a number, got " + arg);
    }

    private static PJsonArray array(Run run, JsonValue old) {
        if (old == null) {
            return null;
        }
        if (old instanceof PJsonArray a) {
            return a;
        }
        throw run.fail("cannot apply " + run.operator + " to the non-array field value " + old);
    }

    private static JsonValue currentDate(Run run, JsonValue arg) {
        String type;
        if (arg.getValueType() == JsonValue.ValueType.TRUE) {
            type = "date";
        } else if (arg instanceof JsonObject o && o.size() == 1 && o.get("$type") instanceof JsonString t) {
            type = t.getString();
        } else {
            throw run.fail("needs true or {\"$type\":\"date\"|\"timestamp\"}, got " + arg);
        }
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // BSON dates hold ms
        return switch (type) {
            case "date" -> JsonValues.JSON.createValue(now.toString());
            case "timestamp" -> JsonValues.JSON.createValue(now.toEpochMilli());
            default -> throw run.fail("unknown $type '" + type + "'");
        };
    }

    private static JsonValue bit(Run run, JsonValue doc, String[] segs, JsonValue arg) {
        if (!(arg instanceof JsonObject spec) || spec.isEmpty()) {
            throw run.fail("needs {and|or|xor: integer}, got " + arg);
        }
        List<String> names = new ArrayList<>();
        List<BigInteger> operands = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e : spec.entrySet()) {
            if (!Set.of("and", "or", "xor").contains(e.getKey())) {
                throw run.fail("unknown bitwise operation '" + e.getKey() + "'");
            }
            if (!(e.getValue() instanceof JsonNumber n) || !n.isIntegral()) {
                throw run.fail("'" + e.getKey() + "' needs an integer, got " + e.getValue());
            }
            names.add(e.getKey());
            operands.add(n.bigIntegerValue());
        }
        return write(run, doc, segs, 0, "", old -> {
            BigInteger v;
            if (old == null) {
                v = BigInteger.ZERO;
            } else if (old instanceof JsonNumber n && n.isIntegral()) {
                v = n.bigIntegerValue();
            } else {
                throw run.fail("cannot apply to the non-integer field value " + old);
            }
            for (int k = 0; k < names.size(); k++) {
                v = switch (names.get(k)) {
                    case "and" -> v.and(operands.get(k));
                    case "or" -> v.or(operands.get(k));
                    default -> v.xor(operands.get(k));
                };
            }
            return JsonValues.integral(v);
        }, true);
    }

    private static JsonValue rename(Run run, JsonValue doc, String[] from, String to) {
        String[] toSegs = Paths.split(to);
        checkNoArray(run, doc, from);
        JsonValue v = Paths.get(doc, run.path);
        if (v == null) {
            return doc; // MongoDB returns here, before it looks at the target
        }
        checkNoArray(run, doc, toSegs);
        JsonValue removed = write(run, doc, from, 0, "", old -> null, false);
        return write(run, removed, toSegs, 0, "", old -> v, true);
    }

    private static void checkNoArray(Run run, JsonValue doc, String[] segs) {
        JsonValue cur = doc;
        for (int i = 0; i < segs.length - 1 && cur != null; i++) {
            cur = Paths.child(cur, segs[i]);
            if (cur instanceof JsonArray) {
                throw run.fail("$rename cannot traverse the array at '" + prefix(segs, i + 1) + "'");
            }
        }
    }

    private static JsonValue push(Run run, JsonValue doc, String[] segs, JsonValue arg) {
        List<JsonValue> each;
        Integer position = null;
        Integer slice = null;
        JsonValue sort = null;
        if (arg instanceof JsonObject o && o.containsKey("$each")) {
            for (String k : o.keySet()) {
                if (!Set.of("$each", "$position", "$slice", "$sort").contains(k)) {
                    throw run.fail("unknown $push modifier '" + k + "'");
                }
            }
            if (!(o.get("$each") instanceof JsonArray a)) {
                throw run.fail("$each needs an array, got " + o.get("$each"));
            }
            each = persistentList(a);
            if (o.containsKey("$position")) {
                position = integer(run, o.get("$position"), "$position");
            }
            if (o.containsKey("$slice")) {
                slice = integer(run, o.get("$slice"), "$slice");
            }
            if (o.containsKey("$sort")) {
                sort = o.get("$sort");
                sortComparator(run, sort); // validates
            }
        } else if (arg instanceof JsonObject o && !o.isEmpty() && o.keySet().iterator().next().startsWith("$")) {
            throw run.fail("modifiers " + o.keySet() + " need $each");
        } else {
            each = List.of(PersistentJson.value(arg));
        }
        Integer pos = position;
        Integer sl = slice;
        JsonValue so = sort;
        return write(run, doc, segs, 0, "", old -> {
            PJsonArray a = array(run, old);
            if (a == null) {
                a = PJsonArray.EMPTY;
            }
            if (pos == null && sl == null && so == null) {
                for (JsonValue e : each) {
                    a = a.plus(e);
                }
                return a;
            }
            List<JsonValue> list = new ArrayList<>(a);
            int at = list.size();
            if (pos != null) {
                at = pos >= 0 ? Math.min(pos, list.size()) : Math.max(0, list.size() + pos);
            }
            list.addAll(at, each);
            if (so != null) {
                list.sort(sortComparator(run, so));
            }
            if (sl != null) {
                int s = sl;
                if (s >= 0) {
                    list = list.subList(0, Math.min(s, list.size()));
                } else {
                    list = list.subList(Math.max(0, list.size() + s), list.size());
                }
            }
            return PJsonArray.ofList(list);
        }, true);
    }

    private static Comparator<JsonValue> sortComparator(Run run, JsonValue spec) {
        if (spec instanceof JsonNumber n) {
            int dir = direction(run, n);
            return (x, y) -> dir * JsonValues.compare(x, y);
        }
        if (spec instanceof JsonObject o && !o.isEmpty()) {
            List<String> fields = new ArrayList<>();
            List<Integer> dirs = new ArrayList<>();
            for (Map.Entry<String, JsonValue> e : o.entrySet()) {
                String problem = Paths.problem(e.getKey());
                if (problem != null) {
                    throw run.fail("$sort: " + problem);
                }
                if (!(e.getValue() instanceof JsonNumber n)) {
                    throw run.fail("$sort direction for '" + e.getKey() + "' must be 1 or -1");
                }
                fields.add(e.getKey());
                dirs.add(direction(run, n));
            }
            return (x, y) -> {
                for (int k = 0; k < fields.size(); k++) {
                    JsonValue vx = Paths.get(x, fields.get(k));
                    JsonValue vy = Paths.get(y, fields.get(k));
                    int c = JsonValues.compare(vx == null ? JsonValue.NULL : vx, vy == null ? JsonValue.NULL : vy);
                    if (c != 0) {
                        return dirs.get(k) * c;
                    }
                }
                return 0;
            };
        }
        throw run.fail("$sort needs 1, -1 or a document like {\"field\":1}, got " + spec);
    }

    private static int direction(Run run, JsonNumber n) {
        BigInteger v = integralValue(n);
        if (v != null && v.abs().equals(BigInteger.ONE)) {
            return v.intValue();
        }
        throw run.fail("$sort direction must be 1 or -1, got " + n);
    }

    /**
     * A {@code $position} or {@code $slice} argument: any number with an integral value ({@code 2.0}
     * too, as MongoDB accepts), clamped to the int range (arrays are never longer).
     */
    private static int integer(Run run, JsonValue v, String what) {
        BigInteger i = v instanceof JsonNumber n ? integralValue(n) : null;
        if (i == null) {
            throw run.fail(what + " needs an integer, got " + v);
        }
        return i.max(BigInteger.valueOf(Integer.MIN_VALUE)).min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
    }

    /** The value of a number when it is a whole number (whatever its representation), else null. */
    private static BigInteger integralValue(JsonNumber n) {
        if (n.isIntegral()) {
            return n.bigIntegerValue();
        }
        java.math.BigDecimal d = n.bigDecimalValue();
        if (d.signum() == 0) {
            return BigInteger.ZERO;
        }
        if (d.stripTrailingZeros().scale() > 0) {
            return null;
        }
        if (d.precision() - d.scale() > 19) { // beyond long: keep the sign, avoid expanding 1E+1000000
            return BigInteger.valueOf(d.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE);
        }
        return d.toBigIntegerExact();
    }

    private static List<JsonValue> persistentList(JsonArray a) {
        List<JsonValue> out = new ArrayList<>(a.size());
        for (JsonValue v : a) {
            out.add(PersistentJson.value(v));
        }
        return out;
    }

    private static JsonValue addToSet(Run run, JsonValue doc, String[] segs, JsonValue arg) {
        List<JsonValue> each;
        if (arg instanceof JsonObject o && o.containsKey("$each")) {
            if (o.size() != 1) {
                throw run.fail("$addToSet accepts only the $each modifier, got " + o.keySet());
            }
            if (!(o.get("$each") instanceof JsonArray a)) {
                throw run.fail("$each needs an array, got " + o.get("$each"));
            }
            each = persistentList(a);
        } else {
            each = List.of(PersistentJson.value(arg));
        }
        return write(run, doc, segs, 0, "", old -> {
            PJsonArray a = array(run, old);
            if (a == null) {
                a = PJsonArray.EMPTY;
            }
            for (JsonValue e : each) {
                boolean present = false;
                for (JsonValue x : a) {
                    if (JsonValues.mongoEquals(x, e)) {
                        present = true;
                        break;
                    }
                }
                if (!present) {
                    a = a.plus(e);
                }
            }
            return a;
        }, true);
    }

    /**
     * The test {@code $pull} applies to each element, chosen as MongoDB does: an object whose first key is
     * a field-level query operator ({@code {"$gte":5}}) is a condition on the element itself; any other
     * object ({@code {"score":8}}, {@code {"$or":[…]}}, even {@code {}}) is a query that only document
     * elements can match; anything else (scalars, arrays) must equal the element exactly.
     */
    private static java.util.function.Predicate<JsonValue> pullTest(Run run, JsonValue cond) {
        if (cond instanceof JsonObject o) {
            if (!o.isEmpty() && Filters.isFieldOperator(o.keySet().iterator().next())) {
                return e -> Filters.matchesValue(e, o);
            }
            if (!o.isEmpty() && o.keySet().iterator().next().startsWith("$")
                    && !Set.of("$and", "$or", "$nor").contains(o.keySet().iterator().next())) {
                throw run.fail("unknown or unsupported query operator " + o.keySet().iterator().next());
            }
            return e -> e instanceof JsonObject && Filters.matches(e, o);
        }
        return e -> JsonValues.mongoEquals(e, cond);
    }

    private static PJsonArray removeWhere(PJsonArray a, java.util.function.Predicate<JsonValue> p) {
        PJsonArray out = a;
        for (int i = a.size() - 1; i >= 0; i--) {
            if (p.test(a.get(i))) {
                out = out.minus(i);
            }
        }
        return out;
    }

    private static MemSyncException invalid(String msg) {
        return new MemSyncException(MemSyncException.ERR_INVALID_PATCH, msg);
    }
}
