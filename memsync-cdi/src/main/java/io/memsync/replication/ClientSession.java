package io.memsync.replication;

import io.memsync.MemSyncException;
import io.memsync.replication.PendingUpdates.Pending;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A client's session with its host: the hello and the pending patches after it, the frames from the host (entries,
 * snapshots, heartbeats, welcome, refusal, handover, pulls of a new host in recovery), acknowledgements, noticing a
 * silent host, and leaving. All state here is guarded by the replica's lock, except {@link #lastHeard}, which the
 * receiving thread also writes.
 */
final class ClientSession {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());

    private final Replica replica;
    private final ReplicaOptions options;
    private final ReplicaEnvironment env;
    private final Election election;
    private final ReplicaState state;
    private final ReplicatedLog log;
    private Channel hostChannel;
    /** Welcomed by the host on {@link #hostChannel}. */
    private boolean synced;
    private volatile long lastHeard;
    /** The snapshot being received from the host (chunks in order), else idle. */
    private SnapshotChunks.Assembler snapIn;
    /** The frame being received in parts from the host (an entry larger than a frame), else idle. */
    private SnapshotChunks.Assembler partIn;
    /** Why the last snapshot from the host could not be installed, or {@code null}. */
    private ProtocolException snapFailure;
    /** The warnings the host causes frame by frame, rate-limited per connection. */
    private final PeerLog warnings;

    ClientSession(Replica replica, ReplicaOptions options, ReplicaEnvironment env, Election election, ReplicaState state) {
        this.replica = replica;
        this.options = options;
        this.env = env;
        this.election = election;
        this.state = state;
        this.log = state.log;
        this.warnings = new PeerLog(LOG, options.name(), env::nanoTime);
    }

    /** Forgets the session (a new start). */
    void reset() {
        hostChannel = null;
        synced = false;
    }

    /** @return whether a channel to a host is attached */
    boolean connected() {
        return hostChannel != null;
    }

    /** @return the channel to the host once welcomed on it, else {@code null} */
    Channel syncedHost() {
        return hostChannel != null && synced ? hostChannel : null;
    }

    /** @return whether this client is welcomed and has updates sent that await their outcome */
    boolean awaitsOutcomes() {
        return hostChannel != null && synced && state.pending.anySent();
    }

    /**
     * Starts the session on a new channel to the host of {@code term}: sends the hello and the pending updates.
     *
     * @param ch   the channel
     * @param term the host's term
     */
    void attach(Channel ch, long term) {
        log.observeTerm(term);
        hostChannel = ch;
        synced = false;
        snapIn = state.newAssembler();
        partIn = new SnapshotChunks.Assembler(Math.max(64L << 20, 2 * options.limits().maxEffectBytes() + (1 << 20)));
        snapFailure = null;
        lastHeard = env.nanoTime();
        sendHello();
        replica.startTicker();
    }

    /** Closes the channel to the host, if any, without looking for another one. */
    void drop() {
        Channel ch = hostChannel;
        hostChannel = null;
        synced = false;
        if (ch != null) {
            ch.close();
            warnings.closed(ch);
        }
    }

    /** @return the handler of a new channel to the host: decodes on the receiving thread, handles holding the lock */
    ChannelHandler handler() {
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
                    replica.loop.inline(() -> {
                        if (channel == hostChannel) {
                            lastHeard = env.nanoTime();
                            warn("malformed frame", () -> "malformed frame from host ignored: " + e.getMessage());
                        }
                    });
                    return;
                }
                replica.loop.inline(() -> {
                    if (channel == hostChannel) {
                        handle(decoded);
                    }
                });
            }

            @Override
            public void onClose(Channel channel) {
                replica.loop.post(() -> {
                    if (channel == hostChannel) {
                        lostHost();
                    }
                });
            }
        };
    }

    /** The connection to the host is gone (or useless): look for a host again unless stopping. */
    void lostHost() {
        replica.search.hostLost();
        drop();
        replica.messaging.hostLost();
        if (replica.role() != ReplicaStatus.Role.STOPPED && !replica.stopping()) {
            replica.search.seek();
        }
    }

    /** Heartbeat tick: a host silent for three heartbeats is suspected. */
    void tick() {
        if (hostChannel != null && env.nanoTime() - lastHeard > 3 * options.heartbeatInterval().toNanos()) {
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
                drop();
                replica.messaging.failSentCalls("the host stopped answering");
                try {
                    replica.host.becomeHost(l);
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, options.name() + ": cannot take over as host: " + e);
                    replica.search.seek();
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

    private void sendHello() {
        hostChannel.send(FrameCodec.encode(new Frame.Hello(replica.peerId(), options.pid(), options.processStartTime(),
                options.writer(), options.maxWriters(), log.hasDocument(), log.lastTerm(), log.version(),
                state.pending.size(), List.copyOf(options.rpcNames()))));
        for (Pending p : state.pending.all()) {
            sendPatch(p);
        }
    }

    /**
     * Sends a pending update to the host, if connected.
     *
     * @param p the update
     */
    void sendPatch(Pending p) {
        if (hostChannel == null) {
            return;
        }
        p.sent = true;
        hostChannel.send(p.frame != null ? p.frame : patchFrame(p));
    }

    /**
     * The patch frame of a pending update.
     *
     * @param p the update
     * @return its frame
     */
    static String patchFrame(Pending p) {
        return FrameCodec.encode(new Frame.Patch(p.seq, p.base, p.hlc, p.update, p.pre));
    }

    private void handle(Frame.ToClient frame) {
        lastHeard = env.nanoTime();
        try {
            switch (frame) {
                case Frame.Heartbeat hb -> {
                    log.observeTerm(hb.term());
                    replica.peers(hb.peers(), hb.pending());
                    log.compact(hb.lowWater());
                    sendAck(); // acknowledgements ride on the heartbeat (the host needs them only to compact)
                }
                case Frame.Sync s -> sendAck(); // the host is handing over and waits for everyone to have everything
                case Frame.SnapChunk c -> {
                    try {
                        snapIn.accept(c).ifPresent(s -> {
                            state.installState(s);
                            snapFailure = null;
                        });
                    } catch (ProtocolException e) {
                        snapFailure = e;
                        warn("snapshot refused", () -> "snapshot from the host refused: " + e.getMessage());
                    }
                }
                case Frame.Part part -> {
                    try {
                        partIn.acceptText(part.index(), part.count(), part.data()).ifPresent(text -> {
                            Frame.ToClient whole = FrameCodec.decodeToClient(text);
                            if (whole instanceof Frame.Part) {
                                throw new ProtocolException("part", "d", "a frame part inside a frame part");
                            }
                            handle(whole);
                        });
                    } catch (ProtocolException e) {
                        warn("frame part refused", () -> "frame part from the host refused: " + e.getMessage());
                    }
                }
                case Frame.Welcome w -> welcomed(w);
                case Frame.Event e -> replica.messaging.deliverEvent(e);
                case Frame.Handover h -> {
                    LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": the host handed over at " + h.version());
                    lostHost();
                }
                case Frame.Ping p -> hostChannel.send(FrameCodec.encode(new Frame.Pong(p.id())));
                case Frame.Result r -> replica.messaging.clientResult(r);
                case Frame.Call c -> replica.messaging.clientCall(hostChannel, c);
                case Frame.Entries e -> state.applyEntries(e.entries());
                case Frame.Pong p -> replica.messaging.clientPong(p);
                case Frame.Pull p -> {
                    // only the entries the new host lacks when our logs agree at its position, else everything
                    long lv = p.lastVersion();
                    if (p.hasDocument() && lv >= log.base() && lv <= log.version() && log.termAt(lv) == p.lastTerm()) {
                        String tail = FrameCodec.encode(new Frame.Tail(log.entriesAfter(lv)));
                        if (EntryFrames.fits(tail, options.maxFrameBytes())) {
                            hostChannel.send(tail);
                        } else {
                            state.sendState(hostChannel); // a tail larger than a frame: the state, in chunks
                        }
                    } else {
                        state.sendState(hostChannel);
                    }
                }
                case Frame.Refuse r -> refused(r);
                case Frame.ErrorReport e -> warn("error report", () -> "host reported " + e.code() + ": " + e.message());
            }
        } catch (ReplicaState.GapException e) {
            LOG.log(System.Logger.Level.WARNING, options.name() + ": " + e.getMessage() + "; reconnecting");
            lostHost();
        } catch (RuntimeException e) {
            warn("bad frame", () -> "bad frame from host: " + e);
        }
    }

    /** A warning the host's frame caused, rate-limited per connection ({@link PeerLog}). */
    private void warn(String cause, java.util.function.Supplier<String> line) {
        Channel ch = hostChannel;
        warnings.warn(ch == null ? this : ch, ch == null ? "the host" : "the host " + ch.remote(), cause, line, null);
    }

    /** The host admitted this replica: it joins, unless the document did not arrive. */
    private void welcomed(Frame.Welcome w) {
        LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": welcomed by the host of term " + w.term());
        if (!log.hasDocument()) {
            // the document did not arrive (a snapshot that failed): never join with an empty one
            MemSyncException e = new MemSyncException(MemSyncException.ERR_PROTOCOL, "'" + options.name()
                    + "': the host's welcome came without a usable document"
                    + (snapFailure == null ? "" : " (" + snapFailure.getMessage() + ")"), null, log.term(), log.version());
            if (!replica.started().isDone()) {
                replica.started().completeExceptionally(e);
                drop();
                replica.finishStop();
            } else {
                LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; reconnecting");
                lostHost();
            }
            return;
        }
        log.observeTerm(w.term());
        replica.peers(w.peers(), w.pending());
        state.applyEntries(w.entries());
        synced = true;
        replica.setRole(ReplicaStatus.Role.CLIENT);
        replica.started().complete(null);
        sendAck();
        replica.messaging.welcomed(hostChannel);
        if (!options.joinOnly()) {
            replica.host.prestartListener(); // in the background, after the join: a failover may still come early
        }
        replica.host.warmFailoverChecks();
    }

    /**
     * The host refused this replica: a writer waiting for a slot tries again while its wait lasts; any other refusal
     * (a protocol version the host does not speak, say) fails the start with the host's code.
     */
    private void refused(Frame.Refuse r) {
        if (MemSyncException.ERR_MAX_WRITERS.equals(r.code()) && !replica.started().isDone()
                && env.nanoTime() < replica.slotDeadline()) {
            if (!replica.search.everRefused()) {
                LOG.log(System.Logger.Level.INFO, options.name() + ": every writer slot is taken; waiting up to "
                        + Duration.ofNanos(replica.slotDeadline() - env.nanoTime()).toMillis() + " ms for one");
            }
            drop();
            replica.search.refusedForSlot();
            if (!options.joinOnly()) {
                replica.host.prestartListener(); // it may take over a dead host while it waits: be ready for that
            }
            return;
        }
        replica.started().completeExceptionally(new MemSyncException(r.code(), r.message().isEmpty() ? "refused"
                : r.message(), null, log.term(), log.version()));
        drop();
        replica.finishStop();
    }

    private void sendAck() {
        if (hostChannel != null) {
            // with this client's pending count, which the host passes on to every member (for status())
            hostChannel.send(FrameCodec.encode(new Frame.Ack(log.version(), state.pending.size())));
        }
    }

    /**
     * Stop: waits (bounded) until every sent update has its outcome, then leaves.
     *
     * @param deadline when to leave anyway (nano clock)
     */
    void awaitOutcomes(long deadline) {
        if (replica.role() == ReplicaStatus.Role.STOPPED) {
            return;
        }
        if (hostChannel == null || !synced || env.nanoTime() > deadline || !state.pending.anySent()) {
            replica.leave();
        } else {
            replica.loop.schedule(() -> awaitOutcomes(deadline), 2);
        }
    }

    /** Stop: says goodbye to the host, if connected, and closes the channel. */
    void sayGoodbye() {
        if (hostChannel != null) {
            hostChannel.send(FrameCodec.encode(new Frame.Bye()));
            hostChannel.close();
            hostChannel = null;
        }
    }
}
