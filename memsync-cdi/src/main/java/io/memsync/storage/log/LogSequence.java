package io.memsync.storage.log;

import java.util.Arrays;

/**
 * The positions of a store's log after its base (its newest snapshot, or the start), and the version rule of
 * {@link io.memsync.storage.Store#append}: it keeps the term and size of every record after the base, so it can
 * tell whether a record may go at a version, and how much was appended since the base. Not thread-safe.
 */
public final class LogSequence {
    private long baseTerm;
    private long baseVersion;
    private long[] terms = new long[64];
    private long[] sizes = new long[64]; // cumulative: sizes[i] = bytes of the records base+1 .. base+1+i
    private int count;

    /**
     * A sequence starting after a base position.
     *
     * @param baseTerm    the base's term
     * @param baseVersion the base's version
     */
    public LogSequence(long baseTerm, long baseVersion) {
        this.baseTerm = baseTerm;
        this.baseVersion = baseVersion;
    }

    /** @return the base's version */
    public long baseVersion() {
        return baseVersion;
    }

    /** @return the base's term */
    public long baseTerm() {
        return baseTerm;
    }

    /** @return the version of the last record, or the base's */
    public long lastVersion() {
        return baseVersion + count;
    }

    /** @return the term of the last record, or the base's */
    public long lastTerm() {
        return count == 0 ? baseTerm : terms[count - 1];
    }

    /** @return how many records follow the base */
    public int count() {
        return count;
    }

    /** @return the bytes of the records after the base */
    public long bytes() {
        return count == 0 ? 0 : sizes[count - 1];
    }

    /**
     * The term of the record at a version.
     *
     * @param version from the base's version to the last
     * @return its term
     * @throws IllegalArgumentException outside that range
     */
    public long termAt(long version) {
        if (version == baseVersion) {
            return baseTerm;
        }
        if (version < baseVersion || version > lastVersion()) {
            throw new IllegalArgumentException("version " + version + " is outside " + baseVersion + ".." + lastVersion());
        }
        return terms[(int) (version - baseVersion - 1)];
    }

    /**
     * Why a record may not go at a position, or {@code null} when it may (see the version rule of
     * {@link io.memsync.storage.Store}).
     *
     * @param term    the record's term
     * @param version the record's version
     * @return the refusal, or {@code null}
     */
    public String refusal(long term, long version) {
        long last = lastVersion();
        if (version == last + 1) {
            return term >= lastTerm() ? null
                    : "term " + term + " of version " + version + " is lower than term " + lastTerm() + " of version " + last;
        }
        if (version > last + 1) {
            return "version " + version + " would leave a gap after the last version " + last;
        }
        if (version <= baseVersion) {
            return "version " + version + " is at or below the snapshot at version " + baseVersion + " and cannot change";
        }
        long existing = termAt(version);
        if (term <= existing) {
            return "version " + version + " is already stored with term " + existing
                    + "; only a higher term may replace it (and the records after it)";
        }
        long previous = termAt(version - 1);
        if (term < previous) {
            return "term " + term + " of version " + version + " is lower than term " + previous + " of version " + (version - 1);
        }
        return null;
    }

    /**
     * Why a snapshot may not be written at a position, or {@code null} when it may: it must be newer than the
     * newest snapshot (the base, when {@code hasSnapshot}), carry the term of the stored record at its version, or,
     * beyond the last record, a term not lower than the last one.
     *
     * @param term        the snapshot's term
     * @param version     the snapshot's version
     * @param hasSnapshot whether the base is a snapshot
     * @return the refusal, or {@code null}
     */
    public String snapshotRefusal(long term, long version, boolean hasSnapshot) {
        if (hasSnapshot && version <= baseVersion) {
            return "the newest snapshot is already at (term " + baseTerm + ", version " + baseVersion + ")";
        }
        if (version < baseVersion) {
            return "the log starts after version " + baseVersion;
        }
        if (version <= lastVersion()) {
            long t = termAt(version);
            return t == term ? null : "the log holds version " + version + " with term " + t;
        }
        return term >= lastTerm() ? null
                : "its term is lower than term " + lastTerm() + " of the last version " + lastVersion();
    }

    /**
     * Adds a record that {@link #refusal} accepted, dropping the records it replaces.
     *
     * @param term    its term
     * @param version its version
     * @param size    its size in bytes
     * @return how many records it replaced
     */
    public int accept(long term, long version, long size) {
        int replaced = (int) (lastVersion() - version + 1);
        count = (int) (version - baseVersion - 1);
        if (count == terms.length) {
            terms = Arrays.copyOf(terms, count * 2);
            sizes = Arrays.copyOf(sizes, count * 2);
        }
        terms[count] = term;
        sizes[count] = (count == 0 ? 0 : sizes[count - 1]) + size;
        count++;
        return replaced;
    }

    /**
     * Moves the base to a snapshot's position: the records up to it are forgotten; a position beyond the last
     * record starts the sequence afresh there.
     *
     * @param term    the snapshot's term
     * @param version the snapshot's version, not below the base's
     */
    public void rebase(long term, long version) {
        if (version >= lastVersion()) {
            count = 0;
        } else {
            int drop = (int) (version - baseVersion);
            long droppedBytes = drop == 0 ? 0 : sizes[drop - 1];
            count -= drop;
            System.arraycopy(terms, drop, terms, 0, count);
            for (int i = 0; i < count; i++) {
                sizes[i] = sizes[i + drop] - droppedBytes;
            }
        }
        baseTerm = term;
        baseVersion = version;
    }
}
