/**
 * Discovery: who is host for a name. The default rendezvous is a per-user, per-name folder with an OS file lock on {@code host.lock} and an atomically replaced {@code host.json}.
 *
 * <p>Internal to memsync: no compatibility is promised. Applications import only {@code io.memsync}.
 */
package io.memsync.discovery;
