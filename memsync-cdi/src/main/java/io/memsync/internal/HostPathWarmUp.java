package io.memsync.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.memsync.Update;
import io.memsync.document.JsonProviders;
import io.memsync.replication.Replica;
import io.memsync.replication.ReplicaListener;
import io.memsync.replication.ReplicaOptions;

/**
 * Runs the host's code paths once per JVM, in the background, on a private throwaway network (its own name in its
 * own temporary rendezvous folder): a host and a client exchange one update each, then stop.
 *
 * <p>Why: a process that joined as a client has never run the host's code. When it takes over after a failover,
 * loading those classes and linking their lambdas costs tens of milliseconds on a small machine, which is most of
 * the time the new host needs. Call sites are linked per class, not per instance, so warming them on a throwaway
 * replica warms them for the real one. Failures are only logged: this is an optimisation.
 *
 * <p>Disabled with the system property {@code memsync.warmup=false}. Its replicas come from
 * {@link EngineWiring#replica(ReplicaOptions, Path, ReplicaListener)}, wired like those of real shared objects.
 */
final class HostPathWarmUp {
    private static final System.Logger LOG = System.getLogger(HostPathWarmUp.class.getName());
    private static final AtomicBoolean DONE = new AtomicBoolean();
    private static final Duration STEP = Duration.ofSeconds(5);

    private HostPathWarmUp() {
    }

    /** Starts the warm-up on a virtual thread unless it already ran (or runs) in this JVM or is disabled. */
    static void once() {
        if (!Boolean.parseBoolean(System.getProperty("memsync.warmup", "true")) || !DONE.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("memsync-warmup").start(() -> run(Path.of(System.getProperty("java.io.tmpdir"))));
    }

    /**
     * Runs the warm-up once, in a temporary folder under {@code parent} that it deletes afterwards.
     *
     * @param parent where to create the private rendezvous folder
     * @return whether the host and the client exchanged their updates
     */
    static boolean run(Path parent) {
        Path dir = null;
        Replica host = null;
        Replica client = null;
        try {
            dir = Files.createTempDirectory(parent, "memsync-warmup-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            String name = "warmup-" + UUID.randomUUID();
            ReplicaOptions options = ReplicaOptions.builder(name)
                    .data(JsonProviders.JSON.createObjectBuilder().add("n", 0).build())
                    .timeout(STEP)
                    .build();
            host = EngineWiring.replica(options, dir, c -> { });
            host.start();
            client = EngineWiring.replica(options, dir, c -> { });
            client.start();
            client.submit(Update.inc("n", 1), null).get(STEP.toMillis(), TimeUnit.MILLISECONDS);
            host.submit(Update.inc("n", 1), null).get(STEP.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "host path warm-up failed (harmless): " + e);
            return false;
        } finally {
            stop(client);
            stop(host);
            delete(dir);
        }
    }

    private static void stop(Replica r) {
        if (r != null) {
            try {
                r.stop();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "warm-up replica did not stop cleanly: " + e);
            }
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "cannot delete " + p + ": " + e);
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "cannot clean " + dir + ": " + e);
        }
    }
}
