package io.memsync.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.memsync.MemSyncException;
import io.memsync.RpcHandler;

import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

/** Runs RPC handlers on virtual threads and maps their outcome to JSON or a {@link MemSyncException}. */
final class RpcInvoker {
    private RpcInvoker() {
    }

    static CompletableFuture<JsonValue> invoke(String method, RpcHandler handler, JsonArray args) {
        CompletableFuture<JsonValue> result = new CompletableFuture<>();
        Thread.ofVirtual().name("memsync-rpc-" + method).start(() -> {
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
