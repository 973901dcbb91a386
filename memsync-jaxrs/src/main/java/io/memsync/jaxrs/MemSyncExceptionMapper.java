package io.memsync.jaxrs;

import io.memsync.MemSyncException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers a {@link MemSyncException} with the HTTP status its {@link MemSyncException#code() code} stands for and a
 * JSON body {@code {"code":"ERR_…","message":"…"}} (plus {@code "version"} when the exception knows the document's
 * current version; a 412 then also carries that version as its {@code ETag}).
 *
 * <table>
 *   <caption>Status per code</caption>
 *   <tr><th>code</th><th>status</th></tr>
 *   <tr><td>{@code ERR_INVALID_PATCH}</td><td>400 Bad Request</td></tr>
 *   <tr><td>{@code ERR_READ_ONLY}</td><td>403 Forbidden</td></tr>
 *   <tr><td>{@code ERR_STALE_PATCH}</td><td>409 Conflict</td></tr>
 *   <tr><td>{@code ERR_PRECONDITION}</td><td>412 Precondition Failed</td></tr>
 *   <tr><td>{@code ERR_TOO_LARGE}</td><td>413 Content Too Large</td></tr>
 *   <tr><td>{@code ERR_STOPPED}</td><td>503 Service Unavailable</td></tr>
 *   <tr><td>{@code ERR_TIMEOUT}</td><td>504 Gateway Timeout (the update may still apply)</td></tr>
 *   <tr><td>any other</td><td>500 Internal Server Error</td></tr>
 * </table>
 *
 * <p>In a MicroProfile (CDI) application it is found on its own: the jar is a bean archive in which this is the
 * only bean. A plain Jersey/JAX-RS application registers it next to its resources.
 */
@Provider
@ApplicationScoped
public class MemSyncExceptionMapper implements ExceptionMapper<MemSyncException> {

    /** Creates the mapper (JAX-RS and CDI instantiate it). */
    public MemSyncExceptionMapper() {
    }

    /**
     * The HTTP status for an error code.
     *
     * @param code a {@link MemSyncException} code
     * @return the status code
     */
    public static int status(String code) {
        return switch (code == null ? "" : code) {
            case MemSyncException.ERR_INVALID_PATCH -> 400;
            case MemSyncException.ERR_READ_ONLY -> 403;
            case MemSyncException.ERR_STALE_PATCH -> 409;
            case MemSyncException.ERR_PRECONDITION -> 412;
            case MemSyncException.ERR_TOO_LARGE -> 413;
            case MemSyncException.ERR_STOPPED -> 503;
            case MemSyncException.ERR_TIMEOUT -> 504;
            default -> 500;
        };
    }

    @Override
    public Response toResponse(MemSyncException exception) {
        int status = status(exception.code());
        Response r = Errors.response(status, exception.code(), exception.detail(), exception.version());
        if (status == 412 && exception.version() >= 0) {
            return Response.fromResponse(r).tag(ETags.of(exception.version())).build();
        }
        return r;
    }
}
