package io.memsync;

import java.util.Objects;

import jakarta.json.JsonStructure;

/** An update given as JSON: operators, JSON Patch or merge patch. */
record RawUpdate(Update.Kind kind, JsonStructure json) implements Update {
    RawUpdate {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(json, "json");
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
