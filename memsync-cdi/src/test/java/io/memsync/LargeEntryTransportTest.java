package io.memsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reproduction of issue 13 over real WebSockets: a 17 MB {@code $set} made on the host with the default limits
 * (16 MiB frames) reaches the client in parts, and the client stays connected and keeps writing.
 */
class LargeEntryTransportTest {
    @Test
    void aSetLargerThanAFrameReachesTheClient() throws Exception {
        Path dir = Files.createTempDirectory("memsync-large-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try (SharedObject<JsonObject> host = MemSync.builder("large").rendezvous(dir).timeout(Duration.ofSeconds(60))
                .start();
             SharedObject<JsonObject> client = MemSync.builder("large").rendezvous(dir).timeout(Duration.ofSeconds(60))
                     .start()) {
            String big = "0123456789abcdef".repeat(17_000_000 / 16);
            host.patch(Update.of(Json.createObjectBuilder().add("$set", Json.createObjectBuilder().add("big", big))
                    .build())).toCompletableFuture().get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(client.status().version()).isEqualTo(host.status().version());
                assertThat(client.status().role()).isEqualTo(PeerRole.CLIENT);
            });
            assertThat(client.data().getString("big")).isEqualTo(big);
            client.patch("{\"$set\":{\"after\":1}}").toCompletableFuture().get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> host.data().getInt("after", 0) == 1);
        }
    }
}
