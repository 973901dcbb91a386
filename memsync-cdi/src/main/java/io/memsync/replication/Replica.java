package io.memsync.replication;

import io.memsync.MemSyncException;
import io.memsync.Precondition;
import io.memsync.Update;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One process's membership in one named network: it either hosts (orders every update) or follows the host as a
 * client, and takes over when the host dies. Transport-independent: it reaches other processes only through a
 * {@link Transport}, finds the host through an {@link Election} and checks members with a {@link Liveness}.
 *
 * <p><b>Roles.</b> This class is the role switch: the public API and the wiring of the parts that do the work:
 * {@link ReplicaLifecycle} (start and stop of a run), {@link ReplicaState} (the log, pending updates and the view),
 * {@link HostSearch} (finding a host),
 * {@link ClientSession} (the session with the host), {@link HostSession} (the host's protocol),
 * {@link HostOrdering} (ordering and broadcast), {@link HostRecovery} (a new host's recovery), {@link Messaging}
 * (RPC and events) and {@link WriterAdmission} (the writer cap).
 *
 * <p><b>Threading.</b> All state changes run holding one lock per replica ({@link ReplicaLoop}), so updates are
 * applied one at a time in arrival order: timers, channel closes and API calls run on the replica's event thread (a
 * single-thread scheduler), while incoming frames and local submits run on the thread that brought them (no
 * hand-off on the hot path). {@link #view()} and {@link #status()} read volatile snapshots and never block. Listener
 * calls are made holding the lock, in order, one at a time.
 *
 * <p><b>Protocol.</b> One {@link Frame} record per message, encoded and decoded only by {@link FrameCodec}:
 * {@code Hello}, {@code Patch}, {@code Ack} (sent on each heartbeat and when asked by {@code Sync}, not per entry),
 * {@code Tail}, {@code Bye} from clients; {@code Welcome}, {@code Entries}, {@code Heartbeat}, {@code Sync},
 * {@code Pull}, {@code Handover}, {@code Refuse} from the host; pings, events, calls, results, snapshot chunks and
 * error reports both ways. A frame that does not decode is a {@link ProtocolException}, met in one place per side. A client
 * learns the outcome of its update from the ordered entry itself. Rejections are ordered entries without an effect
 * (they consume a version), so their outcome replicates with the log and with snapshots.
 */
public final class Replica {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());

    private final ReplicaOptions options;
    private final ReplicaListener listener;
    private final ReplicaEnvironment env;
    /** The event loop and the one lock that guards every part below. */
    final ReplicaLoop loop;
    /** The log, the pending updates and the view. */
    final ReplicaState state;
    /** RPC calls, relays, events and pings. */
    final Messaging messaging;
    /** The writer cap: who counts, grants issued and freed. */
    final WriterAdmission admission;
    final HostSearch search;
    final ClientSession client;
    final HostSession host;
    final HostOrdering ordering;
    final HostRecovery recovery;
    /** The host's store and the gating of acknowledgements on durability and replicas. */
    final HostPersistence persistence;
    /** This replica's own updates, from submit until sent or ordered. */
    final LocalUpdates localUpdates;
    /** Start and stop of the current run, its deadlines and its heartbeat timer. */
    final ReplicaLifecycle lifecycle;
    private volatile ReplicaStatus status;

    // ---- guarded by the lock ----
    private ReplicaStatus.Role role = ReplicaStatus.Role.STOPPED;
    private String peerId = "";
    private List<String> peers = List.of();
    /** The members' pending counts, parallel to {@link #peers} or empty when unknown. */
    private List<Integer> peersPending = List.of();

    /**
     * Creates a replica; nothing happens until {@link #start()}.
     *
     * @param options   options
     * @param transport how to listen and connect
     * @param election  the host lease and record
     * @param liveness  member liveness checks
     * @param listener  receives view and role changes
     */
    public Replica(ReplicaOptions options, Transport transport, Election election, Liveness liveness,
                   ReplicaListener listener) {
        this(options, transport, election, liveness, listener, ReplicaEnvironment.system());
    }

    /**
     * Creates a replica that takes its time, threads and randomness from {@code env} (a simulated one runs a whole
     * cluster on one thread); nothing happens until {@link #start()}.
     *
     * @param options   options
     * @param transport how to listen and connect
     * @param election  the host lease and record
     * @param liveness  member liveness checks
     * @param listener  receives view and role changes
     * @param env       time, scheduling and randomness
     */
    public Replica(ReplicaOptions options, Transport transport, Election election, Liveness liveness,
                   ReplicaListener listener, ReplicaEnvironment env) {
        this.env = env;
        this.options = options;
        this.listener = listener;
        this.lifecycle = new ReplicaLifecycle(this, options, env, election);
        this.loop = new ReplicaLoop(options.name(), this::touch, () -> role == ReplicaStatus.Role.STOPPED);
        this.state = new ReplicaState(options, listener, () -> peerId, () -> lifecycle.started().isDone());
        this.search = new HostSearch(this, options, env, election, transport);
        this.client = new ClientSession(this, options, env, election, state);
        this.host = new HostSession(this, options, env, election, liveness, transport, state);
        this.ordering = new HostOrdering(this, options, state);
        this.recovery = new HostRecovery(this, options, state);
        this.persistence = new HostPersistence(this, options, env, state);
        state.persistence = persistence;
        this.localUpdates = new LocalUpdates(this, options, env, state);
        this.messaging = new Messaging(options, listener, new MessagingWiring());
        this.admission = new WriterAdmission(options, state.log, host.admissionWiring());
        this.status = new ReplicaStatus(ReplicaStatus.Role.STOPPED, 0, 0, "", List.of(), 0);
    }

    // =====================================================================================================
    // public API
    // =====================================================================================================

    /**
     * Joins the network: becomes host (after recovering the document from live members of the old term, if any)
     * or connects as a client and receives the document. Blocks until this replica has the document.
     *
     * @throws MemSyncException {@code ERR_TIMEOUT} when nothing worked within {@link ReplicaOptions#timeout()},
     *                          {@code ERR_MAX_WRITERS} when the host refused this writer, {@code ERR_STOPPED} when
     *                          stopped meanwhile
     * @throws IllegalStateException when already started
     */
    public void start() {
        CompletableFuture<Void> s = startAsync();
        try {
            s.get(lifecycle.startBudget().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            stop();
            throw e.getCause() instanceof MemSyncException m ? m
                    : new MemSyncException(MemSyncException.ERR_IO, "start of '" + options.name() + "' failed", e.getCause());
        } catch (TimeoutException e) {
            stop();
            throw new MemSyncException(MemSyncException.ERR_TIMEOUT, "start of '" + options.name() + "' timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new MemSyncException(MemSyncException.ERR_STOPPED, "interrupted while starting '" + options.name() + "'");
        }
    }

    /**
     * Starts joining the network without waiting (see {@link #start()}); the stage completes when this replica has
     * the document, or fails as {@link #start()} would throw. A failed start leaves the replica to be stopped.
     *
     * @return the start's outcome
     * @throws IllegalStateException when already started
     */
    CompletableFuture<Void> startAsync() {
        return lifecycle.startAsync();
    }

    /**
     * Gives this replica a store to persist the replicated log in while it hosts, and the acknowledgement mode (see
     * {@link HostPersistence}: acknowledgements wait for the record's durability, and with {@code replicaAcks} a
     * host's own accepted update also for another process to hold its entry). Call before {@link #start()}.
     *
     * @param store       the store, or {@code null} for none
     * @param replicaAcks whether the host's own updates wait for another process to hold their entries
     * @throws IllegalStateException when started
     */
    public synchronized void persistence(Persistence store, boolean replicaAcks) {
        if (loop.current() != null) {
            throw new IllegalStateException("replica '" + options.name() + "' already started");
        }
        persistence.configure(store, replicaAcks);
    }

    /**
     * Writes a snapshot of the confirmed state to the store now (only the host writes its store).
     *
     * @return completes when written; fails with {@code ERR_CONFIG} without a store or on a client, {@code ERR_IO}
     *         when persistence fails, {@code ERR_STOPPED} when stopped
     */
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (!loop.post(() -> persistence.flushSnapshot(f, role == ReplicaStatus.Role.STOPPED ? stoppedException() : null))) {
            f.completeExceptionally(stoppedException());
        }
        return f;
    }

    /**
     * Emits an event to every process of the network, this one included (delivered through
     * {@link ReplicaListener#event}). Fire-and-forget: while no host is reachable events are queued, and an event
     * may be lost when the host dies.
     *
     * @param event   the event name
     * @param payload the payload
     * @return {@code false} when the replica is stopped
     * @throws io.memsync.MemSyncException {@code ERR_TOO_LARGE} when the event's frame would exceed the frame limit
     */
    public boolean emit(String event, JsonValue payload) {
        Frame.Event frame = messaging.eventFrame(event, payload); // ERR_TOO_LARGE at once, on the caller's thread
        return loop.enter(true, () -> {
            if (role == ReplicaStatus.Role.STOPPED) {
                return;
            }
            messaging.emit(frame);
        });
    }

    /**
     * Calls an RPC method served by another process: the host if it serves it, else any client that does. The
     * caller checks its own handlers first. Fails with {@code ERR_RPC_NOT_FOUND}, {@code ERR_RPC_FAILED},
     * {@code ERR_RPC_PEER_GONE} (the serving process or the route to it went away mid-call; the call is not
     * re-executed elsewhere), {@code ERR_TIMEOUT} or {@code ERR_STOPPED}.
     *
     * @param method the RPC name
     * @param args   the arguments
     * @return the result
     */
    public CompletableFuture<JsonValue> call(String method, JsonArray args) {
        CompletableFuture<JsonValue> f = new CompletableFuture<>();
        if (!loop.enter(true, () -> {
            if (role == ReplicaStatus.Role.STOPPED) {
                f.completeExceptionally(stoppedException());
                return;
            }
            messaging.call(method, args, f);
        })) {
            f.completeExceptionally(stoppedException());
        }
        return f;
    }

    /** What {@link Messaging} sees of this replica (called holding the lock). */
    private final class MessagingWiring implements Messaging.Wiring {
        @Override
        public ReplicaStatus.Role role() {
            return role;
        }

        @Override
        public String peerId() {
            return peerId;
        }

        @Override
        public Channel syncedHost() {
            return client.syncedHost();
        }

        @Override
        public java.util.Collection<Peer> connections() {
            return host.connections();
        }

        @Override
        public void flushFirst() {
            ordering.flushFirst();
        }

        @Override
        public ReplicaEnvironment.Timer schedule(Runnable r, long millis) {
            return loop.schedule(r, millis);
        }

        @Override
        public boolean enter(boolean wait, Runnable r) {
            return loop.enter(wait, r);
        }

        @Override
        public long nanoTime() {
            return env.nanoTime();
        }
    }

    /**
     * The current view: the confirmed document with this replica's pending updates re-evaluated on top (a pending
     * update that no longer evaluates is left out). Immutable; never half-applied.
     *
     * @return the view
     */
    public JsonObject view() {
        return state.view();
    }

    /**
     * Submits an update. It is applied to the view before this method returns (read-your-writes) and sent to the
     * host, which orders it.
     *
     * <p>The stage completes with the {@link Outcome} once the host ordered it, or fails with a
     * {@link MemSyncException}: {@code ERR_STALE_PATCH}, {@code ERR_PRECONDITION} or {@code ERR_INVALID_PATCH}
     * (definite rejections: the update is rolled back from the view), {@code ERR_READ_ONLY} (this replica is not a
     * writer), {@code ERR_STOPPED}, or {@code ERR_TIMEOUT}, which means <em>outcome unknown</em>: the update stays
     * pending, is re-sent after reconnects and deduplicated, and may still apply.
     *
     * @param update       the update
     * @param precondition a precondition the host checks, or {@code null}
     * @return the outcome stage
     */
    public CompletableFuture<Outcome> submit(Update update, Precondition precondition) {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        ReplicaEnvironment.EventLoop l = loop.current();
        if (l == null) {
            f.completeExceptionally(stoppedException());
            return f;
        }
        if (l.inLoop()) {
            localUpdates.submit(update, precondition, f);
            touch();
            return f;
        }
        loop.safely(() -> {
            if (loop.current() == null) {
                f.completeExceptionally(stoppedException());
            } else {
                localUpdates.submit(update, precondition, f);
            }
        });
        return f;
    }

    /**
     * The replica's current state.
     *
     * @return status
     */
    public ReplicaStatus status() {
        return status;
    }

    /**
     * Measures a round trip to the host. On the host it completes at once.
     *
     * @return the round-trip time; fails with {@code ERR_TIMEOUT} or {@code ERR_STOPPED}
     */
    public CompletableFuture<Duration> ping() {
        CompletableFuture<Duration> f = new CompletableFuture<>();
        if (!loop.post(() -> {
            if (role == ReplicaStatus.Role.HOST) {
                messaging.hostPing(f);
            } else if (role == ReplicaStatus.Role.STOPPED) {
                f.completeExceptionally(stoppedException());
            } else {
                messaging.ping(f);
            }
        })) {
            f.completeExceptionally(stoppedException());
        }
        return f;
    }

    /**
     * Whether other members are known.
     *
     * @return {@code true} when the network has another member
     */
    public boolean hasPeers() {
        return status.peers().size() > 1;
    }

    /**
     * Stops gracefully. A client leaves; a host hands over: it stops ordering, waits (bounded by the timeout) until
     * every client acknowledged its last version, publishes the handover version, releases the lease and closes.
     * Pending updates fail with {@code ERR_STOPPED}. Afterwards {@link #start()} may be called again (with a fresh
     * peer id). Must not be called from a listener.
     *
     * @throws IllegalStateException when called on the replica's event thread (from a listener)
     */
    public void stop() {
        ReplicaEnvironment.EventLoop l = loop.current();
        if ((l != null && l.inLoop()) || loop.heldByCurrentThread()) {
            throw new IllegalStateException("stop() must not be called from a listener or a completion callback that runs"
                    + " inside '" + options.name() + "' (hand it to another thread)");
        }
        CompletableFuture<Void> s = stopAsync();
        if (s == null) {
            return;
        }
        try {
            s.get(options.timeout().toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "stop of " + options.name() + " did not finish cleanly", e);
        }
        synchronized (this) {
            if (loop.current() == l) {
                l.shutdownNow();
                loop.set(null);
            }
        }
    }

    /**
     * Begins a graceful stop without waiting (see {@link #stop()}); the event loop is shut down once it finished.
     *
     * @return the stop's completion, or {@code null} when not started
     */
    CompletableFuture<Void> stopAsync() {
        return lifecycle.stopAsync();
    }

    /** Test hook: the number of writer grants this replica's log holds (read on the event loop or in a simulation). */
    int writerGrants() {
        return state.log.grants().size();
    }

    /** Test hook: simulates a crash (the event thread stops at once; nothing is sent or released). */
    void kill() {
        synchronized (this) {
            ReplicaEnvironment.EventLoop l = loop.current();
            if (l != null) {
                l.shutdownNow();
                loop.set(null);
            }
            status = new ReplicaStatus(ReplicaStatus.Role.STOPPED, status.term(), status.version(), status.peerId(),
                    List.of(), 0);
        }
    }

    // =====================================================================================================
    // what the parts share (called holding the lock)
    // =====================================================================================================

    /** @return this replica's role */
    ReplicaStatus.Role role() {
        return role;
    }

    /** @return this run's peer id */
    String peerId() {
        return peerId;
    }

    /** @param p this run's peer id */
    void peerId(String p) {
        peerId = p;
    }

    /** @return the outcome of the current start */
    CompletableFuture<Void> started() {
        return lifecycle.started();
    }

    /** @return when the current start gives up (nano clock) */
    long startDeadline() {
        return lifecycle.startDeadline();
    }

    /** @return until when a writer waits for a slot at start (nano clock) */
    long slotDeadline() {
        return lifecycle.slotDeadline();
    }

    /** @return whether a graceful stop is under way */
    boolean stopping() {
        return lifecycle.stopping();
    }

    /** @param s whether a graceful stop is under way */
    void stopping(boolean s) {
        lifecycle.stopping(s);
    }

    /** @return the members as last published or heard */
    List<String> peers() {
        return peers;
    }

    /** @param p the members as published or heard (their pending counts become unknown) */
    void peers(List<String> p) {
        peers(p, List.of());
    }

    /**
     * @param p       the members as published or heard
     * @param pending their pending counts in the same order, or empty when unknown
     */
    void peers(List<String> p, List<Integer> pending) {
        peers = p;
        if (!pending.equals(peersPending)) {
            peersPending = List.copyOf(pending); // replaced only on a change: touch() compares it cheaply
        }
    }

    /** Refreshes the published {@link #status()}. */
    void touch() {
        ReplicaStatus s = status;
        ReplicatedLog log = state.log;
        int pendingCount = state.pending.size();
        boolean recovering = recovery.active();
        if (s == null || s.role() != role || s.term() != log.term() || s.version() != log.version() || !s.peers().equals(peers)
                || s.pendingCount() != pendingCount || !s.peerId().equals(peerId) || s.recovering() != recovering
                || !java.util.Objects.equals(s.persistenceFailure(), persistence.failure())
                || !s.peersPending().equals(peersPending)) {
            status = new ReplicaStatus(role, log.term(), log.version(), peerId, peers, pendingCount, recovering,
                    persistence.failure(), peersPending);
        }
    }

    /**
     * Changes the role and tells the listener.
     *
     * @param r the new role
     */
    void setRole(ReplicaStatus.Role r) {
        if (role != r) {
            role = r;
            touch();
            try {
                listener.roleChanged(status);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "listener failed", e);
            }
        }
    }

    /** @return the failure of anything asked of a stopped replica */
    MemSyncException stoppedException() {
        return new MemSyncException(MemSyncException.ERR_STOPPED, "shared object '" + options.name() + "' is stopped",
                null, state.log.term(), state.log.version());
    }

    /** (Re)starts the heartbeat timer. */
    void startTicker() {
        lifecycle.startTicker();
    }

    /** Says goodbye to the host (if connected), closes and stops. */
    void leave() {
        lifecycle.leave();
    }

    /** Ends a stop (or a failed start): everything still waiting fails with {@code ERR_STOPPED}. */
    void finishStop() {
        lifecycle.finishStop();
    }
}
