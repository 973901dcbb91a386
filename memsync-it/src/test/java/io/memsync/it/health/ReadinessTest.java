package io.memsync.it.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import io.helidon.config.mp.MpConfigSources;
import io.helidon.microprofile.testing.AddBean;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import io.memsync.Shared;
import io.memsync.SharedObject;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/** The readiness check per shared object, registered by the extension because MicroProfile Health is present. */
@HelidonTest
@AddBean(value = ReadinessTest.Counter.class, scope = ApplicationScoped.class)
class ReadinessTest {
    static final String NAME = "health-counter";

    /** A bean using one shared object. */
    public static class Counter {
        @Inject
        @Shared(NAME)
        @SuppressWarnings("rawtypes")
        SharedObject shared;

        /**
         * The injected object.
         *
         * @return the object
         */
        @SuppressWarnings("rawtypes")
        public SharedObject shared() {
            return shared;
        }
    }

    @Inject
    WebTarget target;

    @Inject
    Counter counter;

    @AddConfigSource
    static ConfigSource config() throws IOException {
        String dir = Files.createTempDirectory("memsync-health-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))).toString();
        return MpConfigSources.create("memsync-health", Map.of("memsync.rendezvous.dir", dir,
                "memsync." + NAME + ".data", "{\"n\":0}", "server.host", "127.0.0.1"));
    }

    private JsonObject check(Response response) {
        JsonObject body = Json.createReader(new StringReader(response.readEntity(String.class))).readObject();
        return body.getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("name").equals("memsync-" + NAME)).findFirst()
                .orElseThrow(() -> new AssertionError("no memsync-" + NAME + " check in " + body));
    }

    /** A number of the check's data (Helidon writes numbers of health data as JSON strings). */
    private static long number(JsonObject data, String key) {
        return Long.parseLong(data.get(key).toString().replace("\"", ""));
    }

    @Test
    void aStartedSharedObjectIsReadyWithItsRoleTermVersionAndPendingUpdates() {
        counter.shared().patch("{\"$inc\":{\"n\":1}}").toCompletableFuture().join();
        try (Response response = target.path("/health/ready").request().get()) {
            assertThat(response.getStatus()).isEqualTo(200);
            JsonObject check = check(response);
            assertThat(check.getString("status")).isEqualTo("UP");
            JsonObject data = check.getJsonObject("data");
            assertThat(data.getString("role")).isEqualTo("HOST");
            assertThat(number(data, "term")).isPositive();
            assertThat(number(data, "version")).isPositive();
            assertThat(number(data, "pending")).isZero();
        }
    }

    @Test
    void aStoppedSharedObjectIsNotReady() {
        counter.shared().stop();
        try (Response response = target.path("/health/ready").request().get()) {
            assertThat(response.getStatus()).isEqualTo(503);
            JsonObject check = check(response);
            assertThat(check.getString("status")).isEqualTo("DOWN");
            assertThat(check.getJsonObject("data").getString("role")).isEqualTo("STOPPED");
        } finally {
            counter.shared().start();
        }
    }
}
