package io.memsync.storage;

/**
 * When the stage returned by {@link Store#append(LogRecord)} completes, and so what an acknowledged record survives.
 * In every mode a store that {@link Store#load() loads} after a crash holds a prefix of what was appended: records
 * are lost only from the end, never reordered, never half there (a torn tail is cut, see {@link LoadedState#cuts()}).
 * {@link Store#writeSnapshot(SnapshotRecord) Snapshots}, {@link Store#flush()} and {@link Store#close()} are durable
 * (fsynced, or uploaded) in every mode.
 *
 * <table>
 *   <caption>What an acknowledged record survives</caption>
 *   <tr><th>mode</th><th>the stage completes</th><th>{@code kill -9} of the process</th>
 *       <th>OS crash, power loss</th></tr>
 *   <tr><td>{@link #NONE}</td><td>at once (the record is buffered in the process)</td>
 *       <td>may lose the newest records</td><td>may lose the newest records</td></tr>
 *   <tr><td>{@link #BATCH} (file store)</td><td>once the record is written to the segment file (in the OS page
 *       cache), before {@code append} returns</td><td>survives</td>
 *       <td>may lose the records of up to about one batch window (plus one fsync)</td></tr>
 *   <tr><td>{@link #BATCH} (S3 store)</td><td>after the upload of the group holding the record, groups formed within
 *       the batch window</td><td>survives</td><td>survives</td></tr>
 *   <tr><td>{@link #ALWAYS}</td><td>after the fsync (S3: the upload) covering the record, with no window</td>
 *       <td>survives</td><td>survives</td></tr>
 * </table>
 */
public enum Durability {
    /**
     * The stage completes at once. The record is kept in the process (the file store's buffer, the S3 store's upload
     * queue) and written out in the background within one {@link StoreOptions#batchWindow() batch window}, and
     * whenever the buffer is full, and by {@link Store#flush()}, {@link Store#writeSnapshot(SnapshotRecord)} and
     * {@link Store#close()}. Nothing is fsynced in the background (only snapshots, closed segments, flush and close
     * are). A {@code kill -9} of the process may lose the most recent acknowledged records (about one window's
     * worth); what is left is a prefix of what was appended.
     */
    NONE,
    /**
     * The default. File store: the record is handed to the operating system (written to the segment file) before
     * {@code append} returns and its stage is complete then, so it survives a {@code kill -9} of the process; the
     * fsync follows within one {@link StoreOptions#batchWindow() batch window} (10 ms by default: the group-commit
     * thread fsyncs at most once per window, at once when idle, and each fsync covers everything written before it
     * started), so only an operating-system crash or a power loss can lose acknowledged records: those of the last
     * window plus the duration of one fsync. S3 store (no page cache to hand records to): the stage completes after
     * the conditional upload of the segment holding the record; uploads start at most once per window, so the
     * records appended within one window form one group and share one upload.
     */
    BATCH,
    /**
     * The stage completes after the fsync (S3: the upload) that covers the record. There is no waiting window: an
     * idle store forces at once, and appends arriving while a force runs share the next one. An acknowledged record
     * survives any crash.
     */
    ALWAYS
}
