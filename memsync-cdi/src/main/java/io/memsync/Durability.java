package io.memsync;

/**
 * When a patch is acknowledged relative to its record in the store (the {@code file}/{@code storage} option; see
 * {@link MemSync.Builder#durability(Durability)}). Only the host writes the store, driven by the ordered log: each
 * entry is appended with its {@code (term, version)}, and the acknowledgement (the stage of {@code patch()}, and
 * the entry a client receives) waits as below. Whatever the mode, a store loaded after a crash holds a prefix of
 * the log, never a torn or reordered one.
 */
public enum Durability {
    /**
     * No wait: the record is buffered in the host process and written out in the background (within about 10 ms).
     * A {@code kill -9} of the host may lose the newest acknowledged patches from the store (they survive in the
     * other processes that received them).
     */
    NONE,
    /**
     * The default. File store: the record is written to the log file (handed to the operating system) before the
     * patch is acknowledged and fsynced within 10 ms, so an acknowledged patch survives a {@code kill -9} of every
     * process; an operating-system crash or power loss may lose the last window's records. S3 store: acknowledged
     * after the upload of the group (formed within 10 ms) holding the record.
     */
    BATCH,
    /**
     * The patch is acknowledged only after the fsync (S3: the upload) covering its record: an acknowledged patch
     * survives {@code kill -9} of every process at once and an operating-system crash.
     */
    ALWAYS
}
