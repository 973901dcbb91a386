package io.memsync;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import jakarta.json.JsonObject;

/**
 * Every operation of a {@link SharedObject} that does not depend on its bound type: the document, patches,
 * observers, RPC, events and lifecycle.
 *
 * <p>Applications use {@link SharedObject}, with or without a type argument; this interface exists so that the
 * raw form the CDI card writes, {@code @Inject @Shared("foo") SharedObject foo;}, keeps every generic signature:
 * Java erases the members a raw type declares itself, not those it inherits from a non-generic interface, so
 * {@code foo.call("getFoo", String.class)} is a {@code CompletionStage<String>} and {@code foo.observe("x", c -> …)}
 * hands the listener a {@link MemSyncChange} whether {@code foo} is raw or not. Only {@link SharedObject#value()}
 * depends on the type argument.
 *
 * <p>Obtain one with {@link MemSync#builder(String)} or inject {@code @Shared("name") SharedObject}. Reads are
 * local and never see a half-applied change. Patches apply to this process's view at once and complete when the
 * host has ordered them. Every method is thread-safe; patches from one process apply in call order.
 */
public interface SharedDocument extends AutoCloseable {

    /**
     * The shared object's name.
     *
     * @return the name
     */
    String name();

    /**
     * The current document as this process sees it: confirmed changes plus its own pending ones.
     *
     * @return an immutable snapshot
     */
    JsonObject data();

    /**
     * Reads the value at a dotted path ({@code "a.b.0.c"}; {@code ""} for the whole document) through JSON-B.
     *
     * @param path dotted path
     * @param type target type: boxed scalars, {@code String}, records, POJOs, JSON-P types
     * @param <V>  the type
     * @return the value, or {@code null} when the path is absent or JSON null
     * @throws MemSyncException {@link MemSyncException#ERR_INVALID_PATCH} when the path is malformed
     */
    <V> V read(String path, Class<V> type);

    /**
     * Reads the value at a dotted path into a generic type.
     *
     * @param path dotted path
     * @param type target type, e.g. a {@code ParameterizedType} for {@code List<Item>}
     * @param <V>  the type
     * @return the value, or {@code null} when absent
     */
    <V> V read(String path, Type type);

    /**
     * Applies an update given as JSON: an object of MongoDB update operators, or an array (RFC 6902 JSON Patch).
     *
     * @param update the update text
     * @return completes when the host has ordered the update; fails with {@link MemSyncException} (codes
     *         {@code ERR_INVALID_PATCH}, {@code ERR_STALE_PATCH}, {@code ERR_PRECONDITION}, {@code ERR_READ_ONLY},
     *         {@code ERR_STOPPED}, or {@code ERR_TIMEOUT}, which means the outcome is unknown: the update stays
     *         queued and may still apply)
     */
    CompletionStage<PatchResult> patch(String update);

    /**
     * Applies a MongoDB update document.
     *
     * @param update e.g. {@code {"$set":{"foo":2}}}
     * @return see {@link #patch(String)}
     */
    CompletionStage<PatchResult> patch(JsonObject update);

    /**
     * Applies an update.
     *
     * @param update the update (see {@link Update})
     * @return see {@link #patch(String)}
     */
    CompletionStage<PatchResult> patch(Update update);

    /**
     * Applies an update when a precondition holds at the host, else fails with
     * {@link MemSyncException#ERR_PRECONDITION} carrying the current version.
     *
     * @param update       the update
     * @param precondition the condition
     * @return see {@link #patch(String)}
     */
    CompletionStage<PatchResult> patch(Update update, Precondition precondition);

    /**
     * Observes a dotted path. The listener runs after every visible change whose effect touches the path, one of
     * its parents or one of its children, with the new value at the path; calls for one shared object are never
     * concurrent and follow change order. A listener that throws is logged and does not disturb others.
     *
     * @param path     dotted path, {@code ""} for the whole document
     * @param listener receives each change
     * @return closes the observation
     */
    Subscription observe(String path, Consumer<MemSyncChange> listener);

    /**
     * Observes a dotted path, receiving the new value mapped through JSON-B ({@code null} when absent).
     *
     * @param path     dotted path
     * @param type     target type
     * @param listener receives each new value
     * @param <V>      the type
     * @return closes the observation
     */
    <V> Subscription observe(String path, Class<V> type, Consumer<V> listener);

    /**
     * Calls an RPC method registered by this or another process (own process first, then the host, then any peer).
     *
     * @param method     the RPC name
     * @param resultType the result's type (JSON-B)
     * @param args       arguments (JSON-B)
     * @param <R>        the result type
     * @return the result; fails with {@code ERR_RPC_NOT_FOUND}, {@code ERR_RPC_FAILED}, {@code ERR_RPC_PEER_GONE},
     *         {@code ERR_TIMEOUT}, or {@code ERR_TOO_LARGE} (at once when the call, else when the result, would not fit
     *         in a frame)
     */
    <R> CompletionStage<R> call(String method, Class<R> resultType, Object... args);

    /**
     * Calls an RPC method with a generic result type.
     *
     * @param method     the RPC name
     * @param resultType the result's type, e.g. a {@code ParameterizedType}
     * @param args       arguments
     * @param <R>        the result type
     * @return the result, see {@link #call(String, Class, Object...)}
     */
    <R> CompletionStage<R> call(String method, Type resultType, Object... args);

    /**
     * The network's event bus.
     *
     * @return the bus
     */
    EventBus events();

    /**
     * The replication state: role, term, version, peers.
     *
     * @return a snapshot
     */
    Status status();

    /**
     * Writes a snapshot of the document to the store now (the {@code file}/{@code storage} option), after making
     * every entry logged so far durable; the restart of a network then loads it without replaying the log. Only
     * the host writes the store: on a client, or without persistence, the stage fails with
     * {@link MemSyncException#ERR_CONFIG}; when the store fails, with {@link MemSyncException#ERR_IO}.
     *
     * @return completes once the snapshot is written
     */
    default CompletionStage<Void> flush() {
        return java.util.concurrent.CompletableFuture.failedFuture(new MemSyncException(MemSyncException.ERR_CONFIG,
                "flush() is not supported by " + getClass().getName()));
    }

    /**
     * Measures the round trip to the host (on the host: the slowest round trip to its clients, zero when alone).
     *
     * @return the round-trip time
     */
    CompletionStage<Duration> ping();

    /**
     * Whether a network for this name is alive with other processes in it. On a started object: whether another
     * process is connected; on a stopped one: whether some process hosts the name.
     *
     * @return {@code true} when another process is connected (or, stopped, when a host is alive)
     */
    boolean hasPeers();

    /**
     * The same shared object with {@link SharedObject#value()} mapped to another type; everything else (document, patches,
     * observers, lifecycle) is shared with this object.
     *
     * @param type the record or POJO type of the document ({@code JsonObject} for raw JSON)
     * @param <U>  the type
     * @return a view of this shared object
     */
    <U> SharedObject<U> as(Class<U> type);

    /**
     * Starts again after {@link #stop()}, joining or creating the network. Starting a started object does nothing.
     *
     * @throws MemSyncException e.g. {@link MemSyncException#ERR_MAX_WRITERS}
     */
    void start();

    /**
     * Leaves the network: a client leaves; a host hands over to a client with nothing lost. Pending operations
     * fail with {@link MemSyncException#ERR_STOPPED}. Idempotent.
     */
    void stop();

    /** Same as {@link #stop()}. */
    @Override
    void close();
}
