package io.memsync.replication;

import io.memsync.MemSyncException;
import io.memsync.document.JsonText;
import io.memsync.replication.PendingUpdates.Pending;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The host's side of persistence and of acknowledgement gating. It opens the {@link Persistence} when this
 * process takes over a term and treats what it holds as one more log in recovery (DESIGN.md §6): a persisted state
 * newer than this replica's own is installed before the term starts, so the host never orders a different entry
 * under a version already persisted, and the new term is above the persisted one. Once recovery ends it brings the
 * store up to the host's log (appending the missing entries, or writing a snapshot) and from then on appends every
 * ordered entry, writing a snapshot when the store says one is due.
 *
 * <p>Acknowledgements wait here: an entry is sent to the clients (for whom the entry is the acknowledgement), and
 * an update of this process completes, only once its record is durable under the store's mode; with replica acks,
 * an accepted update of this process completes only once another process acknowledged holding its entry (or fails
 * with {@code ERR_TIMEOUT}, outcome unknown, after the timeout). When the store fails, the network keeps running
 * from memory: nothing waits for it any more, and {@link #failure()} says why until the next term. Guarded by the
 * replica's lock.
 */
final class HostPersistence {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());

    /** An update of this process whose outcome waits for durability or for a replica. */
    private record Deferred(Pending pending, Entry entry, long deadline) {
    }

    private final Replica replica;
    private final ReplicaOptions options;
    private final ReplicaEnvironment env;
    private final ReplicaState state;
    private final ReplicatedLog log;
    private Persistence store;
    private boolean replicaAcks;
    /** The store is open for this term. */
    private boolean open;
    /** The store holds this host's log up to {@link #appended} (recovery ended and the catch-up was done). */
    private boolean caughtUp;
    /** Why persistence failed in this term, or {@code null}. */
    private volatile String failure;
    private long appended;
    private long durable;
    private boolean snapshotInFlight;
    /** Position of the newest state in the store when it was opened. */
    private long storedTerm;
    private long storedVersion;
    private boolean storedSnapshot;
    private final ArrayDeque<Deferred> deferred = new ArrayDeque<>();
    /** Counts the openings of the store, so a stage of an earlier term's store is ignored. */
    private int epoch;
    /** Appends still waiting for their stage. */
    private int pendingAppends;
    /** How long a host whose store failed waits before it tries to open the store again. */
    static final long RETRY_NANOS = 2_000_000_000L;
    /** When the next attempt to open a failed store is due (nano clock). */
    private long retryAt;
    /** A background attempt to open the failed store again is under way. */
    private boolean reopening;

    HostPersistence(Replica replica, ReplicaOptions options, ReplicaEnvironment env, ReplicaState state) {
        this.replica = replica;
        this.options = options;
        this.env = env;
        this.state = state;
        this.log = state.log;
    }

    /**
     * Configures the store and the acknowledgement mode (before the replica starts).
     *
     * @param p           the store, or {@code null} for none
     * @param replicaAcks whether an update of the host completes only once another process holds its entry
     */
    void configure(Persistence p, boolean replicaAcks) {
        this.store = p;
        this.replicaAcks = replicaAcks;
    }

    /** @return why persistence fails in this term, or {@code null} when it works or is not configured */
    String failure() {
        return failure;
    }

    /** @return whether the store is open and working */
    private boolean working() {
        return open && failure == null;
    }

    // =====================================================================================================
    // taking over
    // =====================================================================================================

    /**
     * The host lease was just acquired (before the new term is chosen): opens the store and installs what it holds
     * when that is newer than this replica's own state.
     */
    void takeOver() {
        closeStore();
        failure = null;
        caughtUp = false;
        appended = 0;
        durable = 0;
        if (store == null) {
            return;
        }
        Persistence.Stored s;
        Snapshot snap;
        List<Entry> tail = new ArrayList<>();
        try {
            s = store.open();
            open = true;
            snap = s.snapshot() == null ? null : FrameCodec.decodeSnapshot(new String(s.snapshot(), StandardCharsets.UTF_8));
            for (byte[] b : s.entries()) {
                tail.add(decodeEntry(b));
            }
        } catch (RuntimeException e) {
            fail("cannot load " + store.describe() + ": " + message(e));
            return;
        }
        position(snap, tail);
        if (s.isEmpty()) {
            return;
        }
        if (snap == null && tail.isEmpty() && s.imported() != null) {
            storedTerm = 0;
            storedVersion = 0; // the store itself is empty: the import is written at the catch-up
        }
        boolean newer = !log.hasDocument() || storedTerm > log.lastTerm()
                || (storedTerm == log.lastTerm() && storedVersion > log.version());
        if (!newer) {
            return;
        }
        if (snap == null && s.imported() != null) {
            long v = s.importedVersion();
            snap = new Snapshot(0, v, io.memsync.document.PersistentJson.object(s.imported()), Map.of(), v, 0, List.of());
        }
        // the stored snapshot with its tail applied, installed in one step (observers see one change, never a step back)
        ReplicatedLog stored = new ReplicatedLog();
        stored.install(snap != null ? snap : new Snapshot(0, 0, options.data(), Map.of(), 0, 0, List.of()));
        for (Entry e : tail) {
            if (e.version() == stored.version() + 1) {
                stored.apply(e, stored.after(e));
            }
        }
        state.installState(stored.snapshot());
        LOG.log(System.Logger.Level.INFO, options.name() + ": loaded (" + log.lastTerm() + ", " + log.version() + ") from "
                + store.describe());
    }

    /** Notes the position of what the store holds. */
    private void position(Snapshot snap, List<Entry> tail) {
        storedSnapshot = snap != null;
        Entry last = tail.isEmpty() ? null : tail.get(tail.size() - 1);
        storedTerm = last != null ? last.term() : snap != null ? snap.lastTerm() : 0;
        storedVersion = last != null ? last.version() : snap != null ? snap.version() : 0;
    }

    /**
     * The store failed in this term: it is opened again in the background (this host kept ordering from memory,
     * and nobody else wrote the store meanwhile, so it holds a prefix of this host's log), and once that worked it
     * is brought up to the log like at the start of the term.
     */
    private void reopen() {
        reopening = true;
        open = false;
        caughtUp = false;
        pendingAppends = 0;
        snapshotInFlight = false;
        int at = ++epoch;
        Persistence p = store;
        env.spawn(options.name() + "-store-reopen", () -> {
            Persistence.Stored s = null;
            RuntimeException failed = null;
            try {
                p.close();
                s = p.open();
            } catch (RuntimeException e) {
                failed = e;
            }
            Persistence.Stored opened = s;
            RuntimeException error = failed;
            if (!replica.loop.post(() -> reopened(at, opened, error))) {
                p.close();
            }
        });
    }

    private void reopened(int at, Persistence.Stored s, RuntimeException error) {
        reopening = false;
        if (epoch != at || replica.role() != ReplicaStatus.Role.HOST) {
            if (s != null) {
                store.close(); // hosting ended meanwhile: the next host must be able to open it
            }
            return;
        }
        retryAt = env.nanoTime() + RETRY_NANOS;
        if (error != null) {
            failure = "cannot open " + store.describe() + " again: " + message(error);
            return;
        }
        try {
            Snapshot snap = s.snapshot() == null ? null : FrameCodec.decodeSnapshot(new String(s.snapshot(), StandardCharsets.UTF_8));
            List<Entry> tail = new ArrayList<>();
            for (byte[] b : s.entries()) {
                tail.add(decodeEntry(b));
            }
            position(snap, tail);
        } catch (RuntimeException e) {
            store.close();
            failure = "cannot load " + store.describe() + " again: " + message(e);
            return;
        }
        open = true;
        String was = failure;
        failure = null;
        appended = 0;
        durable = 0;
        opened();
        if (failure == null) {
            LOG.log(System.Logger.Level.INFO, options.name() + ": persisting to " + store.describe() + " again at version "
                    + log.version() + " (it had failed: " + was + ")");
        }
    }

    /**
     * Recovery ended and the host opens: the store is brought up to the host's log (the entries it lacks, or a
     * snapshot of the state), and from now on every ordered entry is appended.
     */
    void opened() {
        if (!working()) {
            return;
        }
        try {
            long v = log.version();
            if (storedVersion == v && storedTerm == log.lastTerm()) {
                // the store holds exactly this state
            } else if (storedVersion < v && log.termAt(storedVersion) == storedTerm) {
                // the store holds a prefix of this log
                appended = storedVersion;
                for (Entry e : log.entriesAfter(storedVersion)) {
                    append(e);
                }
            } else if (v > storedVersion) {
                // this log is newer and its entries since the store's position are not retained, or it diverges
                writeSnapshot();
                storedSnapshot = true;
            } else {
                fail(store.describe() + " holds (" + storedTerm + ", " + storedVersion + "), which this host's log at ("
                        + log.lastTerm() + ", " + v + ") does not continue; not writing to it in term " + log.term());
                return;
            }
            appended = v;
            if (!storedSnapshot) {
                writeSnapshot(); // the starting document is in no log entry
            }
            caughtUp = true;
            if (pendingAppends == 0) {
                durable = appended;
            }
        } catch (RuntimeException e) {
            fail("cannot write to " + store.describe() + ": " + message(e));
        }
    }

    // =====================================================================================================
    // appending
    // =====================================================================================================

    /**
     * An entry was applied to the confirmed log: a host appends it to the store.
     *
     * @param e the entry
     */
    void applied(Entry e) {
        if (!caughtUp || !working() || replica.role() != ReplicaStatus.Role.HOST) {
            return;
        }
        if (e.version() != appended + 1) {
            fail("entry " + e.version() + " does not follow version " + appended + ", the last one appended to "
                    + store.describe()); // the store is caught up when it is opened again
            return;
        }
        try {
            append(e);
        } catch (RuntimeException ex) {
            fail("cannot append version " + e.version() + " to " + store.describe() + ": " + message(ex));
        }
    }

    private void append(Entry e) {
        StringBuilder sb = new StringBuilder(160);
        FrameCodec.writeEntry(e, sb);
        long v = e.version();
        CompletableFuture<Void> f = store.append(e.term(), v, sb.toString().getBytes(StandardCharsets.UTF_8));
        appended = v;
        if (f.isCompletedExceptionally()) {
            f.exceptionally(ex -> {
                fail("cannot append version " + v + " to " + store.describe() + ": " + message(ex));
                return null;
            });
            return;
        }
        if (f.isDone() && pendingAppends == 0) {
            durable = v;
            return;
        }
        pendingAppends++;
        Persistence p = store;
        int at = epoch;
        f.whenComplete((ok, ex) -> replica.loop.post(() -> {
            if (epoch != at || !open) {
                return;
            }
            pendingAppends--;
            if (ex != null) {
                fail("version " + v + " could not be made durable in " + p.describe() + ": " + message(ex));
            } else {
                durable = Math.max(durable, v);
            }
            release();
            replica.ordering.flush();
        }));
    }

    /** Heartbeat tick of the host: a due snapshot is written, replica acks that waited too long fail. */
    void tick() {
        if (caughtUp && working() && !snapshotInFlight) {
            try {
                if (store.snapshotDue()) {
                    writeSnapshot();
                }
            } catch (RuntimeException e) {
                fail("cannot write a snapshot to " + store.describe() + ": " + message(e));
            }
        }
        long now = env.nanoTime();
        if (failure != null && store != null && !reopening && !replica.recovery.active() && now - retryAt >= 0) {
            reopen();
        }
        while (!deferred.isEmpty() && deferred.peekFirst().deadline() - now < 0) {
            Deferred d = deferred.pollFirst();
            unknown(d, "no other process confirmed holding its entry within " + options.timeout()
                    + " (acks REPLICA; the host has it)");
        }
    }

    private void writeSnapshot() {
        snapshotInFlight = true;
        long t = log.lastTerm();
        long v = log.version();
        Persistence p = store;
        int at = epoch;
        byte[] bytes = FrameCodec.encodeSnapshot(log.snapshot()).getBytes(StandardCharsets.UTF_8);
        p.snapshot(t, v, bytes).whenComplete((ok, ex) -> replica.loop.post(() -> {
            if (epoch != at || !open) {
                return;
            }
            snapshotInFlight = false;
            if (ex != null) {
                fail("cannot write the snapshot at version " + v + " to " + p.describe() + ": " + message(ex));
            }
        }));
    }

    /**
     * Writes a snapshot now (the shared object's {@code flush()}), after making every appended entry durable.
     *
     * @param f       completed once written; failed when this process is not a host with a working store
     * @param stopped the failure when the replica is stopped, or {@code null}
     */
    void flushSnapshot(CompletableFuture<Void> f, MemSyncException stopped) {
        if (stopped != null) {
            f.completeExceptionally(stopped);
            return;
        }
        flushSnapshot().whenComplete((v, e) -> {
            if (e != null) {
                f.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e);
            } else {
                f.complete(null);
            }
        });
    }

    private CompletableFuture<Void> flushSnapshot() {
        if (replica.role() != ReplicaStatus.Role.HOST || !caughtUp || !working()) {
            String why = store == null ? "has no persistence configured"
                    : replica.role() != ReplicaStatus.Role.HOST ? "is not the host (only the host writes the store)"
                    : failure != null ? "cannot persist: " + failure : "is still recovering";
            return CompletableFuture.failedFuture(new MemSyncException(store == null || replica.role() != ReplicaStatus.Role.HOST
                    ? MemSyncException.ERR_CONFIG : MemSyncException.ERR_IO, "'" + options.name() + "' " + why, null,
                    log.term(), log.version()));
        }
        try {
            syncAll();
            long t = log.lastTerm();
            long v = log.version();
            byte[] bytes = FrameCodec.encodeSnapshot(log.snapshot()).getBytes(StandardCharsets.UTF_8);
            return store.snapshot(t, v, bytes);
        } catch (RuntimeException e) {
            fail("cannot write a snapshot to " + store.describe() + ": " + message(e));
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Makes every appended entry durable now (before a handover or a welcome that would hand out the log). */
    void syncAll() {
        if (!working() || durable >= appended) {
            return;
        }
        try {
            store.flush();
            durable = appended;
            release();
        } catch (RuntimeException e) {
            fail("cannot flush " + store.describe() + ": " + message(e));
        }
    }

    // =====================================================================================================
    // acknowledgement gating
    // =====================================================================================================

    /**
     * Whether an entry may be sent to the clients: its record is durable (or there is no working store).
     *
     * @param version the entry's version
     * @return whether it is durable enough
     */
    boolean sendable(long version) {
        return !working() || !caughtUp || version <= durable;
    }

    /**
     * Resolves an update of this process by its entry, now or once the entry is durable (and held by a replica).
     *
     * @param p the update
     * @param e its entry
     */
    void resolve(Pending p, Entry e) {
        if (replica.role() != ReplicaStatus.Role.HOST || (deferred.isEmpty() && ready(e))) {
            PendingUpdates.resolve(p, e);
            return;
        }
        deferred.addLast(new Deferred(p, e, env.nanoTime() + options.timeout().toNanos()));
    }

    /** @return whether updates of this process wait for another process to acknowledge */
    boolean waitsForReplicas() {
        return replicaAcks && !deferred.isEmpty();
    }

    private boolean ready(Entry e) {
        return sendable(e.version()) && (!replicaAcks || !e.accepted() || replicated(e.version()));
    }

    private boolean replicated(long version) {
        for (Peer p : replica.host.connections()) {
            if (p.ready && p.acked >= version) {
                return true;
            }
        }
        return false;
    }

    /** Something changed (durability, a client's acknowledgement): completes the updates that may complete now. */
    void release() {
        while (!deferred.isEmpty() && ready(deferred.peekFirst().entry())) {
            Deferred d = deferred.pollFirst();
            PendingUpdates.resolve(d.pending(), d.entry());
        }
    }

    private void unknown(Deferred d, String why) {
        d.pending().future.completeExceptionally(new MemSyncException(MemSyncException.ERR_TIMEOUT, "update "
                + d.pending().seq + " of '" + options.name() + "' was ordered at version " + d.entry().version() + " but "
                + why + "; outcome unknown", null, log.term(), log.version()));
    }

    // =====================================================================================================
    // failure and end of hosting
    // =====================================================================================================

    private void fail(String why) {
        if (failure == null) {
            LOG.log(System.Logger.Level.WARNING, options.name() + ": persistence failing, the network keeps running from"
                    + " memory (trying again every " + RETRY_NANOS / 1_000_000_000L + " s): " + why);
            retryAt = env.nanoTime() + RETRY_NANOS;
        }
        failure = why;
        release();
    }

    /** Hosting ended: the store is flushed and released, updates still waiting have an unknown outcome. */
    void hostingEnded() {
        while (!deferred.isEmpty()) {
            unknown(deferred.pollFirst(), "this process stopped hosting before it was confirmed");
        }
        closeStore();
        epoch++; // a reopening under way closes what it opened
        caughtUp = false;
        failure = null;
    }

    private void closeStore() {
        if (open) {
            open = false;
            epoch++;
            pendingAppends = 0;
            snapshotInFlight = false;
            store.close();
        }
    }

    private static Entry decodeEntry(byte[] b) {
        return FrameCodec.readEntry(new FrameFields("entry", JsonText.parseObject(new String(b, StandardCharsets.UTF_8))));
    }

    private static String message(Throwable e) {
        Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
