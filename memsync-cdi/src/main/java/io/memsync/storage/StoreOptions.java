package io.memsync.storage;

import java.time.Duration;
import java.util.Objects;

import io.memsync.MemSyncException;

/**
 * Options every store understands. Build with {@link #builder()}; {@link #defaults()} gives the defaults.
 * Store-specific settings (an S3 endpoint, say) come with the location URI instead.
 */
public final class StoreOptions {
    /** Default of {@link #snapshotEveryEntries()}. */
    public static final long DEFAULT_SNAPSHOT_EVERY_ENTRIES = 10_000;
    /** Default of {@link #snapshotEveryBytes()}: 16 MiB. */
    public static final long DEFAULT_SNAPSHOT_EVERY_BYTES = 16L << 20;
    /** Default of {@link #segmentBytes()}: 64 MiB. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    /** Default of {@link #batchWindow()}: 10 ms. */
    public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(10);

    private static final StoreOptions DEFAULTS = builder().build();

    private final Durability durability;
    private final long snapshotEveryEntries;
    private final long snapshotEveryBytes;
    private final long segmentBytes;
    private final Duration batchWindow;

    private StoreOptions(Builder b) {
        this.durability = b.durability;
        this.snapshotEveryEntries = b.snapshotEveryEntries;
        this.snapshotEveryBytes = b.snapshotEveryBytes;
        this.segmentBytes = b.segmentBytes;
        this.batchWindow = b.batchWindow;
    }

    /**
     * The default options: {@link Durability#BATCH}, a snapshot due every 10,000 records or 16 MiB, 64 MiB log
     * segments, a 10 ms batch window.
     *
     * @return the defaults
     */
    public static StoreOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * When an append's stage completes.
     *
     * @return the durability mode
     */
    public Durability durability() {
        return durability;
    }

    /**
     * After how many records since the last snapshot {@link Store#snapshotDue()} says yes.
     *
     * @return the count
     */
    public long snapshotEveryEntries() {
        return snapshotEveryEntries;
    }

    /**
     * After how many bytes of records since the last snapshot {@link Store#snapshotDue()} says yes.
     *
     * @return the size in bytes
     */
    public long snapshotEveryBytes() {
        return snapshotEveryBytes;
    }

    /**
     * The size after which the file store starts a new log segment (the S3 store writes one object per upload).
     *
     * @return the size in bytes
     */
    public long segmentBytes() {
        return segmentBytes;
    }

    /**
     * The batch window: under {@link Durability#BATCH} the shortest time between two fsyncs (file store) or uploads
     * (S3 store): a written record is fsynced (uploaded) within about one window plus the duration of one force;
     * under {@link Durability#NONE} the shortest time between two background write-outs (uploads). Not
     * used by {@link Durability#ALWAYS}.
     *
     * @return the window
     */
    public Duration batchWindow() {
        return batchWindow;
    }

    @Override
    public String toString() {
        return "StoreOptions[durability=" + durability + ", snapshotEveryEntries=" + snapshotEveryEntries
                + ", snapshotEveryBytes=" + snapshotEveryBytes + ", segmentBytes=" + segmentBytes
                + ", batchWindow=" + batchWindow + "]";
    }

    /** Builds {@link StoreOptions}; every setter checks its value at once. */
    public static final class Builder {
        private Durability durability = Durability.BATCH;
        private long snapshotEveryEntries = DEFAULT_SNAPSHOT_EVERY_ENTRIES;
        private long snapshotEveryBytes = DEFAULT_SNAPSHOT_EVERY_BYTES;
        private long segmentBytes = DEFAULT_SEGMENT_BYTES;
        private Duration batchWindow = DEFAULT_BATCH_WINDOW;

        private Builder() {
        }

        /**
         * Sets the durability mode.
         *
         * @param durability the mode
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when {@code null}
         */
        public Builder durability(Durability durability) {
            if (durability == null) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "store durability must not be null (NONE, BATCH or ALWAYS)");
            }
            this.durability = durability;
            return this;
        }

        /**
         * Sets after how many records a snapshot is due.
         *
         * @param entries at least 1
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when below 1
         */
        public Builder snapshotEveryEntries(long entries) {
            this.snapshotEveryEntries = atLeast("snapshotEveryEntries", entries, 1);
            return this;
        }

        /**
         * Sets after how many bytes of records a snapshot is due.
         *
         * @param bytes at least 1
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when below 1
         */
        public Builder snapshotEveryBytes(long bytes) {
            this.snapshotEveryBytes = atLeast("snapshotEveryBytes", bytes, 1);
            return this;
        }

        /**
         * Sets the log segment size.
         *
         * @param bytes at least 4096
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when below 4096
         */
        public Builder segmentBytes(long bytes) {
            this.segmentBytes = atLeast("segmentBytes", bytes, 4096);
            return this;
        }

        /**
         * Sets the batch window of {@link Durability#BATCH} and {@link Durability#NONE}.
         *
         * @param window positive, at most one second
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when {@code null}, not positive or above 1 s
         */
        public Builder batchWindow(Duration window) {
            if (window == null || window.isNegative() || window.isZero() || window.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG,
                        "store batchWindow must be positive and at most 1 s, was " + window);
            }
            this.batchWindow = window;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public StoreOptions build() {
            return new StoreOptions(this);
        }

        private static long atLeast(String what, long value, long min) {
            if (value < min) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "store " + what + " must be at least " + min + ", was " + value);
            }
            return value;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreOptions s && s.durability == durability && s.snapshotEveryEntries == snapshotEveryEntries
                && s.snapshotEveryBytes == snapshotEveryBytes && s.segmentBytes == segmentBytes && s.batchWindow.equals(batchWindow);
    }

    @Override
    public int hashCode() {
        return Objects.hash(durability, snapshotEveryEntries, snapshotEveryBytes, segmentBytes, batchWindow);
    }
}
