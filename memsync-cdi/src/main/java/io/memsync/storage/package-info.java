/**
 * Storage: the persistence SPI and the file store (write-ahead log of effects plus snapshots).
 *
 * <p>Internal to memsync: no compatibility is promised. Applications import only {@code io.memsync}.
 */
package io.memsync.storage;
