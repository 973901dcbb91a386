package io.memsync.transport;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.memsync.MemSyncException;
import io.memsync.replication.ChannelHandler;
import jakarta.json.JsonObject;

/**
 * The client's end: a JDK {@link WebSocket.Listener} that runs the client half of the {@link Handshake}, then
 * reassembles text messages and passes them to the handler. The JDK delivers callbacks one at a time; the next
 * part is requested ({@code request(1)}) only after the handler returned, so handler calls follow arrival order.
 * Writes are chained asynchronous {@code sendText} (or, once negotiated, {@code sendBinary}) calls, one at a time
 * (the JDK allows one outstanding send).
 */
final class ClientChannel extends WsChannel implements WebSocket.Listener {
    private final String name;
    private final byte[] secret;
    private final String clientNonce = Handshake.nonce();
    /** Completes when the host proved itself; fails with the reason otherwise. */
    final CompletableFuture<Void> authenticated = new CompletableFuture<>();
    private volatile WebSocket ws;
    /** Whether a send is in flight (or the outbox is being drained); only its owner sends. */
    private final AtomicBoolean sending = new AtomicBoolean();
    /** Sends closer together than this count as a burst (see {@link #wake}). */
    private static final long BURST_GAP_NANOS = 50_000;
    /** When the last drain started (only its owner writes it). */
    private volatile long lastSend;
    /** Most characters in one WebSocket frame sent to the host (at most 3 bytes each in UTF-8: 48 KiB). */
    static final int FRAGMENT_CHARS = 16 * 1024;
    /** Most bytes in one binary WebSocket frame sent to the host. */
    static final int FRAGMENT_BYTES = 48 * 1024;
    /**
     * The message being sent in fragments (as text, or as UTF-8 bytes when {@link #binaryOut}), and where its next
     * fragment starts (only the sender touches them).
     */
    private String current;
    private byte[] currentBytes;
    private int offset;
    private String serverNonce;
    private final StringBuilder handshakeText = new StringBuilder();

    ClientChannel(String endpoint, String name, byte[] secret, ChannelHandler handler, long maxFrameBytes) {
        super(maxFrameBytes, "host " + endpoint);
        this.name = name;
        this.secret = secret.clone();
        handler(handler);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.ws = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        try {
            if (authenticated()) {
                String whole = reassemble(data.toString(), last);
                if (whole != null) {
                    deliver(whole);
                }
            } else {
                handshakePart(data, last);
            }
        } finally {
            webSocket.request(1);
        }
        return null;
    }

    /**
     * Binary messages carry frames as UTF-8 text once negotiated (see {@link Handshake}); the host's welcome may
     * already be one, so before authentication the bytes are read as handshake text.
     */
    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        try {
            if (authenticated()) {
                String whole = reassemble(data, last);
                if (whole != null) {
                    deliver(whole);
                }
            } else if (data.remaining() > Handshake.MAX_HANDSHAKE_BYTES) {
                fail(MemSyncException.ERR_PROTOCOL, "handshake frame from the host is too large");
            } else {
                handshakePart(java.nio.charset.StandardCharsets.UTF_8.decode(data), last);
            }
        } finally {
            webSocket.request(1);
        }
        return null;
    }

    private boolean authenticated() {
        return authenticated.isDone() && !authenticated.isCompletedExceptionally();
    }

    private void handshakePart(CharSequence data, boolean last) {
        handshakeText.append(data);
        if (handshakeText.length() > Handshake.MAX_HANDSHAKE_BYTES) {
            fail(MemSyncException.ERR_PROTOCOL, "handshake frame from the host is too large");
        } else if (last) {
            String text = handshakeText.toString();
            handshakeText.setLength(0);
            handshake(text);
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        authenticated.completeExceptionally(new IOException(
                "connection closed by the host during authentication (" + statusCode + " " + reason + ")"));
        connectionClosed();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        LOG.log(Level.DEBUG, "connection to " + remote() + " failed", error);
        authenticated.completeExceptionally(new IOException("connection to " + remote() + " failed: " + error, error));
        connectionClosed();
    }

    private void handshake(String text) {
        JsonObject o = Handshake.parse(text);
        String t = o == null ? null : Handshake.str(o, "t");
        if (Handshake.T_ERROR.equals(t)) {
            String code = Handshake.str(o, "code");
            String message = Handshake.str(o, "message");
            MemSyncException cause = new MemSyncException(code == null ? MemSyncException.ERR_PROTOCOL : code,
                    message == null ? "refused by the host" : message);
            authenticated.completeExceptionally(new IOException(cause.getMessage(), cause));
            close();
        } else if (serverNonce == null && Handshake.T_CHALLENGE.equals(t) && Handshake.str(o, "nonce") != null) {
            serverNonce = Handshake.str(o, "nonce");
            sendInternal(Handshake.hello(name, clientNonce, Handshake.proof(secret, "client", name, serverNonce, clientNonce), true));
        } else if (serverNonce != null && Handshake.T_WELCOME.equals(t)) {
            String expected = Handshake.proof(secret, "server", name, serverNonce, clientNonce);
            if (Handshake.proofMatches(expected, Handshake.str(o, "proof"))) {
                binaryOut = Handshake.binary(o);
                authenticated.complete(null);
            } else {
                fail(MemSyncException.ERR_UNAUTHORIZED, "the host at " + remote()
                        + " failed to prove it knows the secret of '" + name + "' (not the real host?)");
            }
        } else {
            fail(MemSyncException.ERR_PROTOCOL, "unexpected handshake frame from " + remote());
        }
    }

    private void fail(String code, String message) {
        MemSyncException cause = new MemSyncException(code, message);
        authenticated.completeExceptionally(new IOException(cause.getMessage(), cause));
        close();
    }

    /**
     * Starts draining the outbox unless a send is already in flight. The JDK allows one outstanding
     * {@code sendText} and does not block the caller. When the channel was quiet, the frame goes out on the sending
     * thread itself (no hand-off, lowest latency). When sends follow each other closely (a burst), the drain runs
     * on a virtual thread instead: the sender goes on queueing meanwhile, and the queued frames leave together in
     * one message rather than one message and one system call each.
     */
    @Override
    void wake() {
        while (hasQueued() && sending.compareAndSet(false, true)) {
            long now = System.nanoTime();
            boolean burst = now - lastSend < BURST_GAP_NANOS;
            lastSend = now;
            if (burst) {
                Thread.ofVirtual().name("memsync-ws-send").start(this::drain);
                return;
            }
            if (pump()) {
                return; // a send is in flight; its completion continues
            }
            sending.set(false);
            // re-check: a frame queued between the last poll and the reset would otherwise wait for the next wake
        }
    }

    private void drain() {
        if (!pump()) {
            sending.set(false);
            wake();
        }
    }

    /**
     * Sends queued messages while their sends complete at once. A message longer than {@value #FRAGMENT_CHARS}
     * characters goes out as fragments of at most that many (never splitting a surrogate pair), since the host
     * accepts no single WebSocket frame above {@value HostListener#MAX_WIRE_FRAME_BYTES} bytes; the fields
     * {@link #current} and {@link #offset} keep the place between fragments.
     *
     * @return {@code true} when a send is still in flight (its completion calls this again), {@code false} when
     *         the outbox is empty or the channel is done
     */
    private boolean pump() {
        WebSocket w = ws;
        while (true) {
            if (current == null && currentBytes == null) {
                String message = pollMessage(BATCH_CHARS);
                if (message == null) {
                    return false;
                }
                if (isClose(message)) {
                    closeConnection();
                    closedLater();
                    return true; // never reset: nothing is sent after the close
                }
                if (binaryOut) {
                    currentBytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                } else {
                    current = message;
                }
                offset = 0;
            }
            CompletableFuture<WebSocket> f;
            if (currentBytes != null) {
                byte[] bytes = currentBytes;
                int to = Math.min(bytes.length, offset + FRAGMENT_BYTES);
                boolean last = to == bytes.length;
                ByteBuffer part = ByteBuffer.wrap(bytes, offset, to - offset);
                if (last) {
                    currentBytes = null;
                } else {
                    offset = to;
                }
                try {
                    f = w.sendBinary(part, last);
                } catch (RuntimeException e) {
                    writeFailed(e);
                    return true;
                }
                if (continueAfter(f)) {
                    return true;
                }
                continue;
            }
            String message = current;
            int len = message.length();
            int to = Math.min(len, offset + FRAGMENT_CHARS);
            if (to < len && Character.isHighSurrogate(message.charAt(to - 1))) {
                to--;
            }
            boolean last = to == len;
            CharSequence part = offset == 0 && last ? message : message.substring(offset, to);
            if (last) {
                current = null;
            } else {
                offset = to;
            }
            try {
                f = w.sendText(part, last);
            } catch (RuntimeException e) {
                writeFailed(e);
                return true;
            }
            if (continueAfter(f)) {
                return true;
            }
        }
    }

    /**
     * After a send: whether {@link #pump} must return ({@code true}: the send is still in flight, and its completion
     * pumps on, or it failed) rather than go on with the next part at once.
     */
    private boolean continueAfter(CompletableFuture<WebSocket> f) {
        if (!f.isDone()) {
            f.whenComplete((r, e) -> {
                if (e != null) {
                    writeFailed(e);
                } else if (!pump()) {
                    sending.set(false);
                    wake();
                }
            });
            return true;
        }
        if (f.isCompletedExceptionally()) {
            writeFailed(f.exceptionNow());
            return true;
        }
        return false;
    }

    private void writeFailed(Throwable e) {
        LOG.log(Level.DEBUG, () -> "write to " + remote() + " failed: " + e);
        abortConnection();
    }

    @Override
    void closeConnection() {
        WebSocket w = ws;
        if (w == null || w.isOutputClosed()) {
            if (w != null && w.isInputClosed()) {
                w.abort();
            }
            return;
        }
        w.sendClose(WebSocket.NORMAL_CLOSURE, "closed")
                .orTimeout(2, TimeUnit.SECONDS)
                .whenComplete((r, e) -> CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS).execute(() -> {
                    if (!w.isInputClosed()) {
                        w.abort();
                    }
                    connectionClosed();
                }));
    }

    /** Drops the connection and reports the close, both on another thread (see {@link #closedLater}). */
    @Override
    void abortConnection() {
        Thread.ofVirtual().name("memsync-ws-abort").start(() -> {
            WebSocket w = ws;
            if (w != null) {
                w.abort();
            }
            connectionClosed();
        });
    }

    /**
     * Reports the close on another thread. Sends run on the caller's thread, which may hold its own locks (the
     * replica's), while the reading thread holds the handler lock and waits for those: reporting the close
     * (which takes the handler lock) from the sending thread could deadlock. The same holds for the JDK's
     * callbacks that an abort may trigger.
     */
    private void closedLater() {
        Thread.ofVirtual().name("memsync-ws-closed").start(this::connectionClosed);
    }
}
