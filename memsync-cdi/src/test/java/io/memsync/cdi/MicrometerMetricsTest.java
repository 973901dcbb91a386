package io.memsync.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.memsync.RpcMethod;
import io.memsync.Shared;
import io.memsync.SharedObject;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Micrometer meters of a shared object, in the application's MeterRegistry bean (Weld SE). */
class MicrometerMetricsTest {
    static final String NAME = "metrics-doc";
    private static WeldContainer container;

    /** The application's registry. */
    public static class Registry {
        @Produces
        @Singleton
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }
    }

    /** Uses the shared object and serves two RPC methods. */
    @ApplicationScoped
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

        /**
         * Answers at once.
         *
         * @return "now"
         */
        @RpcMethod(value = "now", shared = NAME)
        public String now() {
            return "now";
        }

        /**
         * Answers through a stage that fails.
         *
         * @return a failed stage
         */
        @RpcMethod(value = "later", shared = NAME)
        public CompletionStage<String> later() {
            return CompletableFuture.failedFuture(new IllegalStateException("no"));
        }
    }

    @BeforeAll
    static void boot() {
        container = new Weld("metrics-" + System.nanoTime()).disableDiscovery().addExtension(new MemSyncExtension())
                .addBeanClasses(Registry.class, Counter.class).initialize();
    }

    @AfterAll
    static void shutdown() {
        container.shutdown();
    }

    @Test
    void gaugesCountersAndTheRpcTimerAreInTheApplicationsRegistry() {
        MeterRegistry registry = container.select(MeterRegistry.class).get();
        SharedObject<?> shared = container.select(Counter.class).get().shared();
        io.memsync.PatchResult first = shared.patch("{\"$inc\":{\"n\":1}}").toCompletableFuture().join();
        io.memsync.PatchResult second = shared.patch("{\"$set\":{\"name\":\"d\u00e9j\u00e0 vu\"}}").toCompletableFuture().join();
        long effectBytes = (first.effect().toString() + second.effect().toString())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertThat(shared.call("now", String.class).toCompletableFuture().join()).isEqualTo("now");
        assertThat(shared.call("later", String.class).toCompletableFuture().exceptionally(e -> "failed").join()).isEqualTo("failed");

        assertThat(registry.get("memsync.version").tag("name", NAME).gauge().value()).isGreaterThanOrEqualTo(2);
        assertThat(registry.get("memsync.term").tag("name", NAME).gauge().value()).isPositive();
        assertThat(registry.get("memsync.host").tag("name", NAME).gauge().value()).isEqualTo(1);
        assertThat(registry.get("memsync.pending").tag("name", NAME).gauge().value()).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(registry.get("memsync.changes.confirmed").tag("name", NAME).counter().count()).isGreaterThanOrEqualTo(2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(registry.get("memsync.changes.bytes").tag("name", NAME).counter().count()).isGreaterThanOrEqualTo(effectBytes));
        assertThat(registry.get("memsync.changes.bytes").tag("name", NAME).counter().getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(registry.get("memsync.failovers").tag("name", NAME).counter().count()).isZero();
        Timer ok = registry.get("memsync.rpc.served").tags("name", NAME, "method", "now", "outcome", "ok").timer();
        Timer failed = registry.get("memsync.rpc.served").tags("name", NAME, "method", "later", "outcome", "failed").timer();
        assertThat(ok.count()).isEqualTo(1);
        assertThat(failed.count()).isEqualTo(1);
    }
}
