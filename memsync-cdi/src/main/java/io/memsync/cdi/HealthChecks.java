package io.memsync.cdi;

import io.memsync.Shared;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

/**
 * Registers a {@code @Readiness} {@link HealthCheck} bean per shared object (also qualified {@link Shared}), when
 * MicroProfile Health is on the class path ({@link OptionalApis#HEALTH}); this class is never loaded otherwise.
 */
final class HealthChecks {
    private HealthChecks() {
    }

    static void register(AfterBeanDiscovery abd, MemSyncExtension extension, String name) {
        abd.addBean()
                .beanClass(MemSyncExtension.class)
                .types(HealthCheck.class, Object.class)
                .qualifiers(Readiness.Literal.INSTANCE, SharedLiteral.of(name), Any.Literal.INSTANCE)
                .scope(Singleton.class)
                .createWith(c -> new SharedObjectReadiness(extension, name));
    }
}
