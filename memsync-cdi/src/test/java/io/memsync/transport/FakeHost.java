package io.memsync.transport;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/** An impostor host: speaks the handshake but cannot prove the secret (sends a made-up welcome proof). */
final class FakeHost implements AutoCloseable {
    private final WebServer server;

    FakeHost() {
        server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .addRouting(WsRouting.builder().endpoint(WebSocketTransport.PATH, () -> new WsListener() {
                    @Override
                    public void onOpen(WsSession session) {
                        session.send(Handshake.challenge(Handshake.nonce()), true);
                    }

                    @Override
                    public void onMessage(WsSession session, String text, boolean last) {
                        session.send(Handshake.welcome("bm90IGEgcmVhbCBwcm9vZg=="), true);
                    }
                }))
                .build().start();
    }

    String endpoint() {
        return "ws://127.0.0.1:" + server.port() + WebSocketTransport.PATH;
    }

    @Override
    public void close() {
        server.stop();
    }
}
