/**
 * An example application: a Helidon MP service whose instances, started as separate processes on one machine,
 * share one counter through memsync. {@link io.memsync.example.counter.CounterResource} is its REST endpoint
 * ({@code GET /counter}, {@code POST /counter/increment}); MicroProfile Health serves memsync's readiness check at
 * {@code /health/ready}; {@link io.memsync.example.counter.MetricsResource} serves memsync's Micrometer meters at
 * {@code /metrics} in the Prometheus text format. {@link io.memsync.example.counter.CounterMain} starts it.
 */
package io.memsync.example.counter;
