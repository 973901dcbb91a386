package io.memsync.it.jaxrs;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.helidon.config.mp.MpConfigSources;
import io.helidon.microprofile.testing.AddBean;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import io.memsync.MemSync;
import io.memsync.Shared;
import io.memsync.SharedObject;
import io.memsync.jaxrs.SharedObjectRegistry;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.client.WebTarget;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The memsync-jaxrs resources in a real Helidon MP 4.4.0 server, with the memsync CDI extension starting the shared
 * objects from MicroProfile Config, over real HTTP.
 */
@HelidonTest
@AddBean(value = DocResource.class, scope = RequestScoped.class)
@AddBean(value = MemSyncApi.class, scope = RequestScoped.class)
@AddBean(StartupRecords.class)
class JaxRsResourceTest {
    static final String DOC = "jaxrs-doc";
    static final String OTHER = "jaxrs-other";
    static final String READ_ONLY = "jaxrs-ro";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    WebTarget target;

    @Inject
    @Shared(OTHER)
    SharedObject<?> other;

    private Http http;

    @AddConfigSource
    static ConfigSource config() {
        String dir = TestRendezvous.dir().toString();
        Map<String, String> c = new HashMap<>();
        c.put("memsync." + DOC + ".data", "{\"foo\":1,\"qux\":[\"one\",\"two\"],\"nested\":{\"a\":{\"b\":true}},\"nothing\":null}");
        c.put("memsync." + OTHER + ".data", "{\"other\":\"yes\"}");
        c.put("memsync." + READ_ONLY + ".data", "{\"ro\":true}");
        c.put("memsync." + READ_ONLY + ".peer.roles", "reader");
        for (String name : List.of(DOC, OTHER, READ_ONLY)) {
            c.put("memsync." + name + ".rendezvous.dir", dir);
            c.put("memsync." + name + ".timeout", "20s");
            c.put("memsync." + name + ".server.writable", "true");
            c.put("memsync." + name + ".server.token", Http.TOKEN);
        }
        return MpConfigSources.create("memsync-jaxrs-test", c);
    }

    @BeforeEach
    void client() {
        URI base = target.getUri();
        http = new Http(base.getPath().endsWith("/") ? base : URI.create(base + "/"));
    }

    @Test
    void getsTheDocumentWithItsVersionAsETag() {
        HttpResponse<String> r = http.get("doc");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonObject doc = Http.object(r);
        assertThat(doc.getJsonArray("qux").getString(1)).isEqualTo("two");
        long version = Http.etag(r);
        JsonObject status = Http.object(http.get("doc/_status"));
        assertThat(version).isLessThanOrEqualTo(status.getJsonNumber("version").longValue());

        HttpResponse<String> again = http.get("doc", "If-None-Match", "\"" + version + "\"");
        if (Http.etag(again) == version) { // nothing changed in between (other tests write other members)
            assertThat(again.statusCode()).isEqualTo(304);
        }
    }

    @Test
    void readsValuesByDottedOrSlashedPath() {
        HttpResponse<String> b = http.get("doc/nested.a.b");
        assertThat(b.statusCode()).isEqualTo(200);
        assertThat(Http.json(b.body())).isEqualTo(JsonValue.TRUE);
        Http.etag(b);
        assertThat(Http.json(http.get("doc/qux/1").body()).toString()).isEqualTo("\"two\"");
        assertThat(Http.object(http.get("doc/nested")).getJsonObject("a").getBoolean("b")).isTrue();

        HttpResponse<String> nul = http.get("doc/nothing");
        assertThat(nul.statusCode()).as("a JSON null is there").isEqualTo(200);
        assertThat(Http.json(nul.body())).isEqualTo(JsonValue.NULL);

        for (String absent : List.of("doc/nope", "doc/nested.a.c", "doc/qux.2", "doc/foo.bar")) {
            HttpResponse<String> r = http.get(absent);
            assertThat(r.statusCode()).as(absent).isEqualTo(404);
            assertThat(Http.object(r).getString("code")).isEqualTo("NOT_FOUND");
            assertThat(Http.object(r).getString("message")).contains(absent.substring(4).replace('/', '.'));
        }

        HttpResponse<String> malformed = http.get("doc/nested..a");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(Http.object(malformed).getString("code")).isEqualTo("ERR_INVALID_PATCH");
    }

    @Test
    void patchesWithUpdateOperatorsAndAnswersTheNewVersionAndEffect() {
        HttpResponse<String> r = http.patch("doc", "application/json", "{\"$set\":{\"ops.n\":5},\"$push\":{\"ops.list\":\"x\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject result = Http.object(r);
        assertThat(Http.etag(r)).isEqualTo(result.getJsonNumber("version").longValue());
        assertThat(result.getJsonNumber("term").longValue()).isPositive();
        assertThat(result.getJsonArray("effect")).isNotEmpty();
        assertThat(result.getJsonArray("effect").toString()).contains("/ops");

        HttpResponse<String> post = http.send("POST", "doc", "application/json", "{\"$inc\":{\"ops.n\":2}}");
        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        assertThat(Http.etag(post)).isGreaterThan(Http.etag(r));

        HttpResponse<String> read = http.get("doc/ops");
        assertThat(Http.object(read).getInt("n")).isEqualTo(7);
        assertThat(Http.object(read).getJsonArray("list").getString(0)).isEqualTo("x");
        assertThat(Http.etag(read)).isGreaterThanOrEqualTo(Http.etag(post));
    }

    @Test
    void ifMatchAppliesAtThatVersionAndAStaleOneGets412() {
        HttpResponse<String> before = http.get("doc");
        String tag = "\"" + Http.etag(before) + "\"";
        HttpResponse<String> ok = http.patch("doc", "application/json", "{\"$set\":{\"cond\":1}}", "If-Match", tag);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        long current = Http.etag(ok);

        HttpResponse<String> stale = http.patch("doc", "application/json", "{\"$set\":{\"cond\":2}}", "If-Match", tag);
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
        JsonObject error = Http.object(stale);
        assertThat(error.getString("code")).isEqualTo("ERR_PRECONDITION");
        assertThat(error.getString("message")).isNotBlank();
        assertThat(error.getJsonNumber("version").longValue()).isGreaterThanOrEqualTo(current);
        assertThat(Http.etag(stale)).isEqualTo(error.getJsonNumber("version").longValue());
        assertThat(Http.json(http.get("doc/cond").body()).toString()).isEqualTo("1");

        HttpResponse<String> weak = http.patch("doc", "application/json", "{\"$set\":{\"cond\":3}}", "If-Match", "W/" + tag);
        assertThat(weak.statusCode()).isEqualTo(412);
        HttpResponse<String> garbage = http.patch("doc", "application/json", "{\"$set\":{\"cond\":3}}", "If-Match", "42");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(Http.object(garbage).getString("code")).isEqualTo("BAD_REQUEST");
        assertThat(Http.json(http.get("doc/cond").body()).toString()).isEqualTo("1");
    }

    @Test
    void concurrentWritesWithTheSameIfMatchLetExactlyOneThrough() throws Exception {
        assertThat(http.patch("doc", "application/json", "{\"$set\":{\"race\":[]}}").statusCode()).isEqualTo(200);
        String tag = "\"" + Http.etag(http.get("doc")) + "\"";
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            HttpRequest request = HttpRequest.newBuilder(http.uri("doc"))
                    .header("Content-Type", "application/json").header("If-Match", tag)
                    .header("Authorization", "Bearer " + Http.TOKEN)
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"$push\":{\"race\":" + i + "}}")).build();
            all.add(Http.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : all) {
            statuses.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode());
        }
        assertThat(statuses).containsOnly(200, 412);
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(Http.json(http.get("doc/race").body()).asJsonArray()).hasSize(1);
    }

    @Test
    void aBadUpdateIs400NamingTheOperatorAndChangesNothing() {
        long before = Http.etag(http.get("doc"));
        HttpResponse<String> r = http.patch("doc", "application/json", "{\"$frobnicate\":{\"bad\":1}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonObject error = Http.object(r);
        assertThat(error.getString("code")).isEqualTo("ERR_INVALID_PATCH");
        assertThat(error.getString("message")).contains("$frobnicate");
        assertThat(http.get("doc/bad").statusCode()).isEqualTo(404);

        HttpResponse<String> notJson = http.patch("doc", "application/json", "{\"$set\":");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(Http.object(notJson).getString("code")).isEqualTo("ERR_INVALID_PATCH");

        HttpResponse<String> incOnString = http.patch("doc", "application/json", "{\"$inc\":{\"qux.0\":1}}");
        assertThat(incOnString.statusCode()).isEqualTo(400);
        assertThat(Http.object(incOnString).getString("message")).contains("$inc");
        assertThat(Http.etag(http.get("doc"))).as("other tests may write meanwhile, never lower").isGreaterThanOrEqualTo(before);

        HttpResponse<String> text = http.patch("doc", "text/plain", "{\"$set\":{\"bad\":1}}");
        assertThat(text.statusCode()).isEqualTo(415);
    }

    @Test
    void mergePatchFollowsRfc7396() {
        assertThat(http.patch("doc", "application/json", "{\"$set\":{\"merge\":{\"keep\":1,\"drop\":2,\"sub\":{\"x\":1}}}}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> r = http.patch("doc", "application/merge-patch+json",
                "{\"merge\":{\"drop\":null,\"sub\":{\"y\":2},\"added\":[1,2]}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Http.object(r).getJsonArray("effect")).isNotEmpty();
        JsonObject merge = Http.object(http.get("doc/merge"));
        assertThat(merge).containsOnlyKeys("keep", "sub", "added");
        assertThat(merge.getJsonObject("sub").toString()).isEqualTo("{\"x\":1,\"y\":2}");

        HttpResponse<String> post = http.send("POST", "doc", "application/merge-patch+json; charset=UTF-8", "{\"merge\":{\"keep\":9}}");
        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        assertThat(Http.json(http.get("doc/merge.keep").body()).toString()).isEqualTo("9");

        HttpResponse<String> array = http.patch("doc", "application/merge-patch+json", "[1]");
        assertThat(array.statusCode()).as(array.body()).isEqualTo(400);
    }

    @Test
    void jsonPatchFollowsRfc6902AsItsOwnTypeOrAsAJsonArray() {
        HttpResponse<String> r = http.patch("doc", "application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/jp\",\"value\":{\"list\":[1]}},{\"op\":\"add\",\"path\":\"/jp/list/-\",\"value\":2}]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Http.json(http.get("doc/jp.list").body()).toString()).isEqualTo("[1,2]");

        HttpResponse<String> asJson = http.patch("doc", "application/json",
                "[{\"op\":\"test\",\"path\":\"/jp/list/0\",\"value\":1},{\"op\":\"replace\",\"path\":\"/jp/list/0\",\"value\":0}]");
        assertThat(asJson.statusCode()).as(asJson.body()).isEqualTo(200);
        assertThat(Http.json(http.get("doc/jp.list").body()).toString()).isEqualTo("[0,2]");

        HttpResponse<String> failedTest = http.patch("doc", "application/json-patch+json",
                "[{\"op\":\"test\",\"path\":\"/jp/list/0\",\"value\":99},{\"op\":\"remove\",\"path\":\"/jp\"}]");
        assertThat(failedTest.statusCode()).as(failedTest.body()).isEqualTo(400);
        assertThat(Http.object(failedTest).getString("code")).isEqualTo("ERR_INVALID_PATCH");
        assertThat(Http.json(http.get("doc/jp.list").body()).toString()).isEqualTo("[0,2]");

        HttpResponse<String> conditional = http.send("POST", "doc", "application/json-patch+json",
                "[{\"op\":\"remove\",\"path\":\"/jp\"}]", "If-Match", "\"0\"");
        assertThat(conditional.statusCode()).isEqualTo(412);
    }

    @Test
    void statusDescribesTheReplica() {
        HttpResponse<String> r = http.get("doc/_status");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject s = Http.object(r);
        assertThat(s.getString("name")).isEqualTo(DOC);
        assertThat(s.getString("role")).isEqualTo("HOST");
        assertThat(s.getJsonNumber("term").longValue()).isPositive();
        assertThat(s.getJsonNumber("version").longValue()).isNotNegative();
        assertThat(s.getString("peerId")).isNotEmpty();
        assertThat(s.getJsonArray("peers")).isNotNull();
        assertThat(s.getInt("pending")).isNotNegative();
    }

    @Test
    void changesStreamAsServerSentEvents() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(http.uri("doc/_changes?document=true")).header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> response = Http.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<Map<String, String>> events = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> readEvents(response.body(), events));
        try {
            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> "snapshot".equals(e.get("event"))));
            Map<String, String> snapshot = events.get(0);
            assertThat(snapshot.get("event")).isEqualTo("snapshot");
            JsonObject snap = Http.json(snapshot.get("data")).asJsonObject();
            assertThat(snap.getJsonObject("document").getJsonArray("qux")).hasSize(2);
            assertThat(snapshot.get("id")).isEqualTo(String.valueOf(snap.getJsonNumber("version").longValue()));

            HttpResponse<String> patched = http.patch("doc", "application/json", "{\"$set\":{\"sse\":\"hello\"}}");
            assertThat(patched.statusCode()).isEqualTo(200);
            long version = Http.etag(patched);

            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> "change".equals(e.get("event"))
                    && String.valueOf(version).equals(e.get("id"))
                    && Http.json(e.get("data")).asJsonObject().getString("state").equals("CONFIRMED")));
            Map<String, String> change = events.stream().filter(e -> String.valueOf(version).equals(e.get("id"))
                    && "change".equals(e.get("event"))).reduce((a, b) -> b).orElseThrow();
            JsonObject data = Http.json(change.get("data")).asJsonObject();
            assertThat(data.getJsonNumber("version").longValue()).isEqualTo(version);
            assertThat(data.getString("origin")).isEqualTo("LOCAL");
            JsonArray effect = data.getJsonArray("effect");
            assertThat(effect.toString()).contains("/sse").contains("hello");
            assertThat(data.getJsonObject("document").getString("sse")).as("?document=true").isEqualTo("hello");
        } finally {
            response.body().close();
            reader.interrupt();
        }
    }

    @Test
    void servesSharedObjectsByName() {
        HttpResponse<String> names = http.get("memsync");
        assertThat(names.statusCode()).isEqualTo(200);
        assertThat(Http.json(names.body()).asJsonArray().getValuesAs(JsonValue::toString))
                .contains("\"" + DOC + "\"", "\"" + OTHER + "\"", "\"" + READ_ONLY + "\"");

        assertThat(Http.object(http.get("memsync/" + OTHER)).getString("other")).isEqualTo("yes");
        HttpResponse<String> set = http.patch("memsync/" + OTHER, "application/json", "{\"$set\":{\"byName\":true}}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(Http.json(http.get("memsync/" + OTHER + "/byName").body())).isEqualTo(JsonValue.TRUE);
        assertThat(Http.object(http.get("memsync/" + OTHER + "/_status")).getString("name")).isEqualTo(OTHER);
        assertThat(other.read("byName", Boolean.class)).as("the injected object is the one served").isTrue();

        HttpResponse<String> unknown = http.get("memsync/no-such-object");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Http.object(unknown).getString("code")).isEqualTo("NOT_FOUND");
        assertThat(Http.object(unknown).getString("message")).contains("no-such-object");
    }

    @Test
    void aReaderIsRefusedWith403() {
        assertThat(Http.json(http.get("memsync/" + READ_ONLY + "/ro").body())).isEqualTo(JsonValue.TRUE);
        HttpResponse<String> r = http.patch("memsync/" + READ_ONLY, "application/json", "{\"$set\":{\"ro\":false}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(Http.object(r).getString("code")).isEqualTo("ERR_READ_ONLY");
        assertThat(Http.object(r).getString("message")).contains(READ_ONLY);
    }

    @Test
    void registeredObjectsAreServedAndAStoppedOneAnswers503() {
        SharedObject<JsonObject> registered = MemSync.builder("jaxrs-registered")
                .rendezvous(TestRendezvous.dir())
                .data("{\"reg\":1}")
                .timeout(Duration.ofSeconds(20))
                .serverWritable(true).serverToken(Http.TOKEN)
                .start();
        SharedObjectRegistry.register(registered);
        try {
            assertThat(Http.json(http.get("memsync/jaxrs-registered/reg").body()).toString()).isEqualTo("1");
            assertThat(Http.json(http.get("memsync").body()).asJsonArray().toString()).contains("jaxrs-registered");
            registered.stop();
            HttpResponse<String> r = http.patch("memsync/jaxrs-registered", "application/json", "{\"$inc\":{\"reg\":1}}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(Http.object(r).getString("code")).isEqualTo("ERR_STOPPED");
        } finally {
            SharedObjectRegistry.unregister(registered);
            registered.close();
        }
        assertThat(http.get("memsync/jaxrs-registered").statusCode()).isEqualTo(404);
    }

    @Test
    void aForeignHostOrOriginIsRefusedWithAProblemBody() throws Exception {
        int port = target.getUri().getPort();
        for (String[] h : new String[][] {{"Host", "evil.example:" + port}, {"Origin", "http://evil.example"},
                {"Sec-Fetch-Site", "cross-site"}}) {
            String host = h[0].equals("Host") ? h[1] : "localhost:" + port;
            String extra = h[0].equals("Host") ? "" : h[0] + ": " + h[1] + "\r\n";
            String answer = raw(port, "GET /doc HTTP/1.1\r\nHost: " + host + "\r\n" + extra + "Connection: close\r\n\r\n");
            assertThat(answer).as(h[0]).startsWith("HTTP/1.1 403").containsIgnoringCase("content-type: application/problem+json");
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            JsonObject problem = Http.json(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1)).asJsonObject();
            assertThat(problem.getString("code")).isEqualTo("ERR_FORBIDDEN");
            assertThat(problem.getInt("status")).isEqualTo(403);
            assertThat(problem.getString("type")).isEqualTo("urn:memsync:error:ERR_FORBIDDEN");
            assertThat(problem.getString("detail")).isNotBlank();
        }
        assertThat(raw(port, "GET /doc HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nOrigin: http://127.0.0.1:" + port
                + "\r\nConnection: close\r\n\r\n")).as("same origin").startsWith("HTTP/1.1 200");
    }

    @Test
    void writesNeedTheTokenAndAreOffUnlessEnabled() {
        Http anonymous = new Http(target.getUri().getPath().endsWith("/") ? target.getUri() : URI.create(target.getUri() + "/"), null);
        HttpResponse<String> noToken = anonymous.patch("doc", "application/json", "{\"$set\":{\"anon\":1}}");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(Http.object(noToken).getString("code")).isEqualTo("ERR_UNAUTHORIZED");
        HttpResponse<String> wrong = anonymous.patch("doc", "application/json", "{\"$set\":{\"anon\":1}}",
                "Authorization", "Bearer not-the-token-at-all");
        assertThat(Http.object(wrong).getString("code")).isEqualTo("ERR_UNAUTHORIZED");
        assertThat(http.get("doc/anon").statusCode()).isEqualTo(404);

        SharedObject<JsonObject> closed = MemSync.builder("jaxrs-closed").rendezvous(TestRendezvous.dir())
                .data("{\"c\":1}").timeout(Duration.ofSeconds(20)).start();
        SharedObjectRegistry.register(closed);
        try {
            HttpResponse<String> off = http.patch("memsync/jaxrs-closed", "application/json", "{\"$inc\":{\"c\":1}}");
            assertThat(off.statusCode()).isEqualTo(403);
            assertThat(Http.object(off).getString("code")).isEqualTo("ERR_FORBIDDEN");
            assertThat(Http.object(off).getString("detail")).contains("server.writable");
            assertThat(closed.data().getInt("c")).isEqualTo(1);
        } finally {
            SharedObjectRegistry.unregister(closed);
            closed.close();
        }
    }

    @Test
    void servesTheInspectorUnderTheResourcesPath() {
        HttpResponse<String> page = http.get("doc/_inspector");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(t -> assertThat(t).contains("default-src 'none'"));
        assertThat(page.body()).contains("memsync inspector", "_inspector/inspector.js");
        assertThat(http.get("memsync/" + OTHER + "/_inspector/inspector.js").body()).contains("EventSource");
        assertThat(http.get("doc/_inspector/nothing.js").statusCode()).isEqualTo(404);
        assertThat(Http.object(http.get("doc/_status")).getBoolean("writable")).isTrue();

        // the page's URL and the write token are published for `memsync inspect`, 0600 in the rendezvous folder
        java.nio.file.Path file = TestRendezvous.dir().resolve(DOC).resolve("http-" + ProcessHandle.current().pid() + "-jaxrs.json");
        assertThat(file).exists();
        JsonObject published = Http.json(readString(file)).asJsonObject();
        assertThat(published.getString("inspector")).endsWith("/doc/_inspector");
        assertThat(published.getString("token")).isEqualTo(Http.TOKEN);
    }

    @Test
    void recordsTheInspectorUrlsWhenTheServerStartsBeforeAnyRequest() {
        URI base = target.getUri();
        String origin = "http://127.0.0.1:" + base.getPort();
        String doc = StartupRecords.RECORDED.get(DOC);
        assertThat(doc).as("recorded for the one-object resource at startup").isNotNull();
        JsonObject d = Http.json(doc).asJsonObject();
        assertThat(d.getString("inspector")).isEqualTo(origin + "/doc/_inspector");
        assertThat(d.getString("token")).isEqualTo(Http.TOKEN);
        String other = StartupRecords.RECORDED.get(OTHER);
        assertThat(other).as("recorded for the by-name resource at startup").isNotNull();
        assertThat(Http.json(other).asJsonObject().getString("inspector")).isEqualTo(origin + "/memsync/" + OTHER + "/_inspector");
        // and the page is served there
        assertThat(http.get("memsync/" + OTHER + "/_inspector").statusCode()).isEqualTo(200);
    }

    private static String readString(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends a hand-written request (any Host) and reads one answer: headers, then its Content-Length or chunks. */
    private static String raw(int port, String request) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.io.InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            while (sb.indexOf("\r\n\r\n") < 0) {
                int c = in.read();
                if (c < 0) {
                    return sb.toString();
                }
                sb.append((char) c);
            }
            String head = sb.toString().toLowerCase(java.util.Locale.ROOT);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("content-length: *(\\d+)").matcher(head);
            if (m.find()) {
                sb.append(new String(in.readNBytes(Integer.parseInt(m.group(1))), java.nio.charset.StandardCharsets.UTF_8));
            } else {
                while (sb.lastIndexOf("\r\n0\r\n\r\n") < 0 && !sb.toString().endsWith("\r\n\r\n0\r\n\r\n")) {
                    int c = in.read();
                    if (c < 0) {
                        break;
                    }
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }

    private static void readEvents(Stream<String> lines, List<Map<String, String>> events) {
        Map<String, String> current = new HashMap<>();
        List<String> data = new ArrayList<>();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        current.put("data", String.join("\n", data));
                    }
                    if (!current.isEmpty()) {
                        events.add(Map.copyOf(current));
                    }
                    current.clear();
                    data.clear();
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("data")) {
                    data.add(value);
                } else {
                    current.put(field, value);
                }
            }
        } catch (RuntimeException closed) {
            // the test closed the stream
        }
    }
}
