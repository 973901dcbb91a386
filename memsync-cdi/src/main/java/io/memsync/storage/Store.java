package io.memsync.storage;

import java.util.concurrent.CompletableFuture;

import io.memsync.MemSyncException;

/**
 * The persistent store of one shared object, driven by the host's replicated log: it keeps log records
 * {@code (term, version, bytes)} and snapshots {@code (term, version, state)}, and gives both back in order at the
 * next start. Only the host writes; a store is opened by one process at a time (an exclusive lock or conditional
 * writes refuse a second writer).
 *
 * <h2>The version rule</h2>
 * A store never holds two different records under one version unless the later one has a higher term and
 * replaced the former. {@link #append(LogRecord)} accepts a record at position {@code (t, v)} when, with
 * {@code (T, V)} the last position in the store and {@code S} the version of the newest snapshot:
 * <ul>
 *   <li>{@code v == V + 1} and {@code t >= T}: the normal append;</li>
 *   <li>{@code S < v <= V} and {@code t} is higher than the term of the stored record at {@code v} (and not lower
 *       than the term of the record at {@code v - 1}): a new term replaces an uncommitted tail, so the records
 *       {@code v..V} are dropped (truncation is logical and crash-safe: the new record supersedes them on
 *       replay);</li>
 * </ul>
 * and refuses everything else with {@link MemSyncException#ERR_PROTOCOL}: a gap ({@code v > V + 1}), a term going
 * backwards, a rewrite of {@code v} under the same or a lower term, and any version covered by a snapshot.
 * {@link #writeSnapshot(SnapshotRecord)} accepts a snapshot at or after the newest one: at a stored version it
 * must carry that record's term; beyond {@code V} it moves the store's position there (a host installing a
 * snapshot received from a peer), and the next append is then at its version + 1.
 *
 * <h2>What a new host does</h2>
 * Open the store while holding the host lock, {@link #load()} it, treat {@link LoadedState#lastVersion()} with its
 * term as one more replica's log in recovery, then append the entries of its own term from
 * {@code lastVersion + 1} on (or install a newer snapshot first).
 *
 * <h2>Compaction</h2>
 * The store cannot produce a snapshot itself (the state is the core's); it says when one is due
 * ({@link #snapshotDue()}, after {@link StoreOptions#snapshotEveryEntries()} records or
 * {@link StoreOptions#snapshotEveryBytes()} bytes since the last one), and on every
 * {@link #writeSnapshot(SnapshotRecord)} it deletes what the two newest snapshots make unnecessary (the older of
 * the two is kept, with the log after it, so that a corrupt newest snapshot falls back to it).
 *
 * <p>Implementations are thread-safe. Appends are expected from one thread (the host's ordering thread); their
 * stages complete in version order.
 */
public interface Store extends AutoCloseable {

    /**
     * What the store holds now: the newest valid snapshot, the log records after it in order, the highest position,
     * and what was cut while opening. Until the first append or snapshot it returns what opening read; after that
     * it reads the store again (after making pending records durable).
     *
     * @return the persisted state
     * @throws MemSyncException {@link MemSyncException#ERR_IO} when the store cannot be read,
     *                          {@link MemSyncException#ERR_STOPPED} when it is closed
     */
    LoadedState load();

    /**
     * Appends one log record (see the version rule above). The stage completes when the record is as durable as
     * the store's {@link Durability} promises: at once under {@code NONE} (buffered in the process), once handed to
     * the operating system under {@code BATCH} on the file store (already when this method returns; after the
     * upload of its group on the S3 store), after the force covering it under {@code ALWAYS}. An acknowledged record
     * that a later failure keeps from being written out or forced fails the store, which then refuses appends.
     *
     * @param record the record
     * @return a stage completing when the record is durable under the store's mode, or failing with
     *         {@link MemSyncException#ERR_IO} when it could not be made so
     * @throws MemSyncException {@link MemSyncException#ERR_PROTOCOL} when the record breaks the version rule
     *                          (the message names the store, the position and the rule),
     *                          {@link MemSyncException#ERR_IO} when the store failed earlier or cannot write,
     *                          {@link MemSyncException#ERR_STOPPED} when it is closed
     */
    CompletableFuture<Void> append(LogRecord record);

    /**
     * Writes a snapshot atomically (it is all there after a crash, or not at all) and durably before returning,
     * then compacts. Appends may continue from other threads meanwhile.
     *
     * @param snapshot the snapshot
     * @throws MemSyncException {@link MemSyncException#ERR_PROTOCOL} when the snapshot is older than the newest
     *                          one or does not match the stored record at its version,
     *                          {@link MemSyncException#ERR_IO} when it cannot be written,
     *                          {@link MemSyncException#ERR_STOPPED} when the store is closed
     */
    void writeSnapshot(SnapshotRecord snapshot);

    /**
     * Whether enough was appended since the last snapshot that the host should write one.
     *
     * @return whether a snapshot is due
     */
    boolean snapshotDue();

    /**
     * Makes every record appended so far durable, whatever the durability mode, and completes their stages.
     *
     * @throws MemSyncException {@link MemSyncException#ERR_IO} when that fails,
     *                          {@link MemSyncException#ERR_STOPPED} when the store is closed
     */
    void flush();

    /**
     * Describes the store for messages: its kind and location, e.g. {@code file:/var/memsync/foo}.
     *
     * @return the description
     */
    String describe();

    /**
     * Flushes, then releases the store (its lock, files, threads). Idempotent. Appends afterwards fail with
     * {@link MemSyncException#ERR_STOPPED}.
     *
     * @throws MemSyncException {@link MemSyncException#ERR_IO} when the final flush fails (the store is released
     *                          all the same)
     */
    @Override
    void close();
}
