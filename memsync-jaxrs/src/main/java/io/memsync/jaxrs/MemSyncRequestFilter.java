package io.memsync.jaxrs;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.memsync.MemSyncException;
import io.memsync.SharedObject;
import io.memsync.internal.HttpAccess;
import io.memsync.internal.HttpGuard;
import io.memsync.internal.HttpSettings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * The HTTP safety rules for the memsync resources ({@link SharedObjectResource} and what {@link SharedObjectsResource}
 * returns); other resources of the application are left alone. A request is refused with 403 and an RFC 9457 problem
 * body ({@code application/problem+json}, with {@code code}) when:
 * <ul>
 *   <li>its {@code Host} is not {@code localhost}, {@code 127.0.0.1} or {@code [::1]} (any port) or one of the shared
 *       object's {@code memsync.<name>.server.allowed-hosts} (DNS rebinding) — {@code ERR_FORBIDDEN};</li>
 *   <li>it carries an {@code Origin} other than its own {@code scheme://Host} or one of
 *       {@code memsync.<name>.server.allowed-origins}, or {@code Sec-Fetch-Site: cross-site} — {@code ERR_FORBIDDEN};</li>
 *   <li>it writes ({@code PATCH}, {@code POST}) while {@code memsync.<name>.server.writable} is not {@code true} —
 *       {@code ERR_FORBIDDEN};</li>
 *   <li>it writes without {@code Authorization: Bearer <token>}: {@code memsync.<name>.server.token}, or the token
 *       generated for the process, published in the rendezvous folder ({@code memsync inspect <name>}) —
 *       {@code ERR_UNAUTHORIZED}.</li>
 * </ul>
 * In a CDI application (Helidon MP, …) it is discovered like the exception mapper; a plain JAX-RS application
 * registers it next to its resources.
 */
@Provider
@ApplicationScoped
public class MemSyncRequestFilter implements ContainerRequestFilter {
    private static final Set<String> WRITES = Set.of("PATCH", "POST", "PUT", "DELETE");
    private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

    /** Creates the filter (JAX-RS and CDI instantiate it). */
    public MemSyncRequestFilter() {
    }

    @Override
    public void filter(ContainerRequestContext request) {
        SharedObjectResource resource = null;
        for (Object r : request.getUriInfo().getMatchedResources()) {
            if (r instanceof SharedObjectResource s) {
                resource = s;
                break;
            }
        }
        if (resource == null) {
            return;
        }
        SharedObject<?> shared = resource.shared();
        HttpSettings settings = HttpAccess.settings(shared);
        String host = request.getHeaderString(HttpHeaders.HOST);
        List<String> hosts = new ArrayList<>(LOOPBACK);
        hosts.addAll(settings.allowedHosts());
        List<String> origins = new ArrayList<>(settings.allowedOrigins());
        URI uri = request.getUriInfo().getRequestUri();
        if (host != null) {
            origins.add(uri.getScheme() + "://" + host);
        }
        String token = HttpAccess.token(shared);
        HttpGuard guard = new HttpGuard(hosts, origins, token == null ? "" : token);
        String refusal = guard.refusal(host, request.getHeaderString("Origin"), request.getHeaderString("Sec-Fetch-Site"));
        if (refusal != null) {
            request.abortWith(problem(MemSyncException.ERR_FORBIDDEN, refusal));
            return;
        }
        if (WRITES.contains(request.getMethod())) {
            if (!settings.writable()) {
                request.abortWith(problem(MemSyncException.ERR_FORBIDDEN, "writing '" + shared.name()
                        + "' over HTTP is off (enable it with memsync." + shared.name() + ".server.writable=true)"));
            } else if (!guard.authorized(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
                request.abortWith(problem(MemSyncException.ERR_UNAUTHORIZED, "a write needs 'Authorization: Bearer <token>'"
                        + " (memsync." + shared.name() + ".server.token, or the process's own: memsync inspect " + shared.name() + ")"));
            }
            return;
        }
        if (uri.getPath().endsWith("/_inspector")) {
            HttpAccess.publish(shared, "jaxrs", URI.create(uri.getScheme() + "://" + host + uri.getRawPath()).toString());
        }
    }

    private static Response problem(String code, String detail) {
        return Response.status(403).type(HttpGuard.PROBLEM_JSON)
                .entity(HttpGuard.problem(403, code, detail, -1).toString()).build();
    }
}
