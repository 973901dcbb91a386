/**
 * The file store: a write-ahead log in checksummed segments plus atomically written snapshots, in one folder per
 * shared object, locked by one process at a time. Served for {@code file:} locations and plain paths by
 * {@link io.memsync.storage.file.FileStoreProvider}.
 *
 * <p>Internal to memsync: no compatibility is promised. Applications import only {@code io.memsync}.
 */
package io.memsync.storage.file;
