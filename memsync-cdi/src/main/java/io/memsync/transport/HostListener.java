package io.memsync.transport;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import io.memsync.replication.Channel;
import io.memsync.replication.ChannelHandler;
import io.memsync.replication.Transport;

/**
 * The host side of {@link WebSocketTransport}: one Helidon WebServer on {@code 127.0.0.1}, ephemeral port, with one
 * WebSocket route.
 *
 * <p><b>Limits before authentication.</b> A connection costs the host a socket, a virtual thread and buffers before
 * it has proven anything, and every process runs such a listener (clients pre-start theirs for a failover), so:
 * <ul>
 *   <li>every WebSocket frame a peer sends is at most {@value #MAX_WIRE_FRAME_BYTES} bytes: Helidon checks the
 *       length in the frame header and closes the connection (status 1009) before reading a byte of a bigger
 *       payload. Messages stay limited by {@code maxFrameBytes} only: {@link ClientChannel} sends big ones as
 *       fragments of at most {@value ClientChannel#FRAGMENT_CHARS} characters, which {@link WsChannel} reassembles;</li>
 *   <li>before authentication a frame of more than {@value Handshake#MAX_HANDSHAKE_BYTES} bytes, a fragmented or a
 *       binary message is refused;</li>
 *   <li>a connection that has not authenticated within the handshake timeout (default {@value #HANDSHAKE_TIMEOUT_MS}
 *       ms) is refused;</li>
 *   <li>at most {@value #MAX_UNAUTHENTICATED} connections may await authentication at a time; a further one makes
 *       the oldest of them be refused;</li>
 *   <li>a refusal sends an error frame and a close frame, and the socket is closed
 *       {@value #REFUSED_CLOSE_GRACE_MS} ms later if the peer has not closed it by then;</li>
 *   <li>a TCP connection that never sends its HTTP upgrade request (or any connection, authenticated or not, that
 *       sends nothing for the idle timeout, default {@value #IDLE_TIMEOUT_SECONDS} s; an authenticated client
 *       acknowledges every heartbeat) is
 *       closed by Helidon's idle-connection check, which runs every second;</li>
 *   <li>at most {@value #MAX_TCP_CONNECTIONS} TCP connections are open at a time, authenticated or not; further
 *       ones wait in the kernel's accept backlog until one closes;</li>
 *   <li>each refusal is logged through a {@link RefusalLog}: one {@code WARNING} line per cause and window, with the
 *       count of those suppressed.</li>
 * </ul>
 * The two timeouts are options of the transport; the rest are constants, far from what a legitimate peer needs.
 */
final class HostListener implements Transport.Listener {
    /** How long a connection may take to authenticate, by default. */
    static final long HANDSHAKE_TIMEOUT_MS = 10_000;
    /** Most connections awaiting authentication at a time. */
    static final int MAX_UNAUTHENTICATED = 64;
    /** Largest single WebSocket frame (not message) a peer may send; see the class comment. */
    static final int MAX_WIRE_FRAME_BYTES = 64 * 1024;
    /** How long a refused peer has to read the error and close before the host closes the socket. */
    static final long REFUSED_CLOSE_GRACE_MS = 1_000;
    /** How long an authenticated peer has to answer the host's close frame before the host closes the socket. */
    static final long CLOSE_GRACE_MS = 5_000;
    /** Silence after which Helidon closes a connection, by default (Helidon's timestamps have a one-second granularity). */
    static final long IDLE_TIMEOUT_SECONDS = 15;
    /** Most TCP connections open at a time. */
    static final int MAX_TCP_CONNECTIONS = 512;

    private final String name;
    private final Function<Channel, ChannelHandler> onAccept;
    private final Set<ServerChannel> channels = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers;
    private final WebServer server;
    private final String endpoint;
    private final long startNanos;
    /** Connections awaiting authentication, oldest first, and their count. */
    private final ConcurrentLinkedQueue<ServerChannel> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unauthenticated = new AtomicInteger();
    private final RefusalLog refusals;
    /** How long a connection may take to authenticate. */
    final long handshakeTimeoutMs;
    private volatile byte[] secret;
    private volatile boolean closed;
    /** How long {@link #close()} waits for the close frames to be written. */
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    HostListener(String name, byte[] secret, Function<Channel, ChannelHandler> onAccept, long maxFrameBytes,
                 Duration handshakeTimeout, Duration idleTimeout) {
        this.name = name;
        this.handshakeTimeoutMs = handshakeTimeout.toMillis();
        this.secret = secret.clone();
        this.onAccept = onAccept;
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("memsync-ws-timer").factory());
        this.refusals = new RefusalLog(name, (task, nanos) -> schedule(task, nanos, TimeUnit.NANOSECONDS), System::nanoTime);
        long t0 = System.nanoTime();
        // Helidon checks each WebSocket frame it reads against maxFrameLength (from the frame header, before reading
        // the payload) and closes the connection (1009) above it; the setting is one for all connections, so it is
        // small (see the class comment): our own limit is on whole, reassembled messages.
        this.server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                // Helidon 4.4.0's NioSocket.write ignores partial writes of SocketChannel.write: when the client
                // reads slower than the host writes (a multi-MiB frame), bytes are silently lost and the stream is
                // corrupted ("Unexpected rsv1 bit" at the JDK client). The plain socket writes through a blocking
                // OutputStream, which writes everything.
                .useNio(false)
                // small frames (acknowledgements, entries) must not wait for Nagle's algorithm
                .connectionOptions(o -> o.tcpNoDelay(true))
                .maxTcpConnections(MAX_TCP_CONNECTIONS)
                .idleConnectionTimeout(idleTimeout)
                .idleConnectionPeriod(Duration.ofSeconds(1))
                .addProtocol(WsConfig.builder().maxFrameLength(MAX_WIRE_FRAME_BYTES).build())
                .addRouting(WsRouting.builder().endpoint(WebSocketTransport.PATH, () -> new ServerChannel(this, maxFrameBytes)))
                .build()
                .start();
        this.startNanos = System.nanoTime() - t0;
        this.endpoint = "ws://127.0.0.1:" + server.port() + WebSocketTransport.PATH;
    }

    String name() {
        return name;
    }

    byte[] secret() {
        return secret;
    }

    /** How long the WebServer took to build and start, in nanoseconds. */
    long startNanos() {
        return startNanos;
    }

    boolean register(ServerChannel c) {
        channels.add(c);
        if (closed) {
            channels.remove(c);
            return false;
        }
        return true;
    }

    void unregister(ServerChannel c) {
        channels.remove(c);
    }

    /**
     * Counts a connection that starts its handshake. When {@value #MAX_UNAUTHENTICATED} already wait, the oldest of
     * them is refused to make room (on a virtual thread): a legitimate peer authenticates within milliseconds, so
     * it gets through unless connections that never authenticate arrive faster than that.
     *
     * @param c the new connection
     */
    void admitUnauthenticated(ServerChannel c) {
        pending.add(c);
        if (unauthenticated.incrementAndGet() > MAX_UNAUTHENTICATED) {
            ServerChannel oldest = pending.poll();
            if (oldest != null) {
                unauthenticated.decrementAndGet();
                Thread.ofVirtual().name("memsync-ws-evict").start(oldest::evict);
            }
        }
    }

    /**
     * A connection counted by {@link #admitUnauthenticated} authenticated, was refused or ended; idempotent.
     *
     * @param c the connection
     */
    void unauthenticatedDone(ServerChannel c) {
        if (pending.remove(c)) {
            unauthenticated.decrementAndGet();
        }
    }

    /**
     * Connections awaiting authentication now.
     *
     * @return the count
     */
    int unauthenticated() {
        return unauthenticated.get();
    }

    RefusalLog refusals() {
        return refusals;
    }

    ChannelHandler accept(ServerChannel c) {
        return onAccept.apply(c);
    }

    ScheduledFuture<?> schedule(Runnable r, long delay, TimeUnit unit) {
        try {
            return timers.schedule(r, delay, unit);
        } catch (RuntimeException e) { // closed
            return null;
        }
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void secret(byte[] secret) {
        this.secret = secret.clone();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (ServerChannel c : channels) {
            c.close();
        }
        // let each writer send its close frame before the server stops: a close frame written after stop() is
        // lost, and the client would learn of the close only from its heartbeat
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        try {
            for (ServerChannel c : channels) {
                if (!c.awaitWriter(deadline - System.nanoTime())) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        timers.shutdownNow();
    }

    @Override
    public String toString() {
        return "HostListener[" + name + " at " + endpoint + "]";
    }
}
