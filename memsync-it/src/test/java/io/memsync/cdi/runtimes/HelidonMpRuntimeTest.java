package io.memsync.cdi.runtimes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import io.helidon.config.mp.MpConfigSources;
import io.helidon.microprofile.testing.AddBean;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * {@link RuntimeContract} in a Helidon MP 4.4.0 server ({@code @HelidonTest}, Helidon's own Weld and MicroProfile
 * Config), the extension found through its service file.
 */
@HelidonTest
@AddBean(value = Fixture.Shop.class, scope = ApplicationScoped.class)
@AddBean(value = Fixture.Visit.class, scope = RequestScoped.class)
@AddBean(value = Fixture.Stamp.class, scope = Dependent.class)
class HelidonMpRuntimeTest extends RuntimeContract {
    @Inject
    Instance<Object> beans;

    @AddConfigSource
    static ConfigSource config() throws IOException {
        String dir = Files.createTempDirectory("memsync-helidon-rt-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))).toString();
        return MpConfigSources.create("memsync-runtime-contract", Map.of(
                "server.host", "127.0.0.1",
                "server.port", "0",
                "memsync.rendezvous.dir", dir,
                "memsync.timeout", "20s",
                "memsync.log-events", "true",
                "memsync." + Fixture.CART + ".data", "{\"items\":[],\"total\":0}"));
    }

    @Override
    protected <T> T bean(Class<T> type) {
        return beans.select(type).get();
    }
}
