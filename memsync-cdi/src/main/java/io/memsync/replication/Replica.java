package io.memsync.replication;

import io.memsync.document.JsonProviders;
import io.memsync.MemSyncChange;
import io.memsync.MemSyncException;
import io.memsync.Precondition;
import io.memsync.Update;
import io.memsync.document.Filters;
import io.memsync.document.PersistentJson;
import io.memsync.document.UpdateEvaluator;
import io.memsync.replication.PendingUpdates.Pending;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One process's membership in one named network: it either hosts (orders every update) or follows the host as a
 * client, and takes over when the host dies. Transport-independent: it reaches other processes only through a
 * {@link Transport}, finds the host through an {@link Election} and checks members with a {@link Liveness}.
 *
 * <p><b>Threading.</b> All state changes run holding one lock per replica, so updates are applied one at a time in
 * arrival order: timers, channel closes and API calls run on the replica's event thread (a single-thread
 * scheduler), while incoming frames and local submits run on the thread that brought them (no hand-off on the hot
 * path). {@link #view()} and {@link #status()} read volatile snapshots and never block. Listener calls are made
 * holding the lock, in order, one at a time.
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
    /** How often a connect under way checks whether a newer host appeared. */
    private static final long CONNECT_RECHECK_MS = 20;

    private final ReplicaOptions options;
    private final Transport transport;
    private final Election election;
    private final Liveness liveness;
    private final ReplicaListener listener;
    private final ReplicaEnvironment env;
    /**
     * Guards the replica state. Events run on the event thread while holding it; {@link #submit} from another
     * thread applies its update to the view while holding it instead of handing over to the event thread (so a
     * patch is visible at once without a thread switch), frames are handled on the transport thread that
     * received them, holding it (no hand-off per frame), and {@link #call}, {@link #emit} and the results of local
     * RPC handlers run on their callers' threads too (see {@link #enter}). Listeners are called with it held and
     * must not block.
     * A {@link ReentrantLock}, not a monitor, so a virtual thread waiting for it does not pin its carrier on JDK 21.
     */
    private final ReentrantLock state = new ReentrantLock();

    private volatile ReplicaEnvironment.EventLoop loop;
    private volatile JsonObject view = JsonValue.EMPTY_JSON_OBJECT;
    private volatile ReplicaStatus status;

    // ---- state, touched only on the event thread ----
    private ReplicaStatus.Role role = ReplicaStatus.Role.STOPPED;
    private String peerId = "";
    /** The confirmed state: document, (term, version), retained entries, exactly-once table, writer grants. */
    private final ReplicatedLog log = new ReplicatedLog();
    /** This replica's unordered updates, oldest first (guarded by {@link #state}). */
    private final PendingUpdates pending;
    private long hlc;
    private CompletableFuture<Void> started = new CompletableFuture<>();
    private CompletableFuture<Void> stopped = new CompletableFuture<>();
    private long startDeadline;
    private List<String> peers = List.of();
    private ReplicaEnvironment.Timer ticker;
    // client
    private Channel hostChannel;
    private boolean synced;
    private volatile long lastHeard;
    /** Client: the snapshot being received from the host (chunks in order), else idle. */
    private SnapshotChunks.Assembler snapIn;
    /** Client: why the last snapshot from the host could not be installed, or {@code null}. */
    private ProtocolException snapFailure;
    // host
    private Election.Lease lease;
    private Transport.Listener listenerHandle;
    private final Map<Channel, Peer> conns = new LinkedHashMap<>();
    private boolean recovering;
    /** A connection to a host is being opened (off the lock); {@link #seek} waits for its outcome. */
    private boolean connecting;
    private long connectGen;
    private boolean stopping;
    private Set<String> awaiting = new HashSet<>();
    private List<HostRecord.Member> oldMembers = List.of();
    private final List<Runnable> held = new ArrayList<>();
    /**
     * Connections whose hello waits in {@link #held} (a process the old term did not know, during recovery). A
     * client sends its pending patches right after its hello, so their frames wait there too, behind the hello.
     */
    private final Set<Channel> heldHellos = new HashSet<>();
    /**
     * Host: processes whose connection dropped without a goodbye, by peer id. They stay members of the term in the
     * published record while they are alive: such a process reconnects, and it may hold acknowledged entries that
     * a next host must gather, so a next host must wait for it like for a connected one.
     */
    private final Map<String, HostRecord.Member> lingering = new HashMap<>();
    private Peer pulling;
    private final List<Entry> outbox = new ArrayList<>();
    private boolean flushScheduled;
    /**
     * Set while a frame from a channel that {@linkplain Channel#endsBatches ends its batches} is handled: the flush
     * its updates need is then left to {@code onBatchEnd} on the same thread, instead of posted to the event thread
     * (a wake-up of that thread per message, which then finds nothing to do).
     */
    private boolean flushAtBatchEnd;
    /** RPC calls, relays, events and pings (guarded by {@link #state}). */
    private final Messaging messaging;
    private long slotDeadline;
    /** When the host last refused this writer for want of a slot (0: never since start). */
    private long lastRefusedAt;
    private long seekDelay = 1;
    private volatile CompletableFuture<Transport.Listener> prestarted;
    private long lostAt;
    /** The writer cap: who counts, grants issued and freed (guarded by {@link #state}). */
    private final WriterAdmission admission;
    /** This run's mark as running in the rendezvous; closed at stop, lost with the process. */
    private Election.Registration registration;

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
        this.transport = transport;
        this.election = election;
        this.liveness = liveness;
        this.listener = listener;
        this.pending = new PendingUpdates(options.name());
        this.messaging = new Messaging(options, listener, new MessagingWiring());
        this.admission = new WriterAdmission(options, log, new AdmissionWiring());
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
            s.get(startBudget().toMillis() + 1000, TimeUnit.MILLISECONDS);
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
        CompletableFuture<Void> s;
        synchronized (this) {
            if (loop != null) {
                throw new IllegalStateException("replica '" + options.name() + "' already started");
            }
            loop = env.newEventLoop(options.name());
            s = new CompletableFuture<>();
            started = s;
            stopped = new CompletableFuture<>();
            // pending updates time out with a precision of a tenth of the timeout (at most 100 ms)
            every(Math.clamp(options.timeout().toMillis() / 10, 1, 100), this::sweepTimeouts);
            post(() -> {
                resetState();
                peerId = newPeerId();
                try {
                    registration = election.register(peerId);
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, options.name() + ": cannot mark this replica running in the"
                            + " rendezvous (a next host may then wait for it after it stopped): " + e);
                }
                startDeadline = env.nanoTime() + startBudget().toNanos();
                slotDeadline = env.nanoTime() + options.writerSlotWait().toNanos();
                setRole(ReplicaStatus.Role.CONNECTING);
                prestartListener(); // in the background, from the start: a failover may come early
                seek();
            });
        }
        return s;
    }

    /**
     * Starts this process's listener in the background while it is a client, with a secret nobody knows, so that
     * taking over as host after a failover does not pay for starting a server (the first WebServer of a JVM takes
     * a second or more).
     */
    private void prestartListener() {
        if (listenerHandle != null) {
            return;
        }
        CompletableFuture<Transport.Listener> future = new CompletableFuture<>();
        prestarted = future;
        env.spawn("memsync-prestart-" + options.name(), () -> {
            Transport.Listener l;
            byte[] secret = randomSecret();
            try {
                l = transport.listen(options.name(), secret, this::acceptHandler);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": no pre-started listener: " + e);
                future.complete(null);
                return;
            }
            // one authenticated connection to ourselves loads and warms the accepting side's code now, not during
            // a failover (the first accepted connection of a JVM costs tens of milliseconds); the listener is handed
            // over only after it, since a host that adopts it changes its secret and would refuse this connection
            try {
                transport.connect(l.endpoint(), options.name(), secret, new ChannelHandler() {
                    @Override
                    public void onFrame(Channel channel, String frame) {
                    }

                    @Override
                    public void onClose(Channel channel) {
                    }
                }, connectTimeout()).close();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": listener warm-up failed: " + e);
            }
            future.complete(l);
            if (!post(() -> {
                if (listenerHandle == null && role != ReplicaStatus.Role.STOPPED) {
                    listenerHandle = l;
                } else if (listenerHandle != l) {
                    env.spawn("memsync-listener-close", l::close); // off the lock
                }
            })) {
                l.close();
            }
        });
    }

    private byte[] randomSecret() {
        byte[] secret = new byte[32];
        env.random().nextBytes(secret);
        return secret;
    }

    /** Connecting includes the TLS-free WebSocket upgrade and the handshake; the first one in a JVM is slow. */
    private Duration connectTimeout() {
        long ms = Math.max(2000, options.heartbeatInterval().toMillis() * 5);
        return Duration.ofMillis(Math.min(ms, options.timeout().toMillis()));
    }

    private Duration startBudget() {
        return options.timeout().compareTo(options.writerSlotWait()) >= 0 ? options.timeout()
                : options.writerSlotWait().plus(options.timeout());
    }

    /**
     * Emits an event to every process of the network, this one included (delivered through
     * {@link ReplicaListener#event}). Fire-and-forget: while no host is reachable events are queued, and an event
     * may be lost when the host dies.
     *
     * @param event   the event name
     * @param payload the payload
     * @return {@code false} when the replica is stopped
     */
    public boolean emit(String event, JsonValue payload) {
        return enter(true, () -> {
            if (role == ReplicaStatus.Role.STOPPED) {
                return;
            }
            messaging.emit(event, payload);
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
        if (!enter(true, () -> {
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
            return hostChannel != null && synced ? hostChannel : null;
        }

        @Override
        public java.util.Collection<Peer> connections() {
            return conns.values();
        }

        @Override
        public void flushFirst() {
            Replica.this.flushFirst();
        }

        @Override
        public ReplicaEnvironment.Timer schedule(Runnable r, long millis) {
            return Replica.this.schedule(r, millis);
        }

        @Override
        public boolean enter(boolean wait, Runnable r) {
            return Replica.this.enter(wait, r);
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
        return view;
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
        ReplicaEnvironment.EventLoop l = loop;
        if (l == null) {
            f.completeExceptionally(stoppedException());
            return f;
        }
        if (l.inLoop()) {
            localSubmit(update, precondition, f);
            touch();
            return f;
        }
        safely(() -> {
            if (loop == null) {
                f.completeExceptionally(stoppedException());
            } else {
                localSubmit(update, precondition, f);
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
        if (!post(() -> {
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
        ReplicaEnvironment.EventLoop l = loop;
        if ((l != null && l.inLoop()) || state.isHeldByCurrentThread()) {
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
            if (loop == l) {
                l.shutdownNow();
                loop = null;
            }
        }
    }

    /**
     * Begins a graceful stop without waiting (see {@link #stop()}); the event loop is shut down once it finished.
     *
     * @return the stop's completion, or {@code null} when not started
     */
    CompletableFuture<Void> stopAsync() {
        ReplicaEnvironment.EventLoop l;
        CompletableFuture<Void> s;
        synchronized (this) {
            l = loop;
            s = stopped;
        }
        if (l == null) {
            return null;
        }
        CompletableFuture<Void> done = s.whenComplete((v, e) -> {
            synchronized (this) {
                if (loop == l) {
                    l.shutdownNow();
                    loop = null;
                }
            }
        });
        if (!post(this::beginStop)) {
            s.complete(null);
        }
        return done;
    }

    /** Test hook: the number of writer grants this replica's log holds (read on the event loop or in a simulation). */
    int writerGrants() {
        return log.grants().size();
    }

    /** Test hook: simulates a crash (the event thread stops at once; nothing is sent or released). */
    void kill() {
        synchronized (this) {
            ReplicaEnvironment.EventLoop l = loop;
            if (l != null) {
                l.shutdownNow();
                loop = null;
            }
            status = new ReplicaStatus(ReplicaStatus.Role.STOPPED, status.term(), status.version(), status.peerId(),
                    List.of(), 0);
        }
    }

    // =====================================================================================================
    // event loop plumbing
    // =====================================================================================================

    private boolean post(Runnable r) {
        ReplicaEnvironment.EventLoop l = loop;
        if (l == null) {
            return false;
        }
        try {
            l.execute(() -> safely(r));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private ReplicaEnvironment.Timer schedule(Runnable r, long millis) {
        ReplicaEnvironment.EventLoop l = loop;
        if (l == null) {
            return null;
        }
        try {
            return l.schedule(() -> safely(r), TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis)));
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** Runs {@code r} every {@code millis} on the event loop, holding the state lock, until cancelled or stopped. */
    private ReplicaEnvironment.Timer every(long millis, Runnable r) {
        ReplicaEnvironment.EventLoop l = loop;
        Repeating t = new Repeating(l, TimeUnit.MILLISECONDS.toNanos(millis), () -> safely(r));
        t.next();
        return t;
    }

    /** A timer that schedules its next run when it runs; cancelled by a flag (the pending run finds it set). */
    private static final class Repeating implements ReplicaEnvironment.Timer, Runnable {
        private final ReplicaEnvironment.EventLoop loop;
        private final long periodNanos;
        private final Runnable task;
        private volatile boolean cancelled;

        Repeating(ReplicaEnvironment.EventLoop loop, long periodNanos, Runnable task) {
            this.loop = loop;
            this.periodNanos = periodNanos;
            this.task = task;
        }

        void next() {
            if (cancelled || loop == null) {
                return;
            }
            try {
                loop.schedule(this, periodNanos);
            } catch (RejectedExecutionException e) {
                cancelled = true;
            }
        }

        @Override
        public void run() {
            if (!cancelled) {
                next();
                task.run();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private void safely(Runnable r) {
        state.lock();
        runLocked(r);
    }

    /** Runs {@code r}, the state lock being held by this thread, and releases the lock. */
    private void runLocked(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "replica " + options.name() + " event failed", e);
        } finally {
            touch();
            state.unlock();
        }
    }

    /**
     * Runs work that comes from outside the replica (a user's call, an RPC handler's result) on the calling thread,
     * holding the state lock, instead of waking the event thread for it. It is posted to the event thread instead
     * when this thread already holds the lock (a callback the replica runs, maybe in the middle of walking the
     * state the work changes), when the replica is not running yet or any more (so it sees the state after start,
     * or the stopped one, as before), or, with {@code wait == false}, when another thread holds the lock.
     *
     * @param wait whether to wait for the lock rather than post when it is busy
     * @return {@code false} when the replica is stopped ({@code r} will not run)
     */
    private boolean enter(boolean wait, Runnable r) {
        if (loop == null) {
            return false;
        }
        if (state.isHeldByCurrentThread()) {
            return post(r);
        }
        if (wait) {
            state.lock();
        } else if (!state.tryLock()) {
            return post(r);
        }
        if (role == ReplicaStatus.Role.STOPPED || loop == null) {
            state.unlock();
            return post(r);
        }
        runLocked(r);
        return true;
    }

    /** Runs an event on the calling (transport) thread, holding the state lock, unless the replica is stopped. */
    private void inline(Runnable r) {
        if (loop != null) {
            safely(r);
        }
    }

    private void touch() {
        ReplicaStatus s = status;
        if (s == null || s.role() != role || s.term() != log.term() || s.version() != log.version() || !s.peers().equals(peers)
                || s.pendingCount() != pending.size() || !s.peerId().equals(peerId) || s.recovering() != recovering) {
            status = new ReplicaStatus(role, log.term(), log.version(), peerId, peers, pending.size(), recovering);
        }
    }

    private void setRole(ReplicaStatus.Role r) {
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

    private void resetState() {
        log.clear();
        view = log.document();
        admission.clear();
        pending.reset();
        peers = List.of();
        hostChannel = null;
        connecting = false;
        connectGen++;
        lastRefusedAt = 0;
        synced = false;
        stopping = false;
        recovering = false;
        conns.clear();
        lingering.clear();
        held.clear();
        heldHellos.clear();
        outbox.clear();
        pulling = null;
    }

    private MemSyncException stoppedException() {
        return new MemSyncException(MemSyncException.ERR_STOPPED, "shared object '" + options.name() + "' is stopped",
                null, log.term(), log.version());
    }

    private long nextHlc() {
        hlc = Math.max(hlc + 1, options.clock().millis() * 1000);
        return hlc;
    }

    /** A random 128-bit peer id in 22 URL-safe characters (it travels in every entry: shorter than a UUID's 36). */
    private String newPeerId() {
        byte[] b = new byte[16];
        env.random().nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // =====================================================================================================
    // finding a host
    // =====================================================================================================

    private void seek() {
        if (role == ReplicaStatus.Role.STOPPED || role == ReplicaStatus.Role.HOST || connecting) {
            return;
        }
        if (!started.isDone() && env.nanoTime() > startDeadline) {
            MemSyncException e = new MemSyncException(MemSyncException.ERR_TIMEOUT,
                    "no host for '" + options.name() + "' within " + options.timeout(), null, log.term(), log.version());
            started.completeExceptionally(e);
            return;
        }
        setRole(ReplicaStatus.Role.CONNECTING);
        try {
            Election.Lease l = mayTakeLease() ? election.tryAcquire() : null;
            if (l != null) {
                becomeHost(l);
                return;
            }
            HostRecord rec = election.read();
            // a record that says its host handed over is the previous host's: wait for the next one to publish
            if (rec != null && rec.term() >= log.term() && rec.handoverVersion() < 0) {
                connect(rec);
                return;
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "seek for " + options.name() + ": " + e);
        }
        seekLater();
    }

    /**
     * Whether this replica may try to take the host lease now. A writer waiting for a slot leaves it to the admitted
     * members for a while after its last refusal: if it took over a dead host, it would count as one writer too many
     * next to the admitted ones.
     */
    private boolean mayTakeLease() {
        return lastRefusedAt == 0 || started.isDone()
                || env.nanoTime() - lastRefusedAt >= Math.max(300, 3 * options.heartbeatInterval().toMillis()) * 1_000_000L;
    }

    /** Retries {@link #seek} fast right after losing a host (a new one appears within milliseconds), then backs off. */
    private void seekLater() {
        long cap = env.nanoTime() - lostAt < 2_000_000_000L ? 5 : Math.max(5, options.heartbeatInterval().toMillis() / 2);
        long delay = seekDelay;
        seekDelay = Math.min(cap, seekDelay * 2);
        schedule(this::seek, delay + env.random().nextLong(delay + 1));
    }

    /**
     * Connects to the host on a virtual thread, without holding the state lock: the transport's own threads deliver
     * frames holding it, so waiting for a connection while holding it could stall them. The host sends nothing
     * before our hello, so no frame of the new channel is missed before it is attached.
     */
    private void connect(HostRecord rec) {
        connecting = true;
        long gen = ++connectGen;
        long t0 = env.nanoTime();
        schedule(() -> watchConnect(gen, rec.term()), CONNECT_RECHECK_MS);
        byte[] secret = Base64.getDecoder().decode(rec.secret());
        env.spawn("memsync-connect-" + options.name(), () -> {
            Channel ch;
            try {
                ch = transport.connect(rec.endpoint(), options.name(), secret, clientHandler(), connectTimeout());
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "connect for " + options.name() + " to " + rec.endpoint() + ": " + e);
                post(() -> {
                    if (gen == connectGen) {
                        connecting = false;
                        seekLater();
                    }
                });
                return;
            }
            if (!post(() -> attach(ch, rec, t0, gen))) {
                ch.close();
            }
        });
    }

    /**
     * While a connect is under way, looks for a newer host or a free lease: a connect to a host that was killed a
     * moment ago can hang until its timeout (the dying process's socket still completes the TCP handshake), and the
     * network should not wait for that.
     */
    private void watchConnect(long gen, long connectingTerm) {
        if (!connecting || gen != connectGen || role != ReplicaStatus.Role.CONNECTING) {
            return;
        }
        try {
            // the lease is free only when its holder is gone: then nobody else need wait for this connect either
            Election.Lease l = mayTakeLease() ? election.tryAcquire() : null;
            if (l != null) {
                connectGen++;
                connecting = false;
                becomeHost(l);
                return;
            }
            HostRecord rec = election.read();
            if (rec != null && rec.term() > connectingTerm && rec.handoverVersion() < 0) {
                LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": a host of term " + rec.term()
                        + " appeared while connecting to term " + connectingTerm + "; switching");
                connect(rec); // the pending connect's outcome is ignored (older generation)
                return;
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "host record of " + options.name() + ": " + e);
            if (!connecting) { // the lease was taken but becoming host failed: look for a host again
                seekLater();
                return;
            }
        }
        schedule(() -> watchConnect(gen, connectingTerm), CONNECT_RECHECK_MS);
    }

    private void attach(Channel ch, HostRecord rec, long t0, long gen) {
        if (gen != connectGen || role != ReplicaStatus.Role.CONNECTING || hostChannel != null) {
            ch.close(); // a connect from before a stop or restart
            return;
        }
        connecting = false;
        if (!ch.isOpen()) { // closed between authentication and now: its close was reported to nobody
            seekLater();
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": connected to the host of term " + rec.term()
                + " in " + (env.nanoTime() - t0) / 1000 + " us");
        log.observeTerm(rec.term());
        hostChannel = ch;
        synced = false;
        snapIn = newAssembler();
        snapFailure = null;
        lastHeard = env.nanoTime();
        sendHello();
        startTicker();
    }

    private ChannelHandler clientHandler() {
        return new ChannelHandler() {
            @Override
            public void onFrame(Channel channel, String frame) {
                // heard now, even if the event thread is busy and handles the frame later
                lastHeard = env.nanoTime();
                Frame.ToClient decoded;
                try {
                    decoded = FrameCodec.decodeToClient(frame);
                } catch (ProtocolException e) {
                    // the one place a client meets a frame it cannot use: logged, never a crash
                    inline(() -> {
                        if (channel == hostChannel) {
                            lastHeard = env.nanoTime();
                            LOG.log(System.Logger.Level.WARNING, options.name() + ": malformed frame from host ignored: "
                                    + e.getMessage());
                        }
                    });
                    return;
                }
                inline(() -> {
                    if (channel == hostChannel) {
                        clientFrame(decoded);
                    }
                });
            }

            @Override
            public void onClose(Channel channel) {
                post(() -> {
                    if (channel == hostChannel) {
                        lostHost();
                    }
                });
            }
        };
    }

    private void lostHost() {
        seekDelay = 1;
        lostAt = env.nanoTime();
        Channel ch = hostChannel;
        hostChannel = null;
        synced = false;
        if (ch != null) {
            ch.close();
        }
        messaging.hostLost();
        if (role != ReplicaStatus.Role.STOPPED && !stopping) {
            seek();
        }
    }

    /**
     * Fails the futures of pending updates whose {@code timeout} passed (they stay pending: the outcome is unknown
     * and may still arrive). One periodic sweep instead of a timer per update: deadlines grow with the sequence, so
     * it stops at the first update still in time.
     */
    private void sweepTimeouts() {
        pending.sweepTimeouts(env.nanoTime(), options.timeout(), log.term(), log.version());
    }

    private void startTicker() {
        if (ticker != null) {
            ticker.cancel();
        }
        ticker = loop == null ? null : every(options.heartbeatInterval().toMillis(), this::tick);
    }

    private void tick() {
        if (stopping && role != ReplicaStatus.Role.HOST) {
            return; // a client leaving only waits for its outcomes
        }
        if (role == ReplicaStatus.Role.HOST) {
            hostTick();
        } else if (hostChannel != null
                && env.nanoTime() - lastHeard > 3 * options.heartbeatInterval().toNanos()) {
            suspectHost();
        }
    }

    /**
     * The host missed its heartbeats. That only makes this client try the lease: a host that still holds it is
     * paused or busy, not gone, so the connection is kept (dropping it would lose events and RPC calls in flight);
     * a dead host's lease is free and this client takes over.
     */
    private void suspectHost() {
        try {
            Election.Lease l = election.tryAcquire();
            if (l != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": host missed heartbeats and its lease is free");
                Channel ch = hostChannel;
                hostChannel = null;
                synced = false;
                if (ch != null) {
                    ch.close();
                }
                messaging.failSentCalls("the host stopped answering");
                try {
                    becomeHost(l);
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, options.name() + ": cannot take over as host: " + e);
                    seek();
                }
                return;
            }
            HostRecord rec = election.read();
            if (rec != null && rec.term() > log.term()) {
                LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": a newer host (term " + rec.term() + ") exists");
                lostHost();
                return;
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": lease check failed: " + e);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": host missed heartbeats but holds its lease; waiting");
        lastHeard = env.nanoTime(); // check again after another heartbeat window
    }

    // =====================================================================================================
    // client side
    // =====================================================================================================

    private void sendHello() {
        hostChannel.send(FrameCodec.encode(new Frame.Hello(peerId, options.pid(), options.processStartTime(),
                options.writer(), options.maxWriters(), log.hasDocument(), log.lastTerm(), log.version(), pending.size(),
                List.copyOf(options.rpcNames()))));
        for (Pending p : pending.all()) {
            sendPatch(p);
        }
    }

    private void sendPatch(Pending p) {
        p.sent = true;
        hostChannel.send(p.frame != null ? p.frame : patchFrame(p));
    }

    /** The patch frame of a pending update. */
    private static String patchFrame(Pending p) {
        return FrameCodec.encode(new Frame.Patch(p.seq, p.base, p.hlc, p.update, p.pre));
    }

    /** Whether a frame's UTF-8 form exceeds the frame limit (measured only when it might). */
    private boolean overFrameLimit(String frame) {
        long max = options.maxFrameBytes();
        if (frame.length() * 3L <= max) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < frame.length(); i++) {
            char c = frame.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 2 : 3;
        }
        return bytes > max;
    }

    private void clientFrame(Frame.ToClient frame) {
        lastHeard = env.nanoTime();
        try {
            switch (frame) {
                case Frame.Heartbeat hb -> {
                    log.observeTerm(hb.term());
                    peers = hb.peers();
                    log.compact(hb.lowWater());
                    sendAck(); // acknowledgements ride on the heartbeat (the host needs them only to compact)
                }
                case Frame.Sync s -> sendAck(); // the host is handing over and waits for everyone to have everything
                case Frame.SnapChunk c -> {
                    try {
                        snapIn.accept(c).ifPresent(this::installState);
                    } catch (ProtocolException e) {
                        snapFailure = e;
                        LOG.log(System.Logger.Level.WARNING, options.name() + ": snapshot from the host refused: "
                                + e.getMessage());
                    }
                }
                case Frame.Welcome w -> welcomed(w);
                case Frame.Event e -> messaging.deliverEvent(e);
                case Frame.Handover h -> {
                    LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": the host handed over at " + h.version());
                    lostHost();
                }
                case Frame.Ping p -> hostChannel.send(FrameCodec.encode(new Frame.Pong(p.id())));
                case Frame.Result r -> messaging.clientResult(r);
                case Frame.Call c -> messaging.clientCall(hostChannel, c);
                case Frame.Entries e -> applyEntries(e.entries());
                case Frame.Pong p -> messaging.clientPong(p);
                case Frame.Pull p -> {
                    // only the entries the new host lacks when our logs agree at its position, else everything
                    long lv = p.lastVersion();
                    if (p.hasDocument() && lv >= log.base() && lv <= log.version() && log.termAt(lv) == p.lastTerm()) {
                        hostChannel.send(FrameCodec.encode(new Frame.Tail(log.entriesAfter(lv))));
                    } else {
                        sendState(hostChannel);
                    }
                }
                case Frame.Refuse r -> refused(r);
                case Frame.ErrorReport e -> LOG.log(System.Logger.Level.WARNING,
                        options.name() + ": host reported " + e.code() + ": " + e.message());
            }
        } catch (GapException e) {
            LOG.log(System.Logger.Level.WARNING, options.name() + ": " + e.getMessage() + "; reconnecting");
            lostHost();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, options.name() + ": bad frame from host: " + e);
        }
    }

    /** The host admitted this replica: it joins, unless the document did not arrive. */
    private void welcomed(Frame.Welcome w) {
        LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": welcomed by the host of term " + w.term());
        if (!log.hasDocument()) {
            // the document did not arrive (a snapshot that failed): never join with an empty one
            MemSyncException e = new MemSyncException(MemSyncException.ERR_PROTOCOL, "'" + options.name()
                    + "': the host's welcome came without a usable document"
                    + (snapFailure == null ? "" : " (" + snapFailure.getMessage() + ")"), null, log.term(), log.version());
            if (!started.isDone()) {
                started.completeExceptionally(e);
                Channel ch = hostChannel;
                hostChannel = null;
                ch.close();
                finishStop();
            } else {
                LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; reconnecting");
                lostHost();
            }
            return;
        }
        log.observeTerm(w.term());
        peers = w.peers();
        applyEntries(w.entries());
        synced = true;
        setRole(ReplicaStatus.Role.CLIENT);
        started.complete(null);
        sendAck();
        messaging.welcomed(hostChannel);
    }

    /**
     * The host refused this replica: a writer waiting for a slot tries again while its wait lasts; any other refusal
     * (a protocol version the host does not speak, say) fails the start with the host's code.
     */
    private void refused(Frame.Refuse r) {
        if (MemSyncException.ERR_MAX_WRITERS.equals(r.code()) && !started.isDone() && env.nanoTime() < slotDeadline) {
            if (lastRefusedAt == 0) {
                LOG.log(System.Logger.Level.INFO, options.name() + ": every writer slot is taken; waiting up to "
                        + Duration.ofNanos(slotDeadline - env.nanoTime()).toMillis() + " ms for one");
            }
            lastRefusedAt = env.nanoTime();
            Channel ch = hostChannel;
            hostChannel = null;
            ch.close();
            schedule(this::seek, 25);
            return;
        }
        MemSyncException e = new MemSyncException(r.code(), r.message().isEmpty() ? "refused" : r.message(), null,
                log.term(), log.version());
        started.completeExceptionally(e);
        Channel ch = hostChannel;
        hostChannel = null;
        ch.close();
        finishStop();
    }

    private void sendAck() {
        if (hostChannel != null) {
            hostChannel.send(FrameCodec.encode(new Frame.Ack(log.version())));
        }
    }

    private void applyEntries(List<Entry> entries) {
        for (Entry e : entries) {
            if (e.version() <= log.version()) {
                continue;
            }
            if (e.version() != log.version() + 1 || !log.hasDocument()) {
                throw new GapException("entry " + e.version() + " does not follow " + log.version());
            }
            applyEntry(e);
        }
    }

    /** Applies one ordered entry (client or host), resolves the matching pending update and tells the listener. */
    private void applyEntry(Entry e) {
        applyEntry(e, log.after(e));
    }

    /** Applies one ordered entry whose resulting document is already known. */
    private void applyEntry(Entry e, JsonObject after) {
        if (e.isGrantChange()) {
            // answers no update and changes no document: only the grants
            log.apply(e, after);
            hlc = Math.max(hlc, e.hlc());
            if (e.isRevoke() && e.peer().equals(peerId)) {
                LOG.log(System.Logger.Level.WARNING, options.name() + ": this process lost its writer slot ("
                        + e.message() + "); its updates now fail with " + MemSyncException.ERR_READ_ONLY);
            }
            return;
        }
        JsonObject before = view;
        log.apply(e, after);
        hlc = Math.max(hlc, e.hlc());
        boolean local = e.peer().equals(peerId);
        boolean head = local && pending.isHead(e.seq());
        Pending p = local ? pending.take(e.seq()) : null;
        if (pending.isEmpty()) {
            view = log.document();
        } else if (!(head && e.accepted())) {
            recomputeView();
        }
        // else: the host ordered our oldest pending update on exactly the document we evaluated it on, so the
        // view (confirmed document plus the remaining pending updates) is unchanged: no re-evaluation needed
        if (p != null) {
            PendingUpdates.resolve(p, e);
        }
        if (e.accepted()) {
            fire(new ViewChange(before, view, e.effect(), log.version(), log.lastTerm(), local, MemSyncChange.State.CONFIRMED));
        } else if (local) {
            fire(new ViewChange(before, view, JsonProviders.JSON.createDiff(before, view).toJsonArray(), log.version(), log.lastTerm(), true,
                    MemSyncChange.State.ROLLED_BACK));
        }
    }

    private void recomputeView() {
        view = pending.rebase(log.document());
    }

    private void fire(ViewChange c) {
        if (!started.isDone() && c.state() == MemSyncChange.State.CONFIRMED && !c.local()) {
            return;
        }
        try {
            listener.viewChanged(c);
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "listener failed", ex);
        }
    }

    /** Sends the confirmed state in chunks (a document larger than a frame can travel). */
    private void sendState(Channel ch) {
        for (Frame.SnapChunk c : SnapshotChunks.split(log.snapshot(), SnapshotChunks.CHUNK_CHARS)) {
            ch.send(FrameCodec.encode(c));
        }
    }

    /** A snapshot may be larger than a frame, but not without bound. */
    private SnapshotChunks.Assembler newAssembler() {
        return new SnapshotChunks.Assembler(Math.max(64L << 20, options.maxFrameBytes() * 64L));
    }

    /** Replaces the confirmed state with a snapshot (with its log tail and exactly-once table). */
    private void installState(Snapshot s) {
        JsonObject before = view;
        log.install(s);
        snapFailure = null;
        Long mine = log.lastSeq(peerId);
        List<Pending> resolved = mine == null ? List.of() : pending.takeUpTo(mine);
        recomputeView();
        for (Pending p : resolved) {
            Entry e = log.entryOf(peerId, p.seq);
            if (e == null) {
                // ordered, but its entry was compacted away before this replica saw it: applied or rejected is not known
                p.future.completeExceptionally(new MemSyncException(MemSyncException.ERR_TIMEOUT, "update " + p.seq
                        + " of '" + options.name() + "' was ordered while this process was away and its outcome is no"
                        + " longer in the log; outcome unknown", null, log.lastTerm(), log.version()));
            } else {
                PendingUpdates.resolve(p, e);
            }
        }
        if (!before.equals(view)) {
            fire(new ViewChange(before, view, JsonProviders.JSON.createDiff(before, view).toJsonArray(), log.version(), log.lastTerm(), false,
                    MemSyncChange.State.CONFIRMED));
        }
    }

    // =====================================================================================================
    // local submits
    // =====================================================================================================

    private void localSubmit(Update update, Precondition pre, CompletableFuture<Outcome> f) {
        if (role == ReplicaStatus.Role.STOPPED || (stopping && role != ReplicaStatus.Role.HOST)) {
            f.completeExceptionally(stoppedException());
            return;
        }
        if (!options.writer()) {
            f.completeExceptionally(new MemSyncException(MemSyncException.ERR_READ_ONLY,
                    "'" + options.name() + "' was started as a reader", null, log.term(), log.version()));
            return;
        }
        UpdateEvaluator.Evaluation ev;
        try {
            ev = UpdateEvaluator.evaluate(view, update);
        } catch (MemSyncException e) {
            f.completeExceptionally(new MemSyncException(e.code(), e.detail(), e, log.term(), log.version()));
            return;
        }
        Pending p = pending.create(update, pre, log.version(), nextHlc(), f);
        if (role != ReplicaStatus.Role.HOST || recovering || stopping) {
            // it will travel to a host: one that cannot travel is refused now, not dropped by the transport later
            p.frame = patchFrame(p);
            if (overFrameLimit(p.frame)) {
                f.completeExceptionally(new MemSyncException(MemSyncException.ERR_TOO_LARGE, "update of '"
                        + options.name() + "' is larger on the wire than the frame limit of " + options.maxFrameBytes()
                        + " bytes (maxFrameSize); nothing was applied", null, log.term(), log.version()));
                return;
            }
        }
        pending.add(p);
        if (role == ReplicaStatus.Role.HOST && !recovering && !stopping) {
            order(peerId, p.seq, p.base, p.hlc, update, pre);
            scheduleFlush();
            return;
        }
        p.deadline = env.nanoTime() + options.timeout().toNanos();
        JsonObject before = view;
        view = ev.document();
        fire(new ViewChange(before, view, ev.effect(), log.version(), log.lastTerm(), true, MemSyncChange.State.PENDING));
        if (hostChannel != null) {
            sendPatch(p);
        }
    }

    // =====================================================================================================
    // host side
    // =====================================================================================================

    private void becomeHost(Election.Lease l) throws IOException {
        HostRecord rec;
        try {
            rec = election.read();
        } catch (IOException e) {
            l.close();
            throw e;
        }
        if (hostChannel != null) {
            Channel ch = hostChannel;
            hostChannel = null;
            ch.close();
        }
        lease = l;
        log.beginTerm(Math.max(rec == null ? 0 : rec.term(), Math.max(log.term(), log.lastTerm())) + 1);
        byte[] secret = randomSecret();
        if (listenerHandle == null && prestarted != null) {
            // the listener being pre-started is as fast to wait for as a new one is to start
            try {
                listenerHandle = prestarted.get(connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": pre-started listener not ready: " + e);
            }
        }
        if (listenerHandle != null) {
            listenerHandle.secret(secret);
        } else {
            try {
                listenerHandle = transport.listen(options.name(), secret, this::acceptHandler);
            } catch (IOException e) {
                lease = null;
                l.close();
                throw e;
            }
        }
        secretB64 = Base64.getEncoder().encodeToString(secret);
        oldMembers = rec == null ? List.of() : rec.members().stream()
                .filter(m -> !m.peerId().equals(peerId) && memberAlive(m)).toList();
        if (rec != null) {
            LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": members of term " + rec.term() + ": " + rec.members()
                    + ", alive: " + oldMembers.stream().map(HostRecord.Member::peerId).toList());
        }
        if (!log.hasDocument() && oldMembers.isEmpty()) {
            installInitial();
        }
        ownStateCurrent = log.hasDocument() && rec != null && rec.members().stream().anyMatch(m -> m.peerId().equals(peerId));
        waitLogged = false;
        boolean skip = log.hasDocument() && rec != null && rec.handoverVersion() >= 0 && rec.handoverVersion() <= log.version();
        recovering = !(oldMembers.isEmpty() || skip);
        awaiting = new HashSet<>();
        oldMembers.forEach(m -> awaiting.add(m.peerId()));
        stopping = false;
        setRole(ReplicaStatus.Role.HOST);
        LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": " + peerId + " is host of term " + log.term()
                + (recovering ? ", recovering from " + awaiting : ""));
        publish(-1);
        startTicker();
        if (recovering) {
            schedule(this::finishRecovery, options.recoveryWait().toMillis());
        } else {
            open();
        }
    }

    private String secretB64;
    /** Host in recovery: this process was a member of the term it takes over from, with its document. */
    private boolean ownStateCurrent;
    /** Host in recovery: the wait for silent members was logged. */
    private boolean waitLogged;

    /** Whether a member's process lives and its replica has not stopped (a paused one counts as alive). */
    private boolean memberAlive(HostRecord.Member m) {
        if (!liveness.isAlive(m)) {
            return false;
        }
        try {
            return election.isRunning(m.peerId());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": cannot tell whether " + m.peerId() + " runs: " + e);
            return true;
        }
    }

    private void installInitial() {
        log.resetTo(options.data());
        recomputeView();
    }

    private void publish(long handover) {
        if (lease == null) {
            return;
        }
        List<HostRecord.Member> members = new ArrayList<>();
        if (handover < 0) {
            // a host that hands over is leaving: the next host must not wait for it
            members.add(new HostRecord.Member(peerId, options.pid(), options.processStartTime(), options.writer()));
        }
        Set<String> seen = new HashSet<>();
        for (Peer p : conns.values()) {
            if (p.peerId != null && seen.add(p.peerId)) {
                members.add(new HostRecord.Member(p.peerId, p.pid, p.startTime, p.writer));
            }
        }
        if (recovering) {
            oldMembers.stream().filter(m -> seen.add(m.peerId())).forEach(members::add);
        }
        peers = members.stream().map(HostRecord.Member::peerId).toList();
        lingering.values().removeIf(m -> seen.contains(m.peerId()) || !memberAlive(m));
        List<HostRecord.Member> recorded = members;
        if (!lingering.isEmpty()) {
            recorded = new ArrayList<>(members);
            recorded.addAll(lingering.values());
        }
        try {
            lease.publish(new HostRecord(listenerHandle.endpoint(), log.term(), log.version(), secretB64, recorded, handover));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, options.name() + ": cannot publish host record", e);
        }
    }

    private ChannelHandler acceptHandler(Channel ch) {
        return new ChannelHandler() {
            @Override
            public void onFrame(Channel channel, String frame) {
                Frame.ToHost decoded;
                try {
                    decoded = FrameCodec.decodeToHost(frame);
                } catch (ProtocolException e) {
                    inline(() -> undecodable(channel, e));
                    return;
                }
                inline(() -> {
                    boolean outer = flushAtBatchEnd;
                    flushAtBatchEnd = channel.endsBatches();
                    try {
                        hostFrame(channel, decoded);
                    } finally {
                        flushAtBatchEnd = outer;
                    }
                });
            }

            @Override
            public void onBatchEnd(Channel channel) {
                // send what the frames of this message ordered now, in one batch, on this thread: scheduleFlush left
                // the flush to this call (see flushAtBatchEnd)
                inline(() -> {
                    if (flushScheduled) {
                        flush(); // also after a step-down: a flush left to this call was not posted
                    }
                });
            }

            @Override
            public void onClose(Channel channel) {
                // inline like the frames, so a reconnecting client's hello never overtakes its old connection's close
                inline(() -> hostClosed(channel));
            }
        };
    }

    private void protocolError(Channel ch, String message) {
        LOG.log(System.Logger.Level.WARNING, options.name() + ": protocol error from " + ch.remote() + ": " + message);
        ch.send(FrameCodec.encode(new Frame.ErrorReport(MemSyncException.ERR_PROTOCOL, message)));
    }

    /**
     * The one place the host meets a frame it cannot decode: a hello of another protocol version is refused (that
     * process cannot take part, and its start fails with the code), anything else is answered with an error report.
     */
    private void undecodable(Channel ch, ProtocolException e) {
        if (role != ReplicaStatus.Role.HOST || !ch.isOpen()) {
            return;
        }
        if (e.versionMismatch()) {
            LOG.log(System.Logger.Level.WARNING, options.name() + ": refused " + ch.remote() + ": " + e.getMessage());
            ch.send(FrameCodec.encode(new Frame.Refuse(MemSyncException.ERR_PROTOCOL, "'" + options.name() + "': "
                    + e.getMessage())));
            ch.close();
            return;
        }
        protocolError(ch, e.getMessage());
    }

    private void hostFrame(Channel ch, Frame.ToHost frame) {
        if (role != ReplicaStatus.Role.HOST || !ch.isOpen()) {
            return;
        }
        try {
            Peer p = conns.get(ch);
            if (p == null && !(frame instanceof Frame.Hello)) {
                if (heldHellos.contains(ch)) {
                    held.add(() -> hostFrame(ch, frame)); // after its hello, in arrival order
                    return;
                }
                protocolError(ch, "'" + FrameCodec.typeName(frame) + "' before hello");
                return;
            }
            switch (frame) {
                case Frame.Hello h -> onHello(ch, h);
                case Frame.Patch patch -> onPatch(p, patch);
                case Frame.Ack a -> p.acked = Math.max(p.acked, a.version());
                case Frame.Pong pong -> messaging.hostPong(p, pong);
                case Frame.Event e -> messaging.hostEventFrom(p, e);
                case Frame.Call c -> messaging.hostCall(p, c);
                case Frame.Result r -> messaging.hostResult(p, r);
                case Frame.Ping ping -> ch.send(FrameCodec.encode(new Frame.Pong(ping.id())));
                case Frame.Bye b -> onBye(ch, p);
                case Frame.Tail t -> {
                    if (pulling != p) {
                        protocolError(ch, "unexpected log tail");
                        return;
                    }
                    for (Entry e : t.entries()) {
                        if (e.version() == log.version() + 1) {
                            applyEntry(e);
                        }
                    }
                    pulling = null;
                    open();
                }
                case Frame.SnapChunk c -> {
                    if (pulling != p) {
                        protocolError(ch, "unexpected snapshot");
                        return;
                    }
                    if (p.snap == null) {
                        p.snap = newAssembler();
                    }
                    try {
                        Snapshot state = p.snap.accept(c).orElse(null);
                        if (state != null) {
                            installState(state);
                            pulling = null;
                            open();
                        }
                    } catch (ProtocolException e) {
                        // that member's state cannot be used: it is dropped, and recovery waits for it again
                        protocolError(ch, "snapshot refused: " + e.getMessage());
                        ch.close();
                    }
                }
                case Frame.ErrorReport e -> LOG.log(System.Logger.Level.WARNING, options.name() + ": client reported "
                        + e.code() + ": " + e.message());
            }
        } catch (RuntimeException e) {
            protocolError(ch, "bad frame: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** A client's update: ordered now, or held while the host recovers or the client is not welcomed yet. */
    private void onPatch(Peer p, Frame.Patch patch) {
        String peer = p.peerId;
        boolean writer = p.writer;
        Runnable work = () -> {
            if (writer) {
                order(peer, patch.seq(), patch.baseVersion(), patch.hlc(), patch.update(), patch.precondition());
            } else {
                reject(peer, patch.seq(), patch.hlc(), MemSyncException.ERR_READ_ONLY, "peer is not a writer");
            }
            scheduleFlush();
        };
        if (recovering || stopping || !p.ready) {
            if (!stopping) {
                held.add(work);
            }
        } else {
            work.run();
        }
    }

    /** A client leaves for good: it is forgotten at once (and no longer waited for in recovery). */
    private void onBye(Channel ch, Peer p) {
        conns.remove(ch);
        ch.close();
        if (!recovering) {
            admission.revoke(p.peerId, "it stopped");
        }
        if (recovering) {
            // a member of the old term that leaves is no longer waited for, by this host or the next
            oldMembers = oldMembers.stream().filter(m -> !m.peerId().equals(p.peerId)).toList();
            if (awaiting.remove(p.peerId) && awaiting.isEmpty()) {
                finishRecovery();
            }
        }
        publish(-1);
    }

    private void onHello(Channel ch, Frame.Hello h) {
        if (!ch.isOpen()) {
            return;
        }
        if (conns.containsKey(ch)) {
            protocolError(ch, "second hello");
            return;
        }
        Peer p = new Peer(ch);
        p.peerId = h.peerId();
        p.pid = h.pid();
        p.startTime = h.processStartTime();
        p.writer = h.writer();
        p.maxWriters = h.maxWriters();
        p.have = h.hasDocument();
        p.helloTerm = h.lastTerm();
        p.helloVersion = h.lastVersion();
        p.acked = p.have ? p.helloVersion : 0;
        p.rpc = new HashSet<>(h.rpcMethods());
        boolean known = oldMembers.stream().anyMatch(m -> m.peerId().equals(p.peerId));
        if (!known && recovering) {
            // writers are counted once every member of the old term is back: never admit one too many
            heldHellos.add(ch);
            held.add(() -> {
                heldHellos.remove(ch);
                onHello(ch, h);
            });
            return;
        }
        if (!known) {
            int cap = Math.min(admission.cap(), p.maxWriters);
            if (cap != Integer.MAX_VALUE) {
                admission.sweepGrants();
            }
            Set<String> writers = admission.writers();
            boolean adds = p.writer && !writers.contains(p.peerId);
            if (writers.size() + (adds ? 1 : 0) > cap) {
                ch.send(FrameCodec.encode(new Frame.Refuse(MemSyncException.ERR_MAX_WRITERS, "writer cap " + cap + " of '"
                        + options.name() + "' reached (" + writers.size() + " writers)")));
                ch.close();
                return;
            }
        }
        conns.put(ch, p);
        LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": hello from " + p.peerId + " at (" + p.helloTerm + ", "
                + p.helloVersion + ")" + (recovering ? " during recovery" : ""));
        if (recovering) {
            awaiting.remove(p.peerId);
            if (awaiting.isEmpty()) {
                finishRecovery();
            }
        } else {
            welcome(p);
            admission.grantWriters();
            publish(-1);
        }
    }

    /** What {@link WriterAdmission} sees of this replica (called holding the lock). */
    private final class AdmissionWiring implements WriterAdmission.Wiring {
        @Override
        public String peerId() {
            return peerId;
        }

        @Override
        public java.util.Collection<Peer> connections() {
            return conns.values();
        }

        @Override
        public boolean recovering() {
            return recovering;
        }

        @Override
        public void append(Entry e) {
            Replica.this.append(e);
            scheduleFlush();
        }

        @Override
        public long nextHlc() {
            return Replica.this.nextHlc();
        }

        @Override
        public boolean memberAlive(HostRecord.Member m) {
            return Replica.this.memberAlive(m);
        }

        @Override
        public long nanoTime() {
            return env.nanoTime();
        }

        @Override
        public void slotGranted() {
            started.complete(null);
        }
    }

    private void welcome(Peer p) {
        List<Entry> entries;
        if (p.have && p.helloVersion <= log.version() && log.termAt(p.helloVersion) == p.helloTerm && p.helloTerm >= 0) {
            entries = log.entriesAfter(p.helloVersion);
        } else {
            entries = List.of();
            sendState(p.channel);
        }
        p.ready = true;
        p.acked = Math.min(p.acked, log.version());
        List<String> ps = new ArrayList<>();
        ps.add(peerId);
        conns.values().forEach(c -> ps.add(c.peerId));
        p.channel.send(FrameCodec.encode(new Frame.Welcome(log.term(), entries, ps)));
    }

    /**
     * Host in recovery: opens once every live member of the old term has reported its state (each may hold
     * acknowledged entries nobody else has, so none is skipped, however long it is paused: writes wait meanwhile),
     * after taking the newest state from whoever has it. Only when every member that could hold the document is gone
     * does it open without it, and it says what was lost.
     */
    private void finishRecovery() {
        if (role != ReplicaStatus.Role.HOST || !recovering || pulling != null) {
            return;
        }
        // connected members told their state in their hello; the others may hold entries nobody else has
        Set<String> connected = new HashSet<>();
        conns.values().forEach(c -> connected.add(c.peerId));
        List<String> silent = oldMembers.stream().filter(m -> !connected.contains(m.peerId()) && memberAlive(m))
                .map(HostRecord.Member::peerId).toList();
        if (!silent.isEmpty()) {
            if (!waitLogged) {
                waitLogged = true;
                LOG.log(System.Logger.Level.INFO, options.name() + ": waiting for " + silent + " (alive, not answering)"
                        + " before opening term " + log.term() + ": they may hold acknowledged changes; writes wait");
            }
            schedule(this::finishRecovery, options.heartbeatInterval().toMillis());
            return;
        }
        Peer best = null;
        for (Peer p : conns.values()) {
            if (!p.have) {
                continue;
            }
            if (best == null || p.helloTerm > best.helloTerm
                    || (p.helloTerm == best.helloTerm && p.helloVersion > best.helloVersion)) {
                best = p;
            }
        }
        if (best != null && (!log.hasDocument() || best.helloTerm > log.lastTerm()
                || (best.helloTerm == log.lastTerm() && best.helloVersion > log.version()))) {
            pulling = best;
            best.channel.send(FrameCodec.encode(new Frame.Pull(log.hasDocument(), log.lastTerm(), log.version())));
            Peer asked = best;
            schedule(() -> {
                if (pulling == asked && recovering) {
                    // a member that answers its hello but not the pull is dropped; it reconnects and is asked again
                    LOG.log(System.Logger.Level.WARNING, options.name() + ": " + asked.peerId + " did not send its log"
                            + " within " + options.timeout() + "; dropping its connection");
                    asked.channel.close();
                    hostClosed(asked.channel);
                }
            }, options.timeout().toMillis());
            return;
        }
        if (best == null && !ownStateCurrent) {
            LOG.log(System.Logger.Level.WARNING, options.name() + ": every member of the previous term is gone; "
                    + (log.hasDocument() ? "opening with this process's own older copy at version " + log.version()
                    : "starting from this process's initial data")
                    + ": changes made since the last one this process saw are lost");
        }
        if (!log.hasDocument()) {
            installInitial();
        }
        open();
    }

    private void open() {
        LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": host of term " + log.term() + " open at version " + log.version());
        recovering = false;
        pulling = null;
        // members of the old term that have not reconnected stay members while they live (they may be paused with
        // the document, and a next host must wait for them), as if their connection to this host had dropped
        Set<String> connected = new HashSet<>();
        conns.values().forEach(c -> connected.add(c.peerId));
        for (HostRecord.Member m : oldMembers) {
            if (!connected.contains(m.peerId())) {
                lingering.putIfAbsent(m.peerId(), m);
            }
        }
        for (Peer p : conns.values()) {
            if (!p.ready) {
                welcome(p);
            }
        }
        admission.sweepGrants();
        if (!started.isDone() && options.writer() && admission.cap() != Integer.MAX_VALUE && !log.grants().holds(peerId)
                && log.grants().size() >= admission.cap()) {
            // a writer whose start waited for a slot took over, but every slot is held: it hosts and keeps waiting
            admission.awaitSlot(true);
        }
        admission.grantWriters();
        publish(-1);
        if (!started.isDone() && !admission.awaitingSlot()) {
            started.complete(null);
        }
        // own pending updates first (they are older), then writes that waited
        for (Pending p : new ArrayList<>(pending.all())) {
            order(peerId, p.seq, p.base, p.hlc, p.update, p.pre);
        }
        List<Runnable> w = new ArrayList<>(held);
        held.clear();
        heldHellos.clear();
        w.forEach(Runnable::run);
        flush();
    }

    private void hostClosed(Channel ch) {
        heldHellos.remove(ch);
        Peer p = conns.remove(ch);
        if (p == null || role != ReplicaStatus.Role.HOST) {
            return;
        }
        if (p.peerId != null && !p.peerId.equals(peerId)) {
            // no goodbye ("bye" removes the connection first): still a member of this term while it lives
            lingering.put(p.peerId, new HostRecord.Member(p.peerId, p.pid, p.startTime, p.writer));
            if (recovering && oldMembers.stream().anyMatch(m -> m.peerId().equals(p.peerId))) {
                // what it reported left with its connection: wait for it to report again
                awaiting.add(p.peerId);
            }
        }
        messaging.providerGone(p);
        if (pulling == p) {
            pulling = null;
            finishRecovery();
        }
        if (!recovering) {
            publish(-1);
        }
    }

    /** Orders one update: checks, evaluates and appends an entry (accepted or rejected). */
    private void order(String peer, long seq, long base, long h, Update update, Precondition pre) {
        Long last = log.lastSeq(peer);
        if (last != null && seq <= last) {
            return; // duplicate: its entry was already ordered and travels on the stream
        }
        hlc = Math.max(hlc, h);
        if (!log.grants().holds(peer) && admission.cap() != Integer.MAX_VALUE && admission.grantsInForce()) {
            reject(peer, seq, h, MemSyncException.ERR_READ_ONLY, "'" + options.name() + "': " + peer
                    + " holds no writer slot (cap " + admission.cap() + "; every slot is taken, or it was demoted)");
            return;
        }
        if (base < log.base() && base < log.version()) {
            reject(peer, seq, h, MemSyncException.ERR_STALE_PATCH, "update based on version " + base
                    + " which is older than the retained log (from " + log.base() + ")");
            return;
        }
        if (pre != null) {
            boolean holds = pre.filter() == null ? pre.expectedVersion() == log.version() : Filters.matches(log.document(), pre.filter());
            if (!holds) {
                reject(peer, seq, h, MemSyncException.ERR_PRECONDITION, "precondition " + pre + " does not hold at version "
                        + log.version());
                return;
            }
        }
        UpdateEvaluator.Evaluation ev;
        try {
            ev = UpdateEvaluator.evaluate(log.document(), update);
        } catch (MemSyncException e) {
            if (conflict(peer, base, h, ConflictRule.declaredPaths(update), false) != null) {
                reject(peer, seq, h, MemSyncException.ERR_STALE_PATCH, "update no longer applies after a newer change: "
                        + e.detail());
            } else {
                reject(peer, seq, h, e.code(), e.detail());
            }
            return;
        }
        Entry x = conflict(peer, base, h, ev.paths(), ev.commutative());
        if (x != null) {
            reject(peer, seq, h, MemSyncException.ERR_STALE_PATCH, "update conflicts with newer change at version "
                    + x.version() + " (paths " + x.paths() + ")");
            return;
        }
        Entry e = new Entry(log.term(), log.version() + 1, peer, seq, h, ev.effect(), null, null, ev.paths(), ev.commutative());
        applyEntry(e, PersistentJson.object(ev.document())); // the evaluation already built the new document
        outbox.add(e);
    }

    private void reject(String peer, long seq, long h, String code, String message) {
        append(new Entry(log.term(), log.version() + 1, peer, seq, h, null, code, message, List.of(), false));
    }

    private void append(Entry e) {
        applyEntry(e);
        outbox.add(e);
    }

    private Entry conflict(String peer, long base, long h, List<String> paths, boolean commutative) {
        return log.conflict(peer, base, h, paths, commutative);
    }

    /**
     * Host: sends the entries ordered so far before a frame that must not overtake them (an RPC result, an event):
     * what a process wrote before it answered a call or emitted an event is visible where the answer or the event
     * arrives.
     */
    private void flushFirst() {
        if (!outbox.isEmpty()) {
            flush();
        }
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            if (!flushAtBatchEnd) {
                post(this::flush);
            }
        }
    }

    /** Sends every entry ordered since the last flush to every ready client, one frame per client. */
    private void flush() {
        flushScheduled = false;
        if (outbox.isEmpty()) {
            return;
        }
        String origin = outbox.get(0).peer();
        for (Entry e : outbox) {
            if (origin != null && !origin.equals(e.peer())) {
                origin = null;
            }
        }
        String frame = FrameCodec.encode(new Frame.Entries(outbox));
        outbox.clear();
        // when every entry comes from one peer, that peer (which already shows them) is served last
        Peer originPeer = null;
        for (Peer p : conns.values()) {
            if (!p.ready) {
                continue;
            }
            if (originPeer == null && origin != null && origin.equals(p.peerId)) {
                originPeer = p;
            } else {
                p.channel.send(frame);
            }
        }
        if (originPeer != null) {
            originPeer.channel.send(frame);
        }
    }

    private void hostTick() {
        if (lease == null || !lease.isValid()) {
            LOG.log(System.Logger.Level.WARNING, options.name() + ": lease lost, stepping down");
            stepDown();
            return;
        }
        if (!recovering) {
            admission.sweepGrants();
            admission.grantWriters();
            if (admission.awaitingSlot() && env.nanoTime() > slotDeadline) {
                admission.awaitSlot(false);
                started.completeExceptionally(new MemSyncException(MemSyncException.ERR_MAX_WRITERS, "every writer slot of '"
                        + options.name() + "' stayed taken for " + options.writerSlotWait(), null, log.term(), log.version()));
            }
        }
        long lw = log.version();
        for (Peer p : conns.values()) {
            if (p.ready) {
                lw = Math.min(lw, p.acked);
            }
        }
        log.compact(lw);
        String hb = FrameCodec.encode(new Frame.Heartbeat(log.term(), log.version(), lw, peers));
        for (Peer p : conns.values()) {
            p.channel.send(hb);
        }
    }

    private void closeHost() {
        if (listenerHandle != null) {
            // kept for a later term, but nobody may authenticate with the old secret any more
            listenerHandle.secret(randomSecret());
        }
        for (Peer p : conns.values()) {
            p.channel.close();
        }
        conns.clear();
        lingering.clear();
        held.clear();
        heldHellos.clear();
        outbox.clear();
        messaging.hostingEnded();
        recovering = false;
        pulling = null;
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    private void stepDown() {
        closeHost();
        setRole(ReplicaStatus.Role.CONNECTING);
        seek();
    }

    // =====================================================================================================
    // stop
    // =====================================================================================================

    private void beginStop() {
        if (role == ReplicaStatus.Role.STOPPED) {
            finishStop();
            return;
        }
        if (role == ReplicaStatus.Role.HOST && !recovering) {
            stopping = true;
            admission.revoke(peerId, "it stopped");
            flush();
            String sync = FrameCodec.encode(new Frame.Sync());
            for (Peer p : conns.values()) {
                if (p.ready) {
                    p.channel.send(sync);
                }
            }
            long deadline = env.nanoTime() + options.timeout().toNanos();
            awaitAcks(deadline);
            return;
        }
        if (hostChannel != null && synced && pending.anySent()) {
            // the host may be ordering what was sent: its outcome arrives soon, and a stop must not report an update
            // as failed that the host applied
            stopping = true;
            awaitOutcomes(env.nanoTime() + options.timeout().toNanos());
            return;
        }
        leave();
    }

    /** Client: waits (bounded) until every sent update has its outcome, then leaves. */
    private void awaitOutcomes(long deadline) {
        if (role == ReplicaStatus.Role.STOPPED) {
            return;
        }
        if (hostChannel == null || !synced || env.nanoTime() > deadline
                || !pending.anySent()) {
            leave();
        } else {
            schedule(() -> awaitOutcomes(deadline), 2);
        }
    }

    /** Says goodbye to the host (if connected), closes and stops. */
    private void leave() {
        if (hostChannel != null) {
            hostChannel.send(FrameCodec.encode(new Frame.Bye()));
            hostChannel.close();
            hostChannel = null;
        }
        closeHost();
        finishStop();
    }

    private void awaitAcks(long deadline) {
        boolean all = conns.values().stream().allMatch(p -> !p.ready || p.acked >= log.version());
        if (all || env.nanoTime() > deadline || role != ReplicaStatus.Role.HOST) {
            publish(log.version());
            // tell the clients at once (a WebSocket close takes tens of milliseconds to be noticed)
            String bye = FrameCodec.encode(new Frame.Handover(log.version()));
            for (Peer p : conns.values()) {
                p.channel.send(bye);
            }
            closeHost();
            finishStop();
        } else {
            schedule(() -> awaitAcks(deadline), 2);
        }
    }

    private void finishStop() {
        if (ticker != null) {
            ticker.cancel();
            ticker = null;
        }
        if (listenerHandle != null) {
            // closed off the lock: stopping the server waits for its connection threads, which may be waiting for
            // the lock to deliver a last frame (they find the replica stopped and return)
            Transport.Listener l = listenerHandle;
            listenerHandle = null;
            env.spawn("memsync-listener-close", l::close);
        }
        if (prestarted != null) {
            // this session's listener, whether adopted or not (close is idempotent); off the lock, as above
            prestarted.thenAccept(l -> {
                if (l != null) {
                    env.spawn("memsync-listener-close", l::close);
                }
            });
            prestarted = null;
        }
        pending.stop(this::stoppedException, log.term(), log.version());
        messaging.stop(this::stoppedException);
        peers = List.of();
        started.completeExceptionally(stoppedException());
        if (registration != null) {
            registration.close();
            registration = null;
        }
        setRole(ReplicaStatus.Role.STOPPED);
        touch();
        stopped.complete(null);
    }

    // =====================================================================================================
    // helpers
    // =====================================================================================================

    private static final class GapException extends RuntimeException {
        GapException(String m) {
            super(m);
        }
    }
}
