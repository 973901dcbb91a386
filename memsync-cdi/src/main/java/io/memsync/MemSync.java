package io.memsync;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.memsync.document.Limits;
import io.memsync.internal.BuilderSupport;
import io.memsync.internal.EngineWiring;
import io.memsync.internal.HttpSettings;
import io.memsync.internal.JsonMapping;
import io.memsync.internal.SharedObjectOptions;
import io.memsync.replication.SendBudget;
import io.memsync.transport.WebSocketTransport;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Entry point of the programmatic API.
 *
 * <pre>{@code
 * try (SharedObject<JsonObject> foo = MemSync.builder("my_shared_object")
 *         .data("{\"foo\":1}")
 *         .start()) {
 *     foo.patch(Update.inc("foo", 1)).toCompletableFuture().join();
 * }
 * }</pre>
 */
public final class MemSync {
    /** Longest accepted shared-object name. */
    public static final int MAX_NAME_LENGTH = 100;

    private MemSync() {
    }

    /**
     * Starts configuring the shared object {@code name}. Every process that starts the same name on this machine
     * (same user) joins the same network.
     *
     * @param name 1–100 characters of letters, digits, {@code . _ -}; not {@code .} or {@code ..}
     * @return a builder
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when the name is invalid
     */
    public static Builder builder(String name) {
        return new Builder(BuilderSupport.validateName(name, MAX_NAME_LENGTH));
    }

    /**
     * Configures and starts a shared object. Not thread-safe; every setter validates its argument at once.
     */
    public static final class Builder {
        private final String name;
        private JsonObject data = JsonValue.EMPTY_JSON_OBJECT;
        private final BuilderSupport.Rpc rpc;
        private Path file;
        private String storage;
        private Durability durability = Durability.BATCH;
        private Acks acks = Acks.LOCAL;
        private int serverPort = -1;
        private Set<Role> roles = EnumSet.of(Role.WRITER);
        private int maxWriters = Integer.MAX_VALUE;
        private Duration waitForWriterSlot = Duration.ZERO;
        private Duration timeout = Duration.ofSeconds(30);
        private boolean logEvents;
        private Path rendezvous;
        private Duration heartbeat = Duration.ofMillis(100);
        private Duration recoveryWait = Duration.ofSeconds(2);
        private int maxFrameBytes = 16 * 1024 * 1024;
        private boolean joinOnly;
        private HttpSettings http = HttpSettings.DEFAULTS;
        private long maxEffectBytes = Limits.DEFAULT_MAX_EFFECT_BYTES;
        private long maxDocumentBytes = Limits.DEFAULT_MAX_DOCUMENT_BYTES;
        private int maxDepth = Limits.MAX_DEPTH;
        private SendBudget sendBudget = SendBudget.DEFAULT;
        private Duration handshakeTimeout = WebSocketTransport.DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration idleTimeout = WebSocketTransport.DEFAULT_IDLE_TIMEOUT;

        private Builder(String name) {
            this.name = name;
            this.rpc = new BuilderSupport.Rpc(name);
        }

        /**
         * Initial data, used when this process creates the network (ignored when it joins a live one).
         *
         * @param json a JSON object as text
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when the text is not a JSON object
         */
        public Builder data(String json) {
            this.data = JsonMapping.parseObject(json, MemSyncException.ERR_CONFIG, "initial data of '" + name + "'");
            return this;
        }

        /**
         * Initial data, used when this process creates the network.
         *
         * @param json a JSON object
         * @return this builder
         */
        public Builder data(JsonObject json) {
            this.data = Objects.requireNonNull(json, "data");
            return this;
        }

        /**
         * Initial data from a record or POJO mapped through JSON-B (a {@code String} is parsed as JSON, a
         * {@code JsonObject} used as is).
         *
         * @param value the value; must map to a JSON object
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when it does not map to a JSON object
         */
        public Builder data(Object value) {
            if (value instanceof String s) {
                return data(s);
            }
            this.data = BuilderSupport.initialData(name, value);
            return this;
        }

        /**
         * Registers an RPC method served by this process.
         *
         * @param method  the RPC name, not empty
         * @param handler serves calls
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when the name is already registered here
         */
        public Builder rpc(String method, RpcHandler handler) {
            Objects.requireNonNull(handler, "handler");
            rpc.add(method, handler, "handler " + handler.getClass().getName());
            return this;
        }

        /**
         * Registers every public method of {@code bean} annotated {@link RpcMethod}.
         *
         * @param bean an object with {@code @RpcMethod} methods
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when it has none, or a name is taken
         */
        public Builder rpc(Object bean) {
            rpc.addBean(bean);
            return this;
        }

        /**
         * Persists the document in this folder with the file store: a write-ahead log of the ordered entries (each
         * with its {@code (term, version)}) and snapshots holding the exactly-once table. Only the host writes it;
         * a host that takes over opens the same folder and continues the log, and a restart of the whole network
         * loads the newest state, its {@code (term, version)} continuing. How an acknowledgement waits for the log
         * is {@link #durability(Durability)}. When the store fails (disk error), the network keeps running from
         * memory, {@link SharedObject#status()} says so, and the host tries the store again every 2 s (catching it up
         * with what was ordered meanwhile once it works). A regular file at this path (the whole-document file of
         * earlier memsync versions, or the original Node.js memsync's {@code {"data": …}} file) is imported once,
         * when the first host opens it: it is renamed to {@code <path>.imported} and its document becomes the
         * starting state. Replaces {@link #storage(String)}.
         *
         * @param path the folder (created when missing)
         * @return this builder
         */
        public Builder file(Path path) {
            this.file = Objects.requireNonNull(path, "path");
            this.storage = null;
            return this;
        }

        /**
         * Persists the document in a store found by the location's URI scheme: {@code file:/var/memsync} (the file
         * store, in the sub-folder {@code <name>}; a plain path means the same), or
         * {@code s3://bucket/prefix?region=…&endpoint=…} with {@code io.memsync:memsync-storage-s3} on the class
         * path (keys under {@code <prefix>/<name>/}). One location can hold the stores of many shared objects.
         * Otherwise as {@link #file(Path)}; replaces it.
         *
         * @param location the store location URI, or a path
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when blank or not a valid URI (a missing
         *                          provider is reported by {@code start()})
         */
        public Builder storage(String location) {
            io.memsync.storage.Storage.locationUri(location);
            this.storage = location;
            this.file = null;
            return this;
        }

        /**
         * When a patch is acknowledged relative to its record in the store ({@link Durability#BATCH} by default).
         * Without {@link #file(Path)} or {@link #storage(String)} it has no effect.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder durability(Durability mode) {
            this.durability = Objects.requireNonNull(mode, "durability");
            return this;
        }

        /**
         * Same as {@link #durability(Durability)}, with the storage SPI's enum of the same constants.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder durability(io.memsync.storage.Durability mode) {
            return durability(Durability.valueOf(Objects.requireNonNull(mode, "durability").name()));
        }

        /**
         * Which processes must hold a patch's entry before it is acknowledged ({@link Acks#LOCAL} by default; see
         * {@link Acks#REPLICA} for what a host's own patch waits for and when it times out).
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder acks(Acks mode) {
            this.acks = Objects.requireNonNull(mode, "acks");
            return this;
        }

        /**
         * Serves the document over HTTP on this port of 127.0.0.1 while started; 0 picks a free port. Paths:
         * {@code GET /<name>} (the document), {@code GET /<name>/_status}, {@code GET /<name>/_changes} (Server-Sent
         * Events), {@code GET /<name>/_inspector} (a web page showing all three live) and, only with
         * {@link #serverWritable(boolean)}, {@code PATCH}/{@code POST /<name>} with the write token.
         *
         * <p>Every request is refused with 403 and a JSON problem body ({@code code} {@code ERR_FORBIDDEN}) when its
         * {@code Host} header is not the bound address and port, {@code localhost:<port>} or an
         * {@linkplain #serverAllowedHosts allowed name} (DNS rebinding), or when it comes from another origin
         * ({@code Origin} not this server or an {@linkplain #serverAllowedOrigins allowed origin};
         * {@code Sec-Fetch-Site: cross-site}). Reading needs no token: any local process may read, as with the
         * rendezvous folder's readers.
         *
         * @param port 0–65535
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when out of range
         */
        public Builder server(int port) {
            if (port < 0 || port > 65535) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "server port of '" + name + "' must be 0–65535, got " + port);
            }
            this.serverPort = port;
            return this;
        }

        /**
         * Binds the {@link #server(int)} listener to this address instead of {@code 127.0.0.1} (e.g. {@code ::1}, or
         * {@code 0.0.0.0} to be reached from other machines: then allow the names they use with
         * {@link #serverAllowedHosts}, and keep in mind that reading needs no token).
         *
         * @param address an IP address literal or host name
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when blank
         */
        public Builder serverAddress(String address) {
            if (address == null || address.isBlank()) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "server address of '" + name + "' must not be blank");
            }
            this.http = http.withBindAddress(address.trim());
            return this;
        }

        /**
         * Lets {@code PATCH}/{@code POST /<name>} of the {@link #server(int)} listener (and the inspector's patch box)
         * change the document, with {@code Authorization: Bearer <token>} (default off: the listener is read-only and
         * answers writes with 403 {@code ERR_FORBIDDEN}). The token is {@link #serverToken(String)}, or one generated
         * per process and written, with the inspector's URL, into {@code http-<pid>-<port>.json} (mode 0600) in the
         * name's rendezvous folder, where {@code memsync inspect <name>} finds it.
         *
         * @param writable whether HTTP writes are allowed
         * @return this builder
         */
        public Builder serverWritable(boolean writable) {
            this.http = http.withWritable(writable);
            return this;
        }

        /**
         * The write token of the {@link #server(int)} listener instead of a generated one.
         *
         * @param token at least 16 characters, no spaces
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when shorter or containing white space
         */
        public Builder serverToken(String token) {
            if (token == null || token.length() < 16 || !token.chars().noneMatch(Character::isWhitespace)) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "server token of '" + name
                        + "' must be at least 16 characters without white space");
            }
            this.http = http.withToken(token);
            return this;
        }

        /**
         * More {@code Host} header values the {@link #server(int)} listener accepts: a name ({@code myhost}, any port
         * it is reached on is then the bound one) or {@code name:port} (behind a proxy).
         *
         * @param hosts the names
         * @return this builder
         */
        public Builder serverAllowedHosts(String... hosts) {
            this.http = http.withAllowedHosts(List.of(hosts));
            return this;
        }

        /**
         * Origins whose pages may use the {@link #server(int)} listener from a browser, besides its own, e.g.
         * {@code http://localhost:3000} (scheme, host and port as the browser sends them in {@code Origin}).
         *
         * @param origins the origins
         * @return this builder
         */
        public Builder serverAllowedOrigins(String... origins) {
            this.http = http.withAllowedOrigins(List.of(origins));
            return this;
        }

        /**
         * What this process may do (default {@link Role#WRITER}). {@link Role#READER} alone makes it read-only.
         *
         * @param roles one or more roles
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when empty
         */
        public Builder roles(Role... roles) {
            if (roles == null || roles.length == 0) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "roles of '" + name + "' must name at least one role");
            }
            this.roles = EnumSet.copyOf(List.of(roles));
            return this;
        }

        /**
         * The most writers the network admits; the smallest value declared by any live process is in force.
         *
         * @param max at least 1
         * @return this builder
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when below 1
         */
        public Builder maxWriters(int max) {
            this.maxWriters = (int) BuilderSupport.atLeast(name, "maxWriters", max, 1);
            return this;
        }

        /**
         * Makes {@code start()} of a writer wait up to {@code wait} for a free writer slot instead of failing with
         * {@link MemSyncException#ERR_MAX_WRITERS}.
         *
         * @param wait how long to wait, not negative
         * @return this builder
         */
        public Builder waitForWriterSlot(Duration wait) {
            this.waitForWriterSlot = positive(wait, "waitForWriterSlot", true);
            return this;
        }

        /**
         * How long an operation (patch acknowledgement, RPC call, joining) may take (default 30 s).
         *
         * @param timeout positive duration
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout", false);
            return this;
        }

        /**
         * Logs every change and event at INFO (default off).
         *
         * @param log whether to log
         * @return this builder
         */
        public Builder logEvents(boolean log) {
            this.logEvents = log;
            return this;
        }

        /**
         * The base folder for rendezvous folders (default {@code ${java.io.tmpdir}/memsync-<user>}, or the
         * {@code memsync.rendezvous.dir} system property / {@code MEMSYNC_RENDEZVOUS_DIR} environment variable).
         *
         * @param folder base folder; {@code <name>} is created inside it
         * @return this builder
         */
        public Builder rendezvous(Path folder) {
            this.rendezvous = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /**
         * Heartbeat interval of the host (default 100 ms); a host silent for three intervals is suspected.
         *
         * @param interval positive duration
         * @return this builder
         */
        public Builder heartbeat(Duration interval) {
            this.heartbeat = positive(interval, "heartbeat", false);
            return this;
        }

        /**
         * How long a new host waits for live members of the previous term before opening (default 2 s).
         *
         * @param wait not negative
         * @return this builder
         */
        public Builder recoveryWait(Duration wait) {
            this.recoveryWait = positive(wait, "recoveryWait", true);
            return this;
        }

        /**
         * Largest frame accepted on the network (default 16 MiB); bigger ones fail with
         * {@link MemSyncException#ERR_TOO_LARGE}.
         *
         * @param bytes at least 64 KiB
         * @return this builder
         */
        public Builder maxFrameSize(int bytes) {
            this.maxFrameBytes = (int) BuilderSupport.atLeast(name, "maxFrameSize", bytes, 64 * 1024);
            return this;
        }

        /**
         * Makes this process join only: it connects to the live host and never becomes host itself, neither at
         * {@code start()} nor when the host goes away (it then waits for another process to take over, as a client
         * does). Meant for tools and observers such as the {@code memsync} command line; combined with
         * {@code roles(Role.READER)} such a process takes no writer slot either.
         *
         * <p>{@code start()} fails with {@link MemSyncException#ERR_NO_HOST} when no process hosts the name.
         *
         * @return this builder
         */
        public Builder joinOnly() {
            this.joinOnly = true;
            return this;
        }

        /**
         * Largest effect of one update, written out as compact JSON (default 64 MiB): an update whose effect would be
         * larger is refused at submit with {@link MemSyncException#ERR_TOO_LARGE}, and nothing is applied. The host
         * checks it again for every update it orders. Effects larger than {@link #maxFrameSize} travel in chunks.
         *
         * @param bytes at least 1024
         * @return this builder
         */
        public Builder maxEffectSize(long bytes) {
            this.maxEffectBytes = BuilderSupport.atLeast(name, "maxEffectSize", bytes, 1024);
            return this;
        }

        /**
         * Largest document an update may produce, written out as compact JSON (default 256 MiB): an update that would
         * make the document larger is refused at submit with {@link MemSyncException#ERR_TOO_LARGE}, and nothing is
         * applied.
         *
         * @param bytes at least 1024
         * @return this builder
         */
        public Builder maxDocumentSize(long bytes) {
            this.maxDocumentBytes = BuilderSupport.atLeast(name, "maxDocumentSize", bytes, 1024);
            return this;
        }

        /**
         * Deepest nesting an update may produce, the document itself being level 1 (default and most 1,000, the depth
         * the wire and snapshot parser accepts for a document): a deeper update is refused at submit with
         * {@link MemSyncException#ERR_TOO_LARGE}, and nothing is applied.
         *
         * @param levels between 1 and 1000
         * @return this builder
         */
        public Builder maxDepth(int levels) {
            this.maxDepth = (int) BuilderSupport.between(name, "maxDepth", levels, 1, Limits.MAX_DEPTH);
            return this;
        }

        /**
         * What the host holds for one client at most (default 64 MiB and 100,000 frames): a client that has not read
         * more than that (it stopped reading, or reads slower than the host writes) is disconnected with a warning and
         * its queue discarded; it catches up when it reconnects (by snapshot once the entries it missed were
         * compacted). A client that was sent a snapshot on joining may hold that much more.
         *
         * @param bytes  at least 1024
         * @param frames at least 16
         * @return this builder
         */
        public Builder sendBudget(long bytes, int frames) {
            try {
                this.sendBudget = new SendBudget(bytes, frames);
            } catch (MemSyncException e) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "sendBudget of '" + name + "': " + e.detail());
            }
            return this;
        }

        /**
         * How long a connection to this process's listener may take to authenticate before it is refused (default 10 s).
         *
         * @param timeout from 100 ms to 10 min
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = transportTimeout(timeout, "handshakeTimeout", Duration.ofMillis(100), Duration.ofMinutes(10));
            return this;
        }

        /**
         * Silence after which this process's listener closes a connection, authenticated or not (default 15 s, checked
         * every second). Clients acknowledge every heartbeat, so keep it well above {@link #heartbeat}: {@code start()}
         * fails with {@link MemSyncException#ERR_CONFIG} unless it is longer than three heartbeats.
         *
         * @param timeout from 1 s to 1 h
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = transportTimeout(timeout, "idleTimeout", Duration.ofSeconds(1), Duration.ofHours(1));
            return this;
        }

        private Duration transportTimeout(Duration d, String option, Duration min, Duration max) {
            try {
                return WebSocketTransport.within(d, option, min, max);
            } catch (MemSyncException e) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, e.detail() + " (shared object '" + name + "')");
            }
        }

        private Duration positive(Duration d, String option, boolean zeroOk) {
            return BuilderSupport.positive(name, d, option, zeroOk);
        }

        /**
         * Joins the network for the name, or creates it. Returns once this process is host, or is a client holding
         * the current document.
         *
         * @return the started shared object
         * @throws MemSyncException {@link MemSyncException#ERR_MAX_WRITERS}, {@link MemSyncException#ERR_TIMEOUT},
         *                          {@link MemSyncException#ERR_CONFIG}, {@link MemSyncException#ERR_IO},
         *                          {@link MemSyncException#ERR_NO_HOST} (only {@link #joinOnly()})
         */
        public SharedObject<JsonObject> start() {
            return start(JsonObject.class);
        }

        /**
         * Like {@link #start()}, binding {@link SharedObject#value()} to a Java type through JSON-B.
         *
         * @param type the record or POJO type of the document
         * @param <T>  the type
         * @return the started shared object
         */
        public <T> SharedObject<T> start(Class<T> type) {
            Objects.requireNonNull(type, "type");
            SharedObject<T> shared = EngineWiring.sharedObject(options(), type);
            shared.start();
            return shared;
        }

        /**
         * The settings as collected, for the engine.
         *
         * @return the options
         */
        SharedObjectOptions options() {
            if (idleTimeout.compareTo(heartbeat.multipliedBy(3)) <= 0) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "idleTimeout of '" + name + "' (" + idleTimeout
                        + ") must be longer than three heartbeats (" + heartbeat.multipliedBy(3)
                        + "): the listener would close healthy connections");
            }
            Set<Role> effectiveRoles = EnumSet.copyOf(roles);
            if (!rpc.isEmpty()) {
                effectiveRoles.add(Role.RPC);
            }
            return new SharedObjectOptions(name, data, rpc.handlers(), file, serverPort, Set.copyOf(effectiveRoles), maxWriters,
                    waitForWriterSlot, timeout, logEvents, rendezvous, heartbeat, recoveryWait, maxFrameBytes, joinOnly, http,
                    new SharedObjectOptions.Persistence(storage, durability, acks),
                    new Limits(maxEffectBytes, maxDocumentBytes, maxDepth), sendBudget, handshakeTimeout, idleTimeout);
        }
    }
}
