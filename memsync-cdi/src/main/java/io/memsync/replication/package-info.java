/**
 * Replication: the host and client state machines, the ordered log, rebase of pending updates, conflict rules, failover and recovery. Reaches the network only through {@link io.memsync.replication.Transport} and the rendezvous through {@link io.memsync.replication.Election}.
 *
 * <p>Internal to memsync: no compatibility is promised. Applications import only {@code io.memsync}.
 */
package io.memsync.replication;
