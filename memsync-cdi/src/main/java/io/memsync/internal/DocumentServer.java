package io.memsync.internal;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import io.helidon.webserver.WebServer;

import jakarta.json.JsonObject;

/**
 * The {@code server(port)} option: {@code GET /<name>} returns the document as JSON on 127.0.0.1. Not
 * authenticated (README says so).
 */
final class DocumentServer implements AutoCloseable {
    private final WebServer server;

    DocumentServer(String name, int port, Supplier<JsonObject> document) {
        this.server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .routing(r -> r.get("/" + name, (req, res) -> {
                    res.header("Content-Type", "application/json");
                    res.send(document.get().toString().getBytes(StandardCharsets.UTF_8));
                }))
                .build()
                .start();
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
