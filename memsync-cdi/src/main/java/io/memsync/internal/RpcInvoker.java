package io.memsync.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import io.memsync.MemSyncException;
import io.memsync.RpcHandler;

import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

/**
 * Runs RPC handlers on virtual threads and maps their outcome to JSON or a {@link MemSyncException}. At most
 * {@value #MAX_RUNNING} handlers of this process run at once (an asynchronous one until its stage completes); up to
 * {@value #MAX_WAITING} more calls wait for one of them to finish, and a call beyond those fails at once with
 * {@link MemSyncException#ERR_BUSY}.
 */
final class RpcInvoker {
    /** Most RPC handlers of this process running at once. */
    static final int MAX_RUNNING = 256;
    /** Most RPC calls of this process waiting for a running handler to finish. */
    static final int MAX_WAITING = 4096;
    /** The handlers of this process. */
    private static final Limiter PROCESS = new Limiter(MAX_RUNNING, MAX_WAITING);

    private RpcInvoker() {
    }

    static CompletableFuture<JsonValue> invoke(String method, RpcHandler handler, JsonArray args) {
        return PROCESS.invoke(method, handler, args);
    }

    /** Runs handlers, at most {@code maxRunning} at once and {@code maxWaiting} more waiting. */
    static final class Limiter {
        private final int maxRunning;
        private final int maxWaiting;
        private final Semaphore running;
        /** Calls running or waiting. */
        private final AtomicInteger admitted = new AtomicInteger();

        Limiter(int maxRunning, int maxWaiting) {
            this.maxRunning = maxRunning;
            this.maxWaiting = maxWaiting;
            this.running = new Semaphore(maxRunning);
        }

        CompletableFuture<JsonValue> invoke(String method, RpcHandler handler, JsonArray args) {
            CompletableFuture<JsonValue> result = new CompletableFuture<>();
            if (admitted.incrementAndGet() > maxRunning + maxWaiting) {
                admitted.decrementAndGet();
                result.completeExceptionally(new MemSyncException(MemSyncException.ERR_BUSY, "RPC method '" + method
                        + "' refused: " + maxRunning + " calls run in this process and " + maxWaiting + " wait"));
                return result;
            }
            java.util.concurrent.atomic.AtomicBoolean holds = new java.util.concurrent.atomic.AtomicBoolean();
            result.whenComplete((v, e) -> {
                admitted.decrementAndGet();
                if (holds.getAndSet(false)) {
                    running.release();
                }
            });
            Thread.ofVirtual().name("memsync-rpc-" + method).start(() -> {
                running.acquireUninterruptibly(); // released when the result completes
                holds.set(true);
                if (result.isDone() && holds.getAndSet(false)) {
                    running.release(); // completed by someone else meanwhile
                    return;
                }
                run(method, handler, args, result);
            });
            return result;
        }
    }

    private static void run(String method, RpcHandler handler, JsonArray args, CompletableFuture<JsonValue> result) {
        try {
            Object value = handler.handle(new JsonRpcArgs(method, args));
            if (value instanceof CompletionStage<?> stage) {
                stage.whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(failure(method, unwrap(e)));
                    } else {
                        complete(method, result, v);
                    }
                });
            } else {
                complete(method, result, value);
            }
        } catch (Throwable e) {
            result.completeExceptionally(failure(method, e));
        }
    }

    private static void complete(String method, CompletableFuture<JsonValue> result, Object value) {
        try {
            result.complete(JsonMapping.toJson(value));
        } catch (RuntimeException e) {
            result.completeExceptionally(new MemSyncException(MemSyncException.ERR_RPC_FAILED,
                    "RPC method '" + method + "' returned a value that cannot be mapped to JSON: " + e.getMessage(), e));
        }
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** The failure a caller sees: handler exceptions become ERR_RPC_FAILED naming the class and message. */
    static MemSyncException failure(String method, Throwable e) {
        if (e instanceof MemSyncException m) {
            return m;
        }
        return new MemSyncException(MemSyncException.ERR_RPC_FAILED, "RPC method '" + method + "' failed: "
                + e.getClass().getName() + ": " + e.getMessage(), e);
    }
}
