package io.memsync.cdi;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import io.memsync.MemSyncChange;
import io.memsync.PeerRole;
import io.memsync.SharedObject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * Micrometer meters of the shared objects, registered when Micrometer is on the class path: in the application's
 * {@link MeterRegistry} bean when it has exactly one, else in {@link Metrics#globalRegistry}. Every meter carries
 * the tag {@code name} (the shared object's name):
 * <ul>
 *   <li>gauges {@code memsync.version} (the version this process sees: updates ordered in the document's life),
 *       {@code memsync.term}, {@code memsync.pending} (this process's updates not yet ordered),
 *       {@code memsync.peers}, {@code memsync.host} (1 on the host, else 0);</li>
 *   <li>counters {@code memsync.changes.confirmed} (ordered changes this process applied),
 *       {@code memsync.changes.bytes} (the size, in UTF-8 bytes, of those changes' JSON Patch effects: what the host
 *       replicates to each client) and {@code memsync.failovers} (times this process saw a new host term after its
 *       first);</li>
 *   <li>timer {@code memsync.rpc.served} (tags {@code method}, {@code outcome} = {@code ok}/{@code failed}): the
 *       {@code @RpcMethod} calls this process served, until the result (or its {@code CompletionStage}) was
 *       ready.</li>
 * </ul>
 * Loaded only when Micrometer is present ({@link OptionalApis#MICROMETER}).
 */
final class MicrometerMetrics implements RpcTiming {
    private final MeterRegistry registry;

    private MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static MicrometerMetrics of(BeanManager bm) {
        Set<Bean<?>> beans = bm.getBeans(MeterRegistry.class);
        if (beans.size() == 1) {
            Bean<?> bean = beans.iterator().next();
            return new MicrometerMetrics((MeterRegistry) bm.getReference(bean, MeterRegistry.class, bm.createCreationalContext(bean)));
        }
        return new MicrometerMetrics(Metrics.globalRegistry);
    }

    /** Registers the gauges and counters of one started shared object. */
    void bind(String name, SharedObject<?> shared) {
        Gauge.builder("memsync.version", shared, s -> s.status().version()).tag("name", name)
                .description("document version this process sees").register(registry);
        Gauge.builder("memsync.term", shared, s -> s.status().term()).tag("name", name)
                .description("host term").register(registry);
        Gauge.builder("memsync.pending", shared, s -> s.status().pending()).tag("name", name)
                .description("updates of this process not yet ordered by the host").register(registry);
        Gauge.builder("memsync.peers", shared, s -> s.status().peers().size()).tag("name", name)
                .description("processes of the network").register(registry);
        Gauge.builder("memsync.host", shared, s -> s.status().role() == PeerRole.HOST ? 1 : 0).tag("name", name)
                .description("1 when this process is the host").register(registry);
        Counter confirmed = Counter.builder("memsync.changes.confirmed").tag("name", name)
                .description("ordered changes this process applied").register(registry);
        Counter bytes = Counter.builder("memsync.changes.bytes").tag("name", name).baseUnit("bytes")
                .description("UTF-8 size of the JSON Patch effects of the ordered changes this process applied").register(registry);
        Counter failovers = Counter.builder("memsync.failovers").tag("name", name)
                .description("new host terms seen after the first").register(registry);
        AtomicLong lastTerm = new AtomicLong(shared.status().term());
        shared.observe("", change -> {
            if (change.state() != MemSyncChange.State.CONFIRMED) {
                return;
            }
            confirmed.increment();
            bytes.increment(change.effect().toString().getBytes(StandardCharsets.UTF_8).length);
            long previous = lastTerm.getAndAccumulate(change.term(), Math::max);
            if (change.term() > previous && previous > 0) {
                failovers.increment();
            }
        });
    }

    @Override
    public Object time(String name, String method, Callable<Object> call) throws Exception {
        Timer.Sample sample = Timer.start(registry);
        Object result;
        try {
            result = call.call();
        } catch (Exception | Error e) {
            sample.stop(timer(name, method, "failed"));
            throw e;
        }
        if (result instanceof CompletionStage<?> stage) {
            return stage.whenComplete((v, e) -> sample.stop(timer(name, method, e == null ? "ok" : "failed")));
        }
        sample.stop(timer(name, method, "ok"));
        return result;
    }

    private Timer timer(String name, String method, String outcome) {
        return Timer.builder("memsync.rpc.served").tag("name", name).tag("method", method).tag("outcome", outcome)
                .description("RPC calls served by this process").register(registry);
    }
}
