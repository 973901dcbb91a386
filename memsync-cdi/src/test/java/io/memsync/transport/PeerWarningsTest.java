package io.memsync.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memsync.MemSync;
import io.memsync.PeerRole;
import io.memsync.SharedObject;
import io.memsync.replication.Replica;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: an authenticated peer that sends thousands of frames the host cannot use (undecodable, unknown types,
 * frames before its hello is done, error reports) costs the host's log a bounded number of lines, and the counts of
 * what was not logged follow when it disconnects.
 */
class PeerWarningsTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final int BAD = 3_000;

    @Test
    void manyBadFramesFromAnAuthenticatedPeerCostABoundedNumberOfLogLines() throws Exception {
        Path dir = Files.createTempDirectory("memsync-peerlog-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                    records.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger memsync = Logger.getLogger("io.memsync");
        memsync.addHandler(h);
        try (SharedObject<JsonObject> host = MemSync.builder("peerlog").rendezvous(dir).timeout(T).start()) {
            assertThat(host.status().role()).isEqualTo(PeerRole.HOST);
            try (RawSocketPeer p = AuthenticatedPeer.open(dir.resolve("peerlog").resolve("host.json"), "peerlog",
                    "bad-peer", true)) {
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < BAD; i++) {
                    batch.append(switch (i % 3) {
                        case 0 -> "not json " + i;
                        case 1 -> "{\"t\":\"nonsense\",\"i\":" + i + "}";
                        default -> "{\"t\":\"err\",\"code\":\"ERR_X\",\"m\":\"report " + i + "\"}";
                    }).append('\n');
                    if (batch.length() > 32_000) {
                        p.sendText(batch.toString());
                        batch.setLength(0);
                    }
                }
                p.sendText(batch.append("{\"t\":\"ping\",\"id\":77}").toString());
                // the host handles frames in order: once it answers the ping, it has seen every bad frame
                awaitPong(p);
                long lines = records.stream().filter(r -> r.getLoggerName().equals(Replica.class.getName())).count();
                assertThat(lines).as("lines for %d bad frames: %s", BAD, records.stream().map(LogRecord::getMessage)
                        .toList()).isBetween(2L, 6L);
            }
            // on disconnect, the counts of what was not logged: 2,000 protocol errors and 1,000 reports, less the
            // first line of each
            await().atMost(T).until(() -> records.stream().anyMatch(r -> r.getMessage().contains(
                    (2 * BAD / 3 - 1) + " more 'protocol error' warnings from")
                    && r.getMessage().contains((BAD / 3 - 1) + " more 'error report' warnings from")));
            assertThat(host.status().role()).isEqualTo(PeerRole.HOST);
        } finally {
            memsync.removeHandler(h);
        }
    }

    private static void awaitPong(RawSocketPeer p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            RawSocketPeer.Frame f = p.read(T);
            if (f.opcode() == RawSocketPeer.TEXT && f.text().contains("\"pong\"") && f.text().contains("77")) {
                return;
            }
        }
        throw new AssertionError("no pong");
    }
}
