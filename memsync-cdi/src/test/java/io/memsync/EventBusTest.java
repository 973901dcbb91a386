package io.memsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event bus with three members in one JVM (real sockets): everyone gets everything, per-emitter order. */
class EventBusTest {
    private final List<SharedObject<?>> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(SharedObject::close);
    }

    @Test
    void threeEmittersThousandEventsEach() throws Exception {
        Path dir = Files.createTempDirectory("memsync-ev-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        List<List<JsonObject>> received = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SharedObject<JsonObject> s = MemSync.builder("events").rendezvous(dir).start();
            started.add(s);
            List<JsonObject> mine = new CopyOnWriteArrayList<>();
            s.events().on("tick", JsonObject.class, mine::add);
            received.add(mine);
        }
        List<CompletableFuture<Void>> emits = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            SharedObject<?> s = started.get(e);
            String from = "e" + e;
            emits.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 1000; i++) {
                    s.events().emit("tick", Json.createObjectBuilder().add("from", from).add("i", i).build());
                }
            }));
        }
        emits.forEach(CompletableFuture::join);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> received.forEach(l -> assertThat(l).hasSize(3000)));
        for (List<JsonObject> list : received) {
            Map<String, Integer> last = new HashMap<>();
            for (JsonObject o : list) {
                int prev = last.getOrDefault(o.getString("from"), -1);
                assertThat(o.getInt("i")).isEqualTo(prev + 1);
                last.put(o.getString("from"), o.getInt("i"));
            }
        }
    }
}
