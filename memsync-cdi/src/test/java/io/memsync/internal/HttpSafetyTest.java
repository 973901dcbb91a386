package io.memsync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.memsync.MemSync;
import io.memsync.SharedObject;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP safety rules of the {@code server(port)} listener, each refusal checked against the real Helidon server with
 * hand-written requests (a raw socket, so that {@code Host} and {@code Origin} can be anything).
 */
class HttpSafetyTest {
    private Path rendezvous;
    private final List<SharedObject<?>> started = new ArrayList<>();

    @BeforeEach
    void folder() throws IOException {
        rendezvous = Files.createTempDirectory("memsync-http-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    @AfterEach
    void stop() {
        started.forEach(SharedObject::stop);
    }

    private SharedObjectImpl<?> start(String name, java.util.function.UnaryOperator<MemSync.Builder> options) {
        SharedObject<JsonObject> so = options.apply(MemSync.builder(name).rendezvous(rendezvous).timeout(Duration.ofSeconds(20))
                .data("{\"n\":1,\"s\":\"x\"}").server(0)).start();
        started.add(so);
        return (SharedObjectImpl<?>) so;
    }

    /** A response: status, headers (lower-case names), body. */
    record Response(int status, Map<String, String> headers, String body) {
        JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }
    }

    /** Sends one HTTP/1.1 request with exactly these headers (no Host unless given) and reads the answer. */
    static Response request(int port, String method, String path, Map<String, String> headers, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                req.append("Content-Length: ").append(b.length).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.write(b);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            Map<String, String> h = new LinkedHashMap<>();
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                int c = line.indexOf(':');
                h.put(line.substring(0, c).trim().toLowerCase(Locale.ROOT), line.substring(c + 1).trim());
            }
            StringBuilder content = new StringBuilder();
            if (h.containsKey("content-length")) {
                char[] buf = new char[Integer.parseInt(h.get("content-length"))];
                int off = 0;
                while (off < buf.length) {
                    int n = in.read(buf, off, buf.length - off);
                    if (n < 0) {
                        break;
                    }
                    off += n;
                }
                content.append(buf, 0, off);
            }
            return new Response(Integer.parseInt(status.split(" ")[1]), h, content.toString());
        }
    }

    private static Map<String, String> headers(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void assertProblem(Response r, String code, String detailPart) {
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.headers().get("content-type")).isEqualTo("application/problem+json");
        JsonObject p = r.json();
        assertThat(p.getString("code")).isEqualTo(code);
        assertThat(p.getInt("status")).isEqualTo(403);
        assertThat(p.getString("type")).isEqualTo("urn:memsync:error:" + code);
        assertThat(p.getString("title")).isNotBlank();
        assertThat(p.getString("detail")).contains(detailPart);
    }

    @Test
    void theListenerIsBoundToLoopbackOnly() throws IOException {
        int port = start("bound", b -> b).serverPort();
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (Files.exists(p)) {
                for (String l : Files.readAllLines(p)) {
                    String[] f = l.trim().split("\\s+");
                    if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                        listening.add(f[1].substring(0, f[1].indexOf(':')));
                    }
                }
            }
        }
        // 127.0.0.1 as /proc/net/tcp writes it, or as an IPv4-mapped IPv6 address in /proc/net/tcp6
        assertThat(listening).as("local addresses listening on port " + port).hasSize(1)
                .allMatch(a -> a.equals("0100007F") || a.equals("0000000000000000FFFF00000100007F"));
    }

    @Test
    void aForeignHostHeaderIsRefused() throws IOException {
        int port = start("host", b -> b).serverPort();
        assertThat(request(port, "GET", "/host", headers("Host", "127.0.0.1:" + port), null).status()).isEqualTo(200);
        assertThat(request(port, "GET", "/host", headers("Host", "localhost:" + port), null).body()).isEqualTo("{\"n\":1,\"s\":\"x\"}");
        assertProblem(request(port, "GET", "/host", headers("Host", "evil.example:" + port), null), "ERR_FORBIDDEN", "evil.example");
        assertProblem(request(port, "GET", "/host", headers("Host", "evil.example"), null), "ERR_FORBIDDEN", "DNS rebinding");
        assertProblem(request(port, "GET", "/host/_status", headers("Host", "127.0.0.1:1"), null), "ERR_FORBIDDEN", "127.0.0.1:1");
        assertProblem(request(port, "GET", "/host/_inspector", headers("Host", "attacker.test:" + port), null), "ERR_FORBIDDEN", "attacker");
    }

    @Test
    void aConfiguredHostNameIsAccepted() throws IOException {
        int port = start("named", b -> b.serverAllowedHosts("memsync.internal", "proxy.test:443")).serverPort();
        assertThat(request(port, "GET", "/named", headers("Host", "memsync.internal:" + port), null).status()).isEqualTo(200);
        assertThat(request(port, "GET", "/named", headers("Host", "memsync.internal"), null).status()).isEqualTo(200);
        assertThat(request(port, "GET", "/named", headers("Host", "proxy.test:443"), null).status()).isEqualTo(200);
        assertProblem(request(port, "GET", "/named", headers("Host", "proxy.test:444"), null), "ERR_FORBIDDEN", "proxy.test:444");
    }

    @Test
    void crossOriginRequestsAreRefusedUnlessTheOriginIsAllowed() throws IOException {
        int port = start("origin", b -> b.serverAllowedOrigins("http://localhost:3000")).serverPort();
        String host = "127.0.0.1:" + port;
        assertThat(request(port, "GET", "/origin", headers("Host", host, "Origin", "http://" + host), null).status())
                .as("same origin").isEqualTo(200);
        assertThat(request(port, "GET", "/origin", headers("Host", host, "Origin", "http://localhost:3000"), null).status())
                .as("allowed origin").isEqualTo(200);
        assertProblem(request(port, "GET", "/origin", headers("Host", host, "Origin", "http://evil.example"), null),
                "ERR_FORBIDDEN", "http://evil.example");
        assertProblem(request(port, "GET", "/origin/_changes", headers("Host", host, "Origin", "null"), null), "ERR_FORBIDDEN", "null");
        assertProblem(request(port, "GET", "/origin", headers("Host", host, "Origin", "https://" + host), null),
                "ERR_FORBIDDEN", "https://");
        assertProblem(request(port, "GET", "/origin", headers("Host", host, "Sec-Fetch-Site", "cross-site"), null),
                "ERR_FORBIDDEN", "cross-site");
        assertThat(request(port, "GET", "/origin", headers("Host", host, "Sec-Fetch-Site", "same-origin"), null).status()).isEqualTo(200);
    }

    @Test
    void writesAreRefusedUnlessEnabledAndThenNeedTheToken() throws Exception {
        SharedObjectImpl<?> readOnly = start("ro", b -> b);
        int port = readOnly.serverPort();
        String host = "127.0.0.1:" + port;
        String patch = "{\"$inc\":{\"n\":1}}";
        assertProblem(request(port, "PATCH", "/ro", headers("Host", host, "Content-Type", "application/json",
                "Authorization", "Bearer " + readOnly.serverToken()), patch), "ERR_FORBIDDEN", "serverWritable");
        assertProblem(request(port, "POST", "/ro", headers("Host", host, "Content-Type", "application/json"), patch),
                "ERR_FORBIDDEN", "over HTTP is off");
        assertThat(readOnly.data().getInt("n")).isEqualTo(1);
        assertThat(published("ro").getBoolean("writable")).isFalse();
        assertThat(published("ro").containsKey("token")).as("no token published for a read-only listener").isFalse();

        SharedObjectImpl<?> rw = start("rw", b -> b.serverWritable(true));
        port = rw.serverPort();
        host = "127.0.0.1:" + port;
        assertProblem(request(port, "PATCH", "/rw", headers("Host", host, "Content-Type", "application/json"), patch),
                "ERR_UNAUTHORIZED", "Bearer");
        assertProblem(request(port, "PATCH", "/rw", headers("Host", host, "Content-Type", "application/json",
                "Authorization", "Bearer wrong-token-wrong-token"), patch), "ERR_UNAUTHORIZED", "token");
        assertThat(rw.data().getInt("n")).isEqualTo(1);

        JsonObject file = published("rw");
        String token = file.getString("token");
        assertThat(token).isEqualTo(rw.serverToken()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(file.getString("inspector")).isEqualTo("http://127.0.0.1:" + port + "/rw/_inspector");
        Response ok = request(port, "PATCH", "/rw", headers("Host", host, "Content-Type", "application/json",
                "Authorization", "Bearer " + token), patch);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().getInt("version")).isEqualTo(1);
        assertThat(rw.data().getInt("n")).isEqualTo(2);
        // a refusal of the engine comes back as a problem too
        Response invalid = request(port, "POST", "/rw", headers("Host", host, "Content-Type", "application/json",
                "Authorization", "Bearer " + token), "{\"$inc\":{\"s\":1}}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().getString("code")).isEqualTo("ERR_INVALID_PATCH");
        Response stale = request(port, "PATCH", "/rw", headers("Host", host, "Content-Type", "application/merge-patch+json",
                "If-Match", "\"0\"", "Authorization", "Bearer " + token), "{\"s\":\"y\"}");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().getString("code")).isEqualTo("ERR_PRECONDITION");
        // a cross-origin write with the right token is still refused
        assertProblem(request(port, "PATCH", "/rw", headers("Host", host, "Origin", "http://evil.example",
                "Content-Type", "application/json", "Authorization", "Bearer " + token), patch), "ERR_FORBIDDEN", "evil");
        assertThat(rw.data().getInt("n")).isEqualTo(2);

        rw.stop();
        assertThat(publishedFiles("rw")).as("the endpoint file is removed at stop").isEmpty();
    }

    @Test
    void aConfiguredTokenIsUsedAndTheEndpointFileIsPrivate() throws Exception {
        SharedObjectImpl<?> so = start("tok", b -> b.serverWritable(true).serverToken("a-configured-token-123"));
        int port = so.serverPort();
        assertThat(published("tok").getString("token")).isEqualTo("a-configured-token-123");
        assertThat(Files.getPosixFilePermissions(publishedFiles("tok").get(0)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Response ok = request(port, "PATCH", "/tok", headers("Host", "localhost:" + port, "Content-Type", "application/json",
                "Authorization", "Bearer a-configured-token-123"), "{\"$set\":{\"s\":\"z\"}}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(so.data().getString("s")).isEqualTo("z");
    }

    @Test
    void theChangeStreamSendsASnapshotThenEachChangeWithItsEffect() throws Exception {
        SharedObjectImpl<?> so = start("sse", b -> b);
        int port = so.serverPort();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET /sse/_changes HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.1 200");
            JsonObject snapshot = nextEvent(in, "snapshot");
            assertThat(snapshot.getJsonObject("document").getInt("n")).isEqualTo(1);
            so.patch("{\"$inc\":{\"n\":5}}").toCompletableFuture().join();
            JsonObject change = nextEvent(in, "change");
            assertThat(change.getInt("version")).isEqualTo(1);
            assertThat(change.getString("state")).isEqualTo("confirmed");
            assertThat(change.getJsonArray("effect").toString()).isEqualTo("[{\"op\":\"replace\",\"path\":\"/n\",\"value\":6}]");
            JsonObject status = nextEvent(in, "status");
            assertThat(status.getString("role")).isEqualTo("host");
            assertThat(status.getJsonArray("peers").getJsonObject(0).getJsonNumber("pid").longValue())
                    .isEqualTo(ProcessHandle.current().pid());
        }
    }

    /** Reads chunked SSE lines until an event of that name, and returns its data. */
    private static JsonObject nextEvent(BufferedReader in, String event) throws IOException {
        String line;
        boolean found = false;
        while ((line = in.readLine()) != null) {
            if (line.equals("event: " + event)) {
                found = true;
            } else if (found && line.startsWith("data: ")) {
                return Json.createReader(new StringReader(line.substring(6))).readObject();
            }
        }
        throw new IOException("stream ended before a '" + event + "' event");
    }

    private List<Path> publishedFiles(String name) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(rendezvous.resolve(name), "http-*.json")) {
            ds.forEach(files::add);
        }
        return files;
    }

    private JsonObject published(String name) throws IOException {
        List<Path> files = publishedFiles(name);
        assertThat(files).hasSize(1);
        return Json.createReader(new StringReader(Files.readString(files.get(0)))).readObject();
    }
}
