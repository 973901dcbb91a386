/**
 * memsync side by side with other systems that share data between JVMs on one machine (Hazelcast's
 * {@code ReplicatedMap} and {@code IMap}, JGroups' {@code ReplicatedHashMap}): a scripted peer per system, all
 * speaking the harness's {@link io.memsync.it.CommandLoop} protocol and timed by {@link io.memsync.it.RoundTrips},
 * and {@link io.memsync.bench.compare.SideBySide}, which runs them in one command with the same JVM options.
 *
 * <p>Benchmarks, not tests, and not part of the memsync API.
 */
package io.memsync.bench.compare;
