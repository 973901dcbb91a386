package io.memsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Records (and POJOs) that are not public (package-private, nested in a class, local to a method) map both ways wherever the
 * API maps values: initial data, {@code value()} of typed views, {@code read}, observers, events, RPC arguments and
 * results. JSON-B alone fails on them ("Error accessing getter").
 */
class NonPublicRecordsTest {
    /** Package-private, as in the issue: {@code record Bar(String name, int date) {}} nested in a class. */
    record Bar(String name, int date) {
    }

    /** A package-private record holding others. */
    record Pub(List<Bar> bars, Map<String, Bar> byName, Bar[] array, String owner) {
    }

    private Path rendezvous;
    private SharedObject<JsonObject> shared;

    @BeforeEach
    void start() throws Exception {
        rendezvous = Files.createTempDirectory("memsync-records-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        shared = MemSync.builder("records-np").rendezvous(rendezvous).timeout(Duration.ofSeconds(10))
                .data(new Pub(List.of(new Bar("a", 1)), Map.of("b", new Bar("b", 2)), new Bar[] {new Bar("c", 3)}, "ann"))
                .rpc("next", args -> new Bar(args.get(0, Bar.class).name(), args.get(0, Bar.class).date() + 1))
                .start();
    }

    @AfterEach
    void stop() {
        shared.stop();
    }

    @Test
    void initialDataTypedViewsAndReadsMapNonPublicRecords() {
        assertThat(shared.data().toString()).isEqualTo("{\"bars\":[{\"name\":\"a\",\"date\":1}],"
                + "\"byName\":{\"b\":{\"name\":\"b\",\"date\":2}},\"array\":[{\"name\":\"c\",\"date\":3}],\"owner\":\"ann\"}");
        Pub pub = shared.as(Pub.class).value();
        assertThat(pub.bars()).containsExactly(new Bar("a", 1));
        assertThat(pub.byName()).containsEntry("b", new Bar("b", 2));
        assertThat(pub.array()).containsExactly(new Bar("c", 3));
        assertThat(shared.read("bars.0", Bar.class)).isEqualTo(new Bar("a", 1));
    }

    /** A package-private POJO with getters and setters. */
    static class Basket {
        private String owner;
        private int count;
        private boolean full;

        Basket() {
        }

        Basket(String owner, int count, boolean full) {
            this.owner = owner;
            this.count = count;
            this.full = full;
        }

        public String getOwner() {
            return owner;
        }

        public void setOwner(String owner) {
            this.owner = owner;
        }

        public int getCount() {
            return count;
        }

        public void setCount(int count) {
            this.count = count;
        }

        public boolean isFull() {
            return full;
        }

        public void setFull(boolean full) {
            this.full = full;
        }
    }

    @Test
    void nonPublicPojosMapThroughTheirGettersAndSetters() {
        shared.patch(Update.set("basket", new Basket("ann", 3, true))).toCompletableFuture().join();
        assertThat(shared.read("basket", JsonObject.class).toString()).contains("\"owner\":\"ann\"")
                .contains("\"count\":3").contains("\"full\":true");
        Basket back = shared.read("basket", Basket.class);
        assertThat(back.getOwner()).isEqualTo("ann");
        assertThat(back.getCount()).isEqualTo(3);
        assertThat(back.isFull()).isTrue();
        assertThat(shared.read("baskets", new Basket[0].getClass())).isNull();
    }

    @Test
    void nullElementsAndComponentsStayNull() {
        shared.patch(Update.set("withNulls", Json.createReader(new java.io.StringReader(
                "{\"bars\":[null,{\"name\":\"n\",\"date\":1}],\"byName\":{},\"array\":[],\"owner\":null}")).readObject()))
                .toCompletableFuture().join();
        Pub pub = shared.read("withNulls", Pub.class);
        assertThat(pub.bars()).containsExactly(null, new Bar("n", 1));
        assertThat(pub.owner()).isNull();
    }

    @Test
    void recordsLocalToAMethodMapToo() {
        record Local(String what, long when) {
        }
        shared.patch(Update.set("local", new Local("x", 7L))).toCompletableFuture().join();
        assertThat(shared.read("local", Local.class)).isEqualTo(new Local("x", 7L));
    }

    @Test
    void rpcArgumentsResultsEventsAndObserversMapNonPublicRecords() {
        assertThat(shared.call("next", Bar.class, new Bar("z", 9)).toCompletableFuture().join()).isEqualTo(new Bar("z", 10));

        List<Bar> events = new CopyOnWriteArrayList<>();
        List<Bar> observed = new CopyOnWriteArrayList<>();
        shared.events().on("bar", Bar.class, events::add);
        shared.observe("last", Bar.class, observed::add);
        shared.events().emit("bar", new Bar("e", 5));
        shared.patch(Update.set("last", new Bar("o", 6))).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(events).contains(new Bar("e", 5));
            assertThat(observed).contains(new Bar("o", 6));
        });
    }

    @Test
    void aValueThatDoesNotFitARecordNamesTheRecordAndTheComponent() {
        shared.patch(Update.set("wrong", Map.of("name", "w", "date", "not a number"))).toCompletableFuture().join();
        assertThatThrownBy(() -> shared.read("wrong", Bar.class))
                .hasMessageContaining("component 'date' (int) of record " + Bar.class.getName());
    }

    @Test
    void aCallerMappingFailureIsAnRpcFailureNamingTheParameter() {
        assertThatThrownBy(() -> shared.call("next", Bar.class, "not a bar").toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(MemSyncException.class)
                .hasMessageContaining(MemSyncException.ERR_RPC_FAILED)
                .hasMessageContaining("RPC method 'next': argument 0 (\"not a bar\") cannot be read as " + Bar.class.getName())
                .hasMessageContaining("a JSON object is needed");
    }
}
