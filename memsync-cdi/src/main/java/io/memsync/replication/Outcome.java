package io.memsync.replication;

import jakarta.json.JsonArray;

/**
 * Where the host ordered an update.
 *
 * @param term    the term of the host that ordered it
 * @param version the version it was given
 * @param effect  the host's RFC 6902 effect, or {@code null} when the outcome was learnt only from a snapshot
 */
public record Outcome(long term, long version, JsonArray effect) {
}
