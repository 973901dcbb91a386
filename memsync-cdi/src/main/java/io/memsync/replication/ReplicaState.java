package io.memsync.replication;

import io.memsync.MemSyncChange;
import io.memsync.MemSyncException;
import io.memsync.document.JsonProviders;
import io.memsync.replication.PendingUpdates.Pending;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What one replica holds, whatever its role: the confirmed {@link ReplicatedLog}, its own {@link PendingUpdates}, the
 * view built from both, and its hybrid logical clock. Applies ordered entries and snapshots (resolving the matching
 * pending updates) and tells the listener of each visible change. No threads, no I/O; guarded by the replica's lock
 * (only {@link #view()} is read without it).
 */
final class ReplicaState {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());

    /** An entry that does not follow the confirmed version: the stream from the host has a gap. */
    static final class GapException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GapException(String m) {
            super(m);
        }
    }

    private final ReplicaOptions options;
    private final ReplicaListener listener;
    private final Supplier<String> peerId;
    private final BooleanSupplier started;
    /** The confirmed state: document, (term, version), retained entries, exactly-once table, writer grants. */
    final ReplicatedLog log = new ReplicatedLog();
    /** This replica's unordered updates, oldest first. */
    final PendingUpdates pending;
    private volatile JsonObject view = JsonValue.EMPTY_JSON_OBJECT;
    /** The host's persistence and acknowledgement gating (see {@link HostPersistence}), or {@code null}. */
    HostPersistence persistence;
    private long hlc;

    /**
     * @param options  the replica's options
     * @param listener receives view changes
     * @param peerId   this replica's current peer id
     * @param started  whether this replica's start completed (before it, others' confirmed changes are not reported)
     */
    ReplicaState(ReplicaOptions options, ReplicaListener listener, Supplier<String> peerId, BooleanSupplier started) {
        this.options = options;
        this.listener = listener;
        this.peerId = peerId;
        this.started = started;
        this.pending = new PendingUpdates(options.name(), options.limits());
    }

    /** @return the view: the confirmed document with the pending updates re-evaluated on top (read without the lock) */
    JsonObject view() {
        return view;
    }

    /**
     * Replaces the view (a local update evaluated on it).
     *
     * @param v the new view
     */
    void view(JsonObject v) {
        view = v;
    }

    /** Forgets everything (a new start). */
    void reset() {
        log.clear();
        view = log.document();
        pending.reset();
    }

    /** @return the next reading of the hybrid logical clock (wall-clock microseconds, strictly increasing) */
    long nextHlc() {
        hlc = Math.max(hlc + 1, options.clock().millis() * 1000);
        return hlc;
    }

    /** @param h a clock reading seen from another process (the clock never goes below it) */
    void observeHlc(long h) {
        hlc = Math.max(hlc, h);
    }

    /**
     * Client: applies entries from the host in order, skipping those already applied.
     *
     * @param entries the entries
     * @throws GapException when an entry does not follow the confirmed version
     */
    void applyEntries(List<Entry> entries) {
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

    /**
     * Applies one ordered entry (client or host), resolves the matching pending update and tells the listener.
     *
     * @param e the entry
     */
    void applyEntry(Entry e) {
        applyEntry(e, log.after(e));
    }

    /**
     * Applies one ordered entry whose resulting document is already known.
     *
     * @param e     the entry
     * @param after the document after it
     */
    void applyEntry(Entry e, JsonObject after) {
        if (e.isGrantChange()) {
            // answers no update and changes no document: only the grants
            log.apply(e, after);
            applied(e);
            observeHlc(e.hlc());
            if (e.isRevoke() && e.peer().equals(peerId.get())) {
                LOG.log(System.Logger.Level.WARNING, options.name() + ": this process lost its writer slot ("
                        + e.message() + "); its updates now fail with " + MemSyncException.ERR_READ_ONLY);
            }
            return;
        }
        JsonObject before = view;
        log.apply(e, after);
        applied(e);
        observeHlc(e.hlc());
        boolean local = e.peer().equals(peerId.get());
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
            if (persistence != null) {
                persistence.resolve(p, e); // now, or once durable (and held by a replica)
            } else {
                PendingUpdates.resolve(p, e);
            }
        }
        if (e.accepted()) {
            fire(new ViewChange(before, view, e.effect(), log.version(), log.lastTerm(), local, MemSyncChange.State.CONFIRMED));
        } else if (local) {
            fire(new ViewChange(before, view, JsonProviders.JSON.createDiff(before, view).toJsonArray(), log.version(),
                    log.lastTerm(), true, MemSyncChange.State.ROLLED_BACK));
        }
    }

    private void applied(Entry e) {
        if (persistence != null) {
            persistence.applied(e);
        }
    }

    /** Rebuilds the view: the confirmed document with the pending updates re-evaluated on top. */
    void recomputeView() {
        view = pending.rebase(log.document());
    }

    /**
     * Tells the listener of a visible change (before the start completed, only of this replica's own changes).
     *
     * @param c the change
     */
    void fire(ViewChange c) {
        if (!started.getAsBoolean() && c.state() == MemSyncChange.State.CONFIRMED && !c.local()) {
            return;
        }
        try {
            listener.viewChanged(c);
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "listener failed", ex);
        }
    }

    /** Starts from the configured initial data (a new network, or nothing left to recover from). */
    void installInitial() {
        log.resetTo(options.data());
        recomputeView();
    }

    /**
     * Replaces the confirmed state with a snapshot (with its log tail and exactly-once table).
     *
     * @param s the snapshot
     */
    void installState(Snapshot s) {
        JsonObject before = view;
        log.install(s);
        String me = peerId.get();
        Long mine = log.lastSeq(me);
        List<Pending> resolved = mine == null ? List.of() : pending.takeUpTo(mine);
        recomputeView();
        for (Pending p : resolved) {
            Entry e = log.entryOf(me, p.seq);
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
            fire(new ViewChange(before, view, JsonProviders.JSON.createDiff(before, view).toJsonArray(), log.version(),
                    log.lastTerm(), false, MemSyncChange.State.CONFIRMED));
        }
    }

    /**
     * Sends the confirmed state in chunks (a document larger than a frame can travel).
     *
     * @param ch where to
     * @return the characters sent
     */
    long sendState(Channel ch) {
        // a chunk's character takes at most 3 bytes in its frame: chunks stay under a small frame limit too
        int chars = (int) Math.min(SnapshotChunks.CHUNK_CHARS, (options.maxFrameBytes() - 128L) / 3);
        long sent = 0;
        for (Frame.SnapChunk c : SnapshotChunks.split(log.snapshot(), chars)) {
            String frame = FrameCodec.encode(c);
            sent += frame.length();
            ch.send(frame);
        }
        return sent;
    }

    /** @return an assembler for a snapshot from another process: larger than a frame, but not without bound */
    SnapshotChunks.Assembler newAssembler() {
        return new SnapshotChunks.Assembler(Math.max(64L << 20, options.maxFrameBytes() * 64L));
    }
}
