package io.memsync.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.memsync.MemSyncChange;
import io.memsync.MemSyncException;
import io.memsync.PatchResult;
import io.memsync.Precondition;
import io.memsync.Status;
import io.memsync.Subscription;
import io.memsync.Update;
import io.memsync.replication.HostRecord;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The {@code server(port)} option: the document, its status, a Server-Sent Events stream of its changes, the web
 * inspector and (when enabled, with the token) patches, over HTTP on 127.0.0.1 by default. Every request passes
 * {@link HttpGuard} first. The inspector's URL (and the write token when writes are on) is published in
 * {@code http-<pid>-<port>.json}, mode 0600, in the rendezvous folder, and removed at close.
 */
final class DocumentServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DocumentServer.class.getName());
    /** Change streams open at once; more are answered 503. */
    static final int MAX_STREAMS = 32;
    /** Changes queued for one slow stream before it is closed (the page reconnects and gets a fresh snapshot). */
    static final int STREAM_QUEUE = 10_000;
    private static final Set<String> WRITES = Set.of("PATCH", "POST", "PUT", "DELETE");

    private final SharedObjectImpl<?> shared;
    private final EngineWiring wiring;
    private final HttpSettings settings;
    private final String base;
    private final WebServer server;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private final Set<Thread> streaming = ConcurrentHashMap.newKeySet();
    private volatile HttpGuard guard;
    private volatile boolean closed;

    DocumentServer(SharedObjectImpl<?> shared, EngineWiring wiring) {
        this.shared = shared;
        this.wiring = wiring;
        SharedObjectOptions options = wiring.options();
        this.settings = options.http();
        String name = options.name();
        this.base = "/" + name;
        this.server = WebServer.builder()
                .host(settings.address())
                .port(options.serverPort())
                .maxPayloadSize(options.maxFrameBytes())
                .routing(r -> r
                        .any(this::guard)
                        .get(base, this::document)
                        .patch(base, this::patch)
                        .post(base, this::patch)
                        .get(base + "/_status", (req, res) -> json(res, 200, status()))
                        .get(base + "/_changes", this::changes)
                        .get(base + "/_inspector", (req, res) -> resource(res, "index.html"))
                        .get(base + "/_inspector/{file}", (req, res) -> resource(res, req.path().pathParameters().get("file"))))
                .build()
                .start();
        int port = server.port();
        this.guard = new HttpGuard(HttpGuard.hostsFor(settings.address(), port, settings.allowedHosts()),
                settings.allowedOrigins(), shared.httpToken());
        shared.publishEndpoint(Integer.toString(port), url(port), url(port) + "/_inspector");
    }

    int port() {
        return server.port();
    }

    /** @return the write token in force */
    String token() {
        return guard.token();
    }

    private String url(int port) {
        String a = settings.address();
        String host = a.equals("0.0.0.0") || a.equals("::") ? "127.0.0.1" : a.contains(":") ? "[" + a + "]" : a;
        return "http://" + host + ":" + port + base;
    }

    // ------------------------------------------------------------------ safety

    private void guard(ServerRequest req, ServerResponse res) {
        HttpGuard g = guard;
        String host = req.headers().first(HeaderNames.HOST).orElse(null);
        String refusal = g == null ? "the server is starting" : g.refusal(host, req.headers().first(HeaderNames.ORIGIN).orElse(null),
                req.headers().first(HeaderNames.create("Sec-Fetch-Site")).orElse(null));
        if (refusal != null) {
            problem(res, 403, MemSyncException.ERR_FORBIDDEN, refusal, -1);
            return;
        }
        if (WRITES.contains(req.prologue().method().text())) {
            if (!settings.writable()) {
                problem(res, 403, MemSyncException.ERR_FORBIDDEN, "writing '" + wiring.options().name()
                        + "' over HTTP is off (enable it with serverWritable(true) or memsync."
                        + wiring.options().name() + ".server.writable=true)", -1);
                return;
            }
            if (!g.authorized(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null))) {
                problem(res, 403, MemSyncException.ERR_UNAUTHORIZED, "a write needs 'Authorization: Bearer <token>' with the"
                        + " token of this process (memsync inspect " + wiring.options().name() + " prints it)", -1);
                return;
            }
        }
        res.header("X-Content-Type-Options", "nosniff");
        res.header("Cache-Control", "no-store");
        res.next();
    }

    // ------------------------------------------------------------------ handlers

    private void document(ServerRequest req, ServerResponse res) {
        res.header("ETag", "\"" + shared.status().version() + "\"");
        res.header("Content-Type", "application/json");
        res.send(shared.data().toString().getBytes(StandardCharsets.UTF_8));
    }

    private void patch(ServerRequest req, ServerResponse res) {
        String body = req.content().as(String.class);
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("application/json").toLowerCase(java.util.Locale.ROOT);
        try {
            Update u = type.startsWith("application/merge-patch+json") ? Update.mergePatch(body)
                    : type.startsWith("application/json-patch+json") ? Update.jsonPatch(body) : Update.of(body);
            Precondition pre = null;
            String ifMatch = req.headers().first(HeaderNames.IF_MATCH).orElse(null);
            if (ifMatch != null) {
                try {
                    pre = Precondition.version(Long.parseLong(ifMatch.trim().replace("W/", "").replace("\"", "")));
                } catch (IllegalArgumentException e) {
                    throw new MemSyncException(MemSyncException.ERR_PRECONDITION, "If-Match '" + ifMatch + "' is not a version");
                }
            }
            var stage = pre == null ? shared.patch(u) : shared.patch(u, pre);
            PatchResult r = stage.toCompletableFuture().get(wiring.options().timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            res.header("ETag", "\"" + r.version() + "\"");
            json(res, 200, JsonMapping.JSON.createObjectBuilder().add("term", r.term()).add("version", r.version())
                    .add("effect", r.effect()).build());
        } catch (MemSyncException e) {
            refuse(res, e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof MemSyncException m) {
                refuse(res, m);
            } else {
                problem(res, 500, "ERR_INTERNAL", String.valueOf(e.getCause()), -1);
            }
        } catch (TimeoutException e) {
            problem(res, 504, MemSyncException.ERR_TIMEOUT, "no outcome within " + wiring.options().timeout()
                    + " (the update may still apply)", -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem(res, 503, MemSyncException.ERR_STOPPED, "interrupted", -1);
        }
    }

    private static void refuse(ServerResponse res, MemSyncException e) {
        problem(res, HttpGuard.status(e.code()), e.code(), e.detail(), e.version());
    }

    private JsonObject status() {
        return status(shared, wiring);
    }

    /** The status for the inspector: this process's view, and the members as the host last recorded them. */
    static JsonObject status(SharedObjectImpl<?> shared, EngineWiring wiring) {
        Status s = shared.status();
        Map<String, HostRecord.Member> members = new HashMap<>();
        HostRecord rec = wiring.hostRecord();
        if (rec != null) {
            rec.members().forEach(m -> members.put(m.peerId(), m));
        }
        JsonArrayBuilder peers = JsonMapping.JSON.createArrayBuilder();
        for (Status.Peer p : s.peers()) {
            JsonObjectBuilder b = JsonMapping.JSON.createObjectBuilder().add("peerId", p.peerId())
                    .add("role", p.host() ? "host" : "client").add("self", p.peerId().equals(s.peerId()));
            if (p.pending() >= 0) {
                b.add("pending", p.pending());
            }
            HostRecord.Member m = members.get(p.peerId());
            if (m != null) {
                b.add("pid", m.pid()).add("writer", m.writer());
            }
            peers.add(b);
        }
        return JsonMapping.JSON.createObjectBuilder().add("name", s.name())
                .add("role", s.role().name().toLowerCase(java.util.Locale.ROOT)).add("term", s.term())
                .add("version", s.version()).add("peerId", s.peerId()).add("pending", s.pending())
                .add("writable", wiring.options().http().writable()).add("pid", ProcessHandle.current().pid())
                .add("peers", peers).build();
    }

    /**
     * {@code GET /<name>/_changes}: {@code snapshot} (version, term, document), then one {@code change} per change
     * (version, term, state, origin, effect; the whole document too when the change is not a confirmed one), and a
     * {@code status} every second (which also finds streams whose reader went away).
     */
    private void changes(ServerRequest req, ServerResponse res) {
        if (!streams.tryAcquire()) {
            problem(res, 503, MemSyncException.ERR_TOO_LARGE, "too many change streams open (" + MAX_STREAMS + ")", -1);
            return;
        }
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(STREAM_QUEUE);
        boolean[] overflow = new boolean[1];
        Subscription sub = shared.observe("", c -> {
            if (!queue.offer(sse("change", change(c)))) {
                overflow[0] = true;
            }
        });
        streaming.add(Thread.currentThread());
        try {
            res.header("Content-Type", "text/event-stream");
            try (OutputStream out = res.outputStream()) {
                write(out, sse("snapshot", snapshot()));
                write(out, sse("status", status()));
                while (!closed && !overflow[0]) {
                    String event = queue.poll(1, TimeUnit.SECONDS);
                    write(out, event != null ? event : sse("status", status()));
                }
            }
        } catch (IOException | UncheckedIOException | InterruptedException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "change stream of '" + wiring.options().name() + "' ended: " + e);
        } finally {
            streaming.remove(Thread.currentThread());
            sub.close();
            streams.release();
        }
    }

    private JsonObject snapshot() {
        while (true) {
            long before = shared.status().version();
            JsonObject doc = shared.data();
            Status s = shared.status();
            if (s.version() == before) {
                return JsonMapping.JSON.createObjectBuilder().add("version", s.version()).add("term", s.term())
                        .add("document", doc).build();
            }
        }
    }

    private JsonObject change(MemSyncChange c) {
        JsonObjectBuilder b = JsonMapping.JSON.createObjectBuilder().add("version", c.version()).add("term", c.term())
                .add("state", c.state().name().toLowerCase(java.util.Locale.ROOT))
                .add("origin", c.origin().name().toLowerCase(java.util.Locale.ROOT)).add("effect", c.effect());
        if (c.state() != MemSyncChange.State.CONFIRMED) {
            b.add("document", c.value());
        }
        return b.build();
    }

    private static String sse(String event, JsonObject data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    private static void write(OutputStream out, String event) throws IOException {
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static final Map<String, String> PAGES = Map.of("index.html", "text/html; charset=utf-8",
            "inspector.js", "text/javascript; charset=utf-8", "inspector.css", "text/css; charset=utf-8");

    private static void resource(ServerResponse res, String file) {
        byte[] bytes = Inspector.resource(file);
        if (bytes == null) {
            problem(res, 404, "ERR_NOT_FOUND", "no such file: " + file, -1);
            return;
        }
        res.header("Content-Type", Inspector.type(file));
        res.header("Content-Security-Policy", Inspector.CONTENT_SECURITY_POLICY);
        res.header("X-Frame-Options", "DENY");
        res.header("Referrer-Policy", "no-referrer");
        res.send(bytes);
    }

    private static void json(ServerResponse res, int status, JsonObject body) {
        res.status(status);
        res.header("Content-Type", "application/json");
        res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void problem(ServerResponse res, int status, String code, String detail, long version) {
        res.status(status);
        res.header("Content-Type", HttpGuard.PROBLEM_JSON);
        res.header("Cache-Control", "no-store");
        res.send(HttpGuard.problem(status, code, detail, version).toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        closed = true;
        streaming.forEach(Thread::interrupt);
        server.stop();
    }

    /** The inspector's files, shipped in memsync-cdi.jar. */
    static final class Inspector {
        /** Only the page's own scripts, styles and connections. */
        static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

        private Inspector() {
        }

        /** The media type of an inspector file. */
        static String type(String file) {
            return PAGES.getOrDefault(file, "application/octet-stream");
        }

        /** A file of the inspector, or {@code null} when there is none of that name. */
        static byte[] resource(String file) {
            if (!PAGES.containsKey(file)) {
                return null;
            }
            try (InputStream in = DocumentServer.class.getResourceAsStream("/META-INF/memsync/inspector/" + file)) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                return null;
            }
        }
    }
}
