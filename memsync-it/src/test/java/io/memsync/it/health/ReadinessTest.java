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
@AddBean(value = ReadinessTest.Unpersisted.class, scope = ApplicationScoped.class)
class ReadinessTest {
    static final String NAME = "health-counter";
    /** A shared object whose configured store cannot be opened (its folder would be below a regular file). */
    static final String FAILING = "health-failing-store";

    /** A bean using the shared object with the failing store. */
    public static class Unpersisted {
        @Inject
        @Shared(FAILING)
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
    Unpersisted unpersisted;

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
        java.nio.file.Path dir = Files.createTempDirectory("memsync-health-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        java.nio.file.Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
        return MpConfigSources.create("memsync-health", Map.of("memsync.rendezvous.dir", dir.toString(),
                "memsync." + NAME + ".data", "{\"n\":0}", "server.host", "127.0.0.1",
                "memsync." + FAILING + ".file.path", blocker.resolve("store").toString()));
    }

    private JsonObject check(Response response, String name) {
        JsonObject body = Json.createReader(new StringReader(response.readEntity(String.class))).readObject();
        return body.getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("name").equals("memsync-" + name)).findFirst()
                .orElseThrow(() -> new AssertionError("no memsync-" + name + " check in " + body));
    }

    private JsonObject check(Response response) {
        return check(response, NAME);
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
    void aHostWhoseStoreFailsStaysReadyAndSaysWhy() {
        unpersisted.shared().patch("{\"$set\":{\"a\":1}}").toCompletableFuture().join();
        assertThat(unpersisted.shared().status().persistenceFailing()).isTrue();
        try (Response response = target.path("/health/ready").request().get()) {
            JsonObject check = check(response, FAILING);
            assertThat(check.getString("status")).as("the network keeps running from memory").isEqualTo("UP");
            assertThat(check.getJsonObject("data").getString("persistenceFailure")).contains("not-a-folder");
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
