package io.memsync.jaxrs;

import java.util.Optional;
import java.util.Set;

import io.memsync.SharedObject;
import io.memsync.cdi.MemSyncExtension;

import jakarta.enterprise.inject.spi.CDI;

/** The shared objects of the running CDI container's memsync extension; only loaded when CDI is on the class path. */
final class CdiObjects {
    private CdiObjects() {
    }

    static Optional<SharedObject<?>> find(String name) {
        MemSyncExtension extension = extension();
        if (extension == null || !extension.names().contains(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(extension.object(name));
        } catch (IllegalStateException notStarted) {
            return Optional.empty();
        }
    }

    static Set<String> names() {
        MemSyncExtension extension = extension();
        return extension == null ? Set.of() : extension.names();
    }

    private static MemSyncExtension extension() {
        try {
            return CDI.current().getBeanManager().getExtension(MemSyncExtension.class);
        } catch (IllegalStateException | IllegalArgumentException noContainerOrNotRegistered) {
            return null;
        }
    }
}
