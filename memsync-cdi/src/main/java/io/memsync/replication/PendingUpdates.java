package io.memsync.replication;

import io.memsync.MemSyncException;
import io.memsync.Precondition;
import io.memsync.Update;
import io.memsync.document.Limits;
import io.memsync.document.UpdateEvaluator;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * This replica's own updates that the host has not ordered yet (DESIGN.md §4 "Clients: optimistic apply and rebase"),
 * by sequence number, oldest first: their outcomes, the view they make on top of the confirmed document (rebase),
 * their timeouts and what a stop tells them. No threads, no I/O: every method runs under the owning {@link Replica}'s
 * lock, which guards all of this state (the futures are completed with it held, as before the split).
 *
 * <p>A sent update whose outcome does not arrive is "outcome unknown" ({@code ERR_TIMEOUT}): it stays pending and
 * deduplicated and may still apply; only a definite rejection (an ordered entry with a code) rolls it back.
 */
final class PendingUpdates {
    /** One unordered update of this replica. */
    static final class Pending {
        final long seq;
        final Update update;
        final Precondition pre;
        final long base;
        final long hlc;
        final CompletableFuture<Outcome> future;
        /** When {@link #sweepTimeouts} fails the future with {@code ERR_TIMEOUT}; 0 for none (ordered at once). */
        long deadline;
        /** Whether it was ever sent to a host (which may then order it). */
        boolean sent;
        /** Its patch frame, built once (to check its size at submit, and for every re-send). */
        String frame;

        Pending(long seq, Update update, Precondition pre, long base, long hlc, CompletableFuture<Outcome> future) {
            this.seq = seq;
            this.update = update;
            this.pre = pre;
            this.base = base;
            this.hlc = hlc;
            this.future = future;
        }
    }

    private final String name;
    /** Inserted in increasing sequence order, so iteration is in order. */
    private final LinkedHashMap<Long, Pending> bySeq = new LinkedHashMap<>();
    private long nextSeq;
    private final Limits limits;

    /** @param name the shared object's name, for messages */
    PendingUpdates(String name) {
        this(name, Limits.DEFAULT);
    }

    /** @param name the shared object's name, for messages @param limits the size limits of updates */
    PendingUpdates(String name, Limits limits) {
        this.name = name;
        this.limits = limits;
    }

    /** @return the number of pending updates */
    int size() {
        return bySeq.size();
    }

    /** @return whether none is pending */
    boolean isEmpty() {
        return bySeq.isEmpty();
    }

    /** @return the pending updates, oldest first (a live view) */
    Collection<Pending> all() {
        return Collections.unmodifiableCollection(bySeq.values());
    }

    /** @return whether any pending update was sent to a host (its outcome may still arrive) */
    boolean anySent() {
        return bySeq.values().stream().anyMatch(p -> p.sent);
    }

    /**
     * Numbers a new update with the next sequence number; it is pending only once {@link #add added} (a refused one
     * still consumes its number).
     *
     * @param update the update
     * @param pre    its precondition or {@code null}
     * @param base   the confirmed version it was evaluated on
     * @param hlc    its clock reading
     * @param future completed with its outcome
     * @return the numbered update
     */
    Pending create(Update update, Precondition pre, long base, long hlc, CompletableFuture<Outcome> future) {
        return new Pending(++nextSeq, update, pre, base, hlc, future);
    }

    /** @param p an update from {@link #create}, now pending */
    void add(Pending p) {
        bySeq.put(p.seq, p);
    }

    /**
     * @param seq a sequence number
     * @return whether it is the oldest pending update
     */
    boolean isHead(long seq) {
        return !bySeq.isEmpty() && bySeq.firstEntry().getKey() == seq;
    }

    /**
     * Removes an update whose entry arrived.
     *
     * @param seq its sequence number
     * @return the update, or {@code null} when it was not pending
     */
    Pending take(long seq) {
        return bySeq.remove(seq);
    }

    /**
     * Removes every update the exactly-once table says was ordered (after a snapshot).
     *
     * @param lastOrdered the table's sequence number for this replica
     * @return the removed updates, oldest first
     */
    List<Pending> takeUpTo(long lastOrdered) {
        List<Pending> out = new ArrayList<>();
        while (!bySeq.isEmpty() && bySeq.firstEntry().getKey() <= lastOrdered) {
            out.add(bySeq.pollFirstEntry().getValue());
        }
        return out;
    }

    /**
     * Completes an update's future from the entry that ordered it: its outcome when accepted, its code when rejected.
     *
     * @param p the update
     * @param e its entry
     */
    static void resolve(Pending p, Entry e) {
        if (e.accepted()) {
            p.future.complete(new Outcome(e.term(), e.version(), e.effect()));
        } else {
            p.future.completeExceptionally(new MemSyncException(e.code(), e.message(), null, e.term(), e.version()));
        }
    }

    /**
     * The view: the confirmed document with the pending updates re-evaluated on top, in order (rebase). An update
     * that no longer evaluates is left out of the view (it stays pending: the host decides).
     *
     * @param confirmed the confirmed document
     * @return the view
     */
    JsonObject rebase(JsonObject confirmed) {
        JsonObject v = confirmed;
        for (Pending p : bySeq.values()) {
            try {
                v = UpdateEvaluator.evaluate(v, p.update, limits).document();
            } catch (MemSyncException ex) {
                // a pending update that no longer evaluates is left out of the view
            }
        }
        return v;
    }

    /**
     * Fails the futures of pending updates whose deadline passed with {@code ERR_TIMEOUT} (they stay pending: the
     * outcome is unknown and may still arrive). One periodic sweep instead of a timer per update: deadlines grow with
     * the sequence, so it stops at the first update still in time.
     *
     * @param now     the current reading of the replica's nano clock
     * @param timeout the timeout, for the message
     * @param term    the current term, for the exception
     * @param version the confirmed version, for the exception
     */
    void sweepTimeouts(long now, Duration timeout, long term, long version) {
        List<Pending> late = null;
        for (Pending p : bySeq.values()) {
            if (p.deadline == 0 || p.future.isDone()) {
                continue;
            }
            if (now - p.deadline < 0) {
                break;
            }
            if (late == null) {
                late = new ArrayList<>();
            }
            late.add(p);
        }
        if (late == null) {
            return;
        }
        // failed after the walk over the pending updates: a caller's callback may patch again at once
        for (Pending p : late) {
            p.future.completeExceptionally(new MemSyncException(MemSyncException.ERR_TIMEOUT,
                    "no outcome for update " + p.seq + " of '" + name + "' within " + timeout
                            + "; outcome unknown, it stays pending", null, term, version));
        }
    }

    /**
     * The replica stops: every pending update gets its final answer and none stays pending. One that reached a host
     * may have been applied, so it gets "outcome unknown" ({@code ERR_TIMEOUT}), never a definite failure; one never
     * sent fails with {@code stopped}. The sequence counter is kept.
     *
     * @param stopped the failure of an update never sent
     * @param term    the current term, for the exception
     * @param version the confirmed version, for the exception
     */
    void stop(Supplier<MemSyncException> stopped, long term, long version) {
        for (Pending p : bySeq.values()) {
            // an update that reached a host may have been applied: its outcome is unknown, never a definite failure
            p.future.completeExceptionally(p.sent ? new MemSyncException(MemSyncException.ERR_TIMEOUT, "'"
                    + name + "' stopped before the outcome of update " + p.seq
                    + " arrived; outcome unknown, it may have been applied", null, term, version) : stopped.get());
        }
        bySeq.clear();
    }

    /** Forgets every pending update and restarts the sequence (a new run with a new peer id). */
    void reset() {
        bySeq.clear();
        nextSeq = 0;
    }
}
