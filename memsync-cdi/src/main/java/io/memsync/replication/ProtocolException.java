package io.memsync.replication;

/**
 * A frame that cannot be decoded: it does not parse as JSON, has an unknown type, lacks a field, holds a field of the
 * wrong type or range, or speaks another protocol version. The only exception {@link FrameCodec#decode(String)} and
 * {@link SnapshotChunks.Assembler} throw; the message names the frame type and the field, so the receiver can log it
 * and answer with an {@code err} frame as it is.
 *
 * <p>Unchecked, so that a frame handler running inside a lambda need not wrap it; callers catch it where a frame
 * from another process enters the replica.
 */
final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The frame type the problem was found in, or {@code "?"} when the type itself is unknown or missing. */
    private final String frameType;
    /** The offending field, or {@code ""} when the problem is the frame as a whole. */
    private final String field;
    /** Whether this is a hello of another protocol version (see {@link FrameCodec#PROTOCOL_VERSION}). */
    private final boolean versionMismatch;

    /**
     * Creates an exception about one field of one frame.
     *
     * @param frameType the frame type ({@code "?"} when unknown)
     * @param field     the field ({@code ""} for the frame as a whole)
     * @param problem   what is wrong, e.g. "missing" or "expected a string, got NUMBER"
     */
    ProtocolException(String frameType, String field, String problem) {
        this(frameType, field, problem, false, null);
    }

    /**
     * Creates an exception about one field of one frame, with its cause.
     *
     * @param frameType       the frame type ({@code "?"} when unknown)
     * @param field           the field ({@code ""} for the frame as a whole)
     * @param problem         what is wrong
     * @param versionMismatch whether the frame is a hello of another protocol version
     * @param cause           the underlying failure, or {@code null}
     */
    ProtocolException(String frameType, String field, String problem, boolean versionMismatch, Throwable cause) {
        super(message(frameType, field, problem), cause);
        this.frameType = frameType;
        this.field = field;
        this.versionMismatch = versionMismatch;
    }

    /** The message: {@code frame 'type', field 'field': problem}. */
    private static String message(String frameType, String field, String problem) {
        return "frame '" + frameType + "'" + (field.isEmpty() ? "" : ", field '" + field + "'") + ": " + problem;
    }

    /**
     * The frame type the problem was found in.
     *
     * @return the wire type (e.g. {@code "patch"}), or {@code "?"} when the type is unknown or missing
     */
    public String frameType() {
        return frameType;
    }

    /**
     * The offending field, as a path inside the frame when nested (e.g. {@code "entries[3].v"}).
     *
     * @return the field, or {@code ""} when the problem is the frame as a whole
     */
    public String field() {
        return field;
    }

    /**
     * Whether the frame is a hello from a process that speaks another protocol version: the host should refuse that
     * process (it cannot talk to it) rather than treat the frame as damaged.
     *
     * @return {@code true} for a protocol version mismatch
     */
    public boolean versionMismatch() {
        return versionMismatch;
    }
}
