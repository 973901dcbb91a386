package io.memsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import io.memsync.discovery.FileRendezvous;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MemSync.Builder#joinOnly()}: a process that joins a live host and never hosts itself. */
class JoinOnlyTest {
    private Path dir;

    @BeforeEach
    void folder() throws Exception {
        dir = Files.createTempDirectory("memsync-joinonly-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    private MemSync.Builder builder() {
        return MemSync.builder("joinonly").rendezvous(dir).timeout(Duration.ofSeconds(20));
    }

    @Test
    void withoutAHostStartFailsWithErrNoHostAndLeavesTheLeaseFree() throws Exception {
        assertThatThrownBy(() -> builder().joinOnly().roles(Role.READER).start())
                .isInstanceOfSatisfying(MemSyncException.class, e -> {
                    assertThat(e.code()).isEqualTo(MemSyncException.ERR_NO_HOST);
                    assertThat(e.getMessage()).contains("joinonly");
                });
        assertThat(new FileRendezvous("joinonly", dir).isHeld()).as("lease taken by a join-only start").isFalse();
        // and a normal process still creates the network afterwards
        try (SharedObject<JsonObject> host = builder().data("{\"n\":1}").start()) {
            assertThat(host.status().isHost()).isTrue();
        }
    }

    @Test
    void aJoinOnlyReaderFollowsTheHostTakesNoWriterSlotAndNeverTakesOver() {
        try (SharedObject<JsonObject> a = builder().data("{\"n\":1}").maxWriters(1).start();
             SharedObject<JsonObject> reader = builder().joinOnly().roles(Role.READER).start()) {
            assertThat(reader.status().role()).isEqualTo(PeerRole.CLIENT);
            assertThat(reader.data().getInt("n")).isEqualTo(1);
            a.patch("{\"$inc\":{\"n\":1}}").toCompletableFuture().join();
            await().atMost(Duration.ofSeconds(20)).until(() -> reader.data().getInt("n") == 2);
            assertThatThrownBy(() -> reader.patch("{\"$inc\":{\"n\":1}}").toCompletableFuture().join())
                    .hasRootCauseInstanceOf(MemSyncException.class)
                    .rootCause().satisfies(e -> assertThat(((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_READ_ONLY));

            a.stop();
            // the lease stays free while only the join-only reader is left: it waits, as a client does
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> reader.status().role() != PeerRole.HOST);
            try (SharedObject<JsonObject> c = builder().start()) {
                // the next writer becomes host, not the join-only reader (c may still be recovering: waiting for the
                // reader, a live member of the old term, to reconnect)
                await().atMost(Duration.ofSeconds(20)).until(() -> c.status().isHost());
                assertThat(reader.status().role()).isEqualTo(PeerRole.CLIENT);
                assertThat(c.data().getInt("n")).isEqualTo(2);
                await().atMost(Duration.ofSeconds(20)).until(() -> reader.status().role() == PeerRole.CLIENT
                        && reader.status().term() == c.status().term());
                c.patch("{\"$inc\":{\"n\":1}}").toCompletableFuture().join();
                await().atMost(Duration.ofSeconds(20)).until(() -> reader.data().getInt("n") == 3);
            }
        }
    }
}
