package io.memsync.replication;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The writer grants of a network with a writer cap, as the log says: who may write, with which fencing number.
 * Grants are issued and freed only by ordered entries ({@link Entry#grant}, {@link Entry#revoke}), so every replica
 * holds the same table at the same version, a new host continues the one it recovered, and the table travels with
 * snapshots. The host checks the table when it orders each write. Pure: no threads, no I/O.
 */
final class WriterGrants {
    /**
     * One writer slot.
     *
     * @param peerId    the holder's replica
     * @param pid       the holder's process id
     * @param startTime the holder's process start time (epoch millis)
     * @param fence     the version of the entry that issued it: higher for every later grant
     */
    record Grant(String peerId, long pid, long startTime, long fence) {
        HostRecord.Member member() {
            return new HostRecord.Member(peerId, pid, startTime, true);
        }
    }

    private final Map<String, Grant> byPeer = new LinkedHashMap<>();
    /** The cap in force at the last grant: it binds while grants are held, even after its declarer left. */
    private int cap = Integer.MAX_VALUE;

    /** @return the writer cap the grants keep, {@link Integer#MAX_VALUE} while none is held */
    int cap() {
        return byPeer.isEmpty() ? Integer.MAX_VALUE : cap;
    }

    /**
     * Whether a replica holds a grant.
     *
     * @param peerId the replica
     * @return {@code true} when it may write
     */
    boolean holds(String peerId) {
        return byPeer.containsKey(peerId);
    }

    /** @return the number of grants held */
    int size() {
        return byPeer.size();
    }

    /** @return the grants, in the order they were issued */
    Collection<Grant> all() {
        return Collections.unmodifiableCollection(byPeer.values());
    }

    /** @return a copy of the table, by holder */
    Map<String, Grant> copy() {
        return new LinkedHashMap<>(byPeer);
    }

    /**
     * Replaces the table (a snapshot was installed).
     *
     * @param grants the snapshot's grants
     * @param cap    the cap they keep
     */
    void replace(Map<String, Grant> grants, int cap) {
        byPeer.clear();
        byPeer.putAll(grants);
        this.cap = cap;
    }

    /** Forgets every grant (a fresh document). */
    void clear() {
        byPeer.clear();
        cap = Integer.MAX_VALUE;
    }

    /**
     * Applies an ordered entry: a grant or a revocation changes the table, other entries do not.
     *
     * @param e the entry
     */
    void apply(Entry e) {
        if (e.isGrant()) {
            byPeer.put(e.peer(), new Grant(e.peer(), e.grantPid(), e.grantStartTime(), e.version()));
            cap = e.grantCap();
        } else if (e.isRevoke()) {
            byPeer.remove(e.peer());
        }
    }
}
