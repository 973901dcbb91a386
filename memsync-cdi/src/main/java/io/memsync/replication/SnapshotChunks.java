package io.memsync.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cuts a {@link Snapshot} into {@link Frame.SnapChunk}s small enough for one frame each, and puts them back together
 * ({@link Assembler}): the only place where snapshot chunks are made or read.
 */
final class SnapshotChunks {

    /**
     * Default chunk size in characters. A chunk's text is escaped again inside its frame (a snapshot is JSON, full of
     * quotes), so a frame stays near 1 MiB.
     */
    static final int CHUNK_CHARS = 512 * 1024;

    /** Static methods only. */
    private SnapshotChunks() {
    }

    /**
     * Encodes a snapshot and cuts it into chunks.
     *
     * @param snapshot the snapshot
     * @param maxChars the most characters of snapshot text per chunk, {@code >= 2}
     * @return the chunks, in order (at least one)
     */
    static List<Frame.SnapChunk> split(Snapshot snapshot, int maxChars) {
        return split(FrameCodec.encodeSnapshot(snapshot), maxChars);
    }

    /**
     * Cuts an encoded snapshot into chunks of at most {@code maxChars} characters. A cut never falls between the two
     * halves of a surrogate pair: each chunk travels as a frame of its own, and a lone surrogate does not survive the
     * UTF-8 encoding of a WebSocket text message.
     *
     * @param text     the snapshot's text
     * @param maxChars the most characters per chunk, {@code >= 2}
     * @return the chunks, in order (one empty chunk for an empty text)
     * @throws IllegalArgumentException when {@code maxChars < 2}
     */
    static List<Frame.SnapChunk> split(String text, int maxChars) {
        if (maxChars < 2) {
            throw new IllegalArgumentException("chunks must hold at least 2 characters, got " + maxChars);
        }
        List<Integer> ends = new ArrayList<>();
        int start = 0;
        do {
            int end = (int) Math.min(text.length(), (long) start + maxChars);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            ends.add(end);
            start = end;
        } while (start < text.length());
        List<Frame.SnapChunk> chunks = new ArrayList<>(ends.size());
        start = 0;
        for (int i = 0; i < ends.size(); i++) {
            chunks.add(new Frame.SnapChunk(i, ends.size(), text.substring(start, ends.get(i))));
            start = ends.get(i);
        }
        return List.copyOf(chunks);
    }

    /**
     * Puts the chunks of one snapshot back together, on one connection: chunks must arrive in order, {@code 0} to
     * {@code count - 1}, all with the same count. Any other chunk (out of order, a duplicate, another count, a total
     * beyond the limit) is refused with a {@link ProtocolException} and discards what was gathered, so the next
     * snapshot starts afresh with its chunk {@code 0}. After a complete snapshot it is ready for the next one. Not
     * thread-safe (a replica uses it under its lock).
     */
    static final class Assembler {
        private final long maxChars;
        private StringBuilder text;
        private int count;
        private int next;

        /**
         * Creates an assembler for snapshots of at most {@code maxChars} characters of text.
         *
         * @param maxChars the largest snapshot text accepted, {@code >= 0}
         */
        Assembler(long maxChars) {
            if (maxChars < 0) {
                throw new IllegalArgumentException("negative size limit " + maxChars);
            }
            this.maxChars = maxChars;
        }

        /**
         * Whether a snapshot is partly received.
         *
         * @return {@code true} between a snapshot's first chunk and its last
         */
        boolean inProgress() {
            return text != null;
        }

        /** Discards a partly received snapshot (e.g. when its sender is gone). */
        void reset() {
            text = null;
            count = 0;
            next = 0;
        }

        /**
         * Takes the next chunk.
         *
         * @param chunk the chunk
         * @return the snapshot when this was its last chunk, else empty
         * @throws ProtocolException (frame type {@code snap}) when the chunk does not follow, the snapshot grows beyond
         *                           the limit, or the complete text is not a snapshot; what was gathered is discarded
         */
        Optional<Snapshot> accept(Frame.SnapChunk chunk) {
            return acceptText(chunk.index(), chunk.count(), chunk.data()).map(FrameCodec::decodeSnapshot);
        }

        /**
         * Takes the next piece of a text cut into pieces (a snapshot's, or a frame's: {@link Frame.Part}).
         *
         * @param index the piece's position
         * @param count how many pieces the text has
         * @param data  the piece
         * @return the whole text when this was its last piece, else empty
         * @throws ProtocolException (frame type {@code snap}) when the piece does not follow or the text grows beyond the
         *                           limit; what was gathered is discarded
         */
        Optional<String> acceptText(int index, int count, String data) {
            if (text == null) {
                if (index != 0) {
                    throw refuse("i", "chunk " + index + " of " + count + " without the chunks before it");
                }
                // room for the whole text at once, but never more than the limit or 16 Mi chars up front
                long expected = Math.min(maxChars, (long) data.length() * count);
                text = new StringBuilder((int) Math.min(expected, 16L << 20));
                this.count = count;
                next = 0;
            } else if (count != this.count) {
                throw refuse("n", "chunk " + index + " says " + count + " chunks, the first said " + this.count);
            } else if (index != next) {
                throw refuse("i", index < next ? "chunk " + index + " of " + count + " again (duplicate)"
                        : "chunk " + index + " of " + count + " where chunk " + next + " was due");
            }
            if (text.length() + (long) data.length() > maxChars) {
                throw refuse("d", "text larger than the limit of " + maxChars + " characters (at chunk "
                        + index + " of " + count + ")");
            }
            text.append(data);
            next++;
            if (next < count) {
                return Optional.empty();
            }
            String complete = text.toString();
            reset();
            return Optional.of(complete);
        }

        /** Discards what was gathered and returns the exception to throw. */
        private ProtocolException refuse(String field, String problem) {
            reset();
            return new ProtocolException("snap", field, problem);
        }
    }
}
