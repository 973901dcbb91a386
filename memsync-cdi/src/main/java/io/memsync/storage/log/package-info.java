/**
 * The on-disk (and in-bucket) format shared by memsync's stores: checksummed log records and segments
 * ({@link io.memsync.storage.log.RecordCodec}), snapshot blobs ({@link io.memsync.storage.log.SnapshotCodec}), their
 * names ({@link io.memsync.storage.log.StoreNames}), the version rule ({@link io.memsync.storage.log.LogSequence})
 * and the recovery of a log from its segments ({@link io.memsync.storage.log.LogReplay}).
 *
 * <p>For store implementations (the file store, {@code memsync-storage-s3}); internal to memsync, no compatibility
 * is promised. Applications import only {@code io.memsync}.
 */
package io.memsync.storage.log;
