package io.memsync;

import io.memsync.internal.ReflectiveRpcHandler;

/**
 * Serves one RPC method registered with {@link MemSync.Builder#rpc(String, RpcHandler)}.
 *
 * <p>Runs on a virtual thread, never on a network thread. It may return a plain value (mapped through JSON-B),
 * {@code null}, or a {@link java.util.concurrent.CompletionStage} of one. An exception it throws fails the caller's
 * stage with {@link MemSyncException#ERR_RPC_FAILED}, carrying the exception's class name and message.
 */
@FunctionalInterface
public interface RpcHandler {
    /**
     * Handles a call.
     *
     * @param args the caller's arguments
     * @return the result, or a {@code CompletionStage} of it
     * @throws Exception any failure, reported to the caller
     */
    Object handle(RpcArgs args) throws Exception;

    /**
     * A handler that calls a public method, mapping each argument to the method's (generic) parameter type through
     * JSON-B. Wrong argument counts or types fail with {@link MemSyncException#ERR_RPC_FAILED} naming the method and
     * the parameter. The target is looked up at each call (e.g. a CDI contextual reference).
     *
     * @param name   the RPC name, for messages
     * @param method a public method
     * @param target supplies the object to call the method on
     * @return the handler
     */
    static RpcHandler ofMethod(String name, java.lang.reflect.Method method, java.util.function.Supplier<?> target) {
        return new ReflectiveRpcHandler(target, method, name);
    }
}
