package io.memsync.replication;

import io.memsync.MemSyncException;

/**
 * How much the host holds for one client at most: a client whose {@linkplain Channel#backlogBytes backlog} (characters
 * queued plus bytes it has not confirmed reading) or {@linkplain Channel#backlogFrames queued frames} passes it is
 * disconnected with a warning, its queue discarded; when it comes back it catches up by the missing entries, or by a
 * snapshot once those were compacted. A client that was sent a snapshot may hold that much more.
 *
 * @param bytes  the most bytes held for a client
 * @param frames the most frames queued for a client
 */
public record SendBudget(long bytes, int frames) {
    /** The default: 64 MiB and 100,000 frames. */
    public static final SendBudget DEFAULT = new SendBudget(64L << 20, 100_000);

    /** Validates the budget. */
    public SendBudget {
        if (bytes < 1024 || frames < 16) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "send budget of " + bytes + " bytes and " + frames
                    + " frames: at least 1024 bytes and 16 frames");
        }
    }
}
