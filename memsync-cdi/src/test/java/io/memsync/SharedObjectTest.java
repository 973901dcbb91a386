package io.memsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The public API in one process (one shared object, or a host and a client in the same JVM). */
public class SharedObjectTest {
    private Path rendezvous;
    private final List<SharedObject<?>> started = new ArrayList<>();

    @BeforeEach
    void folder() throws Exception {
        rendezvous = Files.createTempDirectory("memsync-test-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    @AfterEach
    void stopAll() {
        started.forEach(SharedObject::close);
    }

    private MemSync.Builder builder(String name) {
        return MemSync.builder(name).rendezvous(rendezvous).timeout(Duration.ofSeconds(10));
    }

    private <T> SharedObject<T> track(SharedObject<T> s) {
        started.add(s);
        return s;
    }

    @Test
    void firstProcessHostsAndPatchesAreVisibleAtOnce() {
        SharedObject<JsonObject> foo = track(builder("single").data("{\"foo\":1,\"bar\":2,\"qux\":[\"one\",\"two\"]}").start());
        assertThat(foo.status().role()).isEqualTo(PeerRole.HOST);
        PatchResult r = foo.patch("{\"$set\":{\"foo\":2}}").toCompletableFuture().join();
        assertThat(r.version()).isEqualTo(1);
        assertThat(r.effect()).hasSize(1);
        assertThat(foo.read("foo", Integer.class)).isEqualTo(2);
        foo.patch(Update.set("foo", 3).inc("bar", 1).push("qux", "three")).toCompletableFuture().join();
        assertThat(foo.data().toString()).isEqualTo("{\"foo\":3,\"bar\":3,\"qux\":[\"one\",\"two\",\"three\"]}");
        assertThat(foo.read("qux.2", String.class)).isEqualTo("three");
    }

    public record Item(String name, int qty) {
    }

    public record Cart(List<Item> items, int total) {
    }

    @Test
    void recordsMapThroughJsonB() {
        SharedObject<Cart> cart = track(builder("records").data(new Cart(List.of(new Item("apple", 2)), 2)).start(Cart.class));
        assertThat(cart.value()).isEqualTo(new Cart(List.of(new Item("apple", 2)), 2));
        assertThat(cart.read("items.0", Item.class)).isEqualTo(new Item("apple", 2));
        cart.patch(Update.push("items", new Item("pear", 1)).inc("total", 1)).toCompletableFuture().join();
        assertThat(cart.value().items()).extracting(Item::name).containsExactly("apple", "pear");
    }

    @Test
    void invalidNamesAreRefusedAtBuilder() {
        for (String bad : new String[] {"", "a/b", "a\\b", "x".repeat(101), "..", "with space"}) {
            assertThatThrownBy(() -> MemSync.builder(bad)).isInstanceOf(MemSyncException.class)
                    .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_CONFIG);
        }
        assertThat(MemSync.builder("my_shared_object.v1-2")).isNotNull();
    }

    @Test
    void badUpdatesFailAsAWholeAndChangeNothing() {
        SharedObject<JsonObject> foo = track(builder("bad").data("{\"a\":1,\"s\":\"x\"}").start());
        JsonObject before = foo.data();
        for (String bad : new String[] {"{}", "{\"$nope\":{\"a\":1}}", "{\"$set\":{\"a\":2},\"$inc\":{\"s\":1}}",
                "{\"$set\":{\"a\":1},\"$inc\":{\"a\":1}}", "not json"}) {
            assertThat(foo.patch(bad).toCompletableFuture()).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause().isInstanceOf(MemSyncException.class)
                    .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_INVALID_PATCH);
            assertThat(foo.data()).isEqualTo(before);
        }
    }

    @Test
    void observersSeeChangesAtPathParentsAndChildrenAndAThrowingOneDoesNotStopOthers() throws Exception {
        SharedObject<JsonObject> foo = track(builder("observe").data("{\"a\":{\"b\":1},\"c\":1}").start());
        List<MemSyncChange> atA = new CopyOnWriteArrayList<>();
        List<MemSyncChange> atAB = new CopyOnWriteArrayList<>();
        List<MemSyncChange> atC = new CopyOnWriteArrayList<>();
        foo.observe("a", c -> {
            throw new IllegalStateException("listener failure is logged only");
        });
        foo.observe("a", atA::add);
        try (Subscription s = foo.observe("a.b", atAB::add)) {
            foo.observe("c", atC::add);
            foo.patch(Update.set("a.b", 2)).toCompletableFuture().join();
            foo.patch(Update.set("a", Json.createObjectBuilder().add("b", 3).build())).toCompletableFuture().join();
            await().atMost(Duration.ofSeconds(5)).until(() -> atA.size() == 2 && atAB.size() == 2);
        }
        assertThat(atAB).extracting(MemSyncChange::value).containsExactly(Json.createValue(2), Json.createValue(3));
        assertThat(atA.get(0).value()).isEqualTo(Json.createObjectBuilder().add("b", 2).build());
        assertThat(atA).allSatisfy(c -> assertThat(c.origin()).isEqualTo(MemSyncChange.Origin.LOCAL));
        assertThat(atC).isEmpty();
        foo.patch(Update.set("a.b", 4)).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(5)).until(() -> atA.size() == 3);
        assertThat(atAB).hasSize(2);
    }

    @Test
    void eightThreadsTimesTenThousandIncrementsGiveExactlyEightyThousand() throws Exception {
        SharedObject<JsonObject> foo = track(builder("concurrent").data("{\"n\":0}").start());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                List<CompletableFuture<PatchResult>> mine = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    mine.add(foo.patch(Update.inc("n", 1)).toCompletableFuture());
                }
                mine.forEach(CompletableFuture::join);
            }, pool));
        }
        go.countDown();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        pool.shutdown();
        assertThat(foo.read("n", Integer.class)).isEqualTo(80_000);
        assertThat(foo.data().getJsonNumber("n").isIntegral()).isTrue();
        assertThat(foo.status().version()).isEqualTo(80_000);
    }

    @Test
    void aClientInTheSameJvmJoinsAndSeesHostChanges() {
        SharedObject<JsonObject> host = track(builder("pair").data("{\"n\":1}").start());
        SharedObject<JsonObject> client = track(builder("pair").data("{\"ignored\":true}").start());
        assertThat(client.status().role()).isEqualTo(PeerRole.CLIENT);
        assertThat(client.data()).isEqualTo(host.data());
        List<JsonValue> seen = new CopyOnWriteArrayList<>();
        client.observe("n", c -> seen.add(c.value()));
        host.patch(Update.inc("n", 1)).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(Json.createValue(2)));
        client.patch(Update.inc("n", 10)).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(5)).until(() -> host.read("n", Integer.class) == 12);
        assertThat(host.hasPeers()).isTrue();
        assertThat(client.ping().toCompletableFuture().join()).isPositive();
    }

    @Test
    void rpcAndEventsBetweenTwoObjects() {
        SharedObject<JsonObject> host = track(builder("rpc").start());
        SharedObject<JsonObject> server = track(builder("rpc").rpc("getFoo", args -> "bar")
                .rpc("add", args -> args.get(0, Integer.class) + args.get(1, Integer.class))
                .rpc("boom", args -> {
                    throw new IllegalArgumentException("no way");
                }).start());
        assertThat(host.call("getFoo", String.class).toCompletableFuture().join()).isEqualTo("bar");
        assertThat(host.call("add", Integer.class, 2, 3).toCompletableFuture().join()).isEqualTo(5);
        assertThat(server.call("getFoo", String.class).toCompletableFuture().join()).isEqualTo("bar");
        assertThat(host.call("boom", String.class).toCompletableFuture()).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(MemSyncException.class)
                .satisfies(e -> {
                    assertThat(((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_RPC_FAILED);
                    assertThat(e.getMessage()).contains("java.lang.IllegalArgumentException").contains("no way");
                });
        assertThat(host.call("missing", String.class).toCompletableFuture()).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_RPC_NOT_FOUND);

        List<Integer> atHost = new CopyOnWriteArrayList<>();
        List<Integer> atServer = new CopyOnWriteArrayList<>();
        host.events().on("n", Integer.class, atHost::add);
        server.events().on("n", Integer.class, atServer::add);
        for (int i = 0; i < 100; i++) {
            server.events().emit("n", i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> atHost.size() == 100 && atServer.size() == 100);
        assertThat(atHost).isSortedAccordingTo(Integer::compare);
        assertThat(atServer).isSortedAccordingTo(Integer::compare);
    }

    @Test
    void whatAProcessWroteBeforeAnsweringACallOrEmittingIsSeenWithTheAnswerOrTheEvent() throws Exception {
        java.util.concurrent.atomic.AtomicReference<SharedObject<JsonObject>> self = new java.util.concurrent.atomic.AtomicReference<>();
        SharedObject<JsonObject> host = track(builder("causal").data("{\"h\":0,\"c\":0,\"e\":0}")
                .rpc("setH", args -> {
                    int n = args.get(0, Integer.class);
                    self.get().patch(Update.set("h", n)).toCompletableFuture().join();
                    return n;
                }).start());
        self.set(host);
        java.util.concurrent.atomic.AtomicReference<SharedObject<JsonObject>> serverRef = new java.util.concurrent.atomic.AtomicReference<>();
        SharedObject<JsonObject> server = track(builder("causal").rpc("setC", args -> {
            int n = args.get(0, Integer.class);
            serverRef.get().patch(Update.set("c", n)); // not awaited: the answer follows the patch on the wire
            return n;
        }).start());
        serverRef.set(server);
        SharedObject<JsonObject> caller = track(builder("causal").start());
        assertThat(host.status().role()).isEqualTo(PeerRole.HOST);
        for (int i = 1; i <= 300; i++) {
            assertThat(caller.call("setH", Integer.class, i).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(i);
            assertThat(caller.read("h", Integer.class)).as("write of the host's handler, call %d", i).isEqualTo(i);
            assertThat(caller.call("setC", Integer.class, i).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(i);
            assertThat(caller.read("c", Integer.class)).as("write of a client's handler, call %d", i).isEqualTo(i);
        }
        // each path has one writer (two writers of one path may see a write refused as stale, by design)
        List<String> stale = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(600);
        for (String path : List.of("e", "s")) {
            caller.events().on(path, Integer.class, n -> {
                Integer seen = caller.read(path, Integer.class);
                if (seen == null || seen < n) {
                    stale.add("event " + path + "=" + n + " saw " + seen);
                }
                all.countDown();
            });
        }
        for (int i = 1; i <= 300; i++) {
            host.patch(Update.set("e", i));
            host.events().emit("e", i);
            server.patch(Update.set("s", i));
            server.events().emit("s", i);
        }
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stale).as("events that arrived before the write emitted with them").isEmpty();
    }

    @Test
    void callsRetriedFromTheirFailureWhenTheHostGoesAwayDoNotStopTheClientFromFollowing() {
        SharedObject<JsonObject> host = track(builder("retry").data("{\"n\":0}").start());
        SharedObject<JsonObject> server = track(builder("retry").rpc("slow", args -> new CompletableFuture<Integer>()).start());
        SharedObject<JsonObject> caller = track(builder("retry").start());
        List<String> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            caller.call("slow", Integer.class).exceptionally(e -> {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                failures.add(cause instanceof MemSyncException m ? m.code() : cause.toString());
                caller.call("slow", Integer.class); // the caller tries again at once, from the failure callback
                return null;
            });
        }
        long oldTerm = caller.status().term();
        host.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() == 4);
        assertThat(failures).containsOnly(MemSyncException.ERR_RPC_PEER_GONE);
        // the caller follows the new host: its patch is acknowledged and reaches the other process
        PatchResult r = caller.patch(Update.set("n", 7)).toCompletableFuture().join();
        assertThat(r.term()).isGreaterThan(oldTerm);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.read("n", Integer.class) == 7);
    }

    /** RPC handlers of a bean, for the argument-checking test. */
    public static class Calculator {
        @RpcMethod("calc.add")
        public int add(int a, int b) {
            return a + b;
        }

        @RpcMethod
        public List<Item> items(List<Item> in) {
            return in;
        }
    }

    @Test
    void rpcArgumentsAreCheckedAgainstTheHandlerAndGenericResultsMap() {
        track(builder("rpc-args").start());
        SharedObject<JsonObject> server = track(builder("rpc-args").rpc(new Calculator()).start());
        SharedObject<JsonObject> caller = track(builder("rpc-args").start());
        assertThat(caller.call("calc.add", Integer.class, 2, 3).toCompletableFuture().join()).isEqualTo(5);
        java.lang.reflect.Type listOfItems = new java.lang.reflect.ParameterizedType() {
            @Override
            public java.lang.reflect.Type[] getActualTypeArguments() {
                return new java.lang.reflect.Type[] {Item.class};
            }

            @Override
            public java.lang.reflect.Type getRawType() {
                return List.class;
            }

            @Override
            public java.lang.reflect.Type getOwnerType() {
                return null;
            }
        };
        List<Item> items = caller.<List<Item>>call("items", listOfItems, List.of(new Item("a", 1)))
                .toCompletableFuture().join();
        assertThat(items).containsExactly(new Item("a", 1));
        assertThat(caller.call("calc.add", Integer.class, 1).toCompletableFuture()).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class).havingCause()
                .isInstanceOf(MemSyncException.class)
                .satisfies(e -> {
                    assertThat(((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_RPC_FAILED);
                    assertThat(e.getMessage()).contains("calc.add").contains("takes 2 argument(s)");
                });
        assertThat(caller.call("calc.add", Integer.class, "x", 2).toCompletableFuture()).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class).havingCause()
                .satisfies(e -> {
                    assertThat(((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_RPC_FAILED);
                    assertThat(e.getMessage()).contains("calc.add").contains("parameter a");
                });
        assertThat(server.status().role()).isEqualTo(PeerRole.CLIENT);
    }

    @Test
    void duplicateRpcNamesAreRefusedAtBuildTimeNamingBoth() {
        assertThatThrownBy(() -> MemSync.builder("dup").rpc("calc.add", a -> 1).rpc(new Calculator()))
                .isInstanceOf(MemSyncException.class)
                .hasMessageContaining("calc.add").hasMessageContaining("registered twice")
                .hasMessageContaining(Calculator.class.getName() + ".add()");
    }

    @Test
    void readersCannotPatch() {
        track(builder("ro").start());
        SharedObject<JsonObject> reader = track(builder("ro").roles(Role.READER).start());
        assertThat(reader.patch(Update.set("a", 1)).toCompletableFuture()).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_READ_ONLY);
    }

    @Test
    void secondWriterBeyondTheCapIsRefused() {
        track(builder("cap").maxWriters(1).start());
        assertThatThrownBy(() -> track(builder("cap").maxWriters(1).start()))
                .isInstanceOf(MemSyncException.class)
                .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_MAX_WRITERS);
        SharedObject<JsonObject> reader = track(builder("cap").roles(Role.READER).start());
        assertThat(reader.status().role()).isEqualTo(PeerRole.CLIENT);
    }

    @Test
    void persistedDocumentIsLoadedByTheNextNetwork() throws Exception {
        Path file = rendezvous.resolve("store/doc.json");
        SharedObject<JsonObject> first = builder("persist").data("{\"n\":0}").file(file).start();
        first.patch(Update.inc("n", 5)).toCompletableFuture().join();
        first.stop();
        SharedObject<JsonObject> second = track(builder("persist").data("{\"n\":0}").file(file).start());
        assertThat(second.read("n", Integer.class)).isEqualTo(5);
    }

    @Test
    void stoppedObjectsRefuseWorkAndCanStartAgain() {
        SharedObject<JsonObject> foo = track(builder("restart").data("{\"n\":1}").start());
        foo.stop();
        assertThat(foo.status().role()).isEqualTo(PeerRole.STOPPED);
        assertThatThrownBy(foo::data).isInstanceOf(MemSyncException.class)
                .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_STOPPED);
        foo.start();
        assertThat(foo.status().role()).isEqualTo(PeerRole.HOST);
    }
}
