package io.memsync.internal;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import io.memsync.EventBus;
import io.memsync.MemSyncChange;
import io.memsync.MemSyncEvent;
import io.memsync.MemSyncException;
import io.memsync.PatchResult;
import io.memsync.PeerRole;
import io.memsync.Precondition;
import io.memsync.RpcHandler;
import io.memsync.SharedObject;
import io.memsync.Status;
import io.memsync.Subscription;
import io.memsync.Update;
import io.memsync.document.Paths;
import io.memsync.replication.Replica;
import io.memsync.replication.ReplicaListener;
import io.memsync.replication.ReplicaStatus;
import io.memsync.replication.ViewChange;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The {@link SharedObject} of the public API: runs a {@link Replica} that {@link EngineWiring} assembles, and
 * connects it to the user's observers, event listeners and RPC handlers (one observer thread per started object).
 */
final class SharedObjectImpl<T> implements SharedObject<T> {
    private static final System.Logger LOG = System.getLogger(SharedObject.class.getName());

    private final EngineWiring wiring;
    private final SharedObjectOptions options;
    private final Class<T> type;
    private final List<Observer> observers = new CopyOnWriteArrayList<>();
    private final Map<String, List<EventListener<?>>> eventListeners = new ConcurrentHashMap<>();
    private final EventBus events = new Bus();
    private final List<Consumer<MemSyncEvent>> anyEventListeners = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private volatile Replica replica;
    private volatile ExecutorService dispatcher;
    private volatile DocumentServer server;
    private volatile String httpToken;
    private final java.util.Set<java.nio.file.Path> endpointFiles = java.util.concurrent.ConcurrentHashMap.newKeySet();

    SharedObjectImpl(EngineWiring wiring, Class<T> type) {
        this.wiring = wiring;
        this.options = wiring.options();
        this.type = type;
    }

    private record Observer(String path, Consumer<MemSyncChange> listener) {
    }

    private record EventListener<E>(Class<E> type, Consumer<E> listener) {
        void deliver(JsonValue payload) {
            listener.accept(JsonMapping.fromJson(payload, type));
        }
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (replica != null) {
                return;
            }
            ExecutorService d = Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().daemon().name("memsync-" + options.name() + "-observers").factory());
            Replica r = wiring.replica(options.data(), new Listener(d));
            dispatcher = d;
            try {
                r.start();
            } catch (RuntimeException e) {
                d.shutdown();
                dispatcher = null;
                throw e;
            }
            replica = r;
            wiring.started(r);
            if (options.serverPort() >= 0) {
                try {
                    server = wiring.documentServer(this);
                } catch (RuntimeException e) {
                    replica = null;
                    r.stop();
                    d.shutdown();
                    throw e;
                }
            }
        }
    }

    /** The HTTP port of the {@code server(port)} option, or -1. */
    int serverPort() {
        DocumentServer s = server;
        return s == null ? -1 : s.port();
    }

    /** The write token of the HTTP front ends: the configured one, or one generated once for this object. */
    String serverToken() {
        return httpToken();
    }

    /** The engine wiring of this object. */
    EngineWiring wiring() {
        return wiring;
    }

    /** The HTTP safety settings. */
    HttpSettings httpSettings() {
        return options.http();
    }

    /** The write token of the HTTP front ends: the configured one, or one generated once for this object. */
    String httpToken() {
        String t = httpToken;
        if (t == null) {
            synchronized (lifecycle) {
                if (httpToken == null) {
                    httpToken = options.http().token() != null ? options.http().token() : HttpGuard.newToken();
                }
                t = httpToken;
            }
        }
        return t;
    }

    /** Writes an endpoint file for {@code memsync inspect}; it is removed at stop. */
    void publishEndpoint(String key, String url, String inspector) {
        java.nio.file.Path f = EndpointFiles.publish(wiring, key, url, inspector, options.http().writable() ? httpToken() : null);
        if (f != null) {
            endpointFiles.add(f);
        }
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            Replica r = replica;
            if (r == null) {
                return;
            }
            replica = null;
            try {
                DocumentServer s = server;
                server = null;
                if (s != null) {
                    s.close();
                }
                endpointFiles.removeIf(f -> {
                    EndpointFiles.remove(f);
                    return true;
                });
                r.stop();
            } finally {
                ExecutorService d = dispatcher;
                dispatcher = null;
                if (d != null) {
                    d.shutdown();
                }
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private Replica replica() {
        Replica r = replica;
        if (r == null) {
            throw new MemSyncException(MemSyncException.ERR_STOPPED, "shared object '" + options.name() + "' is stopped");
        }
        return r;
    }

    @Override
    public JsonObject data() {
        return replica().view();
    }

    @Override
    public T value() {
        return JsonMapping.fromJson(data(), type);
    }

    @Override
    public <U> SharedObject<U> as(Class<U> other) {
        Objects.requireNonNull(other, "type");
        return new TypedView<>(this, other);
    }

    @Override
    public <V> V read(String path, Class<V> target) {
        return read(path, (Type) target);
    }

    @Override
    public <V> V read(String path, Type target) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(target, "type");
        JsonObject doc = data();
        if (!path.isEmpty()) {
            Paths.validate(path);
        }
        return JsonMapping.fromJson(Paths.get(doc, path), target);
    }

    @Override
    public CompletionStage<PatchResult> patch(String update) {
        try {
            return patch(Update.of(update));
        } catch (MemSyncException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<PatchResult> patch(JsonObject update) {
        return patch(Update.of(Objects.requireNonNull(update, "update")));
    }

    @Override
    public CompletionStage<PatchResult> patch(Update update) {
        return submit(update, null);
    }

    @Override
    public CompletionStage<PatchResult> patch(Update update, Precondition precondition) {
        return submit(update, Objects.requireNonNull(precondition, "precondition"));
    }

    private CompletionStage<PatchResult> submit(Update update, Precondition precondition) {
        Objects.requireNonNull(update, "update");
        if (!options.writer()) {
            return CompletableFuture.failedFuture(new MemSyncException(MemSyncException.ERR_READ_ONLY,
                    "shared object '" + options.name() + "' was started without the WRITER role; patch " + update + " refused"));
        }
        Replica r;
        try {
            r = replica();
        } catch (MemSyncException e) {
            return CompletableFuture.failedFuture(e);
        }
        return r.submit(update, precondition)
                .thenApply(o -> new PatchResult(o.term(), o.version(), o.effect()));
    }

    @Override
    public Subscription observe(String path, Consumer<MemSyncChange> listener) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(listener, "listener");
        if (!path.isEmpty()) {
            Paths.validate(path);
        }
        Observer o = new Observer(path, listener);
        observers.add(o);
        return () -> observers.remove(o);
    }

    @Override
    public <V> Subscription observe(String path, Class<V> target, Consumer<V> listener) {
        Objects.requireNonNull(target, "type");
        Objects.requireNonNull(listener, "listener");
        return observe(path, change -> listener.accept(JsonMapping.fromJson(change.value(), target)));
    }

    @Override
    public <R> CompletionStage<R> call(String method, Class<R> resultType, Object... args) {
        return call(method, (Type) resultType, args);
    }

    @Override
    public <R> CompletionStage<R> call(String method, Type resultType, Object... args) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(resultType, "resultType");
        JsonArrayBuilder b = JsonMapping.JSON.createArrayBuilder();
        for (Object a : args == null ? new Object[] {null} : args) {
            b.add(JsonMapping.toJson(a));
        }
        JsonArray jsonArgs = b.build();
        RpcHandler local = options.rpc().get(method);
        CompletableFuture<JsonValue> result;
        if (local != null) {
            result = RpcInvoker.invoke(method, local, jsonArgs);
        } else {
            try {
                result = replica().call(method, jsonArgs);
            } catch (MemSyncException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return result.thenApply(v -> {
            try {
                return JsonMapping.<R>fromJson(v, resultType);
            } catch (RuntimeException e) {
                throw new MemSyncException(MemSyncException.ERR_RPC_FAILED, "result of RPC method '" + method + "' ("
                        + v + ") cannot be read as " + resultType.getTypeName() + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public EventBus events() {
        return events;
    }

    @Override
    public Status status() {
        Replica r = replica;
        if (r == null) {
            return new Status(options.name(), PeerRole.STOPPED, 0, 0, "", List.of(), 0);
        }
        return toStatus(r.status());
    }

    private Status toStatus(ReplicaStatus s) {
        List<Status.Peer> peers = new ArrayList<>();
        List<Integer> pending = s.peersPending();
        for (int i = 0; i < s.peers().size(); i++) {
            String id = s.peers().get(i);
            int n = id.equals(s.peerId()) ? s.pendingCount() : i < pending.size() ? pending.get(i) : -1;
            peers.add(new Status.Peer(id, i == 0, n));
        }
        PeerRole role = switch (s.role()) {
            case HOST -> s.recovering() ? PeerRole.CONNECTING : PeerRole.HOST; // taking over
            case CLIENT -> PeerRole.CLIENT;
            case CONNECTING -> PeerRole.CONNECTING;
            case STOPPED -> PeerRole.STOPPED;
        };
        return new Status(options.name(), role, s.term(), s.version(), s.peerId(), peers, s.pendingCount(),
                s.persistenceFailure());
    }

    @Override
    public CompletionStage<Void> flush() {
        Replica r = replica;
        if (r == null) {
            return CompletableFuture.failedFuture(new MemSyncException(MemSyncException.ERR_STOPPED, "shared object '"
                    + options.name() + "' is stopped"));
        }
        return r.flush();
    }

    @Override
    public CompletionStage<Duration> ping() {
        try {
            return replica().ping();
        } catch (MemSyncException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public boolean hasPeers() {
        Replica r = replica;
        if (r != null) {
            return r.hasPeers();
        }
        return wiring.hostAlive();
    }

    @Override
    public String toString() {
        return "SharedObject[" + options.name() + ", " + status().role() + "]";
    }

    /** Delivers an event to this process's listeners, off the network threads. */
    void deliverEvent(String event, JsonValue payload, boolean local) {
        List<EventListener<?>> ls = eventListeners.getOrDefault(event, List.of());
        ExecutorService d = dispatcher;
        if ((ls.isEmpty() && anyEventListeners.isEmpty()) || d == null) {
            return;
        }
        d.execute(() -> {
            if (!anyEventListeners.isEmpty()) {
                MemSyncEvent e = new MemSyncEvent(options.name(), event, payload, local);
                for (Consumer<MemSyncEvent> l : anyEventListeners) {
                    try {
                        l.accept(e);
                    } catch (RuntimeException ex) {
                        LOG.log(System.Logger.Level.WARNING, "listener of events on '" + options.name() + "' failed", ex);
                    }
                }
            }
            for (EventListener<?> l : ls) {
                try {
                    l.deliver(payload);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "listener of event '" + event + "' on '" + options.name() + "' failed", e);
                }
            }
        });
    }

    private final class Bus implements EventBus {
        @Override
        public void emit(String event, Object payload) {
            if (event == null || event.isEmpty()) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "event name must not be empty");
            }
            if (!replica().emit(event, JsonMapping.toJson(payload))) {
                throw new MemSyncException(MemSyncException.ERR_STOPPED, "shared object '" + options.name() + "' is stopped");
            }
        }

        @Override
        public <E> Subscription on(String event, Class<E> payloadType, Consumer<E> listener) {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(payloadType, "type");
            Objects.requireNonNull(listener, "listener");
            EventListener<E> l = new EventListener<>(payloadType, listener);
            eventListeners.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>()).add(l);
            return () -> eventListeners.getOrDefault(event, List.of()).remove(l);
        }

        @Override
        public Subscription onAny(Consumer<MemSyncEvent> listener) {
            Objects.requireNonNull(listener, "listener");
            anyEventListeners.add(listener);
            return () -> anyEventListeners.remove(listener);
        }
    }

    /** Receives view changes from the replica (called holding its lock) and hands them to the observer thread. */
    private final class Listener implements ReplicaListener {
        private final ExecutorService dispatch;

        Listener(ExecutorService dispatch) {
            this.dispatch = dispatch;
        }

        @Override
        public void viewChanged(ViewChange change) {
            if (!options.logEvents() && !mayInterest(change)) {
                return; // waking the observer thread for a change nobody observes costs more than the change
            }
            dispatch.execute(() -> notifyObservers(change));
        }

        @Override
        public void event(String event, JsonValue payload, boolean local) {
            deliverEvent(event, payload, local);
        }

        @Override
        public java.util.concurrent.CompletionStage<JsonValue> invoke(String method, JsonArray args) {
            RpcHandler handler = options.rpc().get(method);
            if (handler == null) {
                return CompletableFuture.failedFuture(new MemSyncException(MemSyncException.ERR_RPC_NOT_FOUND,
                        "RPC method '" + method + "' is not served by this process"));
            }
            return RpcInvoker.invoke(method, handler, args);
        }
    }

    private void notifyObservers(ViewChange change) {
        if (options.logEvents()) {
            LOG.log(System.Logger.Level.INFO, "memsync '" + options.name() + "' " + change.state() + " v" + change.version()
                    + (change.local() ? " local " : " remote ") + change.effect());
        }
        MemSyncChange.Origin origin = change.local() ? MemSyncChange.Origin.LOCAL : MemSyncChange.Origin.REMOTE;
        for (Observer o : observers) {
            JsonArray touching = touching(change.effect(), o.path());
            JsonValue before = Paths.get(change.before(), o.path());
            JsonValue after = Paths.get(change.after(), o.path());
            if (touching.isEmpty() && Objects.equals(before, after)) {
                continue;
            }
            MemSyncChange event = new MemSyncChange(options.name(), o.path(), after == null ? JsonValue.NULL : after,
                    change.version(), change.term(), touching, origin, change.state());
            try {
                o.listener().accept(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "observer of '" + o.path() + "' on '" + options.name() + "' failed", e);
            }
        }
    }

    /**
     * Whether some observer may be notified of a change: its effect touches an observed path, or the value at one
     * is not the same object any more (a rebase can change a value the effect does not name). Cheap and
     * conservative: {@link #notifyObservers} decides exactly, on the observer thread.
     */
    private boolean mayInterest(ViewChange change) {
        for (Observer o : observers) {
            String path = o.path();
            if (path.isEmpty() ? !change.effect().isEmpty() : touchesAny(change.effect(), path)) {
                return true;
            }
            if (Paths.get(change.before(), path) != Paths.get(change.after(), path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean touchesAny(JsonArray effect, String observed) {
        for (JsonValue v : effect) {
            JsonObject op = v.asJsonObject();
            if (overlaps(op.get("path"), observed) || overlaps(op.get("from"), observed)) {
                return true;
            }
        }
        return false;
    }

    /** The operations of an effect whose path overlaps the observed dotted path. */
    static JsonArray touching(JsonArray effect, String observed) {
        if (observed.isEmpty()) {
            return effect;
        }
        JsonArrayBuilder b = null;
        for (JsonValue v : effect) {
            JsonObject op = v.asJsonObject();
            if (overlaps(op.get("path"), observed) || overlaps(op.get("from"), observed)) {
                if (b == null) {
                    b = JsonMapping.JSON.createArrayBuilder();
                }
                b.add(op);
            }
        }
        return b == null ? JsonValue.EMPTY_JSON_ARRAY : b.build();
    }

    private static boolean overlaps(JsonValue pointer, String observed) {
        if (!(pointer instanceof JsonString s)) {
            return false;
        }
        String p = s.getString();
        if (p.isEmpty()) {
            return true;
        }
        try {
            return Paths.overlap(Paths.dotted(p), observed);
        } catch (IllegalArgumentException e) {
            return true; // not a pointer: tell the observer rather than miss a change
        }
    }
}
