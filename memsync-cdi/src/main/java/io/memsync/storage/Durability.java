package io.memsync.storage;

/**
 * When a {@link Store#append(LogRecord) appended} record counts as durable, i.e. when the stage returned by
 * {@code append} completes.
 *
 * <p>What each mode survives:
 * <ul>
 *   <li>{@link #NONE}: the record was handed to the operating system (file store) or queued for upload (S3
 *       store). Survives the death of the process ({@code kill -9}) once written, but not a power loss or kernel
 *       crash; the S3 store loses what it had not uploaded yet.</li>
 *   <li>{@link #BATCH}: group commit. Records are forced to stable storage together, at most once per batch window
 *       ({@link StoreOptions#batchWindow()}, 10 ms by default); the stage completes after the force that covers
 *       the record. A power loss loses at most the records whose stages had not completed.</li>
 *   <li>{@link #ALWAYS}: the record is forced to stable storage before its stage completes, with no waiting
 *       window (concurrent appends still share one force). An acknowledged record survives any crash.</li>
 * </ul>
 */
public enum Durability {
    /** Complete at once; the operating system (or the uploader) writes it out later. */
    NONE,
    /** Group commit: force at most once per batch window, complete after the force (the default). */
    BATCH,
    /** Force before completing, without a waiting window. */
    ALWAYS
}
