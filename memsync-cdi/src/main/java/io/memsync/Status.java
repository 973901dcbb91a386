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
 */
public record Status(String name, PeerRole role, long term, long version, String peerId, List<Peer> peers, int pending) {
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
     * @param peerId its id for its current {@code start()}
     * @param host   whether it is the host
     */
    public record Peer(String peerId, boolean host) {
    }
}
