package io.memsync;

import java.util.function.Consumer;

/**
 * The event bus of one shared object's network.
 *
 * <p>{@link #emit} delivers to every process of the network, the emitting one included, in emit order per
 * emitter. Events are fire-and-forget and carry no history: a process that joins later does not receive past
 * events, and an event emitted while no host is reachable may be lost.
 */
public interface EventBus {
    /**
     * Emits an event to every process, this one included.
     *
     * @param event   the event name, not empty
     * @param payload the payload: JSON-P value, scalar, record or POJO (through JSON-B), or {@code null}
     * @throws MemSyncException {@link MemSyncException#ERR_STOPPED} when the shared object is stopped;
     *         {@link MemSyncException#ERR_TOO_LARGE} when the event would not fit in a frame (see README "Limits")
     */
    void emit(String event, Object payload);

    /**
     * Listens to an event. The listener runs off the network threads, one event at a time per listener order.
     *
     * @param event    the event name
     * @param type     the payload's Java type (JSON-B mapping; {@code jakarta.json.JsonValue} for raw JSON)
     * @param listener receives each payload
     * @param <T>      the payload type
     * @return closes the registration
     */
    <T> Subscription on(String event, Class<T> type, Consumer<T> listener);

    /**
     * Listens to every event, whatever its name (the CDI extension uses this to fire {@link MemSyncEvent}s).
     *
     * @param listener receives each event
     * @return closes the registration
     */
    Subscription onAny(Consumer<MemSyncEvent> listener);
}
