package io.memsync.replication;

/**
 * One authenticated, ordered, bidirectional message channel between a client and the host.
 *
 * <p>Frames are JSON text. {@link #send(String)} never blocks on the network: frames are queued and written in
 * the order sent. Frames sent on one channel arrive in that order or not at all (the channel then closes).
 * Implemented by {@code io.memsync.transport} (WebSocket) and by the in-memory test transport.
 */
public interface Channel {
    /**
     * Queues a frame for sending. Ignored once the channel is closed.
     *
     * @param frame JSON text
     */
    void send(String frame);

    /** Closes the channel; the peer's handler sees {@link ChannelHandler#onClose(Channel)}. Idempotent. */
    void close();

    /**
     * Whether the channel is still open.
     *
     * @return {@code true} until closed by either side or by a failure
     */
    boolean isOpen();

    /**
     * A short description of the remote end, for logs.
     *
     * @return description
     */
    String remote();

    /**
     * Whether this channel's transport calls {@link ChannelHandler#onBatchEnd} after the frames of every message
     * whose frames it delivered, on the thread that delivered them, always (also when a frame's handler failed or
     * the channel closed meanwhile), and before {@link ChannelHandler#onClose}. A handler may then leave work that
     * the batch needs, such as sending replies, to that call.
     *
     * @return {@code false} unless the transport promises it
     */
    default boolean endsBatches() {
        return false;
    }

    /**
     * What this channel holds for the peer: characters queued and not written yet, plus bytes written that the peer
     * has not confirmed reading (where the transport can tell). The host holds each client to a send budget with it.
     *
     * @return the backlog in bytes, {@code 0} when the transport does not track it
     */
    default long backlogBytes() {
        return 0;
    }

    /**
     * Frames queued and not written yet.
     *
     * @return the count, {@code 0} when the transport does not track it
     */
    default int backlogFrames() {
        return 0;
    }

    /**
     * Drops the connection at once, discarding what is queued (a peer past its send budget): nothing more is written,
     * and the handler's {@link ChannelHandler#onClose} follows, on another thread. Idempotent.
     */
    default void abort() {
        close();
    }
}
