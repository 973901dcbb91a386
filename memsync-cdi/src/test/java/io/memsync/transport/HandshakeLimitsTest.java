package io.memsync.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.memsync.MemSyncException;
import io.memsync.replication.Channel;
import io.memsync.replication.Transport;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The host's limits before authentication (issue 13, item 2), each against a real listener and real sockets: small
 * handshake frames, a deadline that closes the socket, a cap on connections awaiting authentication, an idle
 * timeout for connections that never upgrade, one rate-limited log line per refusal cause, and one answer for a
 * wrong name and a wrong secret.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HandshakeLimitsTest {
    private static final byte[] SECRET = "s3cret-term-1".getBytes(StandardCharsets.UTF_8);
    private static final Duration T = Duration.ofSeconds(10);
    /** Slack on top of a limit's own time, for a loaded 2-core machine. */
    private static final Duration SLACK = Duration.ofSeconds(4);

    private final WebSocketTransport transport = new WebSocketTransport();
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final RefusalRecords records = new RefusalRecords();
    private final Recorder hostSide = new Recorder();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
        records.close();
    }

    private HostListener listen() throws IOException {
        Transport.Listener l = transport.listen("doc", SECRET, ch -> hostSide);
        cleanup.add(l);
        return (HostListener) l;
    }

    private RawSocketPeer upgraded(HostListener l) throws IOException {
        RawSocketPeer p = RawSocketPeer.upgraded(l.endpoint());
        cleanup.add(p);
        return p;
    }

    private static JsonObject json(RawSocketPeer.Frame f) {
        assertThat(f).as("a frame from the host").isNotNull();
        assertThat(f.opcode()).as("opcode of " + f.text()).isEqualTo(RawSocketPeer.TEXT);
        return Json.createReader(new StringReader(f.text())).readObject();
    }

    private static String challenge(RawSocketPeer p) throws IOException {
        JsonObject c = json(p.read(T));
        assertThat(c.getString("t")).isEqualTo("challenge");
        return c.getString("nonce");
    }

    private static String hello(String name, String proof) {
        return Json.createObjectBuilder().add("t", "hello").add("name", name).add("nonce", "0123456789abcdef0123")
                .add("proof", proof).build().toString();
    }

    /** Reads the error frame and the close frame that follow a refusal; returns the error. */
    private static JsonObject refusal(RawSocketPeer p) throws IOException {
        JsonObject err = json(p.read(T));
        assertThat(err.getString("t")).isEqualTo("error");
        RawSocketPeer.Frame close = p.read(T);
        assertThat(close).as("close frame after " + err).isNotNull();
        assertThat(close.opcode()).isEqualTo(RawSocketPeer.CLOSE);
        assertThat(close.closeCode()).isEqualTo(1000);
        return err;
    }

    private void assertAJoinWorks(HostListener l) throws Exception {
        Recorder client = new Recorder();
        Channel c = transport.connect(l.endpoint(), "doc", SECRET, client, T);
        try {
            c.send("{\"still\":\"served\"}");
            assertThat(hostSide.frames.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"still\":\"served\"}");
        } finally {
            c.close();
        }
    }

    @Test
    void aWrongNameAndAWrongSecretGetTheSameAnswer() throws Exception {
        HostListener l = listen();
        String wrongName;
        String wrongSecret;
        try (RawSocketPeer p = upgraded(l)) {
            challenge(p);
            p.sendText(hello("no-such-doc", "AAAA"));
            wrongName = refusal(p).toString();
        }
        try (RawSocketPeer p = upgraded(l)) {
            challenge(p);
            p.sendText(hello("doc", "AAAA"));
            wrongSecret = refusal(p).toString();
        }
        assertThat(wrongName).isEqualTo(wrongSecret).contains(MemSyncException.ERR_UNAUTHORIZED).doesNotContain("no-such-doc");

        // through the real client too: the right secret with a wrong name, and the right name with a wrong secret
        Throwable byName = catchCause(() -> transport.connect(l.endpoint(), "no-such-doc", SECRET, new Recorder(), T));
        Throwable bySecret = catchCause(() -> transport.connect(l.endpoint(), "doc", "wrong".getBytes(StandardCharsets.UTF_8),
                new Recorder(), T));
        assertThat(byName).isInstanceOf(MemSyncException.class);
        assertThat(((MemSyncException) byName).code()).isEqualTo(MemSyncException.ERR_UNAUTHORIZED);
        assertThat(byName.getMessage()).isEqualTo(bySecret.getMessage()).contains(Handshake.AUTH_FAILED);
    }

    private static Throwable catchCause(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(() -> {
            try {
                call.call();
            } catch (Throwable t) {
                caught[0] = t;
                throw t;
            }
        }).isInstanceOf(IOException.class);
        return caught[0].getCause();
    }

    @Test
    void aRefusedPeerThatNeverAnswersTheCloseFrameIsCutOffAndItsFurtherFramesAreIgnored() throws Exception {
        HostListener l = listen();
        RawSocketPeer p = upgraded(l);
        challenge(p);
        p.sendText("this is not json {");
        assertThat(refusal(p).getString("code")).isEqualTo(MemSyncException.ERR_PROTOCOL);
        for (int i = 0; i < 50; i++) {
            try {
                p.sendText("{\"t\":\"hello\",\"more\":" + i + "}"); // ignored: no answer, no log line
            } catch (IOException closedAlready) {
                break;
            }
        }
        // the peer does not answer the close frame: the host closes the socket itself after the grace period
        long t0 = System.nanoTime();
        assertThat(p.awaitClosedByHost(Duration.ofMillis(HostListener.REFUSED_CLOSE_GRACE_MS).plus(SLACK))).isTrue();
        System.out.printf("refused peer that ignores the close frame cut off after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(records.count(RefusalLog.Cause.NOT_A_HELLO)).isEqualTo(1);
        assertThat(records.refusals).hasSize(1);
        assertAJoinWorks(l);
    }

    @Test
    void silentConnectionsAreClosedByTheDeadlineAndTheIdleTimeoutWhileAClientIsServed() throws Exception {
        HostListener l = listen();
        List<RawSocketPeer> upgradedSilent = new ArrayList<>();
        List<RawSocketPeer> tcpSilent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RawSocketPeer u = upgraded(l);
            challenge(u);
            upgradedSilent.add(u);
            RawSocketPeer t = RawSocketPeer.tcp(l.endpoint());
            cleanup.add(t);
            tcpSilent.add(t);
        }
        long t0 = System.nanoTime();
        assertThat(l.unauthenticated()).isEqualTo(20);
        assertAJoinWorks(l);

        Duration deadline = Duration.ofMillis(HostListener.HANDSHAKE_TIMEOUT_MS + HostListener.REFUSED_CLOSE_GRACE_MS).plus(SLACK);
        for (RawSocketPeer u : upgradedSilent) {
            JsonObject err = json(u.read(deadline));
            assertThat(err.getString("code")).isEqualTo(MemSyncException.ERR_PROTOCOL);
            assertThat(err.getString("message")).contains("no authentication within " + HostListener.HANDSHAKE_TIMEOUT_MS);
            // never answers the close frame: closed by the host all the same
            assertThat(u.awaitClosedByHost(deadline)).isTrue();
        }
        long upgradedClosedMs = (System.nanoTime() - t0) / 1_000_000;
        await().atMost(T).until(() -> l.unauthenticated() == 0);
        assertAJoinWorks(l);
        for (RawSocketPeer t : tcpSilent) {
            assertThat(t.awaitClosedByHost(Duration.ofSeconds(HostListener.IDLE_TIMEOUT_SECONDS).plus(SLACK))).isTrue();
        }
        long tcpClosedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("20 silent upgraded connections closed after %d ms, 20 silent TCP connections after %d ms%n",
                upgradedClosedMs, tcpClosedMs);
        assertThat(tcpClosedMs).isGreaterThanOrEqualTo(HostListener.IDLE_TIMEOUT_SECONDS * 1000 - 1000);
        // twenty refusals for the deadline: one line at once, at most one more with the count of the rest
        assertThat(records.count(RefusalLog.Cause.TIMEOUT)).isBetween(1L, 2L);
        assertAJoinWorks(l);
    }

    @Test
    void whenTooManyConnectionsAwaitAuthenticationTheOldestMakesRoomForALegitimateClient() throws Exception {
        HostListener l = listen();
        List<RawSocketPeer> silent = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < HostListener.MAX_UNAUTHENTICATED; i++) {
            RawSocketPeer p = upgraded(l);
            challenge(p); // the host counted it before sending the challenge
            silent.add(p);
        }
        assertThat(l.unauthenticated()).isEqualTo(HostListener.MAX_UNAUTHENTICATED);
        System.out.printf("%d silent connections opened in %d ms%n", silent.size(), (System.nanoTime() - t0) / 1_000_000);
        assertAJoinWorks(l);
        JsonObject err = refusal(silent.getFirst());
        assertThat(err.getString("code")).isEqualTo(MemSyncException.ERR_IO);
        assertThat(err.getString("message")).contains("awaiting authentication");
        assertThat(silent.getFirst().awaitClosedByHost(T)).isTrue();
        assertThat(l.unauthenticated()).isLessThanOrEqualTo(HostListener.MAX_UNAUTHENTICATED);
        // 63 wait now (the client authenticated); ten more: the first fills the cap, each other evicts the oldest
        for (int i = 0; i < 10; i++) {
            RawSocketPeer p = upgraded(l);
            challenge(p);
        }
        assertThat(l.unauthenticated()).isEqualTo(HostListener.MAX_UNAUTHENTICATED);
        for (int i = 1; i <= 9; i++) {
            assertThat(refusal(silent.get(i)).getString("code")).isEqualTo(MemSyncException.ERR_IO);
        }
        assertThat(records.count(RefusalLog.Cause.TOO_MANY)).isEqualTo(1);
    }

    @Test
    void aHugeFrameBeforeAuthenticationIsCutFromItsHeaderWithoutReadingThePayload() throws Exception {
        HostListener l = listen();
        try (RawSocketPeer p = upgraded(l)) {
            challenge(p);
            // announces 30 MB, sends 1 KiB of it: the host must not wait for (or buffer) the rest
            p.sendFrameStart(RawSocketPeer.TEXT, 30_000_000L, 1024);
            RawSocketPeer.Frame close = p.read(T);
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).as("Helidon's 'message too big'").isEqualTo(1009);
            assertThat(p.awaitClosedByHost(T)).isTrue();
        }
        // the host learns of the end when Helidon's connection thread has finished
        await().atMost(T).until(() -> l.unauthenticated() == 0);
        assertAJoinWorks(l);
    }

    @Test
    void aHandshakeFrameOverTheSmallLimitIsRefused() throws Exception {
        HostListener l = listen();
        try (RawSocketPeer p = upgraded(l)) {
            challenge(p);
            p.sendText(hello("doc", "A".repeat(Handshake.MAX_HANDSHAKE_BYTES)));
            JsonObject err = refusal(p);
            assertThat(err.getString("code")).isEqualTo(MemSyncException.ERR_TOO_LARGE);
            assertThat(err.getString("message")).contains(Integer.toString(Handshake.MAX_HANDSHAKE_BYTES));
            assertThat(p.awaitClosedByHost(T)).isTrue();
        }
        assertThat(records.count(RefusalLog.Cause.TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void binaryAndFragmentedHandshakeFramesAreRefused() throws Exception {
        HostListener l = listen();
        try (RawSocketPeer p = upgraded(l)) {
            challenge(p);
            p.send(RawSocketPeer.BINARY, true, new byte[] {1, 2, 3});
            assertThat(refusal(p).getString("code")).isEqualTo(MemSyncException.ERR_PROTOCOL);
        }
        try (RawSocketPeer p = upgraded(l)) {
            challenge(p);
            p.send(RawSocketPeer.TEXT, false, "{\"t\":\"hel".getBytes(StandardCharsets.UTF_8));
            assertThat(refusal(p).getString("code")).isEqualTo(MemSyncException.ERR_PROTOCOL);
        }
        assertThat(records.count(RefusalLog.Cause.BINARY)).isEqualTo(1);
        assertThat(records.count(RefusalLog.Cause.FRAGMENTED)).isEqualTo(1);
        assertAJoinWorks(l);
    }

    @Test
    void aRepeatedRefusalIsLoggedOncePerWindowWithTheCountOfTheOthers() throws Exception {
        HostListener l = listen();
        int n = 300;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (RawSocketPeer p = upgraded(l)) {
                challenge(p);
                p.sendText(hello("doc", "AAAA"));
                refusal(p);
                p.send(RawSocketPeer.CLOSE, true, new byte[] {0x03, (byte) 0xe8}); // a polite peer answers the close
            }
        }
        long sentMs = (System.nanoTime() - t0) / 1_000_000;
        Pattern more = Pattern.compile("refused (\\d+) more connection");
        // every refusal is accounted for once its window has ended: lines logged at once plus the counts of the others
        await().atMost(Duration.ofSeconds(RefusalLog.WINDOW_SECONDS).plus(SLACK).plusMillis(sentMs)).untilAsserted(() -> {
            long accounted = 0;
            for (var r : records.refusals) {
                Matcher m = more.matcher(r.getMessage());
                accounted += m.find() ? Long.parseLong(m.group(1)) : 1;
            }
            assertThat(accounted).isEqualTo(n);
        });
        long lines = records.count(RefusalLog.Cause.UNAUTHORIZED);
        long windows = 2 + ((System.nanoTime() - t0) / RefusalLog.WINDOW_NANOS);
        System.out.printf("%d refused handshakes in %d ms: %d log lines%n", n, sentMs, lines);
        assertThat(lines).isLessThanOrEqualTo(windows);
        assertThat(records.refusals).allSatisfy(r -> assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING));
        await().atMost(T).until(() -> l.unauthenticated() == 0);
        assertAJoinWorks(l);
    }
}
