package io.memsync.jaxrs;

import io.memsync.MemSyncException;
import io.memsync.Precondition;

import jakarta.ws.rs.core.EntityTag;

/** Entity tags are document versions: {@code ETag: "42"}; {@code If-Match: "42"} becomes a version precondition. */
final class ETags {
    private ETags() {
    }

    static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * The precondition an {@code If-Match} header asks for.
     *
     * @param ifMatch the header value, may be {@code null}
     * @return {@code null} for no header or {@code *} (the document always exists), else a version precondition
     * @throws jakarta.ws.rs.BadRequestException when the header is malformed or lists several tags
     * @throws MemSyncException {@code ERR_PRECONDITION} for a weak or non-numeric tag, which can never match
     */
    static Precondition precondition(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        String h = ifMatch.strip();
        if (h.equals("*")) {
            return null;
        }
        boolean weak = h.startsWith("W/");
        String quoted = weak ? h.substring(2) : h;
        if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.indexOf('"', 1) != quoted.length() - 1) {
            if (quoted.indexOf(',') >= 0) {
                throw Errors.badRequest("If-Match with several entity tags is not supported: " + ifMatch
                        + " (send the one version the update is based on, e.g. If-Match: \"42\")");
            }
            throw Errors.badRequest("If-Match is not an entity tag: " + ifMatch + " (expected e.g. If-Match: \"42\")");
        }
        String tag = quoted.substring(1, quoted.length() - 1);
        if (weak) {
            throw new MemSyncException(MemSyncException.ERR_PRECONDITION, "If-Match " + ifMatch
                    + " is a weak entity tag; versions are compared strongly (send If-Match: \"" + tag + "\")");
        }
        long version;
        try {
            version = Long.parseLong(tag);
        } catch (NumberFormatException e) {
            version = -1;
        }
        if (version < 0) {
            throw new MemSyncException(MemSyncException.ERR_PRECONDITION, "If-Match " + ifMatch
                    + " names no version of this document (entity tags are versions, e.g. \"42\")");
        }
        return Precondition.version(version);
    }
}
