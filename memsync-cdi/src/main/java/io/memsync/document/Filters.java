package io.memsync.document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import io.memsync.MemSyncException;

/**
 * MongoDB-style query filters evaluated against a JSON value.
 *
 * <p>Supported: dotted-path equality ({@code {"a.b":1}}), the comparison operators {@code $eq $ne $gt
 * $gte $lt $lte $in $nin $exists}, the array operators {@code $elemMatch $size $all}, {@code $not}, and
 * the logical {@code $and $or $nor}. Paths traverse arrays of documents ({@code "items.name"} matches when
 * any element's {@code name} matches), and a condition on an array field also matches when any element
 * matches ({@code {"tags":"x"}} matches {@code ["x","y"]}). As in MongoDB, equality with {@code null}
 * ({@code {"a":null}}, {@code $eq}, {@code $in}, {@code $gte}/{@code $lte}) also matches a missing field,
 * so {@code $ne: null} and {@code $nin: [null]} match only fields that exist and are not null.
 * Ordering operators ({@code $gt} …) only compare values of the same type class (numbers with numbers,
 * strings with strings, …), as MongoDB does. Equality is MongoDB equality ({@link JsonValues#mongoEquals}).
 */
public final class Filters {

    private Filters() {
    }

    /**
     * Whether a document matches a filter.
     *
     * @param document the document (usually an object)
     * @param filter   the filter, e.g. {@code {"score":{"$gt":3},"name":"x"}}
     * @return whether it matches
     * @throws MemSyncException {@link MemSyncException#ERR_INVALID_PATCH} on an unknown or malformed operator
     */
    public static boolean matches(JsonValue document, JsonObject filter) {
        for (Map.Entry<String, JsonValue> e : filter.entrySet()) {
            String key = e.getKey();
            JsonValue cond = e.getValue();
            boolean ok = switch (key) {
                case "$and" -> {
                    for (JsonObject f : clauses(key, cond)) {
                        if (!matches(document, f)) {
                            yield false;
                        }
                    }
                    yield true;
                }
                case "$or" -> {
                    for (JsonObject f : clauses(key, cond)) {
                        if (matches(document, f)) {
                            yield true;
                        }
                    }
                    yield false;
                }
                case "$nor" -> {
                    for (JsonObject f : clauses(key, cond)) {
                        if (matches(document, f)) {
                            yield false;
                        }
                    }
                    yield true;
                }
                default -> {
                    if (key.startsWith("$")) {
                        throw invalid("unknown query operator " + key);
                    }
                    yield matchesPath(document, key, cond);
                }
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static List<JsonObject> clauses(String op, JsonValue v) {
        if (!(v instanceof JsonArray a) || a.isEmpty()) {
            throw invalid(op + " needs a non-empty array of filters");
        }
        List<JsonObject> out = new ArrayList<>(a.size());
        for (JsonValue f : a) {
            if (!(f instanceof JsonObject o)) {
                throw invalid(op + " needs a non-empty array of filters");
            }
            out.add(o);
        }
        return out;
    }

    private static boolean matchesPath(JsonValue document, String path, JsonValue cond) {
        Resolved r = new Resolved();
        resolve(document, Paths.split(path), 0, r);
        return matchesValues(r, cond);
    }

    /**
     * The values found at a path, and whether some branch of the walk found nothing there (which a
     * {@code null} equality matches, as in MongoDB).
     */
    private static final class Resolved {
        final List<JsonValue> values = new ArrayList<>(2);
        boolean missing;

        static Resolved of(JsonValue v) {
            Resolved r = new Resolved();
            r.values.add(v);
            return r;
        }
    }

    /**
     * Collects the values at a path, traversing arrays of documents. A member missing from a document, or
     * a path continuing through a scalar, marks the result as missing; an array's non-document elements
     * contribute nothing (MongoDB's rules for {@code {"a.b": null}}).
     */
    private static void resolve(JsonValue node, String[] segs, int i, Resolved out) {
        if (i == segs.length) {
            out.values.add(node);
            return;
        }
        if (node instanceof JsonObject o) {
            JsonValue c = o.get(segs[i]);
            if (c != null) {
                resolve(c, segs, i + 1, out);
            } else {
                out.missing = true;
            }
        } else if (node instanceof JsonArray a) {
            int idx = Paths.index(segs[i]);
            if (idx >= 0) {
                if (idx < a.size()) {
                    resolve(a.get(idx), segs, i + 1, out);
                } else {
                    out.missing = true;
                }
            }
            // documents in the array are searched too; under an index segment their lacking that
            // member does not make the path missing (the element at the index decides that)
            Resolved sub = idx >= 0 ? new Resolved() : out;
            for (JsonValue e : a) {
                if (e instanceof JsonObject) {
                    resolve(e, segs, i, sub);
                }
            }
            if (sub != out) {
                out.values.addAll(sub.values);
            }
        } else {
            out.missing = true;
        }
    }

    private static boolean matchesValues(Resolved r, JsonValue cond) {
        if (isOperatorObject(cond)) {
            for (Map.Entry<String, JsonValue> e : ((JsonObject) cond).entrySet()) {
                if (!matchesOperator(r, e.getKey(), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        return anyEquals(r, cond);
    }

    /**
     * Whether a condition is an operator expression: a non-empty object whose keys all start with {@code $}.
     *
     * @param cond a condition
     * @return whether it is an operator expression
     */
    static boolean isOperatorObject(JsonValue cond) {
        if (!(cond instanceof JsonObject o) || o.isEmpty()) {
            return false;
        }
        for (String k : o.keySet()) {
            if (!k.startsWith("$")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a name is an operator that applies to a field's value ({@code $gt}, {@code $in},
     * {@code $elemMatch} …) rather than a document-level one ({@code $or}) or a field name.
     *
     * @param name an object key
     * @return whether it is a field-level query operator this class knows
     */
    static boolean isFieldOperator(String name) {
        return FIELD_OPERATORS.contains(name);
    }

    private static final java.util.Set<String> FIELD_OPERATORS = java.util.Set.of("$eq", "$ne", "$gt", "$gte",
            "$lt", "$lte", "$in", "$nin", "$exists", "$elemMatch", "$size", "$all", "$not");

    /**
     * Whether one value satisfies a condition: an operator expression ({@code {"$gt":3}}) or a value
     * compared for equality.
     *
     * @param value the value
     * @param cond  the condition
     * @return whether it matches
     */
    static boolean matchesValue(JsonValue value, JsonValue cond) {
        return matchesValues(Resolved.of(value), cond);
    }

    private static boolean anyEquals(Resolved r, JsonValue target) {
        if (r.missing && target.getValueType() == JsonValue.ValueType.NULL) {
            return true;
        }
        for (JsonValue v : r.values) {
            if (JsonValues.mongoEquals(v, target)) {
                return true;
            }
            if (v instanceof JsonArray a) {
                for (JsonValue e : a) {
                    if (JsonValues.mongoEquals(e, target)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean anyCompare(Resolved r, JsonValue target, String op) {
        if (r.missing && target.getValueType() == JsonValue.ValueType.NULL) {
            // a missing field compares as null: {$gte: null} and {$lte: null} match it
            return op.equals("$gte") || op.equals("$lte");
        }
        for (JsonValue v : r.values) {
            if (compareOk(v, target, op)) {
                return true;
            }
            if (v instanceof JsonArray a) {
                for (JsonValue e : a) {
                    if (compareOk(e, target, op)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean compareOk(JsonValue v, JsonValue target, String op) {
        if (JsonValues.rank(v) != JsonValues.rank(target)) {
            return false;
        }
        int c = JsonValues.compare(v, target);
        return switch (op) {
            case "$gt" -> c > 0;
            case "$gte" -> c >= 0;
            case "$lt" -> c < 0;
            default -> c <= 0;
        };
    }

    private static boolean matchesOperator(Resolved r, String op, JsonValue arg) {
        switch (op) {
            case "$eq":
                return anyEquals(r, arg);
            case "$ne":
                return !anyEquals(r, arg);
            case "$gt":
            case "$gte":
            case "$lt":
            case "$lte":
                return anyCompare(r, arg, op);
            case "$in":
                return anyIn(r, op, arg);
            case "$nin":
                return !anyIn(r, op, arg);
            case "$exists": {
                boolean want = !(arg.getValueType() == JsonValue.ValueType.FALSE
                        || arg.getValueType() == JsonValue.ValueType.NULL
                        || arg instanceof JsonNumber n && n.bigDecimalValue().signum() == 0);
                return want != r.values.isEmpty();
            }
            case "$elemMatch":
                return elemMatch(r, arg);
            case "$size": {
                if (!(arg instanceof JsonNumber n) || !n.isIntegral() || n.bigIntegerValue().signum() < 0) {
                    throw invalid("$size needs a non-negative integer");
                }
                for (JsonValue v : r.values) {
                    if (v instanceof JsonArray a && n.bigIntegerValue().equals(java.math.BigInteger.valueOf(a.size()))) {
                        return true;
                    }
                }
                return false;
            }
            case "$all": {
                if (!(arg instanceof JsonArray a)) {
                    throw invalid("$all needs an array");
                }
                if (a.isEmpty()) {
                    return false;
                }
                for (JsonValue want : a) {
                    boolean ok = Filters.isOperatorObject(want) && want.asJsonObject().containsKey("$elemMatch")
                            ? matchesValues(r, want)
                            : anyEquals(r, want);
                    if (!ok) {
                        return false;
                    }
                }
                return true;
            }
            case "$not": {
                if (!isOperatorObject(arg)) {
                    throw invalid("$not needs an operator expression such as {\"$gt\":1}");
                }
                return !matchesValues(r, arg);
            }
            default:
                throw invalid("unknown query operator " + op);
        }
    }

    /** {@code $elemMatch}: some array at the path has one element meeting every condition. */
    private static boolean elemMatch(Resolved r, JsonValue arg) {
        if (!(arg instanceof JsonObject cond)) {
            throw invalid("$elemMatch needs an object");
        }
        boolean onValues = !cond.isEmpty() && isFieldOperator(cond.keySet().iterator().next());
        for (JsonValue v : r.values) {
            if (v instanceof JsonArray a) {
                for (JsonValue e : a) {
                    if (onValues ? matchesValue(e, cond) : e instanceof JsonObject && matches(e, cond)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean anyIn(Resolved r, String op, JsonValue arg) {
        if (!(arg instanceof JsonArray a)) {
            throw invalid(op + " needs an array");
        }
        for (JsonValue candidate : a) {
            if (anyEquals(r, candidate)) {
                return true;
            }
        }
        return false;
    }

    private static MemSyncException invalid(String msg) {
        return new MemSyncException(MemSyncException.ERR_INVALID_PATCH, "invalid filter: " + msg);
    }
}
