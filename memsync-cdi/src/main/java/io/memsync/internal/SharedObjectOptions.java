package io.memsync.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.memsync.Role;
import io.memsync.RpcHandler;
import io.memsync.document.Limits;
import io.memsync.replication.SendBudget;

import jakarta.json.JsonObject;

/**
 * The settings of one shared object as the {@link io.memsync.MemSync.Builder} collected and validated them: a plain
 * value, so that the engine never depends on the builder. Internal to memsync.
 *
 * @param name              the shared object's name (already validated)
 * @param data              initial document, used when this process creates the network
 * @param rpc               RPC handlers served by this process, by name (an immutable copy)
 * @param file              the folder of the file store, or {@code null} (see {@code persistence} for a URI)
 * @param serverPort        the port of {@code GET /<name>}, 0 for any free one, -1 for no endpoint
 * @param roles             the roles in force (an immutable copy; includes {@link Role#RPC} when {@code rpc} is
 *                          not empty)
 * @param maxWriters        the writer cap this process declares
 * @param waitForWriterSlot how long {@code start()} of a writer waits for a free slot
 * @param timeout           how long a patch acknowledgement, call or join may take
 * @param logEvents         whether every change is logged at INFO
 * @param rendezvous        the base folder of rendezvous folders, or {@code null} for the default one
 * @param heartbeat         the host's heartbeat interval
 * @param recoveryWait      how long a new host waits for slow members of the old term
 * @param maxFrameBytes     the largest frame accepted on the network
 * @param joinOnly          whether this process never becomes host (joins a live host or fails with
 *                          {@code ERR_NO_HOST})
 * @param http              the safety settings of the {@code server(port)} listener
 * @param persistence       the storage location URI, durability and acks modes
 * @param limits            the size limits of updates (effect, resulting document, depth)
 * @param sendBudget        what the host holds for one client at most
 * @param handshakeTimeout  how long a connection to this process's listener may take to authenticate
 * @param idleTimeout       silence after which this process's listener closes a connection
 */
public record SharedObjectOptions(String name, JsonObject data, Map<String, RpcHandler> rpc, Path file,
                                  int serverPort, Set<Role> roles, int maxWriters, Duration waitForWriterSlot,
                                  Duration timeout, boolean logEvents, Path rendezvous, Duration heartbeat,
                                  Duration recoveryWait, int maxFrameBytes, boolean joinOnly, HttpSettings http,
                                  Persistence persistence, Limits limits, SendBudget sendBudget,
                                  Duration handshakeTimeout, Duration idleTimeout) {
    /**
     * How the document is persisted and acknowledged.
     *
     * @param location   a storage location URI (a sub-folder or key prefix per name), or {@code null} when
     *                   {@code file} names the store's folder or nothing is persisted
     * @param durability when an acknowledgement waits for the store
     * @param acks       whether a host's own patches wait for another process
     */
    public record Persistence(String location, io.memsync.Durability durability, io.memsync.Acks acks) {
        /** Checks for nulls. */
        public Persistence {
            Objects.requireNonNull(durability, "durability");
            Objects.requireNonNull(acks, "acks");
        }
    }

    /** @return whether the document is persisted */
    public boolean persisted() {
        return file != null || persistence.location() != null;
    }

    /** Checks that the required components are present and copies the collections. */
    public SharedObjectOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        rpc = Map.copyOf(rpc);
        roles = Set.copyOf(roles);
        Objects.requireNonNull(waitForWriterSlot, "waitForWriterSlot");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(recoveryWait, "recoveryWait");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(persistence, "persistence");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(sendBudget, "sendBudget");
    }

    /**
     * Whether this process may patch the document.
     *
     * @return whether {@link #roles()} holds {@link Role#WRITER}
     */
    public boolean writer() {
        return roles.contains(Role.WRITER);
    }
}
