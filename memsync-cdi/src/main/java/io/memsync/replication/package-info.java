/**
 * Replication: the host and client state machines, the ordered log, rebase of pending updates, conflict rules, failover and recovery. Reaches the network only through {@link io.memsync.replication.Transport} and the rendezvous through {@link io.memsync.replication.Election}; a host persists its log only through {@link io.memsync.replication.Persistence} (implemented over the storage SPI where the engine is wired), never through storage classes.
 *
 * <p>Internal to memsync: no compatibility is promised. Applications import only {@code io.memsync}.
 */
package io.memsync.replication;
