package io.memsync.replication;

import io.memsync.MemSyncException;
import io.memsync.replication.PendingUpdates.Pending;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The host's side of the protocol: taking over a term (lease, listener, host record), each client connection from
 * its hello to its goodbye (admission under the writer cap, welcome, patches, acknowledgements, RPC and event frames),
 * heartbeats with the low-water mark, stepping down when the lease is lost, and the handover at stop. Ordering is
 * {@link HostOrdering}'s, recovery {@link HostRecovery}'s. Guarded by the replica's lock.
 */
final class HostSession {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());

    private final Replica replica;
    private final ReplicaOptions options;
    private final ReplicaEnvironment env;
    /** The warnings clients cause frame by frame, rate-limited per connection. */
    private final PeerLog warnings;
    private final Election election;
    private final Liveness liveness;
    private final ReplicaState state;
    private final ReplicatedLog log;
    private Election.Lease lease;
    /** Where clients connect: pre-started while a client, given a new secret per term. */
    private final HostListener listener;
    private final Map<Channel, Peer> conns = new LinkedHashMap<>();
    /**
     * Processes whose connection dropped without a goodbye, by peer id. They stay members of the term in the
     * published record while they are alive: such a process reconnects, and it may hold acknowledged entries that
     * a next host must gather, so a next host must wait for it like for a connected one.
     */
    private final Map<String, HostRecord.Member> lingering = new HashMap<>();
    /** Whether this start has run {@link FailoverWarmUp} (under the replica's lock). */
    private boolean failoverChecksWarmed;

    HostSession(Replica replica, ReplicaOptions options, ReplicaEnvironment env, Election election, Liveness liveness,
                Transport transport, ReplicaState state) {
        this.replica = replica;
        this.options = options;
        this.env = env;
        this.warnings = new PeerLog(LOG, options.name(), env::nanoTime);
        this.election = election;
        this.liveness = liveness;
        this.state = state;
        this.log = state.log;
        this.listener = new HostListener(replica, options, env, transport, this::acceptHandler);
    }

    /** @return the client connections */
    Collection<Peer> connections() {
        return conns.values();
    }

    /** Starts the listener in the background (a client that takes over later need not wait for it). */
    void prestartListener() {
        listener.prestart();
    }

    /** Forgets the connections (a new start). */
    void reset() {
        failoverChecksWarmed = false;
        conns.clear();
        lingering.clear();
    }

    /**
     * Takes over as host of a new term with the lease just acquired: recovers first when live members of the old
     * term may hold entries, else opens at once.
     *
     * @param l the lease
     * @throws IOException when the host record cannot be read or no listener started (the lease is released)
     */
    void becomeHost(Election.Lease l) throws IOException {
        HostRecord rec;
        try {
            rec = election.read();
        } catch (IOException e) {
            l.close();
            throw e;
        }
        replica.client.drop();
        lease = l;
        replica.persistence.takeOver(); // the persisted log is one more log in recovery; its term counts below
        log.beginTerm(Math.max(rec == null ? 0 : rec.term(), Math.max(log.term(), log.lastTerm())) + 1);
        try {
            listener.listen();
        } catch (IOException e) {
            replica.persistence.hostingEnded();
            lease = null;
            l.close();
            throw e;
        }
        boolean recovering = replica.recovery.begin(rec);
        replica.stopping(false);
        replica.setRole(ReplicaStatus.Role.HOST);
        LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": " + replica.peerId() + " is host of term " + log.term()
                + (recovering ? ", recovering" : ""));
        publish(-1);
        replica.startTicker();
        if (recovering) {
            replica.loop.schedule(replica.recovery::finish, options.recoveryWait().toMillis());
        } else {
            open();
        }
    }

    /**
     * @param m a member
     * @return whether its process runs (the operating system's view only, not whether its replica still runs)
     */
    boolean processAlive(HostRecord.Member m) {
        return liveness.isAlive(m);
    }

    /** Runs the checks a failover runs first, in the background, once per start (the first welcome). */
    void warmFailoverChecks() {
        if (failoverChecksWarmed) {
            return;
        }
        failoverChecksWarmed = true;
        env.spawn("memsync-failover-warm-up-" + options.name(),
                () -> FailoverWarmUp.run(this::memberAlive, options, replica.peerId()));
    }

    /**
     * Whether a member's process lives and its replica has not stopped (a paused one counts as alive).
     *
     * @param m the member
     * @return whether it may still hold state
     */
    boolean memberAlive(HostRecord.Member m) {
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

    /**
     * Publishes the host record: endpoint, term, version, secret, members (and the lingering ones).
     *
     * @param handover the version handed over at, or {@code -1} while hosting
     */
    void publish(long handover) {
        if (lease == null) {
            return;
        }
        List<HostRecord.Member> members = new ArrayList<>();
        if (handover < 0) {
            // a host that hands over is leaving: the next host must not wait for it
            members.add(new HostRecord.Member(replica.peerId(), options.pid(), options.processStartTime(), options.writer()));
        }
        Set<String> seen = new HashSet<>();
        for (Peer p : conns.values()) {
            if (p.peerId != null && seen.add(p.peerId)) {
                members.add(new HostRecord.Member(p.peerId, p.pid, p.startTime, p.writer));
            }
        }
        if (replica.recovery.active()) {
            replica.recovery.oldMembers().stream().filter(m -> seen.add(m.peerId())).forEach(members::add);
        }
        List<String> ids = members.stream().map(HostRecord.Member::peerId).toList();
        replica.peers(ids, pendingOf(ids));
        lingering.values().removeIf(m -> seen.contains(m.peerId()) || !memberAlive(m));
        List<HostRecord.Member> recorded = members;
        if (!lingering.isEmpty()) {
            recorded = new ArrayList<>(members);
            recorded.addAll(lingering.values());
        }
        try {
            lease.publish(new HostRecord(listener.endpoint(), log.term(), log.version(), listener.secret(), recorded,
                    handover, replica.admission.cap()));
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
                    replica.loop.inline(() -> undecodable(channel, e));
                    return;
                }
                replica.loop.inline(() -> replica.ordering.handling(channel, () -> handle(channel, decoded)));
            }

            @Override
            public void onBatchEnd(Channel channel) {
                // send what the frames of this message ordered now, in one batch, on this thread
                replica.loop.inline(replica.ordering::batchEnded);
            }

            @Override
            public void onClose(Channel channel) {
                // inline like the frames, so a reconnecting client's hello never overtakes its old connection's close
                replica.loop.inline(() -> hostClosed(channel));
            }
        };
    }

    /**
     * Reports a frame the host cannot use to its sender.
     *
     * @param ch      the sender's connection
     * @param message what was wrong
     */
    void protocolError(Channel ch, String message) {
        warnings.warn(ch, ch.remote(), "protocol error", () -> "protocol error from " + ch.remote() + ": " + message, null);
        ch.send(FrameCodec.encode(new Frame.ErrorReport(MemSyncException.ERR_PROTOCOL, message)));
    }

    /**
     * The one place the host meets a frame it cannot decode: a hello of another protocol version is refused (that
     * process cannot take part, and its start fails with the code), anything else is answered with an error report.
     */
    private void undecodable(Channel ch, ProtocolException e) {
        if (replica.role() != ReplicaStatus.Role.HOST || !ch.isOpen()) {
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

    private void handle(Channel ch, Frame.ToHost frame) {
        if (replica.role() != ReplicaStatus.Role.HOST || !ch.isOpen()) {
            return;
        }
        try {
            Peer p = conns.get(ch);
            if (p == null && !(frame instanceof Frame.Hello)) {
                if (replica.recovery.helloHeld(ch)) {
                    if (!replica.recovery.hold(() -> handle(ch, frame))) { // after its hello, in arrival order
                        LOG.log(System.Logger.Level.WARNING, options.name() + ": disconnected " + ch.remote() + ": "
                                + HostRecovery.MAX_HELD + " updates wait for the end of recovery already");
                        ch.abort(); // once per connection: it is closed now
                    }
                    return;
                }
                protocolError(ch, "'" + FrameCodec.typeName(frame) + "' before hello");
                return;
            }
            switch (frame) {
                case Frame.Hello h -> onHello(ch, h);
                case Frame.Patch patch -> onPatch(p, patch);
                case Frame.Ack a -> {
                    p.acked = Math.max(p.acked, a.version());
                    if (p.pending != a.pending()) {
                        p.pending = a.pending();
                        replica.peers(replica.peers(), pendingOf(replica.peers()));
                    }
                    replica.persistence.release();
                }
                case Frame.Pong pong -> replica.messaging.hostPong(p, pong);
                case Frame.Event e -> replica.messaging.hostEventFrom(p, e);
                case Frame.Call c -> replica.messaging.hostCall(p, c);
                case Frame.Result r -> replica.messaging.hostResult(p, r);
                case Frame.Ping ping -> ch.send(FrameCodec.encode(new Frame.Pong(ping.id())));
                case Frame.Bye b -> onBye(ch, p);
                case Frame.Tail t -> replica.recovery.onTail(p, t);
                case Frame.SnapChunk c -> replica.recovery.onSnapChunk(p, c);
                case Frame.ErrorReport e -> warnings.warn(ch, ch.remote(), "error report", () -> p.peerId + " ("
                        + ch.remote() + ") reported " + e.code() + ": " + e.message(), null);
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
                replica.ordering.order(peer, patch.seq(), patch.baseVersion(), patch.hlc(), patch.update(),
                        patch.precondition());
            } else {
                replica.ordering.reject(peer, patch.seq(), patch.hlc(), MemSyncException.ERR_READ_ONLY, "peer is not a writer");
            }
            replica.ordering.scheduleFlush();
        };
        if (replica.recovery.active() || replica.stopping() || !p.ready) {
            if (!replica.stopping() && !replica.recovery.hold(work)) {
                // back-pressure: its updates stay pending there and are sent again when it reconnects
                LOG.log(System.Logger.Level.WARNING, options.name() + ": disconnected " + peer + ": "
                        + HostRecovery.MAX_HELD + " updates wait for the end of recovery already");
                p.channel.abort();
            }
        } else {
            work.run();
        }
    }

    /** A client leaves for good: it is forgotten at once (and no longer waited for in recovery). */
    private void onBye(Channel ch, Peer p) {
        conns.remove(ch);
        ch.close();
        if (replica.recovery.active()) {
            replica.recovery.left(p.peerId);
        } else {
            replica.admission.revoke(p.peerId, "it stopped");
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
        Peer p = Peer.of(ch, h);
        boolean known = replica.recovery.isOldMember(p.peerId);
        if (!known && replica.recovery.active()) {
            // writers are counted once every member of the old term is back: never admit one too many
            replica.recovery.holdHello(ch, () -> onHello(ch, h));
            return;
        }
        if (!known) {
            WriterAdmission admission = replica.admission;
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
                + p.helloVersion + ")" + (replica.recovery.active() ? " during recovery" : ""));
        if (replica.recovery.active()) {
            replica.recovery.reported(p.peerId);
        } else {
            welcome(p);
            replica.admission.grantWriters();
            publish(-1);
        }
    }

    private void welcome(Peer p) {
        replica.persistence.syncAll(); // what the welcome hands out is durable
        List<Entry> entries;
        if (p.have && p.helloVersion <= log.version() && log.termAt(p.helloVersion) == p.helloTerm && p.helloTerm >= 0) {
            entries = log.entriesAfter(p.helloVersion);
        } else {
            entries = List.of();
            p.budgetAllowance = state.sendState(p.channel);
        }
        p.ready = true;
        p.acked = Math.min(p.acked, log.version());
        List<String> ps = new ArrayList<>();
        ps.add(replica.peerId());
        conns.values().forEach(c -> ps.add(c.peerId));
        List<Integer> pending = pendingOf(ps);
        String welcome = FrameCodec.encode(new Frame.Welcome(log.term(), entries, ps, pending));
        if (!entries.isEmpty() && !EntryFrames.fits(welcome, options.maxFrameBytes())) {
            // too many (or too large) missing entries for one frame: they go first, under the frame limit
            for (String frame : EntryFrames.frames(entries, options.maxFrameBytes())) {
                p.channel.send(frame);
            }
            welcome = FrameCodec.encode(new Frame.Welcome(log.term(), List.of(), ps, pending));
        }
        p.channel.send(welcome);
    }

    /** Opens for writes: welcomes the waiting clients, issues grants, orders the own and the held updates. */
    void open() {
        LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": host of term " + log.term() + " open at version " + log.version());
        replica.recovery.end();
        replica.persistence.opened();
        // members of the old term that have not reconnected stay members while they live (they may be paused with
        // the document, and a next host must wait for them), as if their connection to this host had dropped
        Set<String> connected = new HashSet<>();
        conns.values().forEach(c -> connected.add(c.peerId));
        for (HostRecord.Member m : replica.recovery.oldMembers()) {
            if (!connected.contains(m.peerId())) {
                lingering.putIfAbsent(m.peerId(), m);
            }
        }
        for (Peer p : conns.values()) {
            if (!p.ready) {
                welcome(p);
            }
        }
        WriterAdmission admission = replica.admission;
        admission.sweepGrants();
        CompletableFuture<Void> started = replica.started();
        if (!started.isDone() && options.writer() && admission.cap() != Integer.MAX_VALUE
                && !log.grants().holds(replica.peerId()) && log.grants().size() >= admission.cap()) {
            // a writer whose start waited for a slot took over, but every slot is held: it hosts and keeps waiting
            admission.awaitSlot(true);
        }
        admission.grantWriters();
        publish(-1);
        if (!started.isDone() && !admission.awaitingSlot()) {
            started.complete(null);
        }
        // own pending updates first (they are older), then writes that waited
        for (Pending p : new ArrayList<>(state.pending.all())) {
            replica.ordering.order(replica.peerId(), p.seq, p.base, p.hlc, p.update, p.pre);
        }
        replica.recovery.takeHeld().forEach(Runnable::run);
        replica.ordering.flush();
    }

    /**
     * A client connection closed (or was dropped by the host).
     *
     * @param ch the connection
     */
    void hostClosed(Channel ch) {
        warnings.closed(ch);
        replica.recovery.forget(ch);
        Peer p = conns.remove(ch);
        if (p == null || replica.role() != ReplicaStatus.Role.HOST) {
            return;
        }
        if (p.peerId != null && !p.peerId.equals(replica.peerId())) {
            // no goodbye ("bye" removes the connection first): still a member of this term while it lives
            lingering.put(p.peerId, new HostRecord.Member(p.peerId, p.pid, p.startTime, p.writer));
            replica.recovery.dropped(p.peerId);
        }
        replica.messaging.providerGone(p);
        replica.recovery.closed(p);
        if (!replica.recovery.active()) {
            publish(-1);
        }
    }

    /** Heartbeat tick: checks the lease, the grants, compacts to the low-water mark and sends the heartbeat. */
    void tick() {
        if (lease == null || !lease.isValid()) {
            LOG.log(System.Logger.Level.WARNING, options.name() + ": lease lost, stepping down");
            stepDown();
            return;
        }
        if (!replica.recovery.active()) {
            WriterAdmission admission = replica.admission;
            admission.sweepGrants();
            admission.grantWriters();
            if (admission.awaitingSlot() && env.nanoTime() > replica.slotDeadline()) {
                admission.awaitSlot(false);
                replica.started().completeExceptionally(new MemSyncException(MemSyncException.ERR_MAX_WRITERS,
                        "every writer slot of '" + options.name() + "' stayed taken for " + options.writerSlotWait(), null,
                        log.term(), log.version()));
            }
        }
        for (Peer p : new ArrayList<>(conns.values())) {
            checkBudget(p);
        }
        replica.messaging.sweepRelays(env.nanoTime());
        long lw = log.version();
        for (Peer p : conns.values()) {
            if (p.ready) {
                lw = Math.min(lw, p.acked);
            }
        }
        log.compact(lw);
        replica.persistence.tick();
        List<String> ids = replica.peers();
        List<Integer> pending = pendingOf(ids);
        replica.peers(ids, pending);
        String hb = FrameCodec.encode(new Frame.Heartbeat(log.term(), log.version(), lw, ids, pending));
        for (Peer p : conns.values()) {
            p.channel.send(hb);
        }
    }

    /** The pending counts of {@code ids}, this host's own now (see {@link Peer#pendingCounts}). */
    private List<Integer> pendingOf(List<String> ids) {
        return Peer.pendingCounts(ids, replica.peerId(), state.pending.size(), conns.values());
    }

    /**
     * Disconnects a client that passed its send budget (it stopped reading, or reads slower than the host writes): its
     * queue is discarded, it no longer holds back compaction, and it catches up when it comes back.
     *
     * @param p the client
     */
    void checkBudget(Peer p) {
        if (p.overBudget) {
            return;
        }
        SendBudget budget = options.sendBudget();
        long bytes = p.channel.backlogBytes();
        int frames = p.channel.backlogFrames();
        if (bytes <= budget.bytes() + p.budgetAllowance && frames <= budget.frames()) {
            return;
        }
        p.overBudget = true;
        p.ready = false; // nothing more is sent to it, and compaction no longer waits for it
        LOG.log(System.Logger.Level.WARNING, options.name() + ": disconnected " + p.peerId + " (" + p.channel.remote()
                + "): it holds " + bytes + " bytes and " + frames + " frames it has not read, past its send budget of "
                + (budget.bytes() + p.budgetAllowance) + " bytes and " + budget.frames()
                + " frames; it catches up when it reconnects");
        p.channel.abort();
    }

    /** Stops hosting: connections closed, nothing waits, the lease released (the listener is kept for later). */
    void close() {
        listener.revokeSecret();
        for (Peer p : conns.values()) {
            p.channel.close();
        }
        conns.clear();
        lingering.clear();
        replica.recovery.clear();
        replica.ordering.clear();
        replica.messaging.hostingEnded();
        replica.persistence.hostingEnded(); // the store is released before the lease, so the next host can open it
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    private void stepDown() {
        close();
        replica.setRole(ReplicaStatus.Role.CONNECTING);
        replica.search.seek();
    }

    /** Stop: stops ordering, asks every client to acknowledge, and hands over once all did (bounded by the timeout). */
    void handOver() {
        replica.stopping(true);
        replica.admission.revoke(replica.peerId(), "it stopped");
        replica.persistence.syncAll();
        replica.ordering.flush();
        String sync = FrameCodec.encode(new Frame.Sync());
        for (Peer p : conns.values()) {
            if (p.ready) {
                p.channel.send(sync);
            }
        }
        awaitAcks(env.nanoTime() + options.timeout().toNanos());
    }

    private void awaitAcks(long deadline) {
        boolean all = conns.values().stream().allMatch(p -> !p.ready || p.acked >= log.version());
        if (all || env.nanoTime() > deadline || replica.role() != ReplicaStatus.Role.HOST) {
            publish(log.version());
            // tell the clients at once (a WebSocket close takes tens of milliseconds to be noticed)
            String bye = FrameCodec.encode(new Frame.Handover(log.version()));
            for (Peer p : conns.values()) {
                p.channel.send(bye);
            }
            close();
            replica.finishStop();
        } else {
            replica.loop.schedule(() -> awaitAcks(deadline), 2);
        }
    }

    /** Stop: closes this session's listeners (off the lock). */
    void closeListeners() {
        listener.close();
    }

    /** What {@link WriterAdmission} sees of this replica (called holding the lock). */
    WriterAdmission.Wiring admissionWiring() {
        return new WriterAdmission.Wiring() {
            @Override
            public String peerId() {
                return replica.peerId();
            }

            @Override
            public Collection<Peer> connections() {
                return conns.values();
            }

            @Override
            public boolean recovering() {
                return replica.recovery.active();
            }

            @Override
            public void append(Entry e) {
                replica.ordering.append(e);
                replica.ordering.scheduleFlush();
            }

            @Override
            public long nextHlc() {
                return state.nextHlc();
            }

            @Override
            public boolean memberAlive(HostRecord.Member m) {
                return HostSession.this.memberAlive(m);
            }

            @Override
            public long nanoTime() {
                return env.nanoTime();
            }

            @Override
            public void slotGranted() {
                replica.started().complete(null);
            }
        };
    }
}
