package io.memsync.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 */
final class HostListener implements Transport.Listener {
    static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    private final String name;
    private final Function<Channel, ChannelHandler> onAccept;
    private final Set<ServerChannel> channels = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers;
    private final WebServer server;
    private final String endpoint;
    private final long startNanos;
    private volatile byte[] secret;
    private volatile boolean closed;
    /** How long {@link #close()} waits for the close frames to be written. */
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    HostListener(String name, byte[] secret, Function<Channel, ChannelHandler> onAccept, long maxFrameBytes) {
        this.name = name;
        this.secret = secret.clone();
        this.onAccept = onAccept;
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("memsync-ws-timer").factory());
        long t0 = System.nanoTime();
        // Helidon checks each WebSocket frame it reads against maxFrameLength (default 1 MiB) and closes the
        // connection (1009) above it. Our limit is on the whole (possibly fragmented) message and is answered with
        // ERR_TOO_LARGE on an open connection, so Helidon's per-frame check is set to twice our limit: a single
        // frame up to 2x the limit still gets ERR_TOO_LARGE, only a bigger one is cut by Helidon.
        int heliFrame = (int) Math.min(Integer.MAX_VALUE - 1024L, 2L * maxFrameBytes);
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
                .addProtocol(WsConfig.builder().maxFrameLength(heliFrame).build())
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
