package io.memsync.document;

import jakarta.json.JsonValue;

/** What happens at the end of a path: old value (null when absent) to new value (null to remove). */
@FunctionalInterface
interface Leaf {
    JsonValue apply(JsonValue old);
}
