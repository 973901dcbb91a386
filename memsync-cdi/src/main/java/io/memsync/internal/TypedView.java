package io.memsync.internal;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import io.memsync.EventBus;
import io.memsync.MemSyncChange;
import io.memsync.PatchResult;
import io.memsync.Precondition;
import io.memsync.SharedObject;
import io.memsync.Status;
import io.memsync.Subscription;
import io.memsync.Update;

import jakarta.json.JsonObject;

/** A {@link SharedObject} that maps {@link #value()} to another type and delegates everything else. */
final class TypedView<U> implements SharedObject<U> {
    private final SharedObject<?> target;
    private final Class<U> type;

    /** The shared object this view maps. */
    SharedObject<?> target() {
        return target;
    }

    TypedView(SharedObject<?> target, Class<U> type) {
        this.target = Objects.requireNonNull(target, "target");
        this.type = type;
    }

    @Override
    public String name() {
        return target.name();
    }

    @Override
    public JsonObject data() {
        return target.data();
    }

    @Override
    public U value() {
        return JsonMapping.fromJson(target.data(), type);
    }

    @Override
    public <V> V read(String path, Class<V> t) {
        return target.read(path, t);
    }

    @Override
    public <V> V read(String path, Type t) {
        return target.read(path, t);
    }

    @Override
    public CompletionStage<PatchResult> patch(String update) {
        return target.patch(update);
    }

    @Override
    public CompletionStage<PatchResult> patch(JsonObject update) {
        return target.patch(update);
    }

    @Override
    public CompletionStage<PatchResult> patch(Update update) {
        return target.patch(update);
    }

    @Override
    public CompletionStage<PatchResult> patch(Update update, Precondition precondition) {
        return target.patch(update, precondition);
    }

    @Override
    public Subscription observe(String path, Consumer<MemSyncChange> listener) {
        return target.observe(path, listener);
    }

    @Override
    public <V> Subscription observe(String path, Class<V> t, Consumer<V> listener) {
        return target.observe(path, t, listener);
    }

    @Override
    public <R> CompletionStage<R> call(String method, Class<R> resultType, Object... args) {
        return target.call(method, resultType, args);
    }

    @Override
    public <R> CompletionStage<R> call(String method, Type resultType, Object... args) {
        return target.call(method, resultType, args);
    }

    @Override
    public EventBus events() {
        return target.events();
    }

    @Override
    public Status status() {
        return target.status();
    }

    @Override
    public CompletionStage<Void> flush() {
        return target.flush();
    }

    @Override
    public CompletionStage<Duration> ping() {
        return target.ping();
    }

    @Override
    public boolean hasPeers() {
        return target.hasPeers();
    }

    @Override
    public <V> SharedObject<V> as(Class<V> other) {
        return target.as(other);
    }

    @Override
    public void start() {
        target.start();
    }

    @Override
    public void stop() {
        target.stop();
    }

    @Override
    public void close() {
        target.close();
    }

    @Override
    public String toString() {
        return target + " as " + type.getSimpleName();
    }
}
