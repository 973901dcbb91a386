package io.memsync.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

import io.memsync.MemSyncException;
import io.memsync.SharedObject;
import io.memsync.discovery.FileRendezvous;
import io.memsync.document.PersistentJson;
import io.memsync.replication.Liveness;
import io.memsync.replication.Replica;
import io.memsync.replication.ReplicaListener;
import io.memsync.replication.ReplicaOptions;
import io.memsync.replication.ReplicaStatus;
import io.memsync.transport.WebSocketTransport;

import jakarta.json.JsonObject;

/**
 * The one place that assembles memsync's engine for a shared object: the rendezvous folder of its name
 * ({@link FileRendezvous}), a {@link WebSocketTransport}, the {@link Replica} over them, the store of the
 * {@code file}/{@code storage} option ({@link StorePersistence}, which the replica opens while it hosts), the HTTP endpoint of the {@code server} option and the host-path warm-up. No other class
 * creates these parts: {@link io.memsync.MemSync.Builder#start(Class)} hands its options to
 * {@link #sharedObject(SharedObjectOptions, Class)}, the CDI extension starts its shared objects through that
 * builder, and {@link HostPathWarmUp} takes its throwaway replicas from
 * {@link #replica(ReplicaOptions, Path, ReplicaListener)}. Internal to memsync.
 */
public final class EngineWiring {
    private final SharedObjectOptions options;

    private EngineWiring(SharedObjectOptions options) {
        this.options = options;
    }

    /**
     * Creates a shared object (not started yet) over the engine wired from {@code options}.
     *
     * @param options the settings collected by the builder
     * @param type    the type {@link SharedObject#value()} maps the document to
     * @param <T>     that type
     * @return the shared object; call {@link SharedObject#start()} to join or create the network
     */
    public static <T> SharedObject<T> sharedObject(SharedObjectOptions options, Class<T> type) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(type, "type");
        return new SharedObjectImpl<>(new EngineWiring(options), type);
    }

    /**
     * Assembles a replica over a fresh WebSocket transport (limited to {@link ReplicaOptions#maxFrameBytes()}) and
     * the rendezvous folder of {@link ReplicaOptions#name()} inside {@code rendezvousBase}, with the operating
     * system's liveness checks. Used by the shared objects wired here and by the warm-up's throwaway network.
     *
     * @param options        the replica's options
     * @param rendezvousBase the base folder of rendezvous folders, or {@code null} for the default one
     * @param listener       receives view changes, events and RPC calls
     * @return the replica, not started
     */
    static Replica replica(ReplicaOptions options, Path rendezvousBase, ReplicaListener listener) {
        return new Replica(options, new WebSocketTransport(options.maxFrameBytes()),
                rendezvous(options.name(), rendezvousBase), Liveness.ofOperatingSystem(), listener);
    }

    private static FileRendezvous rendezvous(String name, Path base) {
        return base == null ? new FileRendezvous(name) : new FileRendezvous(name, base);
    }

    /** The settings this engine was wired from. */
    SharedObjectOptions options() {
        return options;
    }

    /** A replica for this shared object starting from {@code initial}, not started. */
    Replica replica(JsonObject initial, ReplicaListener listener) {
        ReplicaOptions ro = ReplicaOptions.builder(options.name())
                .data(PersistentJson.object(initial))
                .timeout(options.timeout())
                .heartbeatInterval(options.heartbeat())
                .recoveryWait(options.recoveryWait())
                .maxFrameBytes(options.maxFrameBytes())
                .limits(options.limits())
                .sendBudget(options.sendBudget())
                .writer(options.writer())
                .maxWriters(options.maxWriters())
                .writerSlotWait(options.waitForWriterSlot())
                .rpcNames(options.rpc().keySet())
                .joinOnly(options.joinOnly())
                .build();
        Replica r = new Replica(ro, new WebSocketTransport(ro.maxFrameBytes(), options.handshakeTimeout(),
                options.idleTimeout()), rendezvous(ro.name(), options.rendezvous()), Liveness.ofOperatingSystem(), listener);
        SharedObjectOptions.Persistence p = options.persistence();
        r.persistence(options.persisted()
                ? new StorePersistence(options.name(), options.file(), p.location(), p.durability()) : null,
                p.acks() == io.memsync.Acks.REPLICA);
        return r;
    }

    /**
     * Called once a replica of this shared object has started: a process that joined as a client may have to take
     * over, so the host's code paths are warmed in the background.
     */
    void started(Replica replica) {
        if (replica.status().role() == ReplicaStatus.Role.CLIENT && !options.joinOnly()) {
            HostPathWarmUp.once();
        }
    }

    /** Whether some process hosts this name now (read from the rendezvous; {@code false} when it cannot be read). */
    boolean hostAlive() {
        try {
            return rendezvous(options.name(), options.rendezvous()).isHeld();
        } catch (IOException | MemSyncException e) {
            return false;
        }
    }

    /** The rendezvous folder of this name. */
    Path rendezvousDir() {
        return rendezvous(options.name(), options.rendezvous()).dir();
    }

    /** The host record as last published, or {@code null} when there is none or it cannot be read. */
    io.memsync.replication.HostRecord hostRecord() {
        try {
            return rendezvous(options.name(), options.rendezvous()).read();
        } catch (IOException | MemSyncException e) {
            return null;
        }
    }

    /**
     * Serves the document, its status, its changes and the inspector on the {@code server} option's port.
     *
     * @throws MemSyncException {@link MemSyncException#ERR_IO} when the endpoint cannot be opened
     */
    DocumentServer documentServer(SharedObjectImpl<?> shared) {
        try {
            return new DocumentServer(shared, this);
        } catch (RuntimeException e) {
            throw new MemSyncException(MemSyncException.ERR_IO, "cannot serve '" + options.name()
                    + "' over HTTP on " + options.http().address() + ":" + options.serverPort() + ": " + e.getMessage(), e);
        }
    }
}
