package io.memsync.storage.log;

import io.memsync.MemSyncException;
import io.memsync.storage.LogRecord;
import io.memsync.storage.SnapshotRecord;
import io.memsync.storage.StoreOptions;

/**
 * Where a store's log stands: its {@link LogSequence} and its newest snapshot, with the version rule applied to
 * each append and snapshot, and the snapshot policy of {@link StoreOptions}. Not thread-safe: the store calls it
 * holding its own lock.
 */
public final class StorePosition {
    private final String description;
    private LogSequence sequence;
    private boolean hasSnapshot;
    private long snapshotTerm;
    private long snapshotVersion;

    /** @param description how messages name the store */
    public StorePosition(String description) {
        this.description = description;
    }

    /**
     * Sets the position found when opening.
     *
     * @param sequence the replayed log's sequence
     * @param snapshot the snapshot it starts from, or {@code null}
     */
    public void recovered(LogSequence sequence, SnapshotRecord snapshot) {
        this.sequence = sequence;
        if (snapshot != null) {
            hasSnapshot = true;
            snapshotTerm = snapshot.term();
            snapshotVersion = snapshot.version();
        }
    }

    /** @return the log's sequence */
    public LogSequence sequence() {
        return sequence;
    }

    /**
     * Checks an append against the version rule.
     *
     * @param record the record
     * @throws MemSyncException {@link MemSyncException#ERR_PROTOCOL} naming the refusal
     */
    public void checkAppend(LogRecord record) {
        String refusal = sequence.refusal(record.term(), record.version());
        if (refusal != null) {
            throw new MemSyncException(MemSyncException.ERR_PROTOCOL, "store " + description + " refuses (term "
                    + record.term() + ", version " + record.version() + "): " + refusal, null, sequence.lastTerm(), sequence.lastVersion());
        }
    }

    /**
     * Checks a snapshot against the version rule.
     *
     * @param s the snapshot
     * @return {@code false} when the same snapshot is already there
     * @throws MemSyncException {@link MemSyncException#ERR_PROTOCOL} naming the refusal
     */
    public boolean checkSnapshot(SnapshotRecord s) {
        if (hasSnapshot && s.version() == snapshotVersion && s.term() == snapshotTerm) {
            return false;
        }
        String refusal = sequence.snapshotRefusal(s.term(), s.version(), hasSnapshot);
        if (refusal != null) {
            throw new MemSyncException(MemSyncException.ERR_PROTOCOL, "store " + description + " refuses snapshot (term " + s.term()
                    + ", version " + s.version() + "): " + refusal, null, sequence.lastTerm(), sequence.lastVersion());
        }
        return true;
    }

    /**
     * Moves the position to a snapshot just written (checked with {@link #checkSnapshot}).
     *
     * @param s the snapshot
     */
    public void snapshotWritten(SnapshotRecord s) {
        sequence.rebase(s.term(), s.version());
        hasSnapshot = true;
        snapshotTerm = s.term();
        snapshotVersion = s.version();
    }

    /**
     * Whether the log since the snapshot reached a threshold of the options.
     *
     * @param options the options
     * @return {@code true} when a snapshot is due
     */
    public boolean snapshotDue(StoreOptions options) {
        return sequence.count() >= options.snapshotEveryEntries() || sequence.bytes() >= options.snapshotEveryBytes();
    }
}
