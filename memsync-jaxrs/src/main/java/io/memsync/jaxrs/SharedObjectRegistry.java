package io.memsync.jaxrs;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.memsync.SharedObject;

/**
 * The shared objects {@link SharedObjectsResource} serves by name: those registered here, and in a CDI
 * application also every shared object the memsync CDI extension started (each {@code @Shared("name")} used
 * somewhere in the application).
 *
 * <p>Registrations are per class loader (static), which suits one application per JVM; an object registered under a
 * name hides a CDI one of the same name.
 */
public final class SharedObjectRegistry {
    private static final ConcurrentMap<String, SharedObject<?>> REGISTERED = new ConcurrentHashMap<>();
    private static final boolean CDI_PRESENT = present("jakarta.enterprise.inject.spi.CDI")
            && present("io.memsync.cdi.MemSyncExtension");

    private SharedObjectRegistry() {
    }

    /**
     * Serves a shared object under its {@link SharedObject#name() name}, replacing one registered under that name.
     *
     * @param shared the shared object
     */
    public static void register(SharedObject<?> shared) {
        Objects.requireNonNull(shared, "shared");
        REGISTERED.put(shared.name(), shared);
    }

    /**
     * Stops serving a registered shared object.
     *
     * @param shared the shared object
     * @return whether it was registered
     */
    public static boolean unregister(SharedObject<?> shared) {
        return REGISTERED.remove(shared.name(), shared);
    }

    /**
     * The shared object of a name: a registered one, else one started by the CDI extension.
     *
     * @param name the name
     * @return the shared object, or empty
     */
    public static Optional<SharedObject<?>> find(String name) {
        SharedObject<?> shared = REGISTERED.get(name);
        if (shared != null) {
            return Optional.of(shared);
        }
        return CDI_PRESENT ? CdiObjects.find(name) : Optional.empty();
    }

    /**
     * The names {@link #find(String)} knows.
     *
     * @return the names, sorted
     */
    public static Set<String> names() {
        Set<String> names = new TreeSet<>(REGISTERED.keySet());
        if (CDI_PRESENT) {
            names.addAll(CdiObjects.names());
        }
        return names;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, SharedObjectRegistry.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
