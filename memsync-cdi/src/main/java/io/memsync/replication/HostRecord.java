package io.memsync.replication;

import java.util.List;
import java.util.Objects;

/**
 * What the host publishes at the rendezvous: where to connect, its term and last version, the secret of the term,
 * the members it knows, and — after a graceful stop — the position it handed over at.
 *
 * @param endpoint        where clients connect
 * @param term            the host's term
 * @param version         the last version the host ordered when it published
 * @param secret          the per-term secret (base64); never sent over the network
 * @param members         the processes in the network (host included)
 * @param handoverVersion the version the host handed over at on a graceful stop, or {@code -1}
 * @param maxWriters      the writer cap in force at the host, {@link Integer#MAX_VALUE} when there is none
 */
public record HostRecord(String endpoint, long term, long version, String secret, List<Member> members, long handoverVersion,
                         int maxWriters) {
    /** Canonical constructor, copying the member list. */
    public HostRecord {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(secret, "secret");
        members = List.copyOf(members);
    }

    /**
     * A record without a writer cap.
     *
     * @param endpoint        where clients connect
     * @param term            the host's term
     * @param version         the last version the host ordered when it published
     * @param secret          the per-term secret (base64)
     * @param members         the processes in the network (host included)
     * @param handoverVersion the version the host handed over at on a graceful stop, or {@code -1}
     */
    public HostRecord(String endpoint, long term, long version, String secret, List<Member> members, long handoverVersion) {
        this(endpoint, term, version, secret, members, handoverVersion, Integer.MAX_VALUE);
    }

    /**
     * A process in the network.
     *
     * @param peerId    the random id of the process's current {@code start()}
     * @param pid       operating-system process id
     * @param startTime process start time (epoch millis), to tell a reused pid apart
     * @param writer    whether it holds the writer role
     */
    public record Member(String peerId, long pid, long startTime, boolean writer) {
    }
}
