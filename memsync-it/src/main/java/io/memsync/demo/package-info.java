/**
 * The demo run by {@code ./demo.sh}: three processes share a counter and a list, the host is killed, a survivor
 * takes over with nothing lost.
 */
package io.memsync.demo;
