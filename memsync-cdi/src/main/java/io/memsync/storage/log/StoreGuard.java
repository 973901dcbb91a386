package io.memsync.storage.log;

import io.memsync.MemSyncException;

/**
 * The open or closed state of a store and the first failure it latched, with the checks each of its operations
 * makes against them: a store that failed a write refuses further writes until it is reopened, while a closed store
 * refuses everything. Thread-safe (volatile state; the first failure recorded stays).
 */
public final class StoreGuard {
    private final String description;
    private final System.Logger log;
    private volatile MemSyncException failure;
    private volatile boolean closed;

    /**
     * Creates the guard of an open store.
     *
     * @param description how messages name the store (as {@code Store#describe()})
     * @param log         where the first failure is logged, at {@code WARNING}
     */
    public StoreGuard(String description, System.Logger log) {
        this.description = description;
        this.log = log;
    }

    /**
     * Latches a failure (only the first one is kept and logged).
     *
     * @param e the failure
     * @return {@code e}, for {@code throw guard.failed(...)}
     */
    public MemSyncException failed(MemSyncException e) {
        if (failure == null) {
            failure = e;
            log.log(System.Logger.Level.WARNING, e.getMessage(), e);
        }
        return e;
    }

    /** @return the latched failure, or {@code null} */
    public MemSyncException failure() {
        return failure;
    }

    /** @return whether the store was closed */
    public boolean closed() {
        return closed;
    }

    /** Marks the store closed. */
    public void close() {
        closed = true;
    }

    /**
     * Checks that the store is open.
     *
     * @throws MemSyncException {@link MemSyncException#ERR_STOPPED} when closed
     */
    public void ensureOpen() {
        if (closed) {
            throw new MemSyncException(MemSyncException.ERR_STOPPED, "store " + description + " is closed");
        }
    }

    /**
     * Checks that the store is open and has not failed (before a flush): rethrows the latched failure as it was.
     *
     * @throws MemSyncException {@link MemSyncException#ERR_STOPPED} when closed, else the latched failure's code
     */
    public void ensureHealthy() {
        ensureOpen();
        MemSyncException f = failure;
        if (f != null) {
            throw new MemSyncException(f.code(), f.detail(), f);
        }
    }

    /**
     * Checks that the store is open and takes writes.
     *
     * @throws MemSyncException {@link MemSyncException#ERR_STOPPED} when closed, {@link MemSyncException#ERR_IO}
     *                          naming the latched failure when it failed earlier
     */
    public void ensureWritable() {
        ensureOpen();
        MemSyncException f = failure;
        if (f != null) {
            throw new MemSyncException(MemSyncException.ERR_IO, "store " + description + " failed earlier and takes no more writes: "
                    + f.detail(), f);
        }
    }
}
