package io.memsync.cdi;

import io.memsync.PeerRole;
import io.memsync.Status;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The MicroProfile Health readiness check of one shared object, named {@code memsync-<name>}: up while this
 * process is the host or a client following one; down while it connects, takes over after a failover, or is
 * stopped. Its data: {@code role}, {@code term}, {@code version}, {@code pending} (this process's updates not yet
 * ordered) and {@code peers}, and {@code persistenceFailure} while the host's store fails (it stays up then: the
 * network keeps running from memory). Loaded only when MicroProfile Health is on the class path.
 */
final class SharedObjectReadiness implements HealthCheck {
    private final MemSyncExtension extension;
    private final String name;

    SharedObjectReadiness(MemSyncExtension extension, String name) {
        this.extension = extension;
        this.name = name;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("memsync-" + name);
        Status status;
        try {
            status = extension.object(name).status();
        } catch (IllegalStateException notStarted) {
            return response.down().withData("role", PeerRole.STOPPED.name()).build();
        }
        boolean ready = status.role() == PeerRole.HOST || status.role() == PeerRole.CLIENT;
        response.status(ready)
                .withData("role", status.role().name())
                .withData("term", status.term())
                .withData("version", status.version())
                .withData("pending", status.pending())
                .withData("peers", status.peers().size());
        if (status.persistenceFailing()) {
            response.withData("persistenceFailure", status.persistenceFailure());
        }
        return response.build();
    }
}
