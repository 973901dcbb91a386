package io.memsync.replication;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Where a host keeps the replicated log beyond its process: a store that the host opens when it takes over a term,
 * appends every ordered entry to with its {@code (term, version)}, and writes snapshots of the confirmed state into
 * (with the exactly-once table and the writer grants) when {@link #snapshotDue()} says so. Only the host writes;
 * clients never touch it. The replication core serializes entries and snapshots itself: a persistence sees opaque
 * bytes. Implementations live where the engine is wired (over a storage store); the core depends on this interface
 * only.
 *
 * <p>All methods are called holding the replica's lock, so they must not block for long: {@link #append} returns a
 * stage that completes when the record is as durable as the persistence promises; {@link #snapshot} may write in
 * the background. Appends arrive in version order; their stages must complete in that order.
 */
public interface Persistence {

    /**
     * What a store held when it was opened.
     *
     * @param snapshot        the newest snapshot's bytes, or {@code null} when there is none
     * @param entries         the entries after it, in version order (contiguous)
     * @param imported        a document imported from an older format into an empty store (the starting state at
     *                        term 0 and {@code importedVersion}), or {@code null}
     * @param importedVersion the imported document's version ({@code 0} when it had none)
     */
    record Stored(byte[] snapshot, List<byte[]> entries, jakarta.json.JsonObject imported, long importedVersion) {
        /** Copies the list. */
        public Stored {
            entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
        }

        /**
         * What a store held, without an import.
         *
         * @param snapshot the newest snapshot's bytes, or {@code null}
         * @param entries  the entries after it
         */
        public Stored(byte[] snapshot, List<byte[]> entries) {
            this(snapshot, entries, null, 0);
        }

        /** @return whether the store held nothing */
        public boolean isEmpty() {
            return snapshot == null && entries.isEmpty() && imported == null;
        }
    }

    /**
     * Opens the store for this host (taking its lock, which a previous host released when it stopped hosting or
     * died) and reads what it holds.
     *
     * @return the persisted state
     * @throws io.memsync.MemSyncException when it cannot be opened or read (the host then runs from memory)
     */
    Stored open();

    /**
     * Appends one ordered entry.
     *
     * @param term    the entry's term
     * @param version the entry's version (the one after the last appended or snapshotted)
     * @param entry   its bytes
     * @return completes when the entry is durable under the configured mode; fails when it could not be made so
     */
    CompletableFuture<Void> append(long term, long version, byte[] entry);

    /**
     * Writes a snapshot of the confirmed state at {@code (term, version)} (atomically; possibly in the background).
     *
     * @param term    the term of the entry at {@code version} ({@code 0} when there is none)
     * @param version the version the state includes every entry up to
     * @param state   its bytes
     * @return completes when it is written; fails when it could not be
     */
    CompletableFuture<Void> snapshot(long term, long version, byte[] state);

    /** @return whether enough was appended since the last snapshot that one should be written */
    boolean snapshotDue();

    /**
     * Makes everything appended so far durable (whatever the mode) and completes the stages of those appends.
     *
     * @throws io.memsync.MemSyncException when that fails
     */
    void flush();

    /** Flushes and releases the store (its lock), so that the next host can open it. Never throws. */
    void close();

    /** @return the store for messages, e.g. {@code file:/var/memsync/foo} */
    String describe();
}
