package io.memsync;

/** The part a process currently plays in the network of one shared object, as reported by {@link Status#role()}. */
public enum PeerRole {
    /** Orders every change and serves the other processes. */
    HOST,
    /** Follows the host. */
    CLIENT,
    /** Looking for a host or taking over (failover); patches are queued meanwhile. */
    CONNECTING,
    /** Not started, or stopped. */
    STOPPED
}
