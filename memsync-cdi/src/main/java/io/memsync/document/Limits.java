package io.memsync.document;

import io.memsync.MemSyncException;

/**
 * The size limits an update must stay within, checked when it is evaluated ({@link UpdateEvaluator}): by the replica
 * that submits it and again by the host that orders it. An update past one of them fails with
 * {@link MemSyncException#ERR_TOO_LARGE} naming the limit and its value, and nothing is applied.
 *
 * @param maxEffectBytes   the largest effect of one update, as compact JSON text (UTF-8 bytes)
 * @param maxDocumentBytes the largest document an update may produce, as compact JSON text (UTF-8 bytes)
 * @param maxDepth         the deepest nesting an update may produce, counted from the document (the document itself
 *                         is level 1), at most {@link #MAX_DEPTH}
 */
public record Limits(long maxEffectBytes, long maxDocumentBytes, int maxDepth) {

    /**
     * The deepest nesting of a document anywhere: the update limit's ceiling, and (with {@link #FRAME_NESTING} for
     * the frame around a value) the depth the wire and snapshot parser {@link JsonText} accepts.
     */
    public static final int MAX_DEPTH = 1000;

    /** Levels a frame (or a snapshot) adds around the deepest value it carries. */
    public static final int FRAME_NESTING = 8;

    /** Default of {@link #maxEffectBytes()}: 64 MiB. */
    public static final long DEFAULT_MAX_EFFECT_BYTES = 64L << 20;

    /** Default of {@link #maxDocumentBytes()}: 256 MiB. */
    public static final long DEFAULT_MAX_DOCUMENT_BYTES = 256L << 20;

    /** The defaults: 64 MiB effects, 256 MiB documents, 1,000 levels. */
    public static final Limits DEFAULT = new Limits(DEFAULT_MAX_EFFECT_BYTES, DEFAULT_MAX_DOCUMENT_BYTES, MAX_DEPTH);

    /** Validates the limits. */
    public Limits {
        if (maxEffectBytes <= 0 || maxDocumentBytes <= 0 || maxDepth < 1 || maxDepth > MAX_DEPTH) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "invalid limits: maxEffectSize " + maxEffectBytes
                    + " and maxDocumentSize " + maxDocumentBytes + " must be positive, maxDepth " + maxDepth
                    + " between 1 and " + MAX_DEPTH);
        }
    }
}
