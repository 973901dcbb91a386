package io.memsync.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.memsync.MemSyncException;
import io.memsync.replication.Channel;
import io.memsync.replication.ChannelHandler;
import io.memsync.replication.Transport;

/**
 * {@link Transport} over WebSocket on the loopback interface: a Helidon 4 WebServer route on the host
 * ({@code ws://127.0.0.1:<ephemeral port>/memsync}) and the JDK's {@link java.net.http.WebSocket} on clients.
 *
 * <p><b>Authentication.</b> Before a connection is handed to {@code onAccept} (host) or returned by
 * {@link #connect} (client), both sides run a mutual HMAC-SHA256 challenge–response over the per-term secret (see
 * {@code Handshake}): the client proves it knows the secret and names the shared object; the host proves it knows
 * the secret too, so a client never talks to a process that merely took a dead host's port. The secret never
 * travels. Refusals are an error frame {@code {"t":"error","code":"ERR_UNAUTHORIZED"|"ERR_PROTOCOL","message":…}}
 * followed by a close; {@link #connect} then throws an {@link IOException} whose cause is a
 * {@link MemSyncException} with that code.
 *
 * <p><b>Frames.</b> Text messages carry JSON; fragmented messages are reassembled. After the handshake, text is
 * passed to the handler as is. A message bigger than {@code maxFrameBytes} (UTF-8 bytes) is dropped and answered
 * with an {@code ERR_TOO_LARGE} error frame naming its size and the limit; <em>the connection stays open</em>.
 * On the wire a message may travel as several WebSocket frames: the client sends fragments of at most 16 Ki
 * characters, and the host refuses any single frame above 64 KiB (Helidon closes that connection with status
 * 1009 before reading its payload; memsync's client never sends one). Binary messages are answered with
 * {@code ERR_PROTOCOL} and dropped.
 *
 * <p><b>Before the handshake</b> the host guards itself against peers that never authenticate: small handshake
 * frames only, a deadline, a cap on connections awaiting authentication, an idle timeout for connections that
 * never upgrade, sockets closed after every refusal, and rate-limited log lines (the limits are listed on
 * {@code HostListener}). A wrong name and a wrong secret get the same answer.
 *
 * <p><b>Sending.</b> {@link Channel#send} queues and never blocks; frames leave in order, several queued frames
 * batched into one message: on the host one virtual writer thread per channel writes them (Helidon's writes block),
 * on the client chained asynchronous sends of the JDK client do.
 * Heartbeats are not done here (the replication layer sends them).
 *
 * <p><b>Close.</b> {@link ChannelHandler#onClose} is called exactly once per channel, when either side closes,
 * the connection fails, or the peer process dies (the host notices through Helidon's connection thread ending,
 * the client through the JDK's {@code onClose}/{@code onError}).
 */
public final class WebSocketTransport implements Transport {
    /** Default largest message, 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /** How long a connection may take to authenticate by default: 10 s. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofMillis(HostListener.HANDSHAKE_TIMEOUT_MS);
    /** Silence after which a connection is closed by default: 15 s. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(HostListener.IDLE_TIMEOUT_SECONDS);
    /** The WebSocket route path. */
    public static final String PATH = "/memsync";

    private final int maxFrameBytes;
    private final Duration handshakeTimeout;
    private final Duration idleTimeout;
    private volatile HttpClient client;

    /** A transport with the default limit of {@value #DEFAULT_MAX_FRAME_BYTES} bytes per message. */
    public WebSocketTransport() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * A transport with a given message size limit.
     *
     * @param maxFrameBytes the largest message (UTF-8 bytes) accepted in either direction, at least 1024
     * @throws MemSyncException {@code ERR_CONFIG} when the limit is below 1024
     */
    public WebSocketTransport(int maxFrameBytes) {
        this(maxFrameBytes, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
    }

    /**
     * A transport with a given message size limit and the timeouts of its listeners' connections.
     *
     * @param maxFrameBytes    the largest message (UTF-8 bytes) accepted in either direction, at least 1024
     * @param handshakeTimeout how long a connection may take to authenticate before it is refused (default
     *                         {@link #DEFAULT_HANDSHAKE_TIMEOUT}), from 100 ms to 10 min
     * @param idleTimeout      silence after which a connection is closed (default {@link #DEFAULT_IDLE_TIMEOUT}), from
     *                         1 s to 1 h, checked every second; keep it well above the heartbeat interval
     * @throws MemSyncException {@code ERR_CONFIG} when a value is out of range
     */
    public WebSocketTransport(int maxFrameBytes, Duration handshakeTimeout, Duration idleTimeout) {
        if (maxFrameBytes < 1024) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "maxFrameBytes must be at least 1024, was " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.handshakeTimeout = within(handshakeTimeout, "handshakeTimeout", Duration.ofMillis(100), Duration.ofMinutes(10));
        this.idleTimeout = within(idleTimeout, "idleTimeout", Duration.ofSeconds(1), Duration.ofHours(1));
    }

    /**
     * Checks a timeout against its range.
     *
     * @param d      the timeout
     * @param option its option's name, for the message
     * @param min    the least allowed
     * @param max    the most allowed
     * @return {@code d}
     * @throws MemSyncException {@code ERR_CONFIG} naming the option, the value and the range
     */
    public static Duration within(Duration d, String option, Duration min, Duration max) {
        Objects.requireNonNull(d, option);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, option + " must be from " + min + " to " + max
                    + ", was " + d);
        }
        return d;
    }

    /**
     * The message size limit.
     *
     * @return bytes
     */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Starts a Helidon WebServer on {@code 127.0.0.1} with an ephemeral port.
     *
     * @param name     the shared object's name; hellos naming another object are refused with {@code ERR_UNAUTHORIZED},
     *                 the same answer as a wrong secret
     * @param secret   the per-term secret
     * @param onAccept called on the connection's thread once per authenticated connection; returning {@code null}
     *                 closes the connection
     * @return the listener
     * @throws IOException when the server cannot start
     */
    @Override
    public Listener listen(String name, byte[] secret, Function<Channel, ChannelHandler> onAccept) throws IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(onAccept, "onAccept");
        try {
            return new HostListener(name, secret, onAccept, maxFrameBytes, handshakeTimeout, idleTimeout);
        } catch (RuntimeException e) {
            throw new IOException("cannot start the WebSocket listener for '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * Connects with the JDK WebSocket client and authenticates. The handler may receive frames before this method
     * returns (the host may send right after the handshake).
     *
     * @throws IOException when the host is unreachable, refuses (cause: {@link MemSyncException} with the host's
     *                     code), fails to prove itself, or the timeout passes
     */
    @Override
    public Channel connect(String endpoint, String name, byte[] secret, ChannelHandler handler, Duration timeout)
            throws IOException {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(handler, "handler");
        long deadline = System.nanoTime() + timeout.toNanos();
        ClientChannel channel = new ClientChannel(endpoint, name, secret, handler, maxFrameBytes);
        try {
            httpClient().newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .buildAsync(URI.create(endpoint), channel)
                    .get(remaining(deadline), TimeUnit.NANOSECONDS);
            channel.authenticated.get(remaining(deadline), TimeUnit.NANOSECONDS);
            return channel;
        } catch (ExecutionException e) {
            channel.close();
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot connect to " + endpoint + ": " + c, c);
        } catch (TimeoutException e) {
            channel.close();
            throw new IOException("connect to " + endpoint + " for '" + name + "' timed out after " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            channel.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + endpoint, e);
        } catch (IllegalArgumentException e) {
            channel.close();
            throw new IOException("bad endpoint " + endpoint + ": " + e.getMessage(), e);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private HttpClient httpClient() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    // listener callbacks run on the client's selector thread instead of being handed to a pool
                    // thread per message (a wake-up each, which dominated the round trip); the handlers they call
                    // do not block on the network (the replica connects off its lock)
                    c = HttpClient.newBuilder().executor(Runnable::run).sslContext(plainOnly()).build();
                    client = c;
                }
            }
        }
        return c;
    }

    /**
     * An SSL context without keys or trusted certificates, for a client that only speaks {@code ws://} (endpoints
     * are {@code ws://127.0.0.1:…}): without one, the HttpClient builds the JDK's default context, which loads and
     * parses the CA certificates on every process's first connect (about 60-110 ms of CPU, measured). A {@code wss://}
     * endpoint would fail its TLS handshake.
     */
    private static javax.net.ssl.SSLContext plainOnly() {
        try {
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context: " + e, e);
        }
    }

    /**
     * How long the listener's WebServer took to build and start (diagnostics).
     *
     * @param listener a listener this transport returned
     * @return the start time, or {@code null} for a foreign listener
     */
    public static Duration startTime(Listener listener) {
        return listener instanceof HostListener h ? Duration.ofNanos(h.startNanos()) : null;
    }
}
