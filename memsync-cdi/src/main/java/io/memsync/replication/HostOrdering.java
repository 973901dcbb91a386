package io.memsync.replication;

import io.memsync.MemSyncException;
import io.memsync.Precondition;
import io.memsync.Update;
import io.memsync.document.Filters;
import io.memsync.document.PersistentJson;
import io.memsync.document.UpdateEvaluator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Host: orders updates and broadcasts the entries. Each update is checked (duplicate, writer grant, retained log,
 * precondition, the {@link ConflictRule}), evaluated against the confirmed document and appended as an entry, accepted
 * or rejected; entries ordered since the last flush go to every ready client in one frame (several when they are larger than a frame, see {@link EntryFrames}). A flush is posted to the
 * event loop, or, while a frame from a channel that {@linkplain Channel#endsBatches ends its batches} is handled, left
 * to the end of that batch on the same thread. Guarded by the replica's lock.
 */
final class HostOrdering {
    private final Replica replica;
    private final ReplicaOptions options;
    private final ReplicaState state;
    private final ReplicatedLog log;
    private final List<Entry> outbox = new ArrayList<>();
    private boolean flushScheduled;
    /**
     * Set while a frame from a channel that {@linkplain Channel#endsBatches ends its batches} is handled: the flush
     * its updates need is then left to {@link #batchEnded} on the same thread, instead of posted to the event thread
     * (a wake-up of that thread per message, which then finds nothing to do).
     */
    private boolean flushAtBatchEnd;

    HostOrdering(Replica replica, ReplicaOptions options, ReplicaState state) {
        this.replica = replica;
        this.options = options;
        this.state = state;
        this.log = state.log;
    }

    /** Drops entries not sent yet (hosting ended; the clients get them from the next host). */
    void clear() {
        outbox.clear();
    }

    /**
     * Handles one frame from {@code ch}, leaving the flush to the end of its batch when the channel reports batches.
     *
     * @param ch     the channel the frame came on
     * @param handle handles the frame
     */
    void handling(Channel ch, Runnable handle) {
        boolean outer = flushAtBatchEnd;
        flushAtBatchEnd = ch.endsBatches();
        try {
            handle.run();
        } finally {
            flushAtBatchEnd = outer;
        }
    }

    /** The frames of one message were handled: sends what they ordered, in one batch, on this thread. */
    void batchEnded() {
        if (flushScheduled) {
            flush(); // also after a step-down: a flush left to this call was not posted
        }
    }

    /**
     * Orders one update: checks, evaluates and appends an entry (accepted or rejected).
     *
     * @param peer   the writer
     * @param seq    its sequence number
     * @param base   the version it was based on
     * @param h      its clock reading
     * @param update the update
     * @param pre    its precondition, or {@code null}
     */
    void order(String peer, long seq, long base, long h, Update update, Precondition pre) {
        Long last = log.lastSeq(peer);
        if (last != null && seq <= last) {
            return; // duplicate: its entry was already ordered and travels on the stream
        }
        state.observeHlc(h);
        WriterAdmission admission = replica.admission;
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
            ev = UpdateEvaluator.evaluate(log.document(), update, options.limits());
        } catch (MemSyncException e) {
            if (MemSyncException.ERR_TOO_LARGE.equals(e.code())) {
                // re-checked here (a client may be hostile): refused to the writer, whatever else changed
                reject(peer, seq, h, e.code(), "'" + options.name() + "': " + e.detail());
                return;
            }
            if (log.conflict(peer, base, h, ConflictRule.declaredPaths(update), false) != null) {
                reject(peer, seq, h, MemSyncException.ERR_STALE_PATCH, "update no longer applies after a newer change: "
                        + e.detail());
            } else {
                reject(peer, seq, h, e.code(), e.detail());
            }
            return;
        }
        Entry x = log.conflict(peer, base, h, ev.paths(), ev.commutative());
        if (x != null) {
            reject(peer, seq, h, MemSyncException.ERR_STALE_PATCH, "update conflicts with newer change at version "
                    + x.version() + " (paths " + x.paths() + ")");
            return;
        }
        Entry e = new Entry(log.term(), log.version() + 1, peer, seq, h, ev.effect(), null, null, ev.paths(), ev.commutative());
        state.applyEntry(e, PersistentJson.object(ev.document())); // the evaluation already built the new document
        outbox.add(e);
    }

    /**
     * Orders a rejection of an update: an entry without an effect, so its outcome replicates.
     *
     * @param peer    the writer
     * @param seq     its sequence number
     * @param h       its clock reading
     * @param code    the failure code
     * @param message why
     */
    void reject(String peer, long seq, long h, String code, String message) {
        append(new Entry(log.term(), log.version() + 1, peer, seq, h, null, code, message, List.of(), false));
    }

    /**
     * Applies an entry the host made and queues it for the clients.
     *
     * @param e the entry
     */
    void append(Entry e) {
        state.applyEntry(e);
        outbox.add(e);
    }

    /**
     * Sends the entries ordered so far before a frame that must not overtake them (an RPC result, an event): what a
     * process wrote before it answered a call or emitted an event is visible where the answer or the event arrives.
     */
    void flushFirst() {
        if (!outbox.isEmpty()) {
            replica.persistence.syncAll(); // entries waiting for durability must not be overtaken either
            flush();
        }
    }

    /** Makes sure the entries ordered now are sent soon: at the end of the batch, or on the event loop. */
    void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            if (!flushAtBatchEnd) {
                replica.loop.post(this::flush);
            }
        }
    }

    /** Sends every entry ordered since the last flush to every ready client, one frame per client. */
    void flush() {
        flushScheduled = false;
        // only entries whose record is durable go out (for a client the entry is the acknowledgement)
        int n = outbox.size();
        while (n > 0 && !replica.persistence.sendable(outbox.get(n - 1).version())) {
            n--;
        }
        if (n == 0) {
            return;
        }
        List<Entry> batch = outbox.subList(0, n);
        String origin = batch.get(0).peer();
        for (Entry e : batch) {
            if (origin != null && !origin.equals(e.peer())) {
                origin = null;
            }
        }
        // frames under the frame limit: a client refuses a bigger one, and would then reconnect without end
        List<String> frames = EntryFrames.frames(batch, options.maxFrameBytes()); // encodes (copies) the entries
        batch.clear();
        // when every entry comes from one peer, that peer (which already shows them) is served last
        Collection<Peer> conns = replica.host.connections();
        Peer originPeer = null;
        for (Peer p : conns) {
            if (!p.ready) {
                continue;
            }
            if (originPeer == null && origin != null && origin.equals(p.peerId)) {
                originPeer = p;
            } else {
                send(p, frames);
            }
        }
        if (originPeer != null) {
            send(originPeer, frames);
        }
        if (replica.persistence.waitsForReplicas()) {
            // updates of this process wait for another process to hold their entries: ask for acknowledgements now
            String sync = FrameCodec.encode(new Frame.Sync());
            for (Peer p : conns) {
                if (p.ready) {
                    p.channel.send(sync);
                }
            }
        }
    }

    private void send(Peer p, List<String> frames) {
        for (String frame : frames) {
            p.channel.send(frame);
        }
        replica.host.checkBudget(p);
    }
}
