package io.memsync;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a shared object's replication state.
 *
 * @param name    the shared object's name
 * @param role    whether this process is host or client
 * @param term    the current host term (grows at each failover)
 * @param version the last version this process has applied
 * @param peerId  this process's id for the current {@code start()}
 * @param peers   the processes in the network as last known here, this one included
 * @param pending local updates not yet ordered by the host
 * @param persistenceFailure on a host whose store fails (disk error, S3 unreachable): why; the network keeps
 *                running from memory and acknowledgements no longer wait for the store, while the host tries to
 *                open it again every 2 s (then it catches the store up). {@code null} when the store works, none is
 *                configured, or this process does not host
 */
public record Status(String name, PeerRole role, long term, long version, String peerId, List<Peer> peers, int pending,
                     String persistenceFailure) {
    /**
     * A status without a persistence failure.
     *
     * @param name    the shared object's name
     * @param role    whether this process is host or client
     * @param term    the current host term
     * @param version the last version this process has applied
     * @param peerId  this process's id for the current {@code start()}
     * @param peers   the processes in the network
     * @param pending local updates not yet ordered by the host
     */
    public Status(String name, PeerRole role, long term, long version, String peerId, List<Peer> peers, int pending) {
        this(name, role, term, version, peerId, peers, pending, null);
    }

    /**
     * Whether this host's persistence fails (see {@link #persistenceFailure()}).
     *
     * @return whether a failure is reported
     */
    public boolean persistenceFailing() {
        return persistenceFailure != null;
    }

    /** Validates and copies the components. */
    public Status {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        peers = List.copyOf(peers);
    }

    /**
     * Whether this process is the host.
     *
     * @return {@code role() == HOST}
     */
    public boolean isHost() {
        return role == PeerRole.HOST;
    }

    /**
     * One process of the network.
     *
     * @param peerId  its id for its current {@code start()}
     * @param host    whether it is the host
     * @param pending how many of that process's own updates were pending (submitted there, their outcome not arrived
     *                there yet): for this process its current {@link Status#pending()}; for another one the figure it
     *                last reported to the host, which passes it on with each heartbeat, so it is at most about two
     *                heartbeats old (one on the host itself). {@code -1} when unknown: a member of the old term that
     *                has not reconnected to a new host yet, or a process of a memsync version that does not report it
     */
    public record Peer(String peerId, boolean host, int pending) {
        /**
         * A process whose pending count is unknown ({@code -1}).
         *
         * @param peerId its id for its current {@code start()}
         * @param host   whether it is the host
         */
        public Peer(String peerId, boolean host) {
            this(peerId, host, -1);
        }
    }
}
