package io.memsync.replication;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import jakarta.json.JsonObject;

/**
 * The confirmed state of a replica as it travels to another one (in {@link Frame.SnapChunk}s, see
 * {@link SnapshotChunks}): enough for the receiver to continue the log exactly where the sender stands.
 *
 * <p>To carry more state later (e.g. something a future log entry kind needs that the retained log no longer holds),
 * add a component here and its member in {@link FrameCodec#encodeSnapshot}/{@link FrameCodec#decodeSnapshot}; the
 * encoding is a keyed JSON object, so nothing else changes. Writer grants are meant to be log entries, so they travel
 * in {@link #log()} and need no field of their own.
 *
 * @param lastTerm    term of the last applied entry ({@code 0} before the first)
 * @param version     version of the last applied entry ({@code 0} before the first)
 * @param document    the confirmed document at {@code version}
 * @param table       the exactly-once table: the highest sequence number ordered per peer id; kept sorted by peer id,
 *                    so the encoding is deterministic
 * @param logBase     version just below the first retained entry (entries up to it were compacted away)
 * @param logBaseTerm term of the entry at {@code logBase} ({@code 0} when {@code logBase == 0})
 * @param log         the retained entries, versions {@code logBase + 1 .. version} in order
 */
record Snapshot(long lastTerm, long version, JsonObject document, Map<String, Long> table, long logBase,
                long logBaseTerm, List<Entry> log) {

    /** Checks for nulls and takes immutable copies of the table (sorted) and the log. */
    Snapshot {
        Objects.requireNonNull(document, "document");
        table = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(table, "table")));
        log = List.copyOf(Objects.requireNonNull(log, "log"));
    }
}
