package io.memsync.cdi.runtimes;

import java.util.Arrays;

import io.memsync.cdi.MemSyncExtension;

import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link DefinitionErrorContract} in Helidon MP 4.4.0: each invalid application is booted through Helidon's
 * {@link SeContainerInitializer} (allowed with {@code mp.initializer.allow}), bean discovery off (which also
 * leaves out the extensions of service files other than Helidon's own, so memsync's is added by class).
 */
class HelidonMpDefinitionErrorTest extends DefinitionErrorContract {
    private static final String[] PROPERTIES = {"mp.initializer.allow", "mp.initializer.no-warn", "server.host", "server.port"};
    private static final String[] VALUES = {"true", "true", "127.0.0.1", "0"};

    @BeforeAll
    static void allowInitializer() {
        for (int i = 0; i < PROPERTIES.length; i++) {
            System.setProperty(PROPERTIES[i], VALUES[i]);
        }
    }

    @AfterAll
    static void restore() {
        for (String p : PROPERTIES) {
            System.clearProperty(p);
        }
    }

    @Override
    protected Throwable bootFailure(Class<?>... beans) {
        try (SeContainer container = SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(MemSyncExtension.class).addBeanClasses(beans).initialize()) {
            throw new AssertionError("the deployment of " + Arrays.toString(beans) + " started");
        } catch (RuntimeException e) {
            return e;
        }
    }
}
