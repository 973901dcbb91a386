package io.memsync.it.jaxrs;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/** A small java.net.http client for the tests (the JDK client speaks PATCH without connector tricks). */
final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** The write token the test configures for its shared objects ({@code memsync.<name>.server.token}). */
    static final String TOKEN = "jaxrs-test-token-0123456789";
    private final URI base;
    private final String token;

    Http(URI base) {
        this(base, TOKEN);
    }

    /** A client that sends {@code Authorization: Bearer <token>} with each request, none when {@code null}. */
    Http(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    HttpResponse<String> send(String method, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder b = request(path, headers).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        return send(b.build());
    }

    HttpResponse<String> patch(String path, String contentType, String body, String... headers) {
        return send("PATCH", path, contentType, body, headers);
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(request + " interrupted", e);
        }
    }

    static JsonValue json(String text) {
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readValue();
        }
    }

    static JsonObject object(HttpResponse<String> response) {
        return json(response.body()).asJsonObject();
    }

    /** The version in an {@code ETag: "<version>"} header. */
    static long etag(HttpResponse<String> response) {
        String tag = response.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag in " + response));
        if (!tag.matches("\"\\d+\"")) {
            throw new AssertionError("ETag is not a quoted version: " + tag);
        }
        return Long.parseLong(tag.substring(1, tag.length() - 1));
    }
}
