package io.memsync.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memsync.MemSync;
import io.memsync.SharedObject;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A slow or stuck peer (issue 13, item 3): an authenticated peer that sends its hello and then never reads, while
 * the host writes. It is disconnected once past its send budget (logged once), what the host held for it stays near
 * the budget, and a legitimate client's patches keep completing.
 */
class StuckPeerTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final long BUDGET = 1 << 20;

    @Test
    void aPeerThatNeverReadsIsDisconnectedAtItsBudgetWhileAClientKeepsWriting() throws Exception {
        Path dir = Files.createTempDirectory("memsync-stuck-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("past its send budget")) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger replication = Logger.getLogger("io.memsync.replication");
        replication.addHandler(h);
        try (SharedObject<JsonObject> host = MemSync.builder("stuck").rendezvous(dir).timeout(T)
                .sendBudget(BUDGET, 10_000).start();
             SharedObject<JsonObject> client = MemSync.builder("stuck").rendezvous(dir).timeout(T).start();
             RawSocketPeer stuck = AuthenticatedPeer.open(dir.resolve("stuck").resolve("host.json"), "stuck", "stuck-peer",
                     false)) {
            String value = "v".repeat(8 * 1024);
            int i = 0;
            // the host writes (8 KiB entries) and the client keeps patching, until the stuck peer is disconnected
            while (warnings.isEmpty()) {
                assertThat(i).as("patches before the stuck peer was disconnected").isLessThan(5_000);
                host.patch("{\"$set\":{\"h\":\"" + value + i + "\"}}").toCompletableFuture().get(30, TimeUnit.SECONDS);
                client.patch("{\"$inc\":{\"n\":1}}").toCompletableFuture().get(30, TimeUnit.SECONDS);
                i++;
            }
            assertThat(stuck.awaitClosedByHost(T)).as("the host closed the stuck peer's socket").isTrue();
            Matcher m = Pattern.compile("holds (\\d+) bytes").matcher(warnings.get(0));
            assertThat(m.find()).isTrue();
            // measured right after the entries that passed it were queued: at most one flush (two entries) more
            assertThat(Long.parseLong(m.group(1))).isGreaterThan(BUDGET).isLessThan(BUDGET + 64 * 1024);
            assertThat(warnings.get(0)).contains("stuck-peer");
            for (int k = 0; k < 50; k++) {
                client.patch("{\"$inc\":{\"n\":1}}").toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            int expected = i + 50;
            await().atMost(T).until(() -> host.data().getInt("n") == expected);
            assertThat(warnings).as("one warning for the disconnection").hasSize(1);
        } finally {
            replication.removeHandler(h);
        }
    }
}
