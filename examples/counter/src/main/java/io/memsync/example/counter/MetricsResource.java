package io.memsync.example.counter;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * {@code GET /metrics}: the application's Micrometer registry in the Prometheus text format. The memsync extension
 * finds the {@link MeterRegistry} bean produced here and registers its meters ({@code memsync_version},
 * {@code memsync_pending}, {@code memsync_failovers_total}, …, tag {@code name="counter"}) in it.
 */
@ApplicationScoped
@Path("/metrics")
public class MetricsResource {
    @Inject
    PrometheusMeterRegistry registry;

    /**
     * The application's registry (a pseudo-scope: Micrometer's registries cannot be proxied).
     *
     * @return a Prometheus registry
     */
    @Produces
    @Singleton
    static PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * The meters, in the Prometheus text format.
     *
     * @return the scrape
     */
    @GET
    @jakarta.ws.rs.Produces("text/plain; version=0.0.4; charset=utf-8")
    public String scrape() {
        return registry.scrape();
    }
}
