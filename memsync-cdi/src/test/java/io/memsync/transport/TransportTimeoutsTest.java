package io.memsync.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memsync.MemSync;
import io.memsync.MemSyncException;
import io.memsync.replication.Transport;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The handshake and idle timeouts are options (issue 13): a listener of a transport built with short ones refuses a
 * silent upgraded connection and closes a silent TCP connection long before the defaults (10 s, 15 s) would; values
 * out of range fail with {@code ERR_CONFIG} naming the option.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TransportTimeoutsTest {
    private static final byte[] SECRET = "s3cret-term-1".getBytes(StandardCharsets.UTF_8);

    @Test
    void shortTimeoutsRefuseAndCloseSilentConnectionsSoonerThanTheDefaults() throws Exception {
        WebSocketTransport transport = new WebSocketTransport(1 << 20, Duration.ofMillis(300), Duration.ofSeconds(1));
        try (Transport.Listener l = transport.listen("doc", SECRET, ch -> new Recorder());
             RawSocketPeer upgraded = RawSocketPeer.upgraded(l.endpoint());
             RawSocketPeer tcp = RawSocketPeer.tcp(l.endpoint())) {
            // well under the 10 s default: the refusal names the configured timeout
            Duration under = Duration.ofSeconds(8);
            JsonObject challenge = json(upgraded.read(under));
            assertThat(challenge.getString("t")).isEqualTo("challenge");
            JsonObject err = json(upgraded.read(under));
            assertThat(err.getString("code")).isEqualTo(MemSyncException.ERR_PROTOCOL);
            assertThat(err.getString("message")).contains("no authentication within 300 ms");
            // well under the 15 s default: Helidon's idle check closes the silent TCP connection
            assertThat(tcp.awaitClosedByHost(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void timeoutsOutOfRangeFailWithConfigErrorsNamingTheOption() {
        assertThatThrownBy(() -> MemSync.builder("t").handshakeTimeout(Duration.ofMillis(10)))
                .isInstanceOfSatisfying(MemSyncException.class, e -> assertThat(e.code()).isEqualTo(MemSyncException.ERR_CONFIG))
                .hasMessageContaining("handshakeTimeout").hasMessageContaining("'t'");
        assertThatThrownBy(() -> MemSync.builder("t").idleTimeout(Duration.ofHours(2)))
                .isInstanceOfSatisfying(MemSyncException.class, e -> assertThat(e.code()).isEqualTo(MemSyncException.ERR_CONFIG))
                .hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> new WebSocketTransport(1 << 20, Duration.ofSeconds(10), Duration.ZERO))
                .isInstanceOfSatisfying(MemSyncException.class, e -> assertThat(e.code()).isEqualTo(MemSyncException.ERR_CONFIG))
                .hasMessageContaining("idleTimeout");
        MemSync.builder("t").handshakeTimeout(Duration.ofSeconds(2)).idleTimeout(Duration.ofSeconds(30)); // in range
        assertThatThrownBy(() -> MemSync.builder("t").heartbeat(Duration.ofMillis(500)).idleTimeout(Duration.ofSeconds(1)).start())
                .isInstanceOfSatisfying(MemSyncException.class, e -> assertThat(e.code()).isEqualTo(MemSyncException.ERR_CONFIG))
                .hasMessageContaining("idleTimeout").hasMessageContaining("three heartbeats");
    }

    private static JsonObject json(RawSocketPeer.Frame f) {
        assertThat(f).as("a frame from the host").isNotNull();
        assertThat(f.opcode()).isEqualTo(RawSocketPeer.TEXT);
        return Json.createReader(new StringReader(f.text())).readObject();
    }
}
