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
 * @param grants      the writer grants at {@code version} (empty without a writer cap)
 * @param writerCap   the cap the grants keep ({@link Integer#MAX_VALUE} without grants)
 */
record Snapshot(long lastTerm, long version, JsonObject document, Map<String, Long> table, long logBase,
                long logBaseTerm, List<Entry> log, List<WriterGrants.Grant> grants, int writerCap) {

    /** Checks for nulls and takes immutable copies of the table (sorted), the log and the grants. */
    Snapshot {
        Objects.requireNonNull(document, "document");
        table = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(table, "table")));
        log = List.copyOf(Objects.requireNonNull(log, "log"));
        grants = List.copyOf(Objects.requireNonNull(grants, "grants"));
    }

    /** A snapshot of a network without writer grants (no writer cap). */
    Snapshot(long lastTerm, long version, JsonObject document, Map<String, Long> table, long logBase, long logBaseTerm,
             List<Entry> log) {
        this(lastTerm, version, document, table, logBase, logBaseTerm, log, List.of(), Integer.MAX_VALUE);
    }
}
