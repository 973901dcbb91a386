package io.memsync.replication;

import java.util.List;

/**
 * A snapshot of a replica's state.
 *
 * @param role         its role
 * @param term         the highest term it has seen
 * @param version      its confirmed version
 * @param peerId       the id of its current {@code start()}
 * @param peers        the peer ids of the network's members it knows (host included)
 * @param pendingCount how many of its updates are not ordered yet
 * @param recovering   a host that still gathers the old term's state (writes wait, reads serve)
 * @param persistenceFailure why this host's store fails in its current term (it then runs from memory), or
 *                     {@code null} when it works, none is configured, or this process does not host
 * @param peersPending the pending count of each member in the order of {@code peers}, as the member last reported it
 *                     to the host (at most a heartbeat old; {@code -1} where unknown, e.g. a member of the old term
 *                     that has not reconnected), or empty when none is known. A replica's own entry is as old as the
 *                     list: {@link #pendingCount()} is its current count
 */
public record ReplicaStatus(Role role, long term, long version, String peerId, List<String> peers, int pendingCount,
                            boolean recovering, String persistenceFailure, List<Integer> peersPending) {
    /**
     * A status without the members' pending counts.
     *
     * @param role         its role
     * @param term         the highest term it has seen
     * @param version      its confirmed version
     * @param peerId       the id of its current {@code start()}
     * @param peers        the peer ids it knows
     * @param pendingCount how many of its updates are not ordered yet
     * @param recovering   a host that still gathers the old term's state
     * @param persistenceFailure why this host's store fails, or {@code null}
     */
    public ReplicaStatus(Role role, long term, long version, String peerId, List<String> peers, int pendingCount,
                         boolean recovering, String persistenceFailure) {
        this(role, term, version, peerId, peers, pendingCount, recovering, persistenceFailure, List.of());
    }

    /**
     * A status without a persistence failure.
     *
     * @param role         its role
     * @param term         the highest term it has seen
     * @param version      its confirmed version
     * @param peerId       the id of its current {@code start()}
     * @param peers        the peer ids it knows
     * @param pendingCount how many of its updates are not ordered yet
     * @param recovering   a host that still gathers the old term's state
     */
    public ReplicaStatus(Role role, long term, long version, String peerId, List<String> peers, int pendingCount,
                         boolean recovering) {
        this(role, term, version, peerId, peers, pendingCount, recovering, null);
    }

    /**
     * A status of a replica that is not recovering.
     *
     * @param role         its role
     * @param term         the highest term it has seen
     * @param version      its confirmed version
     * @param peerId       the id of its current {@code start()}
     * @param peers        the peer ids it knows
     * @param pendingCount how many of its updates are not ordered yet
     */
    public ReplicaStatus(Role role, long term, long version, String peerId, List<String> peers, int pendingCount) {
        this(role, term, version, peerId, peers, pendingCount, false);
    }

    /** Copies the lists. */
    public ReplicaStatus {
        peers = List.copyOf(peers);
        peersPending = List.copyOf(peersPending);
    }

    /** The role of a replica. */
    public enum Role {
        /** Not a member yet, or between hosts: looking for a host or taking over. */
        CONNECTING,
        /** Orders updates for the network. */
        HOST,
        /** Follows the host. */
        CLIENT,
        /** Stopped (or never started). */
        STOPPED
    }
}
