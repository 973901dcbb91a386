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
import java.util.concurrent.CompletionException;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code file}/{@code storage} option through the public API in one process: the host drives the store from
 * the ordered log, a new host continues it, a restart continues {@code (term, version)}, {@code flush()} writes a
 * snapshot, a failing store shows in {@code status()}, the earlier whole-document file is imported, and
 * {@link Acks#REPLICA} makes a host's own patch wait for a client. (Kills of real processes: memsync-it.)
 */
public class PersistenceTest {
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
        return MemSync.builder(name).rendezvous(rendezvous).timeout(Duration.ofSeconds(10)).recoveryWait(Duration.ofMillis(200));
    }

    private <T> SharedObject<T> track(SharedObject<T> s) {
        started.add(s);
        return s;
    }

    private static MemSyncException failure(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (CompletionException e) {
            return (MemSyncException) e.getCause();
        }
        throw new AssertionError("expected a failure, got " + f.join());
    }

    @Test
    void restartContinuesTermVersionAndDocument() {
        Path store = rendezvous.resolve("store");
        SharedObject<JsonObject> first = builder("restart").data("{\"n\":0}").file(store).durability(Durability.ALWAYS).start();
        for (int i = 0; i < 50; i++) {
            first.patch(Update.inc("n", 1)).toCompletableFuture().join();
        }
        Status before = first.status();
        assertThat(before.version()).isEqualTo(50);
        assertThat(before.persistenceFailing()).isFalse();
        first.stop();
        assertThat(store.resolve("store.lock")).exists();

        SharedObject<JsonObject> second = track(builder("restart").data("{\"n\":-1}").file(store).start());
        assertThat(second.read("n", Integer.class)).isEqualTo(50);
        Status after = second.status();
        assertThat(after.version()).isEqualTo(50);
        assertThat(after.term()).isGreaterThan(before.term());
        PatchResult r = second.patch(Update.inc("n", 1)).toCompletableFuture().join();
        assertThat(r.version()).isEqualTo(51);
        assertThat(r.term()).isEqualTo(after.term());
    }

    @Test
    void aNewHostContinuesTheStoreOfTheOldOne() {
        Path store = rendezvous.resolve("handover");
        SharedObject<JsonObject> host = builder("handover").data("{\"n\":0}").file(store).start();
        SharedObject<JsonObject> client = track(builder("handover").data("{\"n\":0}").file(store).start());
        assertThat(client.status().role()).isEqualTo(PeerRole.CLIENT);
        for (int i = 0; i < 10; i++) {
            host.patch(Update.inc("n", 1)).toCompletableFuture().join();
        }
        client.patch(Update.inc("n", 100)).toCompletableFuture().join();
        host.stop(); // hands over: the store's lock passes with the host role
        await().atMost(Duration.ofSeconds(20)).until(() -> client.status().isHost());
        PatchResult r = client.patch(Update.inc("n", 1)).toCompletableFuture().join();
        assertThat(r.version()).isEqualTo(12);
        assertThat(client.status().persistenceFailing()).as(client.status().persistenceFailure()).isFalse();
        client.stop();
        started.remove(client);

        SharedObject<JsonObject> again = track(builder("handover").data("{}").file(store).start());
        assertThat(again.read("n", Integer.class)).isEqualTo(111);
        assertThat(again.status().version()).isEqualTo(12);
    }

    @Test
    void flushWritesASnapshotOnTheHostOnly() throws Exception {
        Path store = rendezvous.resolve("flush");
        SharedObject<JsonObject> host = track(builder("flush").data("{\"n\":0}").file(store).start());
        SharedObject<JsonObject> client = track(builder("flush").start());
        host.patch(Update.inc("n", 3)).toCompletableFuture().join();
        host.flush().toCompletableFuture().join();
        try (var files = Files.list(store)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("snapshot-00000000000000000001-00000000000000000001.snap");
        }
        assertThat(failure(client.flush().toCompletableFuture()).code()).isEqualTo(MemSyncException.ERR_CONFIG);
        SharedObject<JsonObject> plain = track(builder("noflush").start());
        assertThat(failure(plain.flush().toCompletableFuture()).code()).isEqualTo(MemSyncException.ERR_CONFIG);
    }

    @Test
    void aFailingStoreShowsInStatusAndTheNetworkRunsFromMemory() throws Exception {
        Path notAFolder = Files.writeString(rendezvous.resolve("plain-file"), "x");
        SharedObject<JsonObject> host = track(builder("failing").data("{\"n\":0}").storage(notAFolder.resolve("below").toString())
                .start());
        assertThat(host.status().persistenceFailing()).isTrue();
        assertThat(host.status().persistenceFailure()).contains("plain-file");
        assertThat(host.patch(Update.inc("n", 1)).toCompletableFuture().join().version()).isEqualTo(1);
        SharedObject<JsonObject> client = track(builder("failing").start());
        assertThat(client.read("n", Integer.class)).isEqualTo(1);
        assertThat(client.status().persistenceFailing()).isFalse();
    }

    @Test
    void aHostWhoseStoreFailedWritesItAgainOnceItCanAndCatchesUp() throws Exception {
        Path blocker = Files.writeString(rendezvous.resolve("blocker"), "x");
        String location = blocker.resolve("stores").toString();
        SharedObject<JsonObject> host = builder("retry").data("{\"n\":0}").storage(location).start();
        assertThat(host.status().persistenceFailing()).isTrue();
        for (int i = 0; i < 5; i++) {
            host.patch(Update.inc("n", 1)).toCompletableFuture().join();
        }
        Files.delete(blocker); // the store's folder can be created now
        await().atMost(Duration.ofSeconds(20)).until(() -> !host.status().persistenceFailing());
        assertThat(blocker.resolve("stores").resolve("retry")).isDirectory();
        PatchResult last = host.patch(Update.inc("n", 1)).toCompletableFuture().join();
        host.stop();

        SharedObject<JsonObject> again = track(builder("retry").data("{\"n\":-1}").storage(location).start());
        assertThat(again.read("n", Integer.class)).as("the patches made while the store failed were caught up").isEqualTo(6);
        assertThat(again.status().version()).isEqualTo(last.version());
    }

    @Test
    void theEarlierWholeDocumentFileIsImportedOnce() throws Exception {
        Path old = Files.writeString(rendezvous.resolve("doc.json"), "{\"n\":7,\"tags\":[\"a\"]}");
        SharedObject<JsonObject> first = builder("legacy").data("{\"n\":0}").file(old).start();
        assertThat(first.read("n", Integer.class)).isEqualTo(7);
        assertThat(rendezvous.resolve("doc.json.imported")).exists();
        assertThat(old).isDirectory();
        first.patch(Update.inc("n", 1)).toCompletableFuture().join();
        first.stop();
        SharedObject<JsonObject> second = track(builder("legacy").data("{\"n\":0}").file(old).start());
        assertThat(second.read("n", Integer.class)).isEqualTo(8);
    }

    @Test
    void aNodeMemsyncFileIsImportedWithItsVersion() throws Exception {
        Path old = Files.writeString(rendezvous.resolve("node.json"), "{\"version\":41,\"timestamp\":1,\"data\":{\"n\":2}}");
        SharedObject<JsonObject> first = track(builder("node").file(old).start());
        assertThat(first.data().toString()).isEqualTo("{\"n\":2}");
        assertThat(first.patch(Update.inc("n", 1)).toCompletableFuture().join().version()).isEqualTo(42);
    }

    @Test
    void replicaAcksMakeTheHostsOwnPatchWaitForAClient() {
        SharedObject<JsonObject> host = track(builder("acks").data("{\"n\":0}").acks(Acks.REPLICA)
                .timeout(Duration.ofSeconds(1)).start());
        // alone: nobody else holds the entry, so the outcome stays unknown after the timeout
        MemSyncException alone = failure(host.patch(Update.inc("n", 1)).toCompletableFuture());
        assertThat(alone.code()).isEqualTo(MemSyncException.ERR_TIMEOUT);
        assertThat(alone.getMessage()).contains("outcome unknown");
        assertThat(host.read("n", Integer.class)).isEqualTo(1);

        SharedObject<JsonObject> client = track(builder("acks").start());
        PatchResult r = host.patch(Update.inc("n", 1)).toCompletableFuture().join();
        // acknowledged: the client has acknowledged holding the entry
        assertThat(client.status().version()).isGreaterThanOrEqualTo(r.version());
        assertThat(client.read("n", Integer.class)).isEqualTo(2);
    }

    @Test
    void storageRejectsABlankLocation() {
        assertThatThrownBy(() -> builder("x").storage(" ")).isInstanceOf(MemSyncException.class)
                .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_CONFIG);
    }
}
