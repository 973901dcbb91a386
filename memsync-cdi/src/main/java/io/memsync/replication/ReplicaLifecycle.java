package io.memsync.replication;

import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The lifecycle of one run of a {@link Replica}, between {@link Replica#start()} and {@link Replica#stop()}: the
 * start and stop sequences, the run's start and stop outcomes, its deadlines, the stopping flag, the mark in the
 * rendezvous and the heartbeat timer. The replica's public API delegates here; the other parts reach this state
 * through the replica's accessors. Everything except {@link #startAsync()} and {@link #stopAsync()} runs holding
 * the replica's lock; those two take the replica's monitor, as the replica's other start-time checks do.
 */
final class ReplicaLifecycle {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());

    private final Replica replica;
    private final ReplicaOptions options;
    private final ReplicaEnvironment env;
    private final Election election;

    // ---- guarded by the lock ----
    private CompletableFuture<Void> started = new CompletableFuture<>();
    private CompletableFuture<Void> stopped = new CompletableFuture<>();
    private long startDeadline;
    private long slotDeadline;
    private ReplicaEnvironment.Timer ticker;
    private boolean stopping;
    /** This run's mark as running in the rendezvous; closed at stop, lost with the process. */
    private Election.Registration registration;

    ReplicaLifecycle(Replica replica, ReplicaOptions options, ReplicaEnvironment env, Election election) {
        this.replica = replica;
        this.options = options;
        this.env = env;
        this.election = election;
    }

    /** @return the outcome of the current start */
    CompletableFuture<Void> started() {
        return started;
    }

    /** @return when the current start gives up (nano clock) */
    long startDeadline() {
        return startDeadline;
    }

    /** @return until when a writer waits for a slot at start (nano clock) */
    long slotDeadline() {
        return slotDeadline;
    }

    /** @return whether a graceful stop is under way */
    boolean stopping() {
        return stopping;
    }

    /** @param s whether a graceful stop is under way */
    void stopping(boolean s) {
        stopping = s;
    }

    // =====================================================================================================
    // start
    // =====================================================================================================

    /** See {@link Replica#startAsync()}. */
    CompletableFuture<Void> startAsync() {
        ReplicaLoop loop = replica.loop;
        CompletableFuture<Void> s;
        synchronized (replica) {
            if (loop.current() != null) {
                throw new IllegalStateException("replica '" + options.name() + "' already started");
            }
            loop.set(env.newEventLoop(options.name()));
            s = new CompletableFuture<>();
            started = s;
            stopped = new CompletableFuture<>();
            // pending updates time out with a precision of a tenth of the timeout (at most 100 ms)
            loop.every(Math.clamp(options.timeout().toMillis() / 10, 1, 100), replica.localUpdates::sweepTimeouts);
            loop.post(() -> {
                resetState();
                replica.peerId(newPeerId());
                try {
                    registration = election.register(replica.peerId());
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, options.name() + ": cannot mark this replica running in the"
                            + " rendezvous (a next host may then wait for it after it stopped): " + e);
                }
                startDeadline = env.nanoTime() + startBudget().toNanos();
                slotDeadline = env.nanoTime() + options.writerSlotWait().toNanos();
                replica.setRole(ReplicaStatus.Role.CONNECTING);
                // the standby listener starts once this replica joined (ClientSession.welcomed): started now, it
                // competed with the join for the CPU (a Helidon WebServer's first start takes a quarter second of CPU)
                replica.search.seek();
            });
        }
        return s;
    }

    /** @return how long a start may take: the timeout, plus the writer-slot wait when that is longer */
    Duration startBudget() {
        return options.timeout().compareTo(options.writerSlotWait()) >= 0 ? options.timeout()
                : options.writerSlotWait().plus(options.timeout());
    }

    private void resetState() {
        replica.state.reset();
        replica.admission.clear();
        replica.peers(List.of());
        replica.client.reset();
        replica.search.reset();
        stopping = false;
        replica.recovery.clear();
        replica.host.reset();
        replica.ordering.clear();
    }

    /** A random 128-bit peer id in 22 URL-safe characters (it travels in every entry: shorter than a UUID's 36). */
    private String newPeerId() {
        byte[] b = new byte[16];
        env.random().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** (Re)starts the heartbeat timer. */
    void startTicker() {
        if (ticker != null) {
            ticker.cancel();
        }
        ReplicaLoop loop = replica.loop;
        ticker = loop.current() == null ? null : loop.every(options.heartbeatInterval().toMillis(), this::tick);
    }

    private void tick() {
        ReplicaStatus.Role role = replica.role();
        if (stopping && role != ReplicaStatus.Role.HOST) {
            return; // a client leaving only waits for its outcomes
        }
        if (role == ReplicaStatus.Role.HOST) {
            replica.host.tick();
        } else {
            replica.client.tick();
        }
    }

    // =====================================================================================================
    // stop
    // =====================================================================================================

    /** See {@link Replica#stopAsync()}. */
    CompletableFuture<Void> stopAsync() {
        ReplicaLoop loop = replica.loop;
        ReplicaEnvironment.EventLoop l;
        CompletableFuture<Void> s;
        synchronized (replica) {
            l = loop.current();
            s = stopped;
        }
        if (l == null) {
            return null;
        }
        CompletableFuture<Void> done = s.whenComplete((v, e) -> {
            synchronized (replica) {
                if (loop.current() == l) {
                    l.shutdownNow();
                    loop.set(null);
                }
            }
        });
        if (!loop.post(this::beginStop)) {
            s.complete(null);
        }
        return done;
    }

    private void beginStop() {
        ReplicaStatus.Role role = replica.role();
        if (role == ReplicaStatus.Role.STOPPED) {
            finishStop();
            return;
        }
        if (role == ReplicaStatus.Role.HOST && !replica.recovery.active()) {
            replica.host.handOver();
            return;
        }
        if (replica.client.awaitsOutcomes()) {
            // the host may be ordering what was sent: its outcome arrives soon, and a stop must not report an update
            // as failed that the host applied
            stopping = true;
            replica.client.awaitOutcomes(env.nanoTime() + options.timeout().toNanos());
            return;
        }
        leave();
    }

    /** Says goodbye to the host (if connected), closes and stops. */
    void leave() {
        replica.client.sayGoodbye();
        replica.host.close();
        finishStop();
    }

    /** Ends a stop (or a failed start): everything still waiting fails with {@code ERR_STOPPED}. */
    void finishStop() {
        if (ticker != null) {
            ticker.cancel();
            ticker = null;
        }
        replica.host.closeListeners();
        ReplicaState state = replica.state;
        state.pending.stop(replica::stoppedException, state.log.term(), state.log.version());
        replica.messaging.stop(replica::stoppedException);
        replica.peers(List.of());
        started.completeExceptionally(replica.stoppedException());
        if (registration != null) {
            registration.close();
            registration = null;
        }
        replica.setRole(ReplicaStatus.Role.STOPPED);
        replica.touch();
        stopped.complete(null);
    }
}
