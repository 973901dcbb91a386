package io.memsync.replication;

import java.io.IOException;

/**
 * Who is host for one name: an exclusive lease plus a published {@link HostRecord}.
 * The default implementation (file lock rendezvous) lives in {@code io.memsync.discovery}; tests use an
 * in-memory one.
 */
public interface Election {
    /**
     * Tries to become host without waiting.
     *
     * @return the lease, or {@code null} when another process holds it
     * @throws IOException when the rendezvous cannot be used
     */
    Lease tryAcquire() throws IOException;

    /**
     * Reads the currently published host record.
     *
     * @return the record, or {@code null} when none was ever published
     * @throws IOException when the rendezvous cannot be read
     */
    HostRecord read() throws IOException;

    /**
     * Whether some process currently holds the lease (a live network exists).
     *
     * @return {@code true} when the lease is held, by this process or another
     * @throws IOException when the rendezvous cannot be used
     */
    boolean isHeld() throws IOException;

    /**
     * Marks one replica as running until the registration is closed, so that other processes can tell a stopped
     * replica (not to be waited for) from a paused or slow one (which may hold acknowledged changes). A process
     * that dies loses its registration with it.
     *
     * @param peerId the replica's peer id
     * @return the registration; closing it (at {@code stop()}) marks the replica gone
     * @throws IOException when the rendezvous cannot be used
     */
    default Registration register(String peerId) throws IOException {
        return () -> { };
    }

    /**
     * Whether a replica registered with {@link #register} still runs: {@code false} once it stopped or its process
     * died; {@code true} while it runs, even paused. Implementations that cannot tell answer {@code true}.
     *
     * @param peerId the replica's peer id
     * @return whether it runs
     * @throws IOException when the rendezvous cannot be used
     */
    default boolean isRunning(String peerId) throws IOException {
        return true;
    }

    /** A replica's mark as running. */
    interface Registration extends AutoCloseable {
        /** Marks the replica gone. Idempotent. */
        @Override
        void close();
    }

    /** The host role, held until closed. */
    interface Lease extends AutoCloseable {
        /**
         * Publishes the host record atomically (readers see the old or the new record, never a mix).
         *
         * @param record the record
         * @throws IOException when it cannot be written
         */
        void publish(HostRecord record) throws IOException;

        /**
         * Whether the lease is still the one acquired (e.g. the lock file was not replaced). A host that finds it
         * invalid steps down at once.
         *
         * @return validity
         */
        boolean isValid();

        /** Releases the host role. Idempotent. */
        @Override
        void close();
    }
}
