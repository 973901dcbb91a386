package io.memsync.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.memsync.MemSyncException;
import io.memsync.replication.Channel;
import io.memsync.replication.ChannelHandler;
import io.memsync.replication.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebSocketTransportTest {
    private static final byte[] SECRET = "s3cret-term-1".getBytes(StandardCharsets.UTF_8);
    private static final Duration T = Duration.ofSeconds(10);

    private final WebSocketTransport transport = new WebSocketTransport();
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final List<Channel> accepted = new CopyOnWriteArrayList<>();
    private final Recorder hostSide = new Recorder();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private Transport.Listener listen(String name) throws IOException {
        long t0 = System.nanoTime();
        Transport.Listener l = transport.listen(name, SECRET, ch -> {
            accepted.add(ch);
            return hostSide;
        });
        System.out.printf("listen: WebServer start %d ms (inner), %d ms (listen call)%n",
                WebSocketTransport.startTime(l).toMillis(), (System.nanoTime() - t0) / 1_000_000);
        cleanup.add(l);
        assertThat(l.endpoint()).matches("ws://127\\.0\\.0\\.1:\\d+/memsync");
        return l;
    }

    private Channel connect(Transport.Listener l, String name, byte[] secret, Recorder r) throws IOException {
        Channel c = transport.connect(l.endpoint(), name, secret, r, T);
        cleanup.add(c::close);
        return c;
    }

    private static String poll(Recorder r) throws InterruptedException {
        return r.frames.poll(10, TimeUnit.SECONDS);
    }

    @Test
    void roundTripBothDirections() throws Exception {
        var l = listen("doc");
        Recorder client = new Recorder();
        Channel c = connect(l, "doc", SECRET, client);
        c.send("{\"a\":1}");
        assertThat(poll(hostSide)).isEqualTo("{\"a\":1}");
        assertThat(accepted).hasSize(1);
        accepted.getFirst().send("{\"b\":2}");
        assertThat(poll(client)).isEqualTo("{\"b\":2}");
        assertThat(c.isOpen()).isTrue();
        assertThat(c.remote()).contains(l.endpoint());
    }

    @Test
    void orderOfTenThousandFramesIsKeptBothWays() throws Exception {
        var l = listen("doc");
        Recorder client = new Recorder();
        Channel c = connect(l, "doc", SECRET, client);
        for (int i = 0; i < 10_000; i++) {
            c.send("{\"i\":" + i + "}");
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(poll(hostSide)).isEqualTo("{\"i\":" + i + "}");
        }
        Channel h = accepted.getFirst();
        for (int i = 0; i < 10_000; i++) {
            h.send("{\"j\":" + i + "}");
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(poll(client)).isEqualTo("{\"j\":" + i + "}");
        }
        assertThat(hostSide.overlaps.get() + client.overlaps.get()).isZero();
    }

    @Test
    void everyMessageEndsWithBatchEndEvenAfterAFailingFrameHandler() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        ChannelHandler failing = new ChannelHandler() {
            @Override
            public void onFrame(Channel channel, String frame) {
                events.add(frame);
                if (frame.contains("boom")) {
                    throw new IllegalStateException("handler failure on purpose");
                }
            }

            @Override
            public void onClose(Channel channel) {
                events.add("closed");
            }

            @Override
            public void onBatchEnd(Channel channel) {
                events.add("end");
            }
        };
        var l = transport.listen("doc", SECRET, ch -> {
            accepted.add(ch);
            return failing;
        });
        cleanup.add(l);
        Channel c = connect(l, "doc", SECRET, new Recorder());
        c.send("{\"boom\":1}");
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"boom\":1}");
        assertThat(events.poll(10, TimeUnit.SECONDS)).as("batch end after the failing frame").isEqualTo("end");
        assertThat(accepted.getFirst().endsBatches()).isTrue();
        // a message carrying several frames: the one after the failing frame is still delivered, then the batch end
        ((WsChannel) c).sendInternal("{\"boom\":2}\n{\"after\":3}");
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"boom\":2}");
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"after\":3}");
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("end");
        assertThat(c.isOpen()).isTrue();
        assertThat(accepted.getFirst().isOpen()).isTrue();
    }

    @Test
    void aClientThatStopsReadingNeitherBlocksTheSenderNorOtherClients() throws Exception {
        var l = listen("doc");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        ChannelHandlerStub stalling = frame -> {
            stuck.countDown();
            release.await(); // this client's selector thread stops: the JDK client stops reading its socket
        };
        cleanup.add(release::countDown);
        Channel stalled = transport.connect(l.endpoint(), "doc", SECRET, stalling, T);
        cleanup.add(stalled::close);
        org.awaitility.Awaitility.await().atMost(T).until(() -> accepted.size() == 1);
        Channel toStalled = accepted.getFirst();
        WebSocketTransport other = new WebSocketTransport();
        Recorder healthy = new Recorder();
        Channel c2 = other.connect(l.endpoint(), "doc", SECRET, healthy, T);
        cleanup.add(c2::close);
        org.awaitility.Awaitility.await().atMost(T).until(() -> accepted.size() == 2);
        Channel toHealthy = accepted.get(1);

        // far more than the socket buffers hold, in messages small enough to be written inline at first
        String chunk = bigJson(ServerChannel.INLINE_MAX_CHARS / 2);
        java.util.concurrent.CompletableFuture<Void> sends = java.util.concurrent.CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 2000; i++) { // 16 MB
                toStalled.send(chunk);
            }
        });
        sends.get(30, TimeUnit.SECONDS); // a sender blocked on the full socket would never get here
        assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
        toHealthy.send("{\"still\":\"served\"}");
        assertThat(poll(healthy)).isEqualTo("{\"still\":\"served\"}");
        assertThat(toStalled.isOpen()).isTrue();
    }

    /** A handler written as a lambda over frames; closes are ignored. */
    @FunctionalInterface
    private interface ChannelHandlerStub extends io.memsync.replication.ChannelHandler {
        void frame(String frame) throws InterruptedException;

        @Override
        default void onFrame(Channel channel, String frame) {
            try {
                frame(frame);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        default void onClose(Channel channel) {
        }
    }

    @Test
    void tenMebibyteFramePassesBothWays() throws Exception {
        var l = listen("doc");
        Recorder client = new Recorder();
        Channel c = connect(l, "doc", SECRET, client);
        String big = bigJson(10 * 1024 * 1024);
        c.send(big);
        assertThat(poll(hostSide).equals(big)).isTrue();
        accepted.getFirst().send(big);
        String back = client.frames.poll(20, TimeUnit.SECONDS);
        assertThat(back).as("10 MiB frame host -> client (closed=%s)", client.closes.get()).isNotNull();
        assertThat(back.equals(big)).isTrue();
    }

    @Test
    void sixteenMebibyteFramePassesAtTheDefaultLimit() throws Exception {
        var l = listen("doc");
        Channel c = connect(l, "doc", SECRET, new Recorder());
        String big = bigJson(WebSocketTransport.DEFAULT_MAX_FRAME_BYTES);
        c.send(big);
        assertThat(poll(hostSide).equals(big)).isTrue();
    }

    @Test
    void frameOverTheLimitGetsTooLargeAndServerKeepsServing() throws Exception {
        var l = listen("doc");
        Recorder client = new Recorder();
        Channel c = connect(l, "doc", SECRET, client);
        String big = bigJson(WebSocketTransport.DEFAULT_MAX_FRAME_BYTES + 1);
        c.send(big);
        String err = poll(client);
        assertThat(err).contains("\"t\":\"error\"", "ERR_TOO_LARGE", Integer.toString(big.length()),
                Integer.toString(WebSocketTransport.DEFAULT_MAX_FRAME_BYTES));
        assertThat(hostSide.frames).isEmpty();
        // the connection is kept
        c.send("{\"after\":true}");
        assertThat(poll(hostSide)).isEqualTo("{\"after\":true}");
        // and other clients are served
        Recorder other = new Recorder();
        Channel c2 = connect(l, "doc", SECRET, other);
        c2.send("{\"other\":1}");
        assertThat(poll(hostSide)).isEqualTo("{\"other\":1}");
    }

    @Test
    void smallLimitIsEnforcedOnFragmentedMessages() throws Exception {
        WebSocketTransport small = new WebSocketTransport(2048);
        var l = small.listen("doc", SECRET, ch -> hostSide);
        cleanup.add(l);
        try (RawClient raw = RawClient.connect(l.endpoint())) {
            raw.next(T); // challenge; not answered: fragments only checked after auth
        }
        Recorder client = new Recorder();
        Channel c = small.connect(l.endpoint(), "doc", SECRET, client, T);
        cleanup.add(c::close);
        c.send(bigJson(4096));
        assertThat(poll(client)).contains("ERR_TOO_LARGE", "4096", "2048");
        c.send("{\"ok\":1}");
        assertThat(poll(hostSide)).isEqualTo("{\"ok\":1}");
    }

    @Test
    void wrongSecretIsUnauthorized() throws Exception {
        var l = listen("doc");
        assertThatThrownBy(() -> connect(l, "doc", "wrong".getBytes(StandardCharsets.UTF_8), new Recorder()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ERR_UNAUTHORIZED")
                .cause().isInstanceOfSatisfying(MemSyncException.class,
                        e -> assertThat(e.code()).isEqualTo(MemSyncException.ERR_UNAUTHORIZED));
        assertThat(accepted).isEmpty();
    }

    @Test
    void unknownNameIsUnauthorizedWithTheAnswerToAWrongSecret() throws Exception {
        var l = listen("doc");
        assertThatThrownBy(() -> connect(l, "other-doc", SECRET, new Recorder()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ERR_UNAUTHORIZED")
                .cause().hasMessageContaining(Handshake.AUTH_FAILED);
        assertThat(accepted).isEmpty();
    }

    @Test
    void secretCanBeReplacedForNewConnections() throws Exception {
        var l = listen("doc");
        Channel old = connect(l, "doc", SECRET, new Recorder());
        byte[] next = "term-2".getBytes(StandardCharsets.UTF_8);
        l.secret(next);
        assertThatThrownBy(() -> connect(l, "doc", SECRET, new Recorder())).hasMessageContaining("ERR_UNAUTHORIZED");
        connect(l, "doc", next, new Recorder());
        assertThat(old.isOpen()).isTrue();
    }

    @Test
    void hostThatCannotProveTheSecretIsRefusedByTheClient() throws Exception {
        // an impostor: a memsync listener with another secret on the endpoint; client uses a name it serves
        Transport.Listener impostor = transport.listen("doc", "impostor".getBytes(StandardCharsets.UTF_8), ch -> hostSide);
        cleanup.add(impostor);
        // the impostor refuses the client's proof first; the mutual part is covered by the handshake unit below
        assertThatThrownBy(() -> transport.connect(impostor.endpoint(), "doc", SECRET, new Recorder(), T))
                .hasMessageContaining("ERR_UNAUTHORIZED");
    }

    @Test
    void forgedWelcomeIsRefused() throws Exception {
        // a fake host: answers any hello with a welcome whose proof is wrong
        var fake = new FakeHost();
        cleanup.add(fake);
        assertThatThrownBy(() -> transport.connect(fake.endpoint(), "doc", SECRET, new Recorder(), T))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ERR_UNAUTHORIZED")
                .hasMessageContaining("failed to prove");
    }

    @Test
    void garbageBeforeHandshakeIsProtocolError() throws Exception {
        var l = listen("doc");
        try (RawClient raw = RawClient.connect(l.endpoint())) {
            assertThat(raw.next(T)).contains("\"t\":\"challenge\"");
            raw.send("this is not json {");
            assertThat(raw.next(T)).contains("\"t\":\"error\"", "ERR_PROTOCOL");
            assertThat(raw.closed().get(10, TimeUnit.SECONDS)).startsWith("1000");
        }
        try (RawClient raw = RawClient.connect(l.endpoint())) {
            raw.next(T);
            raw.send("{\"t\":\"hello\",\"name\":5}");
            assertThat(raw.next(T)).contains("ERR_PROTOCOL");
        }
        assertThat(accepted).isEmpty();
    }

    @Test
    void rawClientCannotReachTheHandler() throws Exception {
        var l = listen("doc");
        try (RawClient raw = RawClient.connect(l.endpoint())) {
            raw.next(T);
            raw.send("{\"t\":\"patch\",\"op\":\"evil\"}");
            // the host may have closed the connection already (that is the point): then this one is not even sent
            raw.trySend("{\"t\":\"patch\",\"op\":\"evil2\"}");
            raw.closed().get(10, TimeUnit.SECONDS);
        }
        try (RawClient raw = RawClient.connect(l.endpoint())) {
            raw.next(T);
            // a hello with a made-up proof
            raw.send("{\"t\":\"hello\",\"name\":\"doc\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAAAA\",\"proof\":\"AAAA\"}");
            assertThat(raw.next(T)).contains("ERR_UNAUTHORIZED");
            raw.closed().get(10, TimeUnit.SECONDS);
        }
        assertThat(accepted).isEmpty();
        assertThat(hostSide.frames).isEmpty();
    }

    @Test
    void clientCloseIsSeenByHostAndHostCloseBySClient() throws Exception {
        var l = listen("doc");
        Recorder client = new Recorder();
        Channel c = connect(l, "doc", SECRET, client);
        c.send("{}");
        poll(hostSide);
        long t0 = System.nanoTime();
        c.close();
        assertThat(hostSide.closed.await(5, TimeUnit.SECONDS)).isTrue();
        System.out.printf("client close seen by host in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        assertThat(client.closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(c.isOpen()).isFalse();

        Recorder client2 = new Recorder();
        Recorder host2 = new Recorder();
        var l2 = transport.listen("doc2", SECRET, ch -> {
            accepted.add(ch);
            return host2;
        });
        cleanup.add(l2);
        connect(l2, "doc2", SECRET, client2);
        // the client is connected once it has the host's welcome; the host hands the channel over right after
        // sending it, so wait for that
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> accepted.size() == 2);
        Channel h = accepted.getLast();
        t0 = System.nanoTime();
        h.close();
        assertThat(client2.closed.await(5, TimeUnit.SECONDS)).isTrue();
        System.out.printf("host close seen by client in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        assertThat(host2.closed.await(5, TimeUnit.SECONDS)).isTrue();
        // exactly once each: the count stays at 4
        org.awaitility.Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(
                () -> client.closes.get() + hostSide.closes.get() + client2.closes.get() + host2.closes.get() == 4);
    }

    @Test
    void listenerCloseClosesAllChannels() throws Exception {
        var l = listen("doc");
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        connect(l, "doc", SECRET, a);
        connect(l, "doc", SECRET, b);
        l.close();
        assertThat(a.closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(b.closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> transport.connect(l.endpoint(), "doc", SECRET, new Recorder(), Duration.ofSeconds(2)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void killedClientProcessIsNoticedByHost() throws Exception {
        var l = listen("doc");
        try (ChildJvm child = ChildJvm.start(PeerMain.class, "client", l.endpoint(), "doc", new String(SECRET, StandardCharsets.UTF_8))) {
            child.await("CONNECTED", 30);
            long t0 = System.nanoTime();
            child.kill9();
            assertThat(hostSide.closed.await(10, TimeUnit.SECONDS)).isTrue();
            System.out.printf("kill -9 of client noticed by host in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        }
    }

    @Test
    void killedHostProcessIsNoticedByClient() throws Exception {
        try (ChildJvm child = ChildJvm.start(PeerMain.class, "host", "doc", new String(SECRET, StandardCharsets.UTF_8))) {
            String endpoint = child.await("ENDPOINT ", 30).substring("ENDPOINT ".length());
            Recorder client = new Recorder();
            Channel c = transport.connect(endpoint, "doc", SECRET, client, T);
            c.send("{\"echo\":1}");
            assertThat(poll(client)).isEqualTo("{\"echo\":1}");
            long t0 = System.nanoTime();
            child.kill9();
            assertThat(client.closed.await(10, TimeUnit.SECONDS)).isTrue();
            System.out.printf("kill -9 of host noticed by client in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            assertThat(c.isOpen()).isFalse();
            assertThat(client.closes.get()).isEqualTo(1);
        }
    }

    @Test
    void pingPongLatency() throws Exception {
        var l = listen("doc");
        hostSide.echo = true;
        Recorder client = new Recorder();
        Channel c = connect(l, "doc", SECRET, client);
        int n = 10_000;
        long[] rtt = new long[n];
        for (int i = -2000; i < n; i++) { // first 2000 warm up
            long t0 = System.nanoTime();
            c.send("{\"t\":\"ping\",\"i\":" + i + "}");
            String back = client.frames.poll(10, TimeUnit.SECONDS);
            assertThat(back).isNotNull();
            if (i >= 0) {
                rtt[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(rtt);
        System.out.printf("ping-pong over channel, %d iterations: p50 %.1f us, p99 %.1f us, max %.1f us%n",
                n, rtt[n / 2] / 1e3, rtt[n * 99 / 100] / 1e3, rtt[n - 1] / 1e3);
    }

    static String bigJson(int bytes) {
        // {"x":"aaaa..."} of exactly `bytes` bytes
        StringBuilder sb = new StringBuilder(bytes);
        sb.append("{\"x\":\"");
        sb.repeat('a', bytes - 8);
        sb.append("\"}");
        return sb.toString();
    }
}
