package io.memsync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.memsync.internal.JsonMapping;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

/**
 * A change to a shared document, in one of three forms (see {@link Kind}).
 *
 * <p>The usual form is a MongoDB update document, either written as JSON or built fluently:
 * <pre>{@code
 * shared.patch(Update.set("foo", 2).inc("n", 1).push("qux", "three"));
 * shared.patch(Update.of("{\"$set\":{\"foo\":2}}"));
 * }</pre>
 * Values given to the fluent methods may be JSON-P values, strings, numbers, booleans, {@code null}, or any
 * object JSON-B can map (records, POJOs, lists, maps). Updates are immutable: each fluent call returns a new
 * update. Whether an update is valid is decided when it is applied; an invalid one fails as a whole with
 * {@link MemSyncException#ERR_INVALID_PATCH}.
 */
public sealed interface Update permits Update.Operators, RawUpdate {

    /** The form of an update. */
    enum Kind {
        /** A MongoDB update document: {@code {"$set":{…},"$inc":{…}}}. */
        OPERATORS,
        /** An RFC 6902 JSON Patch: {@code [{"op":"add","path":"/a","value":1}]}. */
        JSON_PATCH,
        /** An RFC 7396 JSON merge patch: {@code {"a":1,"b":null}}. */
        MERGE_PATCH
    }

    /**
     * The form of this update.
     *
     * @return the kind
     */
    Kind kind();

    /**
     * This update as JSON: an object for {@link Kind#OPERATORS} and {@link Kind#MERGE_PATCH}, an array for
     * {@link Kind#JSON_PATCH}.
     *
     * @return the JSON form
     */
    JsonStructure json();

    /**
     * Parses an update: a JSON object is a MongoDB update document, a JSON array an RFC 6902 JSON Patch.
     *
     * @param json the update as JSON text
     * @return the update
     * @throws MemSyncException {@link MemSyncException#ERR_INVALID_PATCH} when the text is not a JSON object or array
     */
    static Update of(String json) {
        JsonStructure s = JsonMapping.parseStructure(json, MemSyncException.ERR_INVALID_PATCH, "update");
        return s instanceof JsonArray a ? new RawUpdate(Kind.JSON_PATCH, a) : new RawUpdate(Kind.OPERATORS, s);
    }

    /**
     * Wraps a MongoDB update document.
     *
     * @param operators the update document, e.g. {@code {"$set":{"foo":2}}}
     * @return the update
     */
    static Update of(JsonObject operators) {
        return new RawUpdate(Kind.OPERATORS, Objects.requireNonNull(operators, "operators"));
    }

    /**
     * Wraps an RFC 6902 JSON Patch.
     *
     * @param patch the patch operations
     * @return the update
     */
    static Update jsonPatch(JsonArray patch) {
        return new RawUpdate(Kind.JSON_PATCH, Objects.requireNonNull(patch, "patch"));
    }

    /**
     * Parses an RFC 6902 JSON Patch.
     *
     * @param patch the patch as JSON text (an array)
     * @return the update
     * @throws MemSyncException {@link MemSyncException#ERR_INVALID_PATCH} when the text is not a JSON array
     */
    static Update jsonPatch(String patch) {
        JsonStructure s = JsonMapping.parseStructure(patch, MemSyncException.ERR_INVALID_PATCH, "JSON Patch");
        if (s instanceof JsonArray a) {
            return new RawUpdate(Kind.JSON_PATCH, a);
        }
        throw new MemSyncException(MemSyncException.ERR_INVALID_PATCH, "JSON Patch must be a JSON array, got an object");
    }

    /**
     * Wraps an RFC 7396 merge patch.
     *
     * @param patch the merge patch
     * @return the update
     */
    static Update mergePatch(JsonObject patch) {
        return new RawUpdate(Kind.MERGE_PATCH, Objects.requireNonNull(patch, "patch"));
    }

    /**
     * Parses an RFC 7396 merge patch.
     *
     * @param patch the merge patch as JSON text (an object)
     * @return the update
     * @throws MemSyncException {@link MemSyncException#ERR_INVALID_PATCH} when the text is not a JSON object
     */
    static Update mergePatch(String patch) {
        return new RawUpdate(Kind.MERGE_PATCH,
                JsonMapping.parseObject(patch, MemSyncException.ERR_INVALID_PATCH, "merge patch"));
    }

    /**
     * Starts a fluent update with {@code $set}.
     *
     * @param path  dotted path
     * @param value new value
     * @return the update
     */
    static Operators set(String path, Object value) {
        return Operators.EMPTY.set(path, value);
    }

    /**
     * Starts a fluent update with {@code $unset}.
     *
     * @param path dotted path
     * @return the update
     */
    static Operators unset(String path) {
        return Operators.EMPTY.unset(path);
    }

    /**
     * Starts a fluent update with {@code $inc}.
     *
     * @param path  dotted path
     * @param delta amount to add
     * @return the update
     */
    static Operators inc(String path, Number delta) {
        return Operators.EMPTY.inc(path, delta);
    }

    /**
     * Starts a fluent update with {@code $mul}.
     *
     * @param path   dotted path
     * @param factor factor
     * @return the update
     */
    static Operators mul(String path, Number factor) {
        return Operators.EMPTY.mul(path, factor);
    }

    /**
     * Starts a fluent update with {@code $min}.
     *
     * @param path  dotted path
     * @param value value to compare with
     * @return the update
     */
    static Operators min(String path, Object value) {
        return Operators.EMPTY.min(path, value);
    }

    /**
     * Starts a fluent update with {@code $max}.
     *
     * @param path  dotted path
     * @param value value to compare with
     * @return the update
     */
    static Operators max(String path, Object value) {
        return Operators.EMPTY.max(path, value);
    }

    /**
     * Starts a fluent update with {@code $rename}.
     *
     * @param path    dotted path of the field to move
     * @param newPath dotted path it moves to
     * @return the update
     */
    static Operators rename(String path, String newPath) {
        return Operators.EMPTY.rename(path, newPath);
    }

    /**
     * Starts a fluent update with {@code $currentDate} (an ISO-8601 date string).
     *
     * @param path dotted path
     * @return the update
     */
    static Operators currentDate(String path) {
        return Operators.EMPTY.currentDate(path);
    }

    /**
     * Starts a fluent update with {@code $push} of one value.
     *
     * @param path  dotted path of an array
     * @param value value to append
     * @return the update
     */
    static Operators push(String path, Object value) {
        return Operators.EMPTY.push(path, value);
    }

    /**
     * Starts a fluent update with {@code $push} of several values ({@code $each}).
     *
     * @param path   dotted path of an array
     * @param values values to append in order
     * @return the update
     */
    static Operators pushAll(String path, Object... values) {
        return Operators.EMPTY.pushAll(path, values);
    }

    /**
     * Starts a fluent update with {@code $addToSet}.
     *
     * @param path  dotted path of an array
     * @param value value to add unless an equal one is present
     * @return the update
     */
    static Operators addToSet(String path, Object value) {
        return Operators.EMPTY.addToSet(path, value);
    }

    /**
     * Starts a fluent update with {@code $pop}.
     *
     * @param path  dotted path of an array
     * @param first {@code true} to remove the first element, {@code false} for the last
     * @return the update
     */
    static Operators pop(String path, boolean first) {
        return Operators.EMPTY.pop(path, first);
    }

    /**
     * Starts a fluent update with {@code $pull}.
     *
     * @param path      dotted path of an array
     * @param condition a value to remove, or a query condition such as {@code {"$gt":3}}
     * @return the update
     */
    static Operators pull(String path, Object condition) {
        return Operators.EMPTY.pull(path, condition);
    }

    /**
     * Starts a fluent update with {@code $pullAll}.
     *
     * @param path   dotted path of an array
     * @param values values to remove
     * @return the update
     */
    static Operators pullAll(String path, Object... values) {
        return Operators.EMPTY.pullAll(path, values);
    }

    /**
     * Starts a fluent update with any operator, for forms the named methods do not cover (e.g. {@code $push} with
     * {@code $slice}, or {@code $bit}).
     *
     * @param operator the operator, e.g. {@code "$push"}
     * @param path     dotted path
     * @param argument the operator's argument for that path
     * @return the update
     */
    static Operators op(String operator, String path, Object argument) {
        return Operators.EMPTY.op(operator, path, argument);
    }

    /**
     * A MongoDB update document built fluently. Immutable: every method returns a new instance.
     */
    final class Operators implements Update {
        private static final Operators EMPTY = new Operators(List.of());

        private record Op(String operator, String path, JsonValue argument) {
        }

        private final List<Op> ops;
        private volatile JsonObject json;

        private Operators(List<Op> ops) {
            this.ops = ops;
        }

        /**
         * Adds a {@code $set}.
         *
         * @param path  dotted path
         * @param value new value
         * @return a new update with the operation added
         */
        public Operators set(String path, Object value) {
            return op("$set", path, value);
        }

        /**
         * Adds a {@code $unset}.
         *
         * @param path dotted path
         * @return a new update with the operation added
         */
        public Operators unset(String path) {
            return op("$unset", path, "");
        }

        /**
         * Adds a {@code $inc}.
         *
         * @param path  dotted path
         * @param delta amount to add
         * @return a new update with the operation added
         */
        public Operators inc(String path, Number delta) {
            return op("$inc", path, delta);
        }

        /**
         * Adds a {@code $mul}.
         *
         * @param path   dotted path
         * @param factor factor
         * @return a new update with the operation added
         */
        public Operators mul(String path, Number factor) {
            return op("$mul", path, factor);
        }

        /**
         * Adds a {@code $min}.
         *
         * @param path  dotted path
         * @param value value to compare with
         * @return a new update with the operation added
         */
        public Operators min(String path, Object value) {
            return op("$min", path, value);
        }

        /**
         * Adds a {@code $max}.
         *
         * @param path  dotted path
         * @param value value to compare with
         * @return a new update with the operation added
         */
        public Operators max(String path, Object value) {
            return op("$max", path, value);
        }

        /**
         * Adds a {@code $rename}.
         *
         * @param path    dotted path of the field to move
         * @param newPath dotted path it moves to
         * @return a new update with the operation added
         */
        public Operators rename(String path, String newPath) {
            return op("$rename", path, newPath);
        }

        /**
         * Adds a {@code $currentDate} (an ISO-8601 date string).
         *
         * @param path dotted path
         * @return a new update with the operation added
         */
        public Operators currentDate(String path) {
            return op("$currentDate", path, JsonValue.TRUE);
        }

        /**
         * Adds a {@code $setOnInsert} (accepted; a no-op on an existing document).
         *
         * @param path  dotted path
         * @param value value
         * @return a new update with the operation added
         */
        public Operators setOnInsert(String path, Object value) {
            return op("$setOnInsert", path, value);
        }

        /**
         * Adds a {@code $push} of one value.
         *
         * @param path  dotted path of an array
         * @param value value to append
         * @return a new update with the operation added
         */
        public Operators push(String path, Object value) {
            return op("$push", path, value);
        }

        /**
         * Adds a {@code $push} of several values ({@code $each}).
         *
         * @param path   dotted path of an array
         * @param values values to append in order
         * @return a new update with the operation added
         */
        public Operators pushAll(String path, Object... values) {
            return op("$push", path, JsonMapping.JSON.createObjectBuilder().add("$each", array(values)).build());
        }

        /**
         * Adds a {@code $addToSet}.
         *
         * @param path  dotted path of an array
         * @param value value to add unless an equal one is present
         * @return a new update with the operation added
         */
        public Operators addToSet(String path, Object value) {
            return op("$addToSet", path, value);
        }

        /**
         * Adds a {@code $pop}.
         *
         * @param path  dotted path of an array
         * @param first {@code true} to remove the first element, {@code false} for the last
         * @return a new update with the operation added
         */
        public Operators pop(String path, boolean first) {
            return op("$pop", path, first ? -1 : 1);
        }

        /**
         * Adds a {@code $pull}.
         *
         * @param path      dotted path of an array
         * @param condition a value to remove, or a query condition such as {@code {"$gt":3}}
         * @return a new update with the operation added
         */
        public Operators pull(String path, Object condition) {
            return op("$pull", path, condition);
        }

        /**
         * Adds a {@code $pullAll}.
         *
         * @param path   dotted path of an array
         * @param values values to remove
         * @return a new update with the operation added
         */
        public Operators pullAll(String path, Object... values) {
            return op("$pullAll", path, array(values));
        }

        /**
         * Adds any operator.
         *
         * @param operator the operator, e.g. {@code "$bit"}
         * @param path     dotted path
         * @param argument the operator's argument for that path
         * @return a new update with the operation added
         */
        public Operators op(String operator, String path, Object argument) {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(path, "path");
            List<Op> next = new ArrayList<>(ops.size() + 1);
            next.addAll(ops);
            next.add(new Op(operator, path, JsonMapping.toJson(argument)));
            return new Operators(List.copyOf(next));
        }

        private static JsonArray array(Object... values) {
            JsonArrayBuilder b = JsonMapping.JSON.createArrayBuilder();
            Arrays.stream(values).map(JsonMapping::toJson).forEach(b::add);
            return b.build();
        }

        @Override
        public Kind kind() {
            return Kind.OPERATORS;
        }

        /**
         * The update document. Operations on the same operator are grouped under it; a path given twice for the
         * same operator keeps the last value.
         *
         * @return the MongoDB update document
         */
        @Override
        public JsonObject json() {
            JsonObject j = json;
            if (j == null) {
                java.util.LinkedHashMap<String, JsonObjectBuilder> byOperator = new java.util.LinkedHashMap<>();
                for (Op op : ops) {
                    byOperator.computeIfAbsent(op.operator(), k -> JsonMapping.JSON.createObjectBuilder()).add(op.path(), op.argument());
                }
                JsonObjectBuilder b = JsonMapping.JSON.createObjectBuilder();
                byOperator.forEach(b::add);
                j = b.build();
                json = j;
            }
            return j;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Operators other && other.json().equals(json());
        }

        @Override
        public int hashCode() {
            return json().hashCode();
        }

        @Override
        public String toString() {
            return json().toString();
        }
    }
}
