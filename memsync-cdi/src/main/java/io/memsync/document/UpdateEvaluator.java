package io.memsync.document;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

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
     * Evaluates an update within the {@linkplain Limits#DEFAULT default limits}.
     *
     * @param document the current document (persistent or not; never modified)
     * @param update   the update
     * @return the new document, its effect, the touched paths and whether the update commutes
     * @throws MemSyncException {@link MemSyncException#ERR_INVALID_PATCH} when the update is invalid or
     *                          does not apply to this document, {@link MemSyncException#ERR_TOO_LARGE} when it
     *                          passes a limit
     */
    public static Evaluation evaluate(JsonObject document, Update update) {
        return evaluate(document, update, Limits.DEFAULT);
    }

    /**
     * Evaluates an update within limits: one whose effect or resulting document, written out, or whose nesting
     * passes a limit is refused as soon as it does, without writing anything out.
     *
     * @param document the current document (persistent or not; never modified)
     * @param update   the update
     * @param limits   the limits
     * @return the new document, its effect, the touched paths and whether the update commutes
     * @throws MemSyncException {@link MemSyncException#ERR_INVALID_PATCH} when the update is invalid or
     *                          does not apply to this document, {@link MemSyncException#ERR_TOO_LARGE} (naming the
     *                          limit and its value) when it passes a limit
     */
    public static Evaluation evaluate(JsonObject document, Update update, Limits limits) {
        return evaluate(document, update, new PathClaims(), limits);
    }

    /** {@link #evaluate(JsonObject, Update)} checking the update's own paths in {@code claims} (tests read its cost). */
    static Evaluation evaluate(JsonObject document, Update update, PathClaims claims) {
        return evaluate(document, update, claims, Limits.DEFAULT);
    }

    private static Evaluation evaluate(JsonObject document, Update update, PathClaims claims, Limits limits) {
        JsonObject doc = PersistentJson.object(document);
        LimitCheck check = new LimitCheck(limits);
        return switch (update.kind()) {
            case OPERATORS -> UpdateOperators.operators(doc, asObject(update), claims, check);
            case JSON_PATCH -> jsonPatch(doc, update, check);
            case MERGE_PATCH -> MergePatch.evaluate(doc, asObject(update), check);
        };
    }

    private static JsonObject asObject(Update update) {
        if (update.json() instanceof JsonObject o) {
            return o;
        }
        throw invalid(update.kind() + " update must be a JSON object");
    }

    private static Evaluation jsonPatch(JsonObject doc, Update update, LimitCheck check) {
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
            check.effect(ops); // each step: a patch that copies a value into itself grows its effect fast
            check.document(doc);
        }
        Set<String> paths = new LinkedHashSet<>();
        for (String p : touched) {
            paths.add(Paths.dotted(p));
        }
        return new Evaluation(doc, PJsonArray.ofList(new ArrayList<>(ops)), List.copyOf(paths), false);
    }


    /**
     * The order in which MongoDB (5.0 and later) applies the fields of an update, whatever operator
     * holds them: segment by segment, array indexes numerically ({@code a.2} before {@code a.10}) and
     * ahead of names, names by code point. It decides the order of members an update appends.
     */
    static int comparePaths(String a, String b) {
        return UpdateOperators.comparePaths(Paths.split(a), Paths.split(b));
    }

    static MemSyncException invalid(String msg) {
        return new MemSyncException(MemSyncException.ERR_INVALID_PATCH, msg);
    }
}
