package io.memsync.replication;

/**
 * Receives what arrives on a {@link Channel}. Calls for one channel are never concurrent and follow arrival order.
 */
public interface ChannelHandler {
    /**
     * A frame arrived.
     *
     * @param channel the channel it arrived on
     * @param frame   JSON text
     */
    void onFrame(Channel channel, String frame);

    /**
     * The channel closed (by either side, or because the connection or the peer process died). Called once.
     *
     * @param channel the channel
     */
    void onClose(Channel channel);

    /**
     * The frames that arrived together (one network message) were all passed to {@link #onFrame}: a good moment to
     * flush replies that were held back to be batched. Transports that do not batch may call it after every frame
     * or never; handlers must not depend on it for correctness unless the channel promises the call
     * ({@link Channel#endsBatches}).
     *
     * @param channel the channel
     */
    default void onBatchEnd(Channel channel) {
    }
}
