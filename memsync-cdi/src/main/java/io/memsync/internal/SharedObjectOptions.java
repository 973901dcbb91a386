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
 * @param file              the persistence file, or {@code null} for none
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
 * @param limits            the size limits of updates (effect, resulting document, depth)
 * @param sendBudget        what the host holds for one client at most
 */
public record SharedObjectOptions(String name, JsonObject data, Map<String, RpcHandler> rpc, Path file,
                                  int serverPort, Set<Role> roles, int maxWriters, Duration waitForWriterSlot,
                                  Duration timeout, boolean logEvents, Path rendezvous, Duration heartbeat,
                                  Duration recoveryWait, int maxFrameBytes, Limits limits,
                                  SendBudget sendBudget) {
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
