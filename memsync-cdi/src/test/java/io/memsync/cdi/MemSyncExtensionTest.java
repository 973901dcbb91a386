package io.memsync.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.memsync.MemSyncChange;
import io.memsync.MemSyncEvent;
import io.memsync.RpcMethod;
import io.memsync.Shared;
import io.memsync.SharedObject;
import io.memsync.Update;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.jboss.weld.junit5.auto.AddExtensions;
import org.jboss.weld.junit5.auto.EnableAutoWeld;
import org.junit.jupiter.api.Test;

/** The extension in a real Weld SE container, with SmallRye Config as MicroProfile Config. */
@EnableAutoWeld
@AddExtensions(MemSyncExtension.class)
@AddBeanClasses({MemSyncExtensionTest.Changes.class, MemSyncExtensionTest.Greeter.class})
class MemSyncExtensionTest {
    static {
        try {
            var dir = Files.createTempDirectory("memsync-cdi-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            System.setProperty("memsync.cdi-cart.rendezvous.dir", dir.toString());
            System.setProperty("memsync.cdi-cart.data", "{\"items\":[],\"total\":0}");
            System.setProperty("memsync.cdi-cart.timeout", "5s");
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The document bound to a record. */
    public record Cart(List<String> items, int total) {
    }

    @ApplicationScoped
    public static class Changes {
        static final List<MemSyncChange> SYNC = new CopyOnWriteArrayList<>();
        static final List<MemSyncChange> ASYNC = new CopyOnWriteArrayList<>();
        static final List<MemSyncEvent> EVENTS = new CopyOnWriteArrayList<>();

        void changed(@Observes @Shared("cdi-cart") MemSyncChange change) {
            SYNC.add(change);
        }

        void changedAsync(@ObservesAsync @Shared("cdi-cart") MemSyncChange change) {
            ASYNC.add(change);
        }

        void event(@Observes @Shared("cdi-cart") MemSyncEvent event) {
            EVENTS.add(event);
        }
    }

    @ApplicationScoped
    public static class Greeter {
        @RpcMethod
        public String greet(String who, int times) {
            return ("hello " + who + " ").repeat(times).trim();
        }
    }

    @Inject
    @Shared("cdi-cart")
    SharedObject<JsonObject> cart;

    @Inject
    @Shared("cdi-cart")
    SharedObject<Cart> typedCart;

    @Inject
    @Shared("cdi-cart")
    SharedObject<Object> asObject;

    @Test
    void sharedObjectOfObjectIsTheJsonBeanNotASecondType() {
        assertThat(asObject.value()).isInstanceOf(JsonObject.class);
        assertThat(asObject.name()).isEqualTo("cdi-cart");
    }

    @Test
    void injectedSharedObjectIsStartedWithConfiguredData() {
        assertThat(cart.status().isHost()).isTrue();
        assertThat(cart.read("total", Integer.class)).isZero();
        assertThat(typedCart.value()).isEqualTo(new Cart(List.of(), 0));
        assertThat(typedCart.name()).isEqualTo("cdi-cart");
    }

    @Test
    void changesAreFiredToSyncAndAsyncObservers() {
        cart.patch(Update.push("items", "apple").inc("total", 3)).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> SYNC_has("apple") && ASYNC_has("apple"));
        assertThat(typedCart.value().items()).contains("apple");
    }

    private static boolean SYNC_has(String item) {
        return Changes.SYNC.stream().anyMatch(c -> c.value().toString().contains(item) && c.state() == MemSyncChange.State.CONFIRMED);
    }

    private static boolean ASYNC_has(String item) {
        return Changes.ASYNC.stream().anyMatch(c -> c.value().toString().contains(item));
    }

    @Test
    void rpcMethodsOfBeansAreCallable() {
        assertThat(cart.call("greet", String.class, "ada", 2).toCompletableFuture().join()).isEqualTo("hello ada hello ada");
    }

    @Test
    void busEventsReachCdiObservers() {
        cart.events().emit("checkout", 42);
        await().atMost(Duration.ofSeconds(10)).until(() -> Changes.EVENTS.stream()
                .anyMatch(e -> e.event().equals("checkout") && e.payload(Integer.class) == 42));
    }
}
