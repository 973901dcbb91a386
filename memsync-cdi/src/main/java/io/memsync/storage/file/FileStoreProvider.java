package io.memsync.storage.file;

import java.net.URI;
import java.nio.file.Path;

import io.memsync.MemSyncException;
import io.memsync.storage.Store;
import io.memsync.storage.StorageProvider;
import io.memsync.storage.StoreOptions;

/**
 * Serves {@code file:} locations (and plain paths, which {@link io.memsync.storage.Storage} turns into {@code file:}
 * URIs): the store of {@code name} is the folder {@code <location>/<name>}.
 */
public final class FileStoreProvider implements StorageProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public FileStoreProvider() {
    }

    @Override
    public String scheme() {
        return "file";
    }

    /**
     * {@inheritDoc}
     *
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when the URI has a host or query, or is not a
     *                          path
     */
    @Override
    public Store open(URI location, String name, StoreOptions options) {
        Path base;
        try {
            if (location.getQuery() != null || (location.getAuthority() != null && !location.getAuthority().isEmpty())) {
                throw new IllegalArgumentException("a file location takes neither a host nor a query");
            }
            base = location.isOpaque() ? Path.of(location.getSchemeSpecificPart()) : Path.of(location);
        } catch (RuntimeException e) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "store location '" + location + "' is not a usable file location: "
                    + e.getMessage(), e);
        }
        return FileStore.open(base.resolve(name), options);
    }
}
