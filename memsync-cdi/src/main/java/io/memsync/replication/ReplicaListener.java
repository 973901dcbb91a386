package io.memsync.replication;

/**
 * Receives a {@link Replica}'s view changes and role changes. Calls are made holding the replica's lock (on its
 * event thread, on the transport thread that brought a frame, or on the thread of a caller of {@link Replica#submit},
 * {@link Replica#call} or {@link Replica#emit}), one at a time and in order; a listener may call
 * {@link Replica#submit} and {@link Replica#view()} but must not block.
 */
public interface ReplicaListener {
    /**
     * One visible change of the view.
     *
     * @param change the change
     */
    void viewChanged(ViewChange change);

    /**
     * The replica's role changed (connecting, host, client, stopped).
     *
     * @param status the new status
     */
    default void roleChanged(ReplicaStatus status) {
    }

    /**
     * An event emitted by some process of the network (this one included) arrived. Events of one emitter arrive
     * in emit order.
     *
     * @param event   the event name
     * @param payload the payload
     * @param local   whether this process emitted it
     */
    default void event(String event, jakarta.json.JsonValue payload, boolean local) {
    }

    /**
     * Runs an RPC method this process serves (one of {@link ReplicaOptions#rpcNames()}) for another process.
     * Must not block the calling (event) thread: run the handler elsewhere and complete the stage later.
     *
     * @param method the RPC name
     * @param args   the arguments
     * @return the result; fail it with a {@link io.memsync.MemSyncException} to report an error
     */
    default java.util.concurrent.CompletionStage<jakarta.json.JsonValue> invoke(String method, jakarta.json.JsonArray args) {
        return java.util.concurrent.CompletableFuture.failedFuture(new io.memsync.MemSyncException(
                io.memsync.MemSyncException.ERR_RPC_NOT_FOUND, "RPC method '" + method + "' is not served here"));
    }
}
