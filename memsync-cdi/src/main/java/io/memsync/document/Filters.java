package io.memsync.document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import io.memsync.MemSyncException;

/**
 * MongoDB-style query filters evaluated against a JSON value.
 *
 * <p>Supported: dotted-path equality ({@code {"a.b":1}}), the comparison operators {@code $eq $ne $gt
 * $gte $lt $lte $in $nin $exists}, and the logical {@code $and $or $nor}. Paths traverse arrays of
 * documents ({@code "items.name"} matches when any element's {@code name} matches), and a condition on an
 * array field also matches when any element matches ({@code {"tags":"x"}} matches {@code ["x","y"]}).
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
        List<JsonValue> values = new ArrayList<>(2);
        resolve(document, Paths.split(path), 0, values);
        return matchesValues(values, cond);
    }

    /** Collects the values at a path, traversing arrays of documents (an absent value adds nothing). */
    private static void resolve(JsonValue node, String[] segs, int i, List<JsonValue> out) {
        if (i == segs.length) {
            out.add(node);
            return;
        }
        if (node instanceof JsonObject o) {
            JsonValue c = o.get(segs[i]);
            if (c != null) {
                resolve(c, segs, i + 1, out);
            }
        } else if (node instanceof JsonArray a) {
            int idx = Paths.index(segs[i]);
            if (idx >= 0 && idx < a.size()) {
                resolve(a.get(idx), segs, i + 1, out);
            }
            for (JsonValue e : a) {
                if (e instanceof JsonObject) {
                    resolve(e, segs, i, out);
                }
            }
        }
    }

    private static boolean matchesValues(List<JsonValue> values, JsonValue cond) {
        if (isOperatorObject(cond)) {
            for (Map.Entry<String, JsonValue> e : ((JsonObject) cond).entrySet()) {
                if (!matchesOperator(values, e.getKey(), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        return anyEquals(values, cond);
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
     * Whether one value satisfies a condition: an operator expression ({@code {"$gt":3}}) or a value
     * compared for equality.
     *
     * @param value the value
     * @param cond  the condition
     * @return whether it matches
     */
    static boolean matchesValue(JsonValue value, JsonValue cond) {
        return matchesValues(List.of(value), cond);
    }

    private static boolean anyEquals(List<JsonValue> values, JsonValue target) {
        for (JsonValue v : values) {
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

    private static boolean anyCompare(List<JsonValue> values, JsonValue target, String op) {
        for (JsonValue v : values) {
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

    private static boolean matchesOperator(List<JsonValue> values, String op, JsonValue arg) {
        switch (op) {
            case "$eq":
                return anyEquals(values, arg);
            case "$ne":
                return !anyEquals(values, arg);
            case "$gt":
            case "$gte":
            case "$lt":
            case "$lte":
                return anyCompare(values, arg, op);
            case "$in":
                return anyIn(values, op, arg);
            case "$nin":
                return !anyIn(values, op, arg);
            case "$exists": {
                boolean want = !(arg.getValueType() == JsonValue.ValueType.FALSE
                        || arg.getValueType() == JsonValue.ValueType.NULL
                        || arg instanceof jakarta.json.JsonNumber n && n.bigDecimalValue().signum() == 0);
                return want != values.isEmpty();
            }
            default:
                throw invalid("unknown query operator " + op);
        }
    }

    private static boolean anyIn(List<JsonValue> values, String op, JsonValue arg) {
        if (!(arg instanceof JsonArray a)) {
            throw invalid(op + " needs an array");
        }
        for (JsonValue candidate : a) {
            if (anyEquals(values, candidate)) {
                return true;
            }
        }
        return false;
    }

    private static MemSyncException invalid(String msg) {
        return new MemSyncException(MemSyncException.ERR_INVALID_PATCH, "invalid filter: " + msg);
    }
}
