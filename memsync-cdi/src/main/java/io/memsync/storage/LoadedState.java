package io.memsync.storage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a store holds, as {@link Store#load()} reads it: the newest valid snapshot, the log records after it in
 * order, the highest position on disk, and what was cut while opening the store.
 *
 * <p>The tail is contiguous: its first record has version {@code snapshot.version + 1} (or 1 without a snapshot)
 * and each next one the version after. {@link #lastTerm()}/{@link #lastVersion()} is the position of the last
 * tail record, or the snapshot's when the tail is empty, or {@code (0, 0)} for an empty store. A new host takes
 * this position as one more log in recovery: it must never append a different entry under a version up to it
 * with the same or a lower term (the store refuses it, see {@link Store#append(LogRecord)}).
 *
 * @param snapshot    the newest snapshot that passed its checksum, if any
 * @param tail        the records after the snapshot, in version order
 * @param lastTerm    the term at {@link #lastVersion()}
 * @param lastVersion the highest version on disk
 * @param cuts        what was cut or set aside while opening (torn tail, corrupt record or snapshot), oldest first;
 *                    every cut was also logged at {@code WARNING}
 */
public record LoadedState(Optional<SnapshotRecord> snapshot, List<LogRecord> tail, long lastTerm, long lastVersion,
                          List<Cut> cuts) {

    /** Checks for nulls and takes immutable copies. */
    public LoadedState {
        Objects.requireNonNull(snapshot, "snapshot");
        tail = List.copyOf(tail);
        cuts = List.copyOf(cuts);
    }

    /**
     * Whether the store holds nothing (no snapshot and no record).
     *
     * @return whether empty
     */
    public boolean isEmpty() {
        return snapshot.isEmpty() && tail.isEmpty();
    }

    /**
     * Something the store set aside while opening because it was torn or corrupt.
     *
     * @param where   the file or object concerned
     * @param offset  the byte offset in it where the cut starts ({@code 0} for a whole file or object)
     * @param dropped how many bytes were cut from it ({@code -1} when a whole file or object was set aside)
     * @param reason  why, e.g. "checksum mismatch at version 812"
     */
    public record Cut(String where, long offset, long dropped, String reason) {
        /** Checks for nulls. */
        public Cut {
            Objects.requireNonNull(where, "where");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return where + " @" + offset + (dropped >= 0 ? " (" + dropped + " bytes)" : " (set aside)") + ": " + reason;
        }
    }
}
