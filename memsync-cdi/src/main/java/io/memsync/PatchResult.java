package io.memsync;

import java.util.Objects;

import jakarta.json.JsonArray;

/**
 * The outcome of an applied patch.
 *
 * @param term    the host term that ordered it
 * @param version the document version it produced
 * @param effect  what it changed, as an RFC 6902 JSON Patch (empty when it changed nothing)
 */
public record PatchResult(long term, long version, JsonArray effect) {
    /** Validates the components. */
    public PatchResult {
        Objects.requireNonNull(effect, "effect");
    }
}
