package io.memsync.document;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import static io.memsync.document.PathWalk.write;

/** The array operators {@code $push} (with its modifiers), {@code $addToSet}, {@code $pull}, and {@code $bit}. */
final class ArrayOperators {

    private ArrayOperators() {
    }

    static JsonValue bit(UpdateRun run, JsonValue doc, String[] segs, JsonValue arg) {
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
                throw run.fail("cannot apply to the non-integer field value " + JsonSize.brief(old));
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

    static JsonValue push(UpdateRun run, JsonValue doc, String[] segs, JsonValue arg) {
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

    static Comparator<JsonValue> sortComparator(UpdateRun run, JsonValue spec) {
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

    static int direction(UpdateRun run, JsonNumber n) {
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
    static int integer(UpdateRun run, JsonValue v, String what) {
        BigInteger i = v instanceof JsonNumber n ? integralValue(n) : null;
        if (i == null) {
            throw run.fail(what + " needs an integer, got " + v);
        }
        return i.max(BigInteger.valueOf(Integer.MIN_VALUE)).min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
    }

    /** The value of a number when it is a whole number (whatever its representation), else null. */
    static BigInteger integralValue(JsonNumber n) {
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

    static List<JsonValue> persistentList(JsonArray a) {
        List<JsonValue> out = new ArrayList<>(a.size());
        for (JsonValue v : a) {
            out.add(PersistentJson.value(v));
        }
        return out;
    }

    static JsonValue addToSet(UpdateRun run, JsonValue doc, String[] segs, JsonValue arg) {
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
    static java.util.function.Predicate<JsonValue> pullTest(UpdateRun run, JsonValue cond) {
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

    static PJsonArray removeWhere(PJsonArray a, java.util.function.Predicate<JsonValue> p) {
        PJsonArray out = a;
        for (int i = a.size() - 1; i >= 0; i--) {
            if (p.test(a.get(i))) {
                out = out.minus(i);
            }
        }
        return out;
    }


    static PJsonArray array(UpdateRun run, JsonValue old) {
        if (old == null) {
            return null;
        }
        if (old instanceof PJsonArray a) {
            return a;
        }
        throw run.fail("cannot apply " + run.operator + " to the non-array field value " + JsonSize.brief(old));
    }

}
