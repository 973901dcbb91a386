package io.memsync.replication;

import java.io.IOException;
import java.time.Duration;
import java.util.Base64;

/**
 * A replica looking for its host: it takes the host lease when it is free (and becomes host), else reads the host
 * record and connects to the host it names, retrying with a backoff that is fast right after a host was lost. A
 * connect runs on its own thread, off the lock, and is watched meanwhile for a newer host or a freed lease. All state
 * here is guarded by the replica's lock.
 */
final class HostSearch {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());
    /** How often a connect under way checks whether a newer host appeared. */
    private static final long CONNECT_RECHECK_MS = 20;
    /** How long after losing a host the search retries fast. */
    private static final long FAST_RETRY_NANOS = 2_000_000_000L;
    /** How long after losing a host a record naming the dead host is re-read every millisecond. */
    private static final long EAGER_POLL_NANOS = 100_000_000L;

    private final Replica replica;
    private final ReplicaOptions options;
    private final ReplicaEnvironment env;
    private final Election election;
    private final Transport transport;
    /** A connection to a host is being opened (off the lock); {@link #seek} waits for its outcome. */
    private boolean connecting;
    private long connectGen;
    private long seekDelay = 1;
    private long lostAt;
    /** The term of the host lost last, while the fast retries after that loss last; {@code -1} otherwise. */
    private long lostTerm = -1;
    /** When the host last refused this writer for want of a slot (0: never since start). */
    private long lastRefusedAt;

    HostSearch(Replica replica, ReplicaOptions options, ReplicaEnvironment env, Election election, Transport transport) {
        this.replica = replica;
        this.options = options;
        this.env = env;
        this.election = election;
        this.transport = transport;
    }

    /**
     * How long a connect may take: it includes the TLS-free WebSocket upgrade and the handshake; the first one in a
     * JVM is slow.
     *
     * @param options the replica's options
     * @return the connect timeout
     */
    static Duration connectTimeout(ReplicaOptions options) {
        long ms = Math.max(2000, options.heartbeatInterval().toMillis() * 5);
        return Duration.ofMillis(Math.min(ms, options.timeout().toMillis()));
    }

    /** Forgets the last search (a new start): a connect still under way is ignored when it completes. */
    void reset() {
        connecting = false;
        connectGen++;
        lastRefusedAt = 0;
        lostTerm = -1;
    }

    /** The host was lost: the next searches retry fast for a while. */
    void hostLost() {
        seekDelay = 1;
        lostAt = env.nanoTime();
        lostTerm = replica.state.log.term();
    }

    /** The host refused this writer for want of a slot: look again shortly, leaving the lease to the admitted ones. */
    void refusedForSlot() {
        lastRefusedAt = env.nanoTime();
        replica.loop.schedule(this::seek, 25);
    }

    /** @return whether this writer was refused for want of a slot since its start */
    boolean everRefused() {
        return lastRefusedAt != 0;
    }

    /** Takes the lease or connects to the host it names; retries later when neither works. */
    void seek() {
        ReplicaStatus.Role role = replica.role();
        if (role == ReplicaStatus.Role.STOPPED || role == ReplicaStatus.Role.HOST || connecting) {
            return;
        }
        if (!replica.started().isDone() && env.nanoTime() > replica.startDeadline()) {
            replica.started().completeExceptionally(new io.memsync.MemSyncException(io.memsync.MemSyncException.ERR_TIMEOUT,
                    "no host for '" + options.name() + "' within " + options.timeout(), null, replica.state.log.term(),
                    replica.state.log.version()));
            return;
        }
        replica.setRole(ReplicaStatus.Role.CONNECTING);
        try {
            if (options.joinOnly() && !replica.started().isDone() && !election.isHeld()) {
                replica.started().completeExceptionally(new io.memsync.MemSyncException(
                        io.memsync.MemSyncException.ERR_NO_HOST, "no process hosts '" + options.name()
                        + "', and this one joins only (it never hosts): start a host for it first", null,
                        replica.state.log.term(), replica.state.log.version()));
                return;
            }
            Election.Lease l = mayTakeLease() ? election.tryAcquire() : null;
            if (l != null) {
                replica.host.becomeHost(l);
                return;
            }
            HostRecord rec = election.read();
            // a record that says its host handed over is the previous host's: wait for the next one to publish
            if (rec != null && rec.term() >= replica.state.log.term() && rec.handoverVersion() < 0) {
                if (namesDeadLostHost(rec)) {
                    // its successor holds the lease (or the dead host's lock is still being released) and usually
                    // publishes within milliseconds: look again soon instead of connecting to a dead endpoint (a
                    // connect that fails takes 5-10 ms, and the retry after it more); every millisecond at first
                    if (env.nanoTime() - lostAt < EAGER_POLL_NANOS) {
                        replica.loop.schedule(this::seek, 1);
                    } else {
                        seekLater();
                    }
                    return;
                }
                connect(rec);
                return;
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "seek for " + options.name() + ": " + e);
        }
        seekLater();
    }

    /**
     * Whether a record names the host this replica lost moments ago (same term, within the fast-retry window), and
     * the operating system says that host's process is dead: then connecting to it is pointless. A host whose
     * process runs (only the connection broke) is connected to as before, whether or not its replica's registration
     * in the rendezvous can be read.
     */
    private boolean namesDeadLostHost(HostRecord rec) {
        if (lostTerm < 0 || rec.term() != lostTerm || rec.members().isEmpty()) {
            return false;
        }
        if (env.nanoTime() - lostAt >= FAST_RETRY_NANOS) {
            lostTerm = -1;
            return false;
        }
        return !replica.host.processAlive(rec.members().get(0)); // a hosting record lists its host first
    }

    /**
     * Whether this replica may try to take the host lease now. A writer waiting for a slot leaves it to the admitted
     * members for a while after its last refusal: if it took over a dead host, it would count as one writer too many
     * next to the admitted ones. A join-only replica never does.
     */
    private boolean mayTakeLease() {
        if (options.joinOnly()) {
            return false;
        }
        return lastRefusedAt == 0 || replica.started().isDone()
                || env.nanoTime() - lastRefusedAt >= Math.max(300, 3 * options.heartbeatInterval().toMillis()) * 1_000_000L;
    }

    /** Retries {@link #seek} fast right after losing a host (a new one appears within milliseconds), then backs off. */
    void seekLater() {
        long cap = env.nanoTime() - lostAt < FAST_RETRY_NANOS ? 5 : Math.max(5, options.heartbeatInterval().toMillis() / 2);
        long delay = seekDelay;
        seekDelay = Math.min(cap, seekDelay * 2);
        replica.loop.schedule(this::seek, delay + env.random().nextLong(delay + 1));
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
        replica.loop.schedule(() -> watchConnect(gen, rec.term()), CONNECT_RECHECK_MS);
        byte[] secret = Base64.getDecoder().decode(rec.secret());
        ChannelHandler handler = replica.client.handler();
        env.spawn("memsync-connect-" + options.name(), () -> {
            Channel ch;
            try {
                ch = transport.connect(rec.endpoint(), options.name(), secret, handler, connectTimeout(options));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "connect for " + options.name() + " to " + rec.endpoint() + ": " + e);
                replica.loop.post(() -> {
                    if (gen == connectGen) {
                        connecting = false;
                        seekLater();
                    }
                });
                return;
            }
            if (!replica.loop.post(() -> attach(ch, rec, t0, gen))) {
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
        if (!connecting || gen != connectGen || replica.role() != ReplicaStatus.Role.CONNECTING) {
            return;
        }
        try {
            // the lease is free only when its holder is gone: then nobody else need wait for this connect either
            Election.Lease l = mayTakeLease() ? election.tryAcquire() : null;
            if (l != null) {
                connectGen++;
                connecting = false;
                replica.host.becomeHost(l);
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
        replica.loop.schedule(() -> watchConnect(gen, connectingTerm), CONNECT_RECHECK_MS);
    }

    /** A connect completed: the channel becomes the session with the host, unless it is stale. */
    private void attach(Channel ch, HostRecord rec, long t0, long gen) {
        if (gen != connectGen || replica.role() != ReplicaStatus.Role.CONNECTING || replica.client.connected()) {
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
        replica.client.attach(ch, rec.term());
    }
}
