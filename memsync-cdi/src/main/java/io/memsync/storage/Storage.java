package io.memsync.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

import io.memsync.MemSyncException;

/**
 * Opens stores by location: {@code file:/var/memsync} (also a plain path such as {@code ./data}) or
 * {@code s3://bucket/prefix} (with {@code memsync-storage-s3} on the class path), and any other scheme a
 * {@link StorageProvider} registers. A location holds the stores of many shared objects, one per name (the file
 * store uses the sub-folder {@code <location>/<name>}, the S3 store the key prefix {@code <prefix>/<name>/}).
 */
public final class Storage {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:.*");

    private Storage() {
    }

    /**
     * Opens the store of {@code name} at {@code location} with the provider of the location's scheme.
     *
     * @param location a URI ({@code file:…}, {@code s3://…}) or a plain file-system path
     * @param name     the shared object's name: letters, digits, {@code . _ -}, not starting with {@code .} or
     *                 {@code -}, at most 200 characters
     * @param options  the options
     * @return the open store
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} for a bad location or name, or a scheme no
     *                          provider serves (the message lists the schemes found);
     *                          {@link MemSyncException#ERR_IO} when the store cannot be opened
     */
    public static Store open(String location, String name, StoreOptions options) {
        Objects.requireNonNull(options, "options");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "store name '" + name
                    + "': use 1-200 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        URI uri = locationUri(location);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        // the context class loader first (an application server's deployment), then memsync's own
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader loader : context == null || context == Storage.class.getClassLoader()
                ? List.of(Storage.class.getClassLoader()) : List.of(context, Storage.class.getClassLoader())) {
            for (StorageProvider p : ServiceLoader.load(StorageProvider.class, loader)) {
                if (p.scheme().equalsIgnoreCase(scheme)) {
                    return p.open(uri, name, options);
                }
                if (!found.contains(p.scheme())) {
                    found.add(p.scheme());
                }
            }
        }
        throw new MemSyncException(MemSyncException.ERR_CONFIG, "store location '" + location + "': no storage provider for scheme '"
                + scheme + "' (found " + found + (scheme.equals("s3") ? "; add io.memsync:memsync-storage-s3 to the class path" : "") + ")");
    }

    /**
     * The URI of a location: itself when it has a scheme of two or more characters, else a {@code file:} URI of the
     * path (absolute, normalized), so {@code C:\data} and {@code ./data} are paths.
     *
     * @param location a URI or a path
     * @return the URI
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when blank or not a valid URI
     */
    public static URI locationUri(String location) {
        if (location == null || location.isBlank()) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "store location must not be blank (a path, file:… or s3://…)");
        }
        if (SCHEME.matcher(location).matches()) {
            try {
                return new URI(location);
            } catch (URISyntaxException e) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "store location '" + location + "' is not a valid URI: " + e.getMessage(), e);
            }
        }
        try {
            return Path.of(location).toAbsolutePath().normalize().toUri();
        } catch (RuntimeException e) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "store location '" + location + "' is not a valid path: " + e.getMessage(), e);
        }
    }
}
