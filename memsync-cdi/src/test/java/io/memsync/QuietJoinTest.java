package io.memsync;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A refusal a user sees must mean something is wrong: a plain start of three processes logs none. */
class QuietJoinTest {
    @Test
    void aPlainStartOfAHostAndTwoClientsRefusesNoConnection() throws Exception {
        Path dir = Files.createTempDirectory("memsync-quiet-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Logger transport = Logger.getLogger("io.memsync.transport");
        List<String> refusals = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String m = r.getMessage();
                if (r.getLevel().intValue() >= Level.INFO.intValue() && m != null && m.contains("refused")) {
                    refusals.add(m);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        transport.addHandler(h);
        try (SharedObject<JsonObject> host = MemSync.builder("quiet").rendezvous(dir).timeout(Duration.ofSeconds(20))
                .data("{\"n\":0}").start();
             SharedObject<JsonObject> c1 = MemSync.builder("quiet").rendezvous(dir).timeout(Duration.ofSeconds(20)).start();
             SharedObject<JsonObject> c2 = MemSync.builder("quiet").rendezvous(dir).timeout(Duration.ofSeconds(20)).start()) {
            c2.patch("{\"$inc\":{\"n\":1}}").toCompletableFuture().join();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> host.data().getInt("n") == 1 && c1.data().getInt("n") == 1);
            // the background listener warm-up of each process has finished by now or never will refuse
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> c1.hasPeers() && c2.hasPeers());
        } finally {
            transport.removeHandler(h);
        }
        assertThat(refusals).as("connections refused during a plain start").isEmpty();
    }
}
