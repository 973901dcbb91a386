package io.memsync.replication;

import io.memsync.MemSyncChange;
import io.memsync.MemSyncException;
import io.memsync.Precondition;
import io.memsync.Update;
import io.memsync.document.UpdateEvaluator;
import io.memsync.replication.PendingUpdates.Pending;
import jakarta.json.JsonObject;
import java.util.concurrent.CompletableFuture;

/**
 * This replica's own updates on their way: evaluated on the view when submitted, ordered at once by a host that is
 * open, else kept pending (shown in the view, flagged {@code PENDING}) and sent to the host; and the periodic sweep
 * that times out the stages of pending updates whose outcome has not arrived. Guarded by the replica's lock.
 */
final class LocalUpdates {
    private final Replica replica;
    private final ReplicaOptions options;
    private final ReplicaEnvironment env;
    private final ReplicaState state;

    /** Most updates of this replica waiting for a host (pending); beyond them a submit fails with {@code ERR_BUSY}. */
    static final int MAX_PENDING = 100_000;

    LocalUpdates(Replica replica, ReplicaOptions options, ReplicaEnvironment env, ReplicaState state) {
        this.replica = replica;
        this.options = options;
        this.env = env;
        this.state = state;
    }

    /**
     * Submits an update of this replica (holding the lock): evaluated on the view at once (read-your-writes), then
     * ordered here by a host that is open, else made pending and sent to the host (refused at once when its frame
     * would exceed the frame limit).
     *
     * @param update the update
     * @param pre    its precondition, or {@code null}
     * @param f      completed with its outcome
     */
    void submit(Update update, Precondition pre, CompletableFuture<Outcome> f) {
        ReplicatedLog log = state.log;
        ReplicaStatus.Role role = replica.role();
        boolean stopping = replica.stopping();
        if (role == ReplicaStatus.Role.STOPPED || (stopping && role != ReplicaStatus.Role.HOST)) {
            f.completeExceptionally(replica.stoppedException());
            return;
        }
        if (!options.writer()) {
            f.completeExceptionally(new MemSyncException(MemSyncException.ERR_READ_ONLY,
                    "'" + options.name() + "' was started as a reader", null, log.term(), log.version()));
            return;
        }
        if (state.pending.size() >= MAX_PENDING) {
            f.completeExceptionally(new MemSyncException(MemSyncException.ERR_BUSY, "'" + options.name() + "' has "
                    + MAX_PENDING + " updates waiting for a host already (the host is recovering, or none is reachable);"
                    + " nothing was applied", null, log.term(), log.version()));
            return;
        }
        UpdateEvaluator.Evaluation ev;
        try {
            ev = UpdateEvaluator.evaluate(state.view(), update, options.limits());
        } catch (MemSyncException e) {
            f.completeExceptionally(new MemSyncException(e.code(), e.detail(), e, log.term(), log.version()));
            return;
        }
        Pending p = state.pending.create(update, pre, log.version(), state.nextHlc(), f);
        boolean ordersHere = role == ReplicaStatus.Role.HOST && !replica.recovery.active() && !stopping;
        if (!ordersHere) {
            // it will travel to a host: one that cannot travel is refused now, not dropped by the transport later
            p.frame = ClientSession.patchFrame(p);
            if (overFrameLimit(p.frame)) {
                f.completeExceptionally(new MemSyncException(MemSyncException.ERR_TOO_LARGE, "update of '"
                        + options.name() + "' is larger on the wire than the frame limit of " + options.maxFrameBytes()
                        + " bytes (maxFrameSize); nothing was applied", null, log.term(), log.version()));
                return;
            }
        }
        state.pending.add(p);
        if (ordersHere) {
            replica.ordering.order(replica.peerId(), p.seq, p.base, p.hlc, update, pre);
            replica.ordering.scheduleFlush();
            return;
        }
        p.deadline = env.nanoTime() + options.timeout().toNanos();
        JsonObject before = state.view();
        state.view(ev.document());
        state.fire(new ViewChange(before, ev.document(), ev.effect(), log.version(), log.lastTerm(), true,
                MemSyncChange.State.PENDING));
        replica.client.sendPatch(p);
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

    /**
     * Fails the futures of pending updates whose {@code timeout} passed (they stay pending: the outcome is unknown
     * and may still arrive). One periodic sweep instead of a timer per update: deadlines grow with the sequence, so
     * it stops at the first update still in time.
     */
    void sweepTimeouts() {
        state.pending.sweepTimeouts(env.nanoTime(), options.timeout(), state.log.term(), state.log.version());
    }
}
