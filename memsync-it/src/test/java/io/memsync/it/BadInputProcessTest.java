package io.memsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.memsync.replication.Channel;
import io.memsync.replication.ChannelHandler;
import io.memsync.transport.RawClient;
import io.memsync.transport.WebSocketTransport;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hostile or broken peer on the host's socket: garbage, a wrong secret, an unknown name (answered like a wrong
 * secret), oversized and malformed frames after authentication. Each is refused with its code, and the host keeps
 * serving its real clients.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BadInputProcessTest {
    static final String NAME = "it-bad-input";
    static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final Peers peers = new Peers();

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static String hello(String name) {
        return Json.createObjectBuilder().add("t", "hello").add("name", name).add("nonce", "0123456789abcdef0123")
                .add("proof", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").build().toString();
    }

    @Test
    void everyKindOfBadInputIsRefusedWithItsCodeAndTheHostKeepsServing() throws Exception {
        PeerProcess host = peers.launch("H");
        PeerProcess client = peers.launch("C");
        host.call("start " + NAME + " data={\"n\":0}");
        client.call("start " + NAME);
        JsonObject record = json(Files.readString(peers.rendezvous().resolve(NAME).resolve("host.json")));
        String endpoint = record.getString("endpoint");
        byte[] secret = Base64.getDecoder().decode(record.getString("secret"));

        // garbage instead of the handshake
        try (RawClient raw = RawClient.connect(endpoint)) {
            assertThat(json(raw.next(WAIT)).getString("t")).isEqualTo("challenge");
            raw.send("this is not json {");
            assertThat(json(raw.next(WAIT)).getString("code")).isEqualTo("ERR_PROTOCOL");
        }
        // a wrong secret
        JsonObject wrongSecret;
        try (RawClient raw = RawClient.connect(endpoint)) {
            raw.next(WAIT);
            raw.send(hello(NAME));
            wrongSecret = json(raw.next(WAIT));
            assertThat(wrongSecret.getString("code")).isEqualTo("ERR_UNAUTHORIZED");
        }
        // a well-formed hello for a name this host does not serve: the same answer, so names cannot be probed
        try (RawClient raw = RawClient.connect(endpoint)) {
            raw.next(WAIT);
            raw.send(hello("someone-else"));
            JsonObject err = json(raw.next(WAIT));
            assertThat(err).isEqualTo(wrongSecret);
            assertThat(err.getString("message")).doesNotContain("someone-else");
        }
        // authenticated, then an oversized frame and a frame that breaks the protocol
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        Channel ch = new WebSocketTransport(1024 * 1024).connect(endpoint, NAME, secret, new ChannelHandler() {
            @Override
            public void onFrame(Channel channel, String frame) {
                frames.add(frame);
            }

            @Override
            public void onClose(Channel channel) {
            }
        }, WAIT);
        try {
            ch.send("{\"t\":\"patch\",\"junk\":\"" + "x".repeat(17 * 1024 * 1024) + "\"}");
            assertThat(awaitCode(frames)).isEqualTo("ERR_TOO_LARGE");
            ch.send("{\"t\":\"no-such-frame\"}");
            assertThat(awaitCode(frames)).isEqualTo("ERR_PROTOCOL");
            ch.send("[1,2,3]");
            assertThat(awaitCode(frames)).isEqualTo("ERR_PROTOCOL");
        } finally {
            ch.close();
        }

        // the real client still works through the same host
        assertThat(client.call("patch {\"$inc\":{\"n\":1}}").getJsonNumber("version").longValue()).isPositive();
        assertThat(host.call("data").getInt("n")).isEqualTo(1);
        assertThat(host.call("status").getString("role")).isEqualTo("HOST");
    }

    private static String awaitCode(BlockingQueue<String> frames) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String f = frames.poll(1, TimeUnit.SECONDS);
            if (f != null) {
                JsonObject o = json(f);
                if (o.containsKey("code")) {
                    return o.getString("code");
                }
            }
        }
        return "no error frame within " + WAIT;
    }
}
