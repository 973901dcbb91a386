package io.memsync.jaxrs;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.memsync.MemSyncException;
import io.memsync.PatchResult;
import io.memsync.Precondition;
import io.memsync.SharedObject;
import io.memsync.Status;
import io.memsync.Update;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * JAX-RS resource methods over one {@link SharedObject}: read it whole or by path, patch it, read its status, and
 * stream its changes.
 *
 * <p>The class carries no {@code @Path}, so nothing is exposed until the application asks for it. Either subclass
 * it under a path of your choice and hand it the shared object (see the {@linkplain io.memsync.jaxrs package
 * documentation}), or return an instance from a sub-resource locator, as {@link SharedObjectsResource} does.
 * Relative to where it is mounted:
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>{@code GET /}</td><td>the document, {@code ETag: "<version>"}; {@code If-None-Match} gives 304</td></tr>
 *   <tr><td>{@code GET /{path}}</td><td>the JSON value at a dotted path ({@code a.b.0}, or {@code a/b/0}), 404 when
 *       absent, 400 when malformed</td></tr>
 *   <tr><td>{@code PATCH /} or {@code POST /}</td><td>applies the body: {@code application/json} (an object of update
 *       operators such as {@code {"$set":{"a":1}}}, or an array = JSON Patch), {@code application/json-patch+json}
 *       (RFC 6902) or {@code application/merge-patch+json} (RFC 7396); {@code If-Match: "<version>"} makes it
 *       conditional (412 when the document moved on). Answers {@code {"term","version","effect"}} and the new
 *       {@code ETag} once the host has ordered the update</td></tr>
 *   <tr><td>{@code GET /_status}</td><td>{@code {"name","role","term","version","peerId","peers","pending"}}</td></tr>
 *   <tr><td>{@code GET /_inspector}</td><td>the web inspector page (live tree, peers, changes, patch box)</td></tr>
 *   <tr><td>{@code GET /_changes}</td><td>Server-Sent Events: one {@code snapshot} event (version, term, document),
 *       then one {@code change} event per change (id = version; data: version, term, state, origin, effect, and the
 *       whole document with {@code ?document=true})</td></tr>
 * </table>
 *
 * <p>Errors are {@link MemSyncException}s answered by {@link MemSyncExceptionMapper}; 404s and malformed headers
 * get the same {@code {"code","message"}} body. A top-level member named {@code _status} or {@code _changes} cannot
 * be read by path (read the whole document instead).
 *
 * <p>An {@code ETag} is the confirmed version the returned data is at; in a process with writes of its own still
 * pending the data already shows them, so a conditional write based on it may get a 412 it could have avoided, but
 * never overwrites a change it has not seen.
 */
public class SharedObjectResource {
    /** The RFC 6902 JSON Patch media type. */
    public static final String JSON_PATCH = "application/json-patch+json";
    /** The RFC 7396 JSON merge patch media type. */
    public static final String MERGE_PATCH = "application/merge-patch+json";

    private static final CacheControl REVALIDATE = CacheControl.valueOf("no-cache");

    private final SharedObject<?> shared;

    /**
     * For subclasses that override {@link #shared()} (e.g. to return an injected field).
     */
    protected SharedObjectResource() {
        this.shared = null;
    }

    /**
     * A resource over a shared object.
     *
     * @param shared the shared object
     */
    public SharedObjectResource(SharedObject<?> shared) {
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    /**
     * The shared object this resource serves. Subclasses that used the no-argument constructor override it.
     *
     * @return the shared object
     */
    protected SharedObject<?> shared() {
        if (shared == null) {
            throw new IllegalStateException(getClass().getName()
                    + " must override shared() or pass the SharedObject to the SharedObjectResource constructor");
        }
        return shared;
    }

    /**
     * {@code GET}: the whole document.
     *
     * @param request the request, for {@code If-None-Match}/{@code If-Match}
     * @return 200 with the document and its {@code ETag}, or 304/412 when the request's preconditions say so
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response document(@Context Request request) {
        Snapshot s = Snapshot.of(shared());
        return answer(request, s.version(), s.document());
    }

    /**
     * {@code GET /{path}}: the value at a dotted path.
     *
     * @param path    a dotted path ({@code a.b.0}); slashes may stand for the dots ({@code a/b/0})
     * @param request the request, for {@code If-None-Match}/{@code If-Match}
     * @return 200 with the JSON value (which may be {@code null}) and the document's {@code ETag}
     * @throws MemSyncException                {@code ERR_INVALID_PATCH} (400) when the path is malformed
     * @throws jakarta.ws.rs.NotFoundException (404) when nothing is at the path
     */
    @GET
    @Path("{path: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response read(@PathParam("path") String path, @Context Request request) {
        SharedObject<?> so = shared();
        String dotted = path.replace('/', '.');
        so.read(dotted, JsonValue.class); // checks the syntax the way the engine does (ERR_INVALID_PATCH)
        Snapshot s = Snapshot.of(so);
        JsonValue value = s.at(dotted);
        if (value == null) {
            throw Errors.notFound("nothing at path '" + dotted + "' in shared object '" + so.name() + "'");
        }
        return answer(request, s.version(), value);
    }

    private static Response answer(Request request, long version, JsonValue body) {
        EntityTag tag = ETags.of(version);
        Response.ResponseBuilder unmodified = request.evaluatePreconditions(tag);
        if (unmodified != null) {
            return unmodified.tag(tag).cacheControl(REVALIDATE).build();
        }
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON_TYPE).tag(tag).cacheControl(REVALIDATE).build();
    }

    /**
     * {@code GET /_inspector}: the web inspector, a page showing the document as a live tree, the peers, the changes,
     * and (when {@code memsync.<name>.server.writable} is on) a patch box. It talks to this resource only.
     *
     * @return the page
     */
    @GET
    @Path("_inspector")
    @Produces(MediaType.TEXT_HTML)
    public Response inspector() {
        return inspectorFile("index.html");
    }

    /**
     * {@code GET /_inspector/{file}}: the inspector's script and style sheet.
     *
     * @param file {@code inspector.js} or {@code inspector.css}
     * @return the file, 404 for any other name
     */
    @GET
    @Path("_inspector/{file}")
    public Response inspectorFile(@PathParam("file") String file) {
        byte[] bytes = io.memsync.internal.HttpAccess.inspectorFile(file);
        if (bytes == null) {
            throw Errors.notFound("no inspector file '" + file + "'");
        }
        return Response.ok(bytes, io.memsync.internal.HttpAccess.inspectorType(file))
                .header("Content-Security-Policy", io.memsync.internal.HttpAccess.INSPECTOR_POLICY)
                .header("X-Frame-Options", "DENY").header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff").cacheControl(CacheControl.valueOf("no-store")).build();
    }

    /**
     * {@code GET /_status}: the replication status of this process.
     *
     * @return {@code {"name","role","term","version","peerId","peers":[{"peerId","host"[,"pending"]}],"pending"}}, a
     *         peer's {@code pending} as in {@link Status.Peer#pending()} (left out while unknown)
     */
    @GET
    @Path("_status")
    @Produces(MediaType.APPLICATION_JSON)
    public Response status() {
        Status s = shared().status();
        JsonArrayBuilder peers = Json.createArrayBuilder();
        s.peers().forEach(p -> {
            var b = Json.createObjectBuilder().add("peerId", p.peerId()).add("host", p.host());
            peers.add(p.pending() >= 0 ? b.add("pending", p.pending()) : b);
        });
        String body = Json.createObjectBuilder()
                .add("name", s.name())
                .add("role", s.role().name())
                .add("term", s.term())
                .add("version", s.version())
                .add("peerId", s.peerId() == null ? "" : s.peerId())
                .add("peers", peers)
                .add("pending", s.pending())
                .add("writable", io.memsync.internal.HttpAccess.settings(shared()).writable())
                .build().toString();
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).cacheControl(CacheControl.valueOf("no-store")).build();
    }

    /**
     * {@code GET /_changes}: the changes as Server-Sent Events (see the class documentation).
     *
     * @param sink         the event sink
     * @param sse          the event factory
     * @param withDocument whether each {@code change} event carries the whole new document
     */
    @GET
    @Path("_changes")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void changes(@Context SseEventSink sink, @Context Sse sse,
                        @QueryParam("document") @DefaultValue("false") boolean withDocument) {
        ChangeStream.open(shared(), sink, sse, withDocument);
    }

    /**
     * {@code PATCH} with {@code application/json}: update operators (object) or a JSON Patch (array).
     *
     * @param body     the update
     * @param ifMatch  {@code "<version>"} to apply only at that version
     * @param response completed with {@code {"term","version","effect"}} or an error
     */
    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public void patch(String body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Suspended AsyncResponse response) {
        apply(() -> Update.of(body), ifMatch, response);
    }

    /**
     * {@code POST} with {@code application/json}: as {@link #patch(String, String, AsyncResponse)}, for clients
     * without {@code PATCH}.
     *
     * @param body     the update
     * @param ifMatch  {@code "<version>"} to apply only at that version
     * @param response completed with {@code {"term","version","effect"}} or an error
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public void post(String body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Suspended AsyncResponse response) {
        apply(() -> Update.of(body), ifMatch, response);
    }

    /**
     * {@code PATCH} with {@code application/json-patch+json}: an RFC 6902 JSON Patch.
     *
     * @param body     the patch (a JSON array)
     * @param ifMatch  {@code "<version>"} to apply only at that version
     * @param response completed with {@code {"term","version","effect"}} or an error
     */
    @PATCH
    @Consumes(JSON_PATCH)
    @Produces(MediaType.APPLICATION_JSON)
    public void jsonPatch(String body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                          @Suspended AsyncResponse response) {
        apply(() -> Update.jsonPatch(body), ifMatch, response);
    }

    /**
     * {@code POST} with {@code application/json-patch+json}.
     *
     * @param body     the patch (a JSON array)
     * @param ifMatch  {@code "<version>"} to apply only at that version
     * @param response completed with {@code {"term","version","effect"}} or an error
     */
    @POST
    @Consumes(JSON_PATCH)
    @Produces(MediaType.APPLICATION_JSON)
    public void postJsonPatch(String body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                              @Suspended AsyncResponse response) {
        apply(() -> Update.jsonPatch(body), ifMatch, response);
    }

    /**
     * {@code PATCH} with {@code application/merge-patch+json}: an RFC 7396 JSON merge patch.
     *
     * @param body     the merge patch (a JSON object)
     * @param ifMatch  {@code "<version>"} to apply only at that version
     * @param response completed with {@code {"term","version","effect"}} or an error
     */
    @PATCH
    @Consumes(MERGE_PATCH)
    @Produces(MediaType.APPLICATION_JSON)
    public void mergePatch(String body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @Suspended AsyncResponse response) {
        apply(() -> Update.mergePatch(body), ifMatch, response);
    }

    /**
     * {@code POST} with {@code application/merge-patch+json}.
     *
     * @param body     the merge patch (a JSON object)
     * @param ifMatch  {@code "<version>"} to apply only at that version
     * @param response completed with {@code {"term","version","effect"}} or an error
     */
    @POST
    @Consumes(MERGE_PATCH)
    @Produces(MediaType.APPLICATION_JSON)
    public void postMergePatch(String body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                               @Suspended AsyncResponse response) {
        apply(() -> Update.mergePatch(body), ifMatch, response);
    }

    private void apply(Supplier<Update> parse, String ifMatch, AsyncResponse response) {
        CompletionStage<PatchResult> stage;
        try {
            Precondition precondition = ETags.precondition(ifMatch);
            Update update = parse.get();
            SharedObject<?> so = shared();
            stage = precondition == null ? so.patch(update) : so.patch(update, precondition);
        } catch (RuntimeException e) {
            response.resume(e);
            return;
        }
        stage.whenComplete((result, failure) -> {
            if (failure == null) {
                response.resume(patched(result));
            } else {
                response.resume(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
        });
    }

    private static Response patched(PatchResult r) {
        String body = Json.createObjectBuilder()
                .add("term", r.term())
                .add("version", r.version())
                .add("effect", r.effect())
                .build().toString();
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).tag(ETags.of(r.version())).build();
    }
}
