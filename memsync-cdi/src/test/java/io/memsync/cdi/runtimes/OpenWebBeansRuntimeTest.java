package io.memsync.cdi.runtimes;

import jakarta.enterprise.inject.se.SeContainer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link RuntimeContract} in OpenWebBeans SE 4 (run by the {@code openwebbeans} test execution, which takes Weld off
 * the class path); bean discovery off, the beans added by class, the extension found through its service file.
 */
class OpenWebBeansRuntimeTest extends RuntimeContract {
    private static SeContainer container;

    @BeforeAll
    static void boot() {
        container = OpenWebBeansDefinitionErrorTest.owb().addBeanClasses(Fixture.BEANS).initialize();
    }

    @AfterAll
    static void shutdown() {
        container.close();
    }

    @Override
    protected <T> T bean(Class<T> type) {
        return container.select(type).get();
    }
}
