package io.memsync.document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.JsonNumber;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.memsync.document.UpdateEvaluator.Evaluation;

import static io.memsync.document.ArrayOperators.addToSet;
import static io.memsync.document.ArrayOperators.array;
import static io.memsync.document.ArrayOperators.bit;
import static io.memsync.document.ArrayOperators.pullTest;
import static io.memsync.document.ArrayOperators.push;
import static io.memsync.document.ArrayOperators.removeWhere;
import static io.memsync.document.PathWalk.prefix;
import static io.memsync.document.PathWalk.write;
import static io.memsync.document.UpdateEvaluator.invalid;

/**
 * Update documents of operators ({@code $set}, {@code $push}, ...): checks their fields and paths, sorts them in
 * MongoDB's order and applies each through {@link PathWalk}, recording the effect in an {@link UpdateRun}.
 */
final class UpdateOperators {

    private static final Set<String> COMMUTATIVE = Set.of("$inc", "$mul", "$min", "$max", "$addToSet");

    private UpdateOperators() {
    }

    /** One field of an update; {@code at}: the segments of where it writes (its path; a {@code $rename}'s target). */
    record Item(String operator, String path, JsonValue arg, String[] at) {
    }

    static Evaluation operators(JsonObject doc, JsonObject update, PathClaims claimed, LimitCheck check) {
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
        UpdateRun run = new UpdateRun();
        JsonValue cur = doc;
        for (Item it : items) {
            run.operator = it.operator;
            run.path = it.path;
            cur = apply(run, cur, it);
            check.effect(run.ops);
        }
        check.document((JsonObject) cur);
        return new Evaluation((JsonObject) cur, PJsonArray.ofList(run.ops), List.copyOf(paths), commutative);
    }

    /** {@link UpdateEvaluator#comparePaths(String, String)} of split paths. */
    static int comparePaths(String[] sa, String[] sb) {
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

    static final Set<String> KNOWN = Set.of("$set", "$unset", "$inc", "$mul", "$min", "$max",
            "$rename", "$currentDate", "$setOnInsert", "$push", "$addToSet", "$pop", "$pull", "$pullAll", "$bit");

    /**
     * Claims a path of the update (where an item reads or writes, {@code $rename} both of its paths): MongoDB
     * refuses an update two of whose paths overlap, or address one array both through {@code $[]} and through
     * an index or name ({@code a.$[].b} with {@code a.0.c}). The touched paths leave out {@code $setOnInsert}'s.
     */
    static void claim(PathClaims claimed, List<String> paths, String path, String op) {
        String[] c = claimed.claim(path, op);
        if (c != null) {
            throw invalid(op + ": updating the path '" + path + "' would create a conflict with '" + c[0]
                    + "' (" + c[1] + ")");
        }
        if (!op.equals("$setOnInsert")) {
            paths.add(path);
        }
    }

    static boolean commutes(String op, JsonValue arg) {
        if (COMMUTATIVE.contains(op) || op.equals("$setOnInsert")) {
            return true;
        }
        if (op.equals("$push")) {
            return !(arg instanceof JsonObject o && o.containsKey("$each")
                    && (o.containsKey("$position") || o.containsKey("$slice") || o.containsKey("$sort")));
        }
        return false;
    }

    static JsonValue apply(UpdateRun run, JsonValue doc, Item it) {
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
                        throw run.fail("cannot apply to the non-number field value " + JsonSize.brief(old));
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

    static JsonNumber number(UpdateRun run, JsonValue arg) {
        if (arg instanceof JsonNumber n) {
            return n;
        }
        throw run.fail("needs a number, got " + arg);
    }

    static JsonValue currentDate(UpdateRun run, JsonValue arg) {
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

    static JsonValue rename(UpdateRun run, JsonValue doc, String[] from, String to) {
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

    static void checkNoArray(UpdateRun run, JsonValue doc, String[] segs) {
        JsonValue cur = doc;
        for (int i = 0; i < segs.length - 1 && cur != null; i++) {
            cur = Paths.child(cur, segs[i]);
            if (cur instanceof JsonArray) {
                throw run.fail("$rename cannot traverse the array at '" + prefix(segs, i + 1) + "'");
            }
        }
    }

}
