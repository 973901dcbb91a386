package io.memsync.replication;

import io.memsync.MemSyncException;

/**
 * The size check of events, RPC calls and RPC results: none travels in parts, so each must fit in one frame, less
 * {@value #RELAY_MARGIN} bytes for the ids the host rewrites when it relays one. The sender refuses a larger one with
 * {@code ERR_TOO_LARGE}, so no peer ever drops it.
 */
final class MessageFrames {
    /** Bytes of the frame limit kept for the ids the host rewrites when it relays an event, call or result. */
    static final int RELAY_MARGIN = 64;

    private final String name;
    private final long max;

    MessageFrames(ReplicaOptions options) {
        this.name = options.name();
        this.max = options.maxFrameBytes() - RELAY_MARGIN;
    }

    /** @return the largest frame an event, call or result may take, in UTF-8 bytes */
    long max() {
        return max;
    }

    /**
     * Checks one frame.
     *
     * @param frame the frame's text
     * @param what  what it carries, for the message ("event 'x'")
     * @return {@code null} when it fits, else the {@code ERR_TOO_LARGE} failure naming its size and the limit
     */
    MemSyncException tooLarge(String frame, String what) {
        if (EntryFrames.fits(frame, max)) {
            return null;
        }
        return new MemSyncException(MemSyncException.ERR_TOO_LARGE, what + " on '" + name + "' is "
                + EntryFrames.utf8Bytes(frame) + " bytes as a frame, over the limit of " + max + " bytes");
    }
}
