package io.memsync;

/**
 * What a process may do on a network, declared with {@link MemSync.Builder#roles(Role...)}. The default is
 * {@link #WRITER} (plus {@link #RPC} when handlers are registered).
 */
public enum Role {
    /** May patch the document; counts against the network's {@link MemSync.Builder#maxWriters(int) writer cap}. */
    WRITER,
    /** Reads and observes only; {@code patch} fails with {@link MemSyncException#ERR_READ_ONLY}. */
    READER,
    /** Serves the RPC methods it registered. */
    RPC
}
