/**
 * Storage: the persistence SPI and its file store.
 *
 * <p>A {@link io.memsync.storage.Store} keeps one shared object's replicated log as records
 * {@code (term, version, bytes)} and its snapshots {@code (term, version, state)}, driven by the host's ordered log
 * (never by a view); {@link io.memsync.storage.Storage#open} finds the {@link io.memsync.storage.StorageProvider}
 * of a location's scheme with {@link java.util.ServiceLoader}: {@code file:} (and plain paths,
 * {@link io.memsync.storage.file}), {@code s3:} (module {@code memsync-storage-s3}). Records and states are opaque
 * bytes: the replication core serializes its entries and snapshots (with the exactly-once table) itself.
 * {@link io.memsync.storage.NodeFileImport} imports the original Node.js memsync file.
 * {@code io.memsync.internal.StorePersistence} adapts a store to the replication core's
 * {@code io.memsync.replication.Persistence}: the host drives it.
 *
 * <p>Internal to memsync: no compatibility is promised. Applications import only {@code io.memsync}.
 */
package io.memsync.storage;
