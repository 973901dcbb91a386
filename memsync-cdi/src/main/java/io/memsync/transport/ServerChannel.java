package io.memsync.transport;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.memsync.MemSyncException;
import io.memsync.replication.ChannelHandler;
import jakarta.json.JsonObject;

/**
 * The host's end of one connection: a Helidon {@link WsListener} (one instance per connection) that runs the
 * server half of the {@link Handshake} and then passes frames to the handler {@code onAccept} returned.
 *
 * <p>Until it authenticates, a connection is held to the limits listed on {@link HostListener}: anything wrong
 * refuses it once ({@link #refuse}: a rate-limited log line, an error frame, a close frame, and the socket closed
 * soon after even if the peer does not cooperate); later frames are ignored.
 *
 * <p>Helidon 4.4 does not call {@link WsListener#onClose} when the socket just ends (peer process killed) or the
 * server stops; it only leaves its per-connection virtual thread. So the close is detected by joining that
 * thread, which {@link #onOpen} captures.
 */
final class ServerChannel extends WsChannel implements WsListener {
    static final int FRAGMENT_CHARS = 64 * 1024;
    /** Most bytes in one binary WebSocket frame sent to a client. */
    static final int FRAGMENT_BYTES = 64 * 1024;
    /** Whether the client asked for binary messages in its hello (then it may send them too). */
    private volatile boolean binaryIn;
    private final HostListener host;
    private final String serverNonce = Handshake.nonce();
    private static final int PENDING = 0;
    private static final int AUTHENTICATED = 1;
    private static final int REFUSED = 2;
    private volatile WsSession session;
    /** {@link #PENDING} until the handshake succeeds ({@link #AUTHENTICATED}) or fails ({@link #REFUSED}), once. */
    private final AtomicInteger state = new AtomicInteger(PENDING);
    /** Set when Helidon's connection thread ended: the socket is closed. */
    private volatile boolean ended;
    private volatile ScheduledFuture<?> handshakeTimer;

    /** Whoever holds this writes to the socket: a sending thread inline, or a drain on a virtual thread. */
    private final AtomicBoolean sending = new AtomicBoolean();
    /** Counted down once the close frame went out (or writing failed): nothing more is written. */
    private final CountDownLatch writerDone = new CountDownLatch(1);
    /**
     * UTF-8 bytes written so far (touched only while holding {@link #sending}), and the count the client has
     * confirmed reading: every {@value #PING_EVERY_BYTES} bytes the host sends a WebSocket ping carrying the count,
     * and the client's automatic pong comes back only once its reader has got that far. Inline writes stop when
     * more than {@value #INLINE_BUDGET_BYTES} bytes are unconfirmed: a client that stopped reading can fill its
     * socket buffers only through the virtual-thread drain, never block the thread (and the replica lock) that
     * sends. (A message from the client proves nothing about its reading, so it does not count.)
     */
    private long written;
    /** {@link #written}, for other threads. */
    private volatile long writtenShared;
    private long pinged;
    private volatile long confirmed;
    static final long PING_EVERY_BYTES = 16 * 1024;
    /** Largest message written inline; bigger ones go to a drain. */
    static final int INLINE_MAX_CHARS = 16 * 1024;
    static final long INLINE_BUDGET_BYTES = 64 * 1024;

    ServerChannel(HostListener host, long maxFrameBytes) {
        super(maxFrameBytes, "client (connecting)");
        this.host = host;
    }

    /**
     * Writes what was queued. On a quiet connection the sending thread writes small messages itself (on this
     * machine a thread wake-up costs more than the write); otherwise, or once the client has been silent for
     * {@value #INLINE_BUDGET_BYTES} bytes it has not confirmed reading, a virtual thread drains the queue, since Helidon's {@code send}
     * blocks on the socket and a slow client must never stall the host's other work.
     */
    @Override
    void wake() {
        while (hasQueued() && sending.compareAndSet(false, true)) {
            if (drain(true)) {
                return; // handed over to a drain, or closed
            }
            sending.set(false);
            // re-check: a message queued between the last poll and the reset would otherwise wait for the next wake
        }
    }

    private void drainLater(Object first, long firstBytes) {
        Thread.ofVirtual().name("memsync-ws-writer").start(() -> {
            if (first != null && !writeOrAbort(first, firstBytes)) {
                return;
            }
            if (!drain(false)) {
                sending.set(false);
                wake();
            }
        });
    }

    /**
     * Writes queued messages while holding {@link #sending}.
     *
     * @return {@code false} when the queue is empty (the caller releases {@code sending}); {@code true} when the
     *         rest was handed to a drain, or the connection is closed (then {@code sending} is never released)
     */
    private boolean drain(boolean inline) {
        while (true) {
            if (inline && written - confirmed > INLINE_BUDGET_BYTES) {
                drainLater(null, 0); // even a close frame could block on a client that stopped reading
                return true;
            }
            // batches no bigger than one fragment: they go out without being cut into copies
            String message = pollMessage(FRAGMENT_CHARS);
            if (message == null) {
                return false;
            }
            if (isClose(message)) {
                closeConnection();
                writerDone.countDown();
                if (inline) {
                    Thread.ofVirtual().name("memsync-ws-closed").start(this::connectionClosed);
                } else {
                    connectionClosed();
                }
                return true;
            }
            // what goes out: the text, or its UTF-8 bytes for a binary message; either way its exact size in bytes
            Object payload;
            long bytes;
            if (binaryOut) {
                byte[] b = message.getBytes(StandardCharsets.UTF_8);
                payload = b;
                bytes = b.length;
            } else {
                payload = message;
                bytes = Handshake.utf8Length(message);
            }
            if (inline && (message.length() > INLINE_MAX_CHARS || written - confirmed + bytes > INLINE_BUDGET_BYTES)) {
                drainLater(payload, bytes);
                return true;
            }
            if (!writeOrAbort(payload, bytes)) {
                return true;
            }
        }
    }

    /** Writes one message (text or UTF-8 bytes); on failure drops the connection and reports the close from another thread. */
    private boolean writeOrAbort(Object message, long bytes) {
        try {
            if (message instanceof byte[] b) {
                write(b);
            } else {
                write((String) message);
            }
            written += bytes;
            writtenShared = written;
            if (written - pinged >= PING_EVERY_BYTES && state.get() == AUTHENTICATED) {
                pinged = written;
                session.ping(io.helidon.common.buffers.BufferData.create(Long.toString(written)));
            }
            return true;
        } catch (RuntimeException | Error e) {
            LOG.log(Level.DEBUG, () -> "write to " + remote() + " failed: " + e);
            closeConnection();
            writerDone.countDown();
            Thread.ofVirtual().name("memsync-ws-closed").start(this::connectionClosed);
            if (e instanceof Error error) {
                throw error;
            }
            return false;
        }
    }

    /**
     * Waits until writing has finished (after {@link #close()}: the queued frames and the close frame were written,
     * or writing failed).
     *
     * @param nanos the longest wait
     * @return whether writing finished in time
     */
    boolean awaitWriter(long nanos) throws InterruptedException {
        return nanos > 0 && writerDone.await(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onOpen(WsSession session) {
        this.session = session;
        try {
            remote("client " + session.socketContext().remotePeer().address());
        } catch (RuntimeException e) {
            remote("client " + session.socketContext().socketId());
        }
        Thread connectionThread = Thread.currentThread();
        if (connectionThread.isVirtual()) {
            Thread.ofVirtual().name("memsync-ws-watch").start(() -> {
                try {
                    connectionThread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ended = true;
                connectionClosed();
            });
        } else {
            LOG.log(Level.WARNING, "Helidon connection thread is not virtual; a killed peer is noticed on the next write only");
        }
        if (!host.register(this)) {
            state.set(REFUSED);
            sendInternal(Handshake.error(MemSyncException.ERR_IO, "listener is closed"));
            close();
            return;
        }
        host.admitUnauthenticated(this);
        handshakeTimer = host.schedule(() -> {
            if (state.get() == PENDING) {
                // off the timer thread: the refusal writes to the socket, and a peer that does not read must not
                // hold up every other connection's deadline
                Thread.ofVirtual().name("memsync-ws-deadline").start(() -> refuse(RefusalLog.Cause.TIMEOUT,
                        MemSyncException.ERR_PROTOCOL, "no authentication within " + host.handshakeTimeoutMs + " ms", null));
            }
        }, host.handshakeTimeoutMs, TimeUnit.MILLISECONDS);
        sendInternal(Handshake.challenge(serverNonce));
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        int s = state.get();
        if (s == AUTHENTICATED) {
            String whole = reassemble(text, last);
            if (whole != null) {
                deliver(whole);
            }
            return;
        }
        if (s == REFUSED) {
            return; // refused: whatever else the peer sends until the socket closes is ignored, and not logged
        }
        try {
            if (!last) {
                refuse(RefusalLog.Cause.FRAGMENTED, MemSyncException.ERR_PROTOCOL, "fragmented handshake frame", null);
                return;
            }
            long bytes = Handshake.utf8Length(text);
            if (bytes > Handshake.MAX_HANDSHAKE_BYTES) {
                refuse(RefusalLog.Cause.TOO_LARGE, MemSyncException.ERR_TOO_LARGE, "handshake frame of " + bytes
                        + " bytes exceeds the limit of " + Handshake.MAX_HANDSHAKE_BYTES + " bytes before authentication", null);
                return;
            }
            handshake(text);
        } catch (RuntimeException e) {
            refuse(RefusalLog.Cause.INTERNAL, MemSyncException.ERR_PROTOCOL, "the handshake failed", e);
        }
    }

    @Override
    public void onMessage(WsSession session, io.helidon.common.buffers.BufferData buffer, boolean last) {
        int s = state.get();
        if (s == PENDING) {
            refuse(RefusalLog.Cause.BINARY, MemSyncException.ERR_PROTOCOL, "binary frame during the handshake", null);
        } else if (s == AUTHENTICATED && binaryIn) {
            byte[] b = new byte[buffer.available()];
            buffer.read(b, 0, b.length);
            String whole = reassemble(java.nio.ByteBuffer.wrap(b), last);
            if (whole != null) {
                deliver(whole);
            }
        } else if (s == AUTHENTICATED && last) {
            sendInternal(Handshake.error(MemSyncException.ERR_PROTOCOL, "binary frames were not asked for in the hello; dropped"));
        }
    }

    @Override
    public void onPong(WsSession session, io.helidon.common.buffers.BufferData buffer) {
        if (state.get() != AUTHENTICATED) {
            return;
        }
        try {
            long n = Long.parseLong(buffer.readString(Math.min(buffer.available(), 20)));
            // never more than was written: a forged count must not let writes block the sending thread
            n = Math.min(n, writtenShared);
            if (n > confirmed) {
                confirmed = n;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "unexpected pong from " + remote());
        }
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        connectionClosed();
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        LOG.log(Level.DEBUG, () -> "connection " + remote() + " failed: " + t);
        connectionClosed();
    }

    private void handshake(String text) {
        JsonObject o = Handshake.parse(text);
        if (o == null || !Handshake.T_HELLO.equals(Handshake.str(o, "t"))) {
            refuse(RefusalLog.Cause.NOT_A_HELLO, MemSyncException.ERR_PROTOCOL,
                    "expected a hello frame {\"t\":\"hello\",...} to authenticate", null);
            return;
        }
        String name = Handshake.str(o, "name");
        String clientNonce = Handshake.str(o, "nonce");
        String proof = Handshake.str(o, "proof");
        if (name == null || clientNonce == null || proof == null || clientNonce.length() < 16) {
            refuse(RefusalLog.Cause.MALFORMED_HELLO, MemSyncException.ERR_PROTOCOL,
                    "hello frame needs string members name, nonce (≥16 chars) and proof", null);
            return;
        }
        // the proof is computed and checked whether or not the name is right, and both failures get one answer: a
        // peer without the secret learns nothing about which names this host serves
        byte[] secret = host.secret();
        boolean nameMatches = MessageDigest.isEqual(name.getBytes(StandardCharsets.UTF_8), host.name().getBytes(StandardCharsets.UTF_8));
        boolean proofMatches = Handshake.proofMatches(Handshake.proof(secret, "client", name, serverNonce, clientNonce), proof);
        if (!(nameMatches & proofMatches)) {
            refuse(RefusalLog.Cause.UNAUTHORIZED, MemSyncException.ERR_UNAUTHORIZED, Handshake.AUTH_FAILED, null);
            return;
        }
        if (!state.compareAndSet(PENDING, AUTHENTICATED)) {
            return; // the deadline passed meanwhile: refused
        }
        releaseCount();
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        boolean binary = Handshake.binary(o);
        binaryIn = binary;
        // the welcome itself may then travel as a binary message: the client reads both kinds from here on
        sendInternal(Handshake.welcome(Handshake.proof(secret, "server", name, serverNonce, clientNonce), binary));
        binaryOut = binary;
        ChannelHandler h;
        try {
            h = host.accept(this);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "onAccept failed for " + remote(), e);
            close();
            return;
        }
        if (h == null) {
            close();
            return;
        }
        handler(h);
    }

    /**
     * Refuses the connection before authentication, once: logs it (rate-limited), answers with an error frame and a
     * close frame, and makes sure the socket is closed within {@value HostListener#REFUSED_CLOSE_GRACE_MS} ms even
     * when the peer neither reads nor closes.
     */
    private void refuse(RefusalLog.Cause cause, String code, String message, Throwable error) {
        if (!state.compareAndSet(PENDING, REFUSED)) {
            return;
        }
        releaseCount();
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        host.refusals().refused(cause, remote(), code + " " + message, error);
        // scheduled before writing: the write itself may block on a peer that does not read, until this closes it
        host.schedule(this::closeSocket, HostListener.REFUSED_CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        sendInternal(Handshake.error(code, message));
        close();
    }

    private void releaseCount() {
        host.unauthenticatedDone(this);
    }

    /** Refuses this connection to make room for a newer one (see {@link HostListener#admitUnauthenticated}). */
    void evict() {
        refuse(RefusalLog.Cause.TOO_MANY, MemSyncException.ERR_IO, "more than " + HostListener.MAX_UNAUTHENTICATED
                + " connections were awaiting authentication; this, the oldest, was closed", null);
    }

    /**
     * Closes the socket itself, unless the connection has ended already: the close frame alone leaves it open for as
     * long as the peer does not answer it.
     */
    private void closeSocket() {
        WsSession s = session;
        if (ended || s == null) {
            return;
        }
        try {
            if (s.socketContext() instanceof ConnectionContext ctx) {
                ctx.serverSocket().close();
                return;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "closing the socket of " + remote() + " failed: " + e);
        }
        if (s instanceof ServerConnection c) {
            c.close(true); // interrupts the connection's thread, which closes a socket read by a virtual thread
        }
    }

    /**
     * Writes one message. Big messages are sent as fragments of at most {@value #FRAGMENT_CHARS} chars (never
     * splitting a surrogate pair, since Helidon encodes each fragment on its own), so Helidon's per-connection send
     * buffer (which grows to the largest frame and is kept) stays small.
     */
    private void write(String frame) {
        int len = frame.length();
        if (len <= FRAGMENT_CHARS) {
            session.send(frame, true);
            return;
        }
        int from = 0;
        while (from < len) {
            int to = Math.min(len, from + FRAGMENT_CHARS);
            if (to < len && Character.isHighSurrogate(frame.charAt(to - 1))) {
                to--;
            }
            session.send(frame.substring(from, to), to == len);
            from = to;
        }
    }

    /** Writes one binary message, in fragments of at most {@value #FRAGMENT_BYTES} bytes. */
    private void write(byte[] frame) {
        int len = frame.length;
        if (len <= FRAGMENT_BYTES) {
            session.send(io.helidon.common.buffers.BufferData.create(frame), true);
            return;
        }
        for (int from = 0; from < len; from += FRAGMENT_BYTES) {
            int to = Math.min(len, from + FRAGMENT_BYTES);
            session.send(io.helidon.common.buffers.BufferData.create(frame, from, to - from), to == len);
        }
    }

    @Override
    void closeConnection() {
        WsSession s = session;
        if (s != null) {
            if (state.get() == AUTHENTICATED) {
                host.schedule(this::closeSocket, HostListener.CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
            }
            try {
                s.close(WsCloseCodes.NORMAL_CLOSE, "closed");
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, () -> "close of " + remote() + " failed: " + e);
            }
        }
    }

    @Override
    void abortConnection() {
        // the socket itself, at once and off the caller's thread: a close frame could block on a peer that does not
        // read; a writer blocked on the socket fails and stops
        Thread.ofVirtual().name("memsync-ws-abort").start(() -> {
            closeSocket();
            connectionClosed();
        });
    }

    /** Characters queued plus bytes written that the client has not confirmed reading (its pongs carry the count). */
    @Override
    public long backlogBytes() {
        return queuedChars() + Math.max(0, writtenShared - confirmed);
    }

    @Override
    void onClosed() {
        state.compareAndSet(PENDING, REFUSED);
        releaseCount();
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        host.unregister(this);
    }
}
