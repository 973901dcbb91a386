/**
 * Transport: the Helidon WebServer WebSocket listener on the host, the JDK {@code java.net.http.WebSocket} client on the other processes, and the mutual challenge–response that authenticates both.
 *
 * <p>Internal to memsync: no compatibility is promised. Applications import only {@code io.memsync}.
 */
package io.memsync.transport;
