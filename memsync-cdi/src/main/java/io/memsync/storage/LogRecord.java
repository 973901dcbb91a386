package io.memsync.storage;

import java.util.Arrays;
import java.util.HexFormat;

import io.memsync.MemSyncException;

/**
 * One record of the persisted log: a replicated log entry's position {@code (term, version)} and its bytes as the
 * replication core serialized them. The store never looks inside the payload.
 *
 * <p>The payload array is not copied: do not change it after handing it to a store.
 *
 * @param term    the term of the entry, {@code >= 0}
 * @param version the version of the entry, {@code >= 1}
 * @param payload the serialized entry, not {@code null} (may be empty)
 */
public record LogRecord(long term, long version, byte[] payload) {

    /**
     * Checks the position and the payload.
     *
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} for a negative term, a version below 1 or a
     *                          {@code null} payload
     */
    public LogRecord {
        if (term < 0 || version < 1) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG,
                    "log record (term " + term + ", version " + version + "): the term must be >= 0 and the version >= 1");
        }
        if (payload == null) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG,
                    "log record (term " + term + ", version " + version + "): the payload must not be null");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord r && r.term == term && r.version == version && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(term) * 31 * 31 + Long.hashCode(version) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        String head = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 16));
        return "LogRecord[term=" + term + ", version=" + version + ", payload=" + payload.length + " bytes " + head
                + (payload.length > 16 ? "…" : "") + "]";
    }
}
