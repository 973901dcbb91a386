package io.memsync.storage;

import java.util.Arrays;

import io.memsync.MemSyncException;

/**
 * A persisted snapshot: the replicated state at log position {@code (term, version)}, as bytes the replication core
 * serialized (the confirmed document and the exactly-once table, and whatever else the core needs to continue
 * from that position). The store never looks inside the state.
 *
 * <p>The state array is not copied: do not change it after handing it to a store.
 *
 * @param term    the term of the entry at {@code version} ({@code 0} for an imported or initial state)
 * @param version the version the state includes every entry up to, {@code >= 0}
 * @param state   the serialized state, not {@code null}
 */
public record SnapshotRecord(long term, long version, byte[] state) {

    /**
     * Checks the position and the state.
     *
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} for a negative term or version or a
     *                          {@code null} state
     */
    public SnapshotRecord {
        if (term < 0 || version < 0) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG,
                    "snapshot (term " + term + ", version " + version + "): term and version must be >= 0");
        }
        if (state == null) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG,
                    "snapshot (term " + term + ", version " + version + "): the state must not be null");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotRecord r && r.term == term && r.version == version && Arrays.equals(r.state, state);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(term) * 31 * 31 + Long.hashCode(version) * 31 + Arrays.hashCode(state);
    }

    @Override
    public String toString() {
        return "SnapshotRecord[term=" + term + ", version=" + version + ", state=" + state.length + " bytes]";
    }
}
