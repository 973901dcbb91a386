package io.memsync.replication;

import io.memsync.MemSyncException;
import io.memsync.document.Limits;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Options of one {@link Replica}. Build with {@link #builder(String)}.
 *
 * @param name              the shared object's name
 * @param data              the initial document, used only when this process starts a fresh network (no host record,
 *                          or no member of it alive)
 * @param pid               this process's id (reported to the host for liveness checks)
 * @param processStartTime  this process's start time, epoch millis
 * @param timeout           how long {@link Replica#start()} and a submitted update may take
 * @param heartbeatInterval how often the host sends heartbeats; a client that misses three suspects the host
 * @param recoveryWait      how long a new host waits at most for live members of the old term to reconnect
 * @param maxFrameBytes     the frame size limit (enforced by the transport)
 * @param writer            whether this process may write
 * @param maxWriters        the writer cap this process declares
 * @param clock             the physical clock of the hybrid logical clock
 * @param writerSlotWait    how long {@link Replica#start()} of a writer waits for a free writer slot (0: fail at once
 *                          with {@code ERR_MAX_WRITERS})
 * @param rpcNames          the RPC methods this process serves
 * @param joinOnly          never take the host lease: join a live host or fail the start with {@code ERR_NO_HOST}
 *                          (and after a host loss wait for another process to take over)
 * @param limits            the size limits of updates (effect, resulting document, depth)
 * @param sendBudget        what the host holds for one client at most
 */
public record ReplicaOptions(String name, JsonObject data, long pid, long processStartTime, Duration timeout,
                             Duration heartbeatInterval, Duration recoveryWait, int maxFrameBytes, boolean writer,
                             int maxWriters, InstantSource clock, Duration writerSlotWait, java.util.Set<String> rpcNames,
                             boolean joinOnly, Limits limits, SendBudget sendBudget) {
    /** Validates the options. */
    public ReplicaOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(recoveryWait, "recoveryWait");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(writerSlotWait, "writerSlotWait");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(sendBudget, "sendBudget");
        rpcNames = java.util.Set.copyOf(rpcNames);
        if (name.isBlank() || timeout.isNegative() || timeout.isZero() || heartbeatInterval.isNegative()
                || heartbeatInterval.isZero() || recoveryWait.isNegative() || maxFrameBytes <= 0 || maxWriters <= 0) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "invalid replica options for '" + name + "'");
        }
    }

    /**
     * Starts a builder with the defaults: empty document, this process's pid and start time, timeout 30 s,
     * heartbeat 100 ms, recovery wait 2 s, 16 MiB frames, the {@linkplain Limits#DEFAULT default limits}, writer, no writer cap, the system clock.
     *
     * @param name the shared object's name
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builder of {@link ReplicaOptions}. */
    public static final class Builder {
        private final String name;
        private JsonObject data = JsonValue.EMPTY_JSON_OBJECT;
        private long pid = ProcessHandle.current().pid();
        private long startTime = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
        private Duration timeout = Duration.ofSeconds(30);
        private Duration heartbeat = Duration.ofMillis(100);
        private Duration recoveryWait = Duration.ofSeconds(2);
        private int maxFrameBytes = 16 * 1024 * 1024;
        private boolean writer = true;
        private int maxWriters = Integer.MAX_VALUE;
        private InstantSource clock = InstantSource.system();
        private Duration writerSlotWait = Duration.ZERO;
        private java.util.Set<String> rpcNames = java.util.Set.of();
        private boolean joinOnly;
        private Limits limits = Limits.DEFAULT;
        private SendBudget sendBudget = SendBudget.DEFAULT;

        private Builder(String name) {
            this.name = name;
        }

        /** @param v initial document @return this */
        public Builder data(JsonObject v) {
            data = v;
            return this;
        }

        /** @param pid process id @param startTime process start time (epoch millis) @return this */
        public Builder process(long pid, long startTime) {
            this.pid = pid;
            this.startTime = startTime;
            return this;
        }

        /** @param v timeout @return this */
        public Builder timeout(Duration v) {
            timeout = v;
            return this;
        }

        /** @param v heartbeat interval @return this */
        public Builder heartbeatInterval(Duration v) {
            heartbeat = v;
            return this;
        }

        /** @param v recovery wait cap @return this */
        public Builder recoveryWait(Duration v) {
            recoveryWait = v;
            return this;
        }

        /** @param v frame size limit in bytes @return this */
        public Builder maxFrameBytes(int v) {
            maxFrameBytes = v;
            return this;
        }

        /** @param v whether this process writes @return this */
        public Builder writer(boolean v) {
            writer = v;
            return this;
        }

        /** @param v writer cap @return this */
        public Builder maxWriters(int v) {
            maxWriters = v;
            return this;
        }

        /** @param v clock source of the hybrid logical clock @return this */
        public Builder clock(InstantSource v) {
            clock = v;
            return this;
        }

        /** @param v how long start() waits for a writer slot @return this */
        public Builder writerSlotWait(Duration v) {
            writerSlotWait = v;
            return this;
        }

        /** @param v the RPC methods this process serves @return this */
        public Builder rpcNames(java.util.Set<String> v) {
            rpcNames = v;
            return this;
        }

        /** @param v whether this replica never takes the host lease @return this */
        public Builder joinOnly(boolean v) {
            joinOnly = v;
            return this;
        }

        /** @param v the size limits of updates @return this */
        public Builder limits(Limits v) {
            limits = v;
            return this;
        }

        /** @param v what the host holds for one client at most @return this */
        public Builder sendBudget(SendBudget v) {
            sendBudget = v;
            return this;
        }

        /** @return the options */
        public ReplicaOptions build() {
            return new ReplicaOptions(name, data, pid, startTime, timeout, heartbeat, recoveryWait, maxFrameBytes,
                    writer, maxWriters, clock, writerSlotWait, rpcNames, joinOnly, limits, sendBudget);
        }
    }
}
