package io.memsync.jaxrs;

import io.memsync.SharedObject;
import io.memsync.Status;
import io.memsync.document.Paths;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A document read together with the version it is at.
 *
 * <p>{@link SharedObject#data()} and {@link SharedObject#status()} are two calls, so the version is read before and
 * after the data and the read is repeated when a change slipped in between. Should changes keep arriving, the
 * version read <em>before</em> the data is used: it is never newer than the data, so an {@code If-Match} built from
 * it can only fail spuriously with 412, never let a write through over a change the client has not seen.
 *
 * @param version  the confirmed version the data is at (the data may also hold this process's pending writes)
 * @param term     the host's term
 * @param document the document
 */
record Snapshot(long version, long term, JsonObject document) {
    private static final int ATTEMPTS = 4;

    static Snapshot of(SharedObject<?> shared) {
        Status before = shared.status();
        JsonObject data = shared.data();
        for (int i = 1; i < ATTEMPTS; i++) {
            Status after = shared.status();
            if (after.version() == before.version() && after.term() == before.term()) {
                break;
            }
            before = after;
            data = shared.data();
        }
        return new Snapshot(before.version(), before.term(), data);
    }

    /**
     * The value at a dotted path ({@code a.b.0.c}) of this document, told apart from JSON {@code null}.
     *
     * @param dotted a valid dotted path, not empty
     * @return the value, or Java {@code null} when nothing is there
     */
    JsonValue at(String dotted) {
        return Paths.get(document, dotted);
    }
}
