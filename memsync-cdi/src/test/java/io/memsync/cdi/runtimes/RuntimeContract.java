package io.memsync.cdi.runtimes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import io.memsync.MemSync;
import io.memsync.MemSyncChange;
import io.memsync.SharedObject;
import io.memsync.Update;
import io.memsync.cdi.runtimes.Fixture.Cart;
import io.memsync.cdi.runtimes.Fixture.Line;
import io.memsync.cdi.runtimes.Fixture.Shop;
import io.memsync.cdi.runtimes.Fixture.Stamp;

import jakarta.json.JsonObject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every CDI runtime must do with the memsync extension: one test body, run by a subclass per runtime
 * (Weld SE, OpenWebBeans SE, Arquillian with embedded Weld, Helidon MP), each deploying {@link Fixture}'s beans
 * with the extension and MicroProfile Config (SmallRye Config, or the runtime's own).
 *
 * <p>The rendezvous folder comes from MicroProfile Config only ({@code memsync.rendezvous.dir} in the test's
 * {@code microprofile-config.properties}, from the {@code memsync.test.rendezvous} system property the build
 * sets), not from the {@code memsync.rendezvous.dir} system property the engine reads itself.
 */
public abstract class RuntimeContract {
    static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * A bean of the running application.
     *
     * @param type the bean type
     * @param <T>  the type
     * @return the contextual reference
     */
    protected abstract <T> T bean(Class<T> type);

    /**
     * The rendezvous folder the application was configured with.
     *
     * @return the base folder
     */
    static Path rendezvous() {
        return Path.of(ConfigProvider.getConfig().getValue("memsync.rendezvous.dir", String.class));
    }

    @Test
    @SuppressWarnings("rawtypes")
    void theRawInjectionIsFullyTyped() {
        SharedObject cart = bean(Shop.class).cart();
        // each of these lines compiles only because the raw type keeps the generic signatures
        String greeting = cart.call("greet", String.class, "ada").toCompletableFuture().join();
        Integer total = cart.read("total", Integer.class);
        CompletionStage<io.memsync.PatchResult> patched = cart.patch(Update.inc("total", 0));
        SharedObject<Cart> view = cart.as(Cart.class);
        JsonObject data = cart.data();

        assertThat(greeting).isEqualTo("hello ada");
        assertThat(total).isNotNull();
        assertThat(patched.toCompletableFuture().join().version()).isPositive();
        assertThat(view.value().items()).isNotNull();
        assertThat(data.containsKey("items")).isTrue();
        assertThat(cart.status().isHost()).isTrue();
    }

    @Test
    void theTypedInjectionMapsTheDocumentToItsRecord() {
        SharedObject<Cart> typed = bean(Shop.class).typedCart();
        assertThat(typed.name()).isEqualTo(Fixture.CART);
        assertThat(typed.value()).isNotNull();
        assertThat(typed.value().items()).isNotNull();
    }

    @Test
    void aPatchThroughTheInjectedObjectReachesSyncAndAsyncObserversWithARequestContextEach() {
        Shop shop = bean(Shop.class);
        shop.typedCart().patch(Update.push("items", "apple").inc("total", 3)).toCompletableFuture().join();
        shop.typedCart().patch(Update.inc("total", 1)).toCompletableFuture().join();
        await().atMost(WAIT).until(() -> has(shop.changes(), "apple", MemSyncChange.State.CONFIRMED)
                && has(shop.asyncChanges(), "apple", MemSyncChange.State.CONFIRMED));
        assertThat(shop.typedCart().value().items()).contains("apple");
        List<Integer> requests = shop.observerRequests();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
    }

    private static boolean has(List<MemSyncChange> changes, String item, MemSyncChange.State state) {
        return changes.stream().anyMatch(c -> c.state() == state && c.value().toString().contains(item));
    }

    /**
     * {@code memsync.log-events=true} is configured once for every name (the application's config has no
     * {@code memsync.<name>.log-events}): the injected object logs its changes.
     */
    @Test
    void aGlobalDefaultFromMicroProfileConfigAppliesToTheInjectedObject() {
        assertThat(ConfigProvider.getConfig().getOptionalValue("memsync." + Fixture.CART + ".log-events", String.class)).isEmpty();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.memsync.SharedObject");
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            String marker = "global-default-" + System.nanoTime();
            bean(Shop.class).typedCart().patch(Update.set("marker", marker)).toCompletableFuture().join();
            await().atMost(WAIT).until(() -> logged.stream().anyMatch(m -> m.startsWith("memsync '" + Fixture.CART + "' CONFIRMED")
                    && m.contains(marker)));
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void eventsOfTheBusReachObservers() {
        Shop shop = bean(Shop.class);
        shop.typedCart().events().emit("checkout", 42);
        await().atMost(WAIT).until(() -> shop.events().stream()
                .anyMatch(e -> e.event().equals("checkout") && e.payload(Integer.class) == 42));
    }

    @Test
    void rpcMethodsRunWithARequestContextOfTheirOwn() {
        SharedObject<Cart> cart = bean(Shop.class).typedCart();
        int first = cart.call("requestId", Integer.class).toCompletableFuture().join();
        int second = cart.call("requestId", Integer.class).toCompletableFuture().join();
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void nonPublicRecordsTravelAsRpcArgumentsAndResults() {
        SharedObject<Cart> cart = bean(Shop.class).typedCart();
        Line twice = cart.call("twice", Line.class, new Line("pear", 2)).toCompletableFuture().join();
        assertThat(twice).isEqualTo(new Line("pear", 4));
    }

    @Test
    void anRpcMethodNamingASharedObjectNobodyInjectsIsServedToOtherPeersAndItsDependentBeanIsDestroyed() {
        int createdBefore = Stamp.CREATED.get();
        int destroyedBefore = Stamp.DESTROYED.get();
        try (SharedObject<JsonObject> peer = MemSync.builder(Fixture.RPC_ONLY).rendezvous(rendezvous())
                .timeout(WAIT).start()) {
            assertThat(peer.status().isHost()).as("the application hosts " + Fixture.RPC_ONLY).isFalse();
            for (int i = 0; i < 3; i++) {
                assertThat(peer.call("stamp", String.class, "t" + i).toCompletableFuture().join()).isEqualTo("[t" + i + "]");
            }
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(Stamp.DESTROYED.get() - destroyedBefore).isGreaterThanOrEqualTo(3);
            assertThat(Stamp.DESTROYED.get() - destroyedBefore).isEqualTo(Stamp.CREATED.get() - createdBefore);
        });
    }
}
