package io.memsync.transport;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.memsync.MemSyncException;
import io.memsync.replication.ChannelHandler;
import jakarta.json.JsonObject;

/**
 * The client's end: a JDK {@link WebSocket.Listener} that runs the client half of the {@link Handshake}, then
 * reassembles text messages and passes them to the handler. The JDK delivers callbacks one at a time; the next
 * part is requested ({@code request(1)}) only after the handler returned, so handler calls follow arrival order.
 * Writes go through the writer thread, one {@code sendText} at a time (the JDK allows one outstanding send).
 */
final class ClientChannel extends WsChannel implements WebSocket.Listener {
    private final String name;
    private final byte[] secret;
    private final String clientNonce = Handshake.nonce();
    /** Completes when the host proved itself; fails with the reason otherwise. */
    final CompletableFuture<Void> authenticated = new CompletableFuture<>();
    private volatile WebSocket ws;
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
            if (authenticated.isDone() && !authenticated.isCompletedExceptionally()) {
                String whole = reassemble(data.toString(), last);
                if (whole != null) {
                    deliver(whole);
                }
            } else {
                handshakeText.append(data);
                if (handshakeText.length() > Handshake.MAX_HANDSHAKE_CHARS) {
                    fail(MemSyncException.ERR_PROTOCOL, "handshake frame from the host is too large");
                } else if (last) {
                    String text = handshakeText.toString();
                    handshakeText.setLength(0);
                    handshake(text);
                }
            }
        } finally {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
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
            sendInternal(Handshake.hello(name, clientNonce, Handshake.proof(secret, "client", name, serverNonce, clientNonce)));
        } else if (serverNonce != null && Handshake.T_WELCOME.equals(t)) {
            String expected = Handshake.proof(secret, "server", name, serverNonce, clientNonce);
            if (Handshake.proofMatches(expected, Handshake.str(o, "proof"))) {
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

    @Override
    void write(String frame) throws Exception {
        ws.sendText(frame, true).get();
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

    @Override
    void abortConnection() {
        WebSocket w = ws;
        if (w != null) {
            w.abort();
        }
        connectionClosed();
    }
}
