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
    private static final Semaphore RUNNING = new Semaphore(MAX_RUNNING);
    /** Calls running or waiting. */
    private static final AtomicInteger ADMITTED = new AtomicInteger();

    private RpcInvoker() {
    }

    static CompletableFuture<JsonValue> invoke(String method, RpcHandler handler, JsonArray args) {
        CompletableFuture<JsonValue> result = new CompletableFuture<>();
        if (ADMITTED.incrementAndGet() > MAX_RUNNING + MAX_WAITING) {
            ADMITTED.decrementAndGet();
            result.completeExceptionally(new MemSyncException(MemSyncException.ERR_BUSY, "RPC method '" + method
                    + "' refused: " + MAX_RUNNING + " calls run in this process and " + MAX_WAITING + " wait"));
            return result;
        }
        java.util.concurrent.atomic.AtomicBoolean holds = new java.util.concurrent.atomic.AtomicBoolean();
        result.whenComplete((v, e) -> {
            ADMITTED.decrementAndGet();
            if (holds.getAndSet(false)) {
                RUNNING.release();
            }
        });
        Thread.ofVirtual().name("memsync-rpc-" + method).start(() -> {
            RUNNING.acquireUninterruptibly(); // released when the result completes
            holds.set(true);
            if (result.isDone() && holds.getAndSet(false)) {
                RUNNING.release(); // completed by someone else meanwhile
                return;
            }
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
        });
        return result;
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
