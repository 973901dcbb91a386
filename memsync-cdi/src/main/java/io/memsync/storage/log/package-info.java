/**
 * The on-disk (and in-bucket) format shared by memsync's stores: checksummed log records and segments
 * ({@link io.memsync.storage.log.RecordCodec}), snapshot blobs ({@link io.memsync.storage.log.SnapshotCodec}), their
 * names ({@link io.memsync.storage.log.StoreNames}), the version rule ({@link io.memsync.storage.log.LogSequence})
 * and the recovery of a log from its segments ({@link io.memsync.storage.log.LogReplay}); and what every store checks
 * on each operation: its open state and latched failure ({@link io.memsync.storage.log.StoreGuard}) and where its log
 * stands ({@link io.memsync.storage.log.StorePosition}).
 *
 * <p>For store implementations (the file store, {@code memsync-storage-s3}); internal to memsync, no compatibility
 * is promised. Applications import only {@code io.memsync}.
 */
package io.memsync.storage.log;
