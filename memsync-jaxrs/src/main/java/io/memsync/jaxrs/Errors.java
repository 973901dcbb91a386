package io.memsync.jaxrs;

import io.memsync.MemSyncException;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** JSON error bodies: {@code {"code":"…","message":"…"}}. */
final class Errors {
    /** Code of a 404 for an absent path or an unknown shared object (not a {@link MemSyncException} code). */
    static final String NOT_FOUND = "NOT_FOUND";
    /** Code of a 400 for a malformed request header (not a {@link MemSyncException} code). */
    static final String BAD_REQUEST = "BAD_REQUEST";

    private Errors() {
    }

    static Response response(int status, String code, String message, long version) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("code", code).add("message", message);
        if (version >= 0) {
            body.add("version", version);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body.build().toString()).build();
    }

    static NotFoundException notFound(String message) {
        return new NotFoundException(message, response(404, NOT_FOUND, message, -1));
    }

    static BadRequestException badRequest(String message) {
        return new BadRequestException(message, response(400, BAD_REQUEST, message, -1));
    }
}
