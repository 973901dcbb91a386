package io.memsync.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.memsync.MemSync;
import io.memsync.SharedObject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The binary messages negotiated in the handshake (see {@link Handshake}), observed on the wire with a raw socket
 * against a real host: a peer that asks gets its frames as binary messages and may send binary ones, large ones in
 * fragments; a peer that does not ask (an older memsync) gets text and has a binary message refused, as before.
 */
class BinaryMessagesTest {
    private static final Duration T = Duration.ofSeconds(30);
    private Path dir;

    @BeforeEach
    void folder() throws IOException {
        dir = Files.createTempDirectory("memsync-binary-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    @Test
    void aPeerThatAsksForBinaryMessagesGetsItsFramesAsBinaryAndMaySendBinary() throws Exception {
        try (SharedObject<JsonObject> host = MemSync.builder("bin").rendezvous(dir).timeout(T).start();
             RawSocketPeer p = AuthenticatedPeer.open(dir.resolve("bin").resolve("host.json"), "bin", "binary-peer",
                     true, true)) {
            // the replication hello went out as a binary message; the host welcomes it with a binary one
            RawSocketPeer.Frame welcome = next(p, "\"welcome\"");
            assertThat(welcome.opcode()).isEqualTo(RawSocketPeer.BINARY);
            p.send(RawSocketPeer.BINARY, true, "{\"t\":\"ping\",\"id\":41}".getBytes(StandardCharsets.UTF_8));
            RawSocketPeer.Frame pong = next(p, "\"pong\"");
            assertThat(pong.opcode()).isEqualTo(RawSocketPeer.BINARY);
            assertThat(Json.createReader(new java.io.StringReader(pong.text())).readObject().getInt("id")).isEqualTo(41);

            // an entry bigger than one binary fragment arrives as a fragmented binary message holding the whole text
            String big = "é€".repeat(60_000); // 300,000 bytes of UTF-8: several 64 KiB fragments
            host.patch(Json.createObjectBuilder().add("$set", Json.createObjectBuilder().add("big", big)).build())
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
            int fragments = 0;
            long deadline = System.nanoTime() + T.toNanos();
            while (System.nanoTime() < deadline) {
                RawSocketPeer.Frame f = p.read(T);
                if (f.opcode() == RawSocketPeer.PING || f.opcode() == 10) {
                    continue; // flow-control pings (this raw peer does not answer them) and pongs
                }
                if (message.size() == 0 && f.opcode() == RawSocketPeer.BINARY && f.fin()) {
                    continue; // a whole small message (heartbeats) before the entry
                }
                assertThat(f.opcode()).isEqualTo(message.size() == 0 ? RawSocketPeer.BINARY : RawSocketPeer.CONTINUATION);
                message.write(f.payload());
                fragments++;
                if (f.fin()) {
                    break;
                }
            }
            assertThat(fragments).isGreaterThan(1);
            String text = message.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("\"t\":\"e\"").contains(big);
        }
    }

    @Test
    void aPeerThatDoesNotAskGetsTextAndHasBinaryMessagesRefused() throws Exception {
        try (SharedObject<JsonObject> host = MemSync.builder("txt").rendezvous(dir).timeout(T).start();
             RawSocketPeer p = AuthenticatedPeer.open(dir.resolve("txt").resolve("host.json"), "txt", "text-peer",
                     true, false)) {
            assertThat(next(p, "\"welcome\"").opcode()).isEqualTo(RawSocketPeer.TEXT);
            p.send(RawSocketPeer.BINARY, true, "{\"t\":\"ping\",\"id\":42}".getBytes(StandardCharsets.UTF_8));
            RawSocketPeer.Frame refusal = next(p, "binary frames were not asked for");
            assertThat(refusal.opcode()).isEqualTo(RawSocketPeer.TEXT);
            p.sendText("{\"t\":\"ping\",\"id\":43}");
            RawSocketPeer.Frame pong = next(p, "\"pong\"");
            assertThat(pong.opcode()).isEqualTo(RawSocketPeer.TEXT);
            assertThat(pong.text()).contains("43").doesNotContain("42");
            assertThat(host.status().peers()).hasSize(2);
        }
    }

    /** The next data message whose text contains {@code needle} (control frames and other messages skipped). */
    private static RawSocketPeer.Frame next(RawSocketPeer p, String needle) throws IOException {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            RawSocketPeer.Frame f = p.read(T);
            if ((f.opcode() == RawSocketPeer.TEXT || f.opcode() == RawSocketPeer.BINARY) && f.text().contains(needle)) {
                return f;
            }
        }
        throw new AssertionError("no message containing " + needle);
    }
}
