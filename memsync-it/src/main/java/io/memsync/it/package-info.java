/**
 * Test and benchmark harness: {@link io.memsync.it.Peer}, a scriptable memsync process driven over stdin/stdout,
 * and {@link io.memsync.it.PeerProcess}, which launches one as a real JVM and kills it by pid.
 *
 * <p>Not part of the memsync API.
 */
package io.memsync.it;
