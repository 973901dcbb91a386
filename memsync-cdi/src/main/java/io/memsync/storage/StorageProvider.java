package io.memsync.storage;

import java.net.URI;

import io.memsync.MemSyncException;

/**
 * A kind of store, found with {@link java.util.ServiceLoader} by the scheme of a location URI ({@code file},
 * {@code s3}, …). Register an implementation in {@code META-INF/services/io.memsync.storage.StorageProvider}
 * (or with {@code provides} in a module descriptor). {@link Storage#open} picks the provider.
 */
public interface StorageProvider {

    /**
     * The URI scheme this provider serves, lower case, e.g. {@code "s3"}.
     *
     * @return the scheme
     */
    String scheme();

    /**
     * Opens (creating when missing) the store of one shared object at a location, recovers it (cutting a torn
     * tail, setting a corrupt snapshot aside) and positions it after its last record; {@link Store#load()} then
     * gives what it holds.
     *
     * @param location the location, with this provider's scheme
     * @param name     the shared object's name (already checked by {@link Storage#open})
     * @param options  the options
     * @return the open store
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} for a location this provider cannot use,
     *                          {@link MemSyncException#ERR_IO} when the store cannot be reached, read or locked
     *                          (the message names it, and the holder of a lock when known)
     */
    Store open(URI location, String name, StoreOptions options);
}
