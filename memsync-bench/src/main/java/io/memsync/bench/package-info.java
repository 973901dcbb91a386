/**
 * JMH benchmarks of memsync's document engine (not run by the tests; see memsync-bench/README.md).
 */
package io.memsync.bench;
