package io.memsync;

import java.util.Objects;

import io.memsync.internal.JsonMapping;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * A condition the host checks when it orders a patch; when it does not hold the patch fails with
 * {@link MemSyncException#ERR_PRECONDITION}, carrying the current version, and nothing is applied.
 *
 * <pre>{@code
 * shared.patch(Update.inc("n", 1), Precondition.version(41));
 * shared.patch(Update.set("state", "done"), Precondition.matches("{\"state\":\"running\"}"));
 * }</pre>
 */
public final class Precondition {
    private final long version;
    private final JsonObject filter;

    private Precondition(long version, JsonObject filter) {
        this.version = version;
        this.filter = filter;
    }

    /**
     * Holds when the document's version at the host is exactly {@code version} when the patch is ordered.
     *
     * @param version expected version, {@code >= 0}
     * @return the precondition
     * @throws IllegalArgumentException when {@code version} is negative
     */
    public static Precondition version(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, got " + version);
        }
        return new Precondition(version, null);
    }

    /**
     * Holds when the document matches a MongoDB-style filter: equality on dotted paths, and the comparison
     * operators {@code $eq $ne $gt $gte $lt $lte $in $nin $exists}.
     *
     * @param filter the filter as JSON text, e.g. {@code {"foo":1,"n":{"$lt":10}}}
     * @return the precondition
     * @throws MemSyncException {@link MemSyncException#ERR_PRECONDITION} when the filter is not a JSON object
     */
    public static Precondition matches(String filter) {
        return new Precondition(-1, JsonMapping.parseObject(filter, MemSyncException.ERR_PRECONDITION, "precondition filter"));
    }

    /**
     * Holds when the document matches a MongoDB-style filter (see {@link #matches(String)}).
     *
     * @param filter the filter
     * @return the precondition
     */
    public static Precondition matches(JsonObject filter) {
        return new Precondition(-1, Objects.requireNonNull(filter, "filter"));
    }

    /**
     * The expected version, or {@code -1} for a filter precondition.
     *
     * @return the version
     */
    public long expectedVersion() {
        return version;
    }

    /**
     * The filter, or {@code null} for a version precondition.
     *
     * @return the filter
     */
    public JsonObject filter() {
        return filter;
    }

    /**
     * This precondition as JSON: {@code {"version":n}} or {@code {"filter":{…}}}.
     *
     * @return the JSON form
     */
    public JsonObject json() {
        return filter == null
                ? JsonMapping.JSON.createObjectBuilder().add("version", version).build()
                : JsonMapping.JSON.createObjectBuilder().add("filter", filter).build();
    }

    /**
     * Reads the form produced by {@link #json()}.
     *
     * @param json the JSON form
     * @return the precondition
     * @throws MemSyncException {@link MemSyncException#ERR_PRECONDITION} when the form is not recognised
     */
    public static Precondition fromJson(JsonObject json) {
        if (json.containsKey("filter") && json.get("filter") instanceof JsonObject f) {
            return matches(f);
        }
        if (json.containsKey("version") && json.get("version") instanceof jakarta.json.JsonNumber n) {
            return version(n.longValue());
        }
        throw new MemSyncException(MemSyncException.ERR_PRECONDITION, "unrecognised precondition " + json);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Precondition p && p.version == version && Objects.equals(p.filter, filter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, filter);
    }

    @Override
    public String toString() {
        return filter == null ? "version == " + version : "matches " + filter;
    }
}
