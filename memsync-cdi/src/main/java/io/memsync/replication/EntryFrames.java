package io.memsync.replication;

import java.util.ArrayList;
import java.util.List;

/**
 * Entries on their way from the host to a client as frames under the frame limit, so that no legal document state
 * makes a frame a peer refuses: the entries go in as few {@code e} frames as fit, and an entry larger than a frame
 * travels alone, its frame cut into {@link Frame.Part}s (as a snapshot is cut into chunks). The receiver refuses
 * frames over the same limit, counted in UTF-8 bytes.
 */
final class EntryFrames {

    /** Bytes of an {@code e} frame besides its entries: {@code {"t":"e","entries":[…]}}. */
    private static final int ENTRIES_OVERHEAD = 24;

    /** Bytes of a {@code part} frame besides its quoted data, generously. */
    private static final int PART_OVERHEAD = 96;

    /** Static methods only. */
    private EntryFrames() {
    }

    /**
     * The frames that carry {@code entries} in order, each at most {@code maxFrameBytes} UTF-8 bytes.
     *
     * @param entries       the entries, in order
     * @param maxFrameBytes the frame limit, at least 1024
     * @return the frames' texts (one frame in the common case)
     */
    static List<String> frames(List<Entry> entries, long maxFrameBytes) {
        String whole = FrameCodec.encode(new Frame.Entries(entries));
        if (fits(whole, maxFrameBytes)) {
            return List.of(whole);
        }
        List<String> frames = new ArrayList<>();
        List<Entry> group = new ArrayList<>();
        long groupBytes = ENTRIES_OVERHEAD;
        for (Entry e : entries) {
            StringBuilder sb = new StringBuilder();
            FrameCodec.writeEntry(e, sb);
            long b = utf8Bytes(sb);
            if (!group.isEmpty() && groupBytes + 1 + b > maxFrameBytes) {
                frames.add(FrameCodec.encode(new Frame.Entries(group)));
                group.clear();
                groupBytes = ENTRIES_OVERHEAD;
            }
            if (ENTRIES_OVERHEAD + b > maxFrameBytes) {
                frames.addAll(parts(FrameCodec.encode(new Frame.Entries(List.of(e))), maxFrameBytes));
                continue;
            }
            groupBytes += (group.isEmpty() ? 0 : 1) + b;
            group.add(e);
        }
        if (!group.isEmpty()) {
            frames.add(FrameCodec.encode(new Frame.Entries(group)));
        }
        return frames;
    }

    /**
     * Cuts a frame's text into {@code part} frames of at most {@code maxFrameBytes} bytes: a character of frame text
     * takes at most 3 bytes once quoted ({@code "} and {@code \} become 2 ASCII characters, others are at most 3 bytes
     * of UTF-8, a surrogate pair 4).
     *
     * @param frame         the frame's text
     * @param maxFrameBytes the frame limit, at least 1024
     * @return the part frames, in order
     */
    static List<String> parts(String frame, long maxFrameBytes) {
        int chars = (int) Math.min(Integer.MAX_VALUE, (maxFrameBytes - PART_OVERHEAD) / 3);
        List<String> out = new ArrayList<>();
        for (Frame.SnapChunk c : SnapshotChunks.split(frame, chars)) {
            out.add(FrameCodec.encode(new Frame.Part(c.index(), c.count(), c.data())));
        }
        return out;
    }

    /**
     * Whether a frame's UTF-8 form is at most {@code maxBytes} (measured only when it might not be).
     *
     * @param frame    the frame's text
     * @param maxBytes the limit
     * @return whether it fits
     */
    static boolean fits(CharSequence frame, long maxBytes) {
        return frame.length() * 3L <= maxBytes || utf8Bytes(frame) <= maxBytes;
    }

    /**
     * The length of a text in UTF-8.
     *
     * @param s the text
     * @return its UTF-8 bytes (a lone surrogate counted as the 3 bytes of its replacement)
     */
    static long utf8Bytes(CharSequence s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }
}
