package io.memsync.it.jaxrs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Reads the inspector records ({@code http-<pid>-jaxrs.json}) of {@link JaxRsResourceTest}'s shared objects while the
 * container starts, after Helidon started its server and memsync-jaxrs recorded what it could, and before any test
 * (so any request) ran.
 */
@Dependent
public class StartupRecords {
    /** Name to the record's text, absent when there was no record. */
    static final Map<String, String> RECORDED = new ConcurrentHashMap<>();

    void started(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 1000) @Initialized(ApplicationScoped.class) Object event)
            throws IOException {
        for (String name : new String[] {JaxRsResourceTest.DOC, JaxRsResourceTest.OTHER}) {
            Path file = TestRendezvous.dir().resolve(name).resolve("http-" + ProcessHandle.current().pid() + "-jaxrs.json");
            if (Files.exists(file)) {
                RECORDED.put(name, Files.readString(file));
            }
        }
    }
}
