package io.memsync.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Diagnostic tool: a plain JDK WebSocket client that sends and receives raw text messages without running the
 * memsync handshake. Tests use it to act as a misbehaving or malicious peer (garbage before the handshake, frames
 * without authentication, oversized messages). Not used by memsync itself.
 */
public final class RawClient implements AutoCloseable {
    private final WebSocket ws;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    private RawClient(URI uri, Duration timeout) throws IOException {
        StringBuilder partial = new StringBuilder();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    received.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode + " " + reason);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete("error " + error);
            }
        };
        try {
            ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(uri, listener).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IOException("raw connect to " + uri + " failed: " + e, e);
        }
    }

    /**
     * Opens a raw connection.
     *
     * @param endpoint e.g. {@code ws://127.0.0.1:1234/memsync}
     * @return the client
     * @throws IOException when the connection fails
     */
    public static RawClient connect(String endpoint) throws IOException {
        return new RawClient(URI.create(endpoint), Duration.ofSeconds(5));
    }

    /**
     * Sends one text message and waits until it is written.
     *
     * @param text the text
     */
    public void send(String text) {
        ws.sendText(text, true).join();
    }

    /**
     * Sends one text message unless the connection's output is already closed (for instance because the host
     * closed the connection after an earlier message), and waits until it is written.
     *
     * @param text the text
     * @return {@code true} when the message was written, {@code false} when the output was closed
     */
    public boolean trySend(String text) {
        try {
            ws.sendText(text, true).join();
            return true;
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Sends one text message as several fragments.
     *
     * @param parts the fragments, concatenated by the receiver
     */
    public void sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            ws.sendText(parts[i], i == parts.length - 1).join();
        }
    }

    /**
     * Waits for the next received text message.
     *
     * @param timeout how long to wait
     * @return the message, or {@code null} on timeout
     * @throws InterruptedException when interrupted
     */
    public String next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Completes with {@code "<status> <reason>"} (or {@code "error …"}) when the connection ends.
     *
     * @return the close future
     */
    public CompletableFuture<String> closed() {
        return closed;
    }

    /** Aborts the connection. */
    @Override
    public void close() {
        ws.abort();
    }
}
