package io.memsync;

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
}
