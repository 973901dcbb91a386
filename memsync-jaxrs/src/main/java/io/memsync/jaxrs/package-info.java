/**
 * JAX-RS resources over memsync shared objects, for MicroProfile (Helidon MP, …) and plain JAX-RS applications.
 *
 * <p>Nothing is exposed on its own: the application picks a path. One shared object, injected by the memsync CDI
 * extension:
 * <pre>{@code
 * @Path("/counter")
 * public class CounterResource extends SharedObjectResource {
 *     @Inject @Shared("counter") SharedObject<JsonObject> counter;
 *     @Override protected SharedObject<?> shared() { return counter; }
 * }
 * }</pre>
 * (Any bound type works; Jersey logs a harmless warning for a wildcard {@code SharedObject<?>} field.)
 * Or every shared object by name under {@code /memsync/{name}} (each name the application injects anywhere with
 * {@code @Shared("name")}, plus those given to {@link io.memsync.jaxrs.SharedObjectRegistry#register}):
 * <pre>{@code
 * @Path("/memsync")
 * public class MemSyncApi extends SharedObjectsResource {
 * }
 * }</pre>
 * Without CDI, return {@code new SharedObjectResource(shared)} from a sub-resource locator (or register the objects
 * and a {@code SharedObjectsResource} subclass) and register {@link io.memsync.jaxrs.MemSyncExceptionMapper} with
 * the application; in a CDI application the mapper is discovered (this jar is a bean archive, the mapper its only
 * bean).
 *
 * <p>Endpoints (see {@link io.memsync.jaxrs.SharedObjectResource}): {@code GET} the document with
 * {@code ETag: "<version>"}; {@code GET /{dotted.path}}; {@code PATCH}/{@code POST} with update operators
 * ({@code application/json}), RFC 6902 ({@code application/json-patch+json}) or RFC 7396
 * ({@code application/merge-patch+json}), conditional on {@code If-Match: "<version>"}; {@code GET /_status};
 * {@code GET /_changes} as Server-Sent Events. Errors answer {@code {"code","message"}} with the status
 * {@link io.memsync.jaxrs.MemSyncExceptionMapper} gives each {@code MemSyncException} code.
 *
 * <p>{@link io.memsync.jaxrs.MemSyncRequestFilter} guards these resources: requests with a foreign {@code Host} or
 * {@code Origin} are refused, writes only pass with {@code memsync.<name>.server.writable=true} and the write token.
 * Reads need no token: put the resources behind the application's authentication where the document is not for
 * every local process to read. {@code GET /_inspector} serves the web inspector; its URL is recorded for
 * {@code memsync inspect} at startup where the runtime tells the port (Helidon MP, see
 * {@code InspectorAddresses}), else at the page's first request.
 */
package io.memsync.jaxrs;
