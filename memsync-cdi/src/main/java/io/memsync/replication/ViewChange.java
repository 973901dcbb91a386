package io.memsync.replication;

import io.memsync.MemSyncChange;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

/**
 * One visible change of a replica's view.
 *
 * @param before  the view before
 * @param after   the view after
 * @param effect  RFC 6902 operations: the host's effect for {@code CONFIRMED}, the local evaluation for
 *                {@code PENDING}, the difference {@code before → after} for {@code ROLLED_BACK}
 * @param version the confirmed version (for a pending change: the confirmed version it is based on)
 * @param term    the term of that version
 * @param local   whether this replica made the change
 * @param state   pending, confirmed or rolled back
 */
public record ViewChange(JsonObject before, JsonObject after, JsonArray effect, long version, long term, boolean local,
                         MemSyncChange.State state) {
}
