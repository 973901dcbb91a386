package io.memsync;

import java.util.Objects;

import io.memsync.internal.JsonMapping;

import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

/**
 * A visible change of a shared document at an observed path, delivered to {@link SharedObject#observe} listeners
 * and, in CDI applications, as an event qualified with {@code @Shared("name")}.
 *
 * @param name    the shared object's name
 * @param path    the observed dotted path ({@code ""} for the whole document)
 * @param value   the new value at {@code path}, {@link JsonValue#NULL} when absent
 * @param version the document version the change belongs to (for a pending change: the confirmed version it is
 *                based on)
 * @param term    the host term of that version
 * @param effect  the RFC 6902 operations of the change that touch {@code path} (paths are JSON Pointers into the
 *                whole document)
 * @param origin  whether this process made the change
 * @param state   whether the change is confirmed by the host, still pending, or the undoing of a rejected update
 */
public record MemSyncChange(String name, String path, JsonValue value, long version, long term, JsonArray effect,
                            Origin origin, State state) {

    /** Validates the components. */
    public MemSyncChange {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(state, "state");
    }

    /** Which process made a change. */
    public enum Origin {
        /** This process. */
        LOCAL,
        /** Another process of the network. */
        REMOTE
    }

    /** Where a change stands in the replication order. */
    public enum State {
        /** Applied locally at once, not yet ordered by the host. */
        PENDING,
        /** Ordered by the host; every replica applies it. */
        CONFIRMED,
        /** A pending change the host rejected, removed again from the view. */
        ROLLED_BACK
    }

    /**
     * Whether the change came from another process.
     *
     * @return {@code origin() == REMOTE}
     */
    public boolean remote() {
        return origin == Origin.REMOTE;
    }

    /**
     * The new value mapped through JSON-B.
     *
     * @param type target type (records, POJOs, boxed scalars, JSON-P types)
     * @param <T>  the type
     * @return the value, {@code null} when absent or JSON null
     */
    public <T> T value(Class<T> type) {
        return JsonMapping.fromJson(value, type);
    }
}
