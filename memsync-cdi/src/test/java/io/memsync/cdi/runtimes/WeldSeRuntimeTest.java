package io.memsync.cdi.runtimes;

import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link RuntimeContract} in Weld SE, bean discovery off, the extension and beans added by class. */
class WeldSeRuntimeTest extends RuntimeContract {
    private static WeldContainer container;

    @BeforeAll
    static void boot() {
        container = WeldSeDefinitionErrorTest.weld("weld-se-runtime").addBeanClasses(Fixture.BEANS).initialize();
    }

    @AfterAll
    static void shutdown() {
        container.shutdown();
    }

    @Override
    protected <T> T bean(Class<T> type) {
        return container.select(type).get();
    }
}
