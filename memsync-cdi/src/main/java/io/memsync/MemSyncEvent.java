package io.memsync;

import java.util.Objects;

import io.memsync.internal.JsonMapping;

import jakarta.json.JsonValue;

/**
 * An event emitted on a shared object's event bus ({@link EventBus#emit}), as delivered to CDI observers
 * qualified with {@code @Shared("name")}.
 *
 * @param name    the shared object's name
 * @param event   the event name
 * @param payload the payload as JSON
 * @param local   whether this process emitted it
 */
public record MemSyncEvent(String name, String event, JsonValue payload, boolean local) {
    /** Validates the components. */
    public MemSyncEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * The payload mapped through JSON-B.
     *
     * @param type target type
     * @param <T>  the type
     * @return the payload, {@code null} for JSON null
     */
    public <T> T payload(Class<T> type) {
        return JsonMapping.fromJson(payload, type);
    }
}
