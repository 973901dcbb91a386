package io.memsync.replication;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A new host's recovery before it opens for writes: it waits for every live member of the old term (each may hold
 * acknowledged entries nobody else has, so none is skipped, however long it is paused), pulls the newest state from
 * whoever has it (a log tail or a snapshot; a member that does not answer the pull within the timeout is dropped and
 * asked again when it reconnects), and only when every member that could hold the document is gone opens without
 * it, saying what was lost. Meanwhile the hellos of processes the old term did not know, and every write, wait here.
 * Guarded by the replica's lock.
 */
final class HostRecovery {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());

    private final Replica replica;
    private final ReplicaOptions options;
    private final ReplicaState state;
    private final ReplicatedLog log;
    private boolean recovering;
    /** Members of the old term whose state this host has not heard yet. */
    private Set<String> awaiting = new HashSet<>();
    /** The live members of the term this host took over from (not this process). */
    private List<HostRecord.Member> oldMembers = List.of();
    /** Work that waits for the end of recovery (or for a client's welcome), in arrival order. */
    private final List<Runnable> held = new ArrayList<>();
    /**
     * Connections whose hello waits in {@link #held} (a process the old term did not know, during recovery). A
     * client sends its pending patches right after its hello, so their frames wait there too, behind the hello.
     */
    private final Set<Channel> heldHellos = new HashSet<>();
    /** The member asked for its state, or {@code null}. */
    private Peer pulling;
    /** This process was a member of the term it takes over from, with its document. */
    private boolean ownStateCurrent;
    /** The wait for silent members was logged. */
    private boolean waitLogged;

    HostRecovery(Replica replica, ReplicaOptions options, ReplicaState state) {
        this.replica = replica;
        this.options = options;
        this.state = state;
        this.log = state.log;
    }

    /**
     * Starts a term: finds the live members of the old one and whether to wait for them.
     *
     * @param rec the host record of the old term, or {@code null}
     * @return whether this host recovers (else it may open at once)
     */
    boolean begin(HostRecord rec) {
        String me = replica.peerId();
        oldMembers = rec == null ? List.of() : rec.members().stream()
                .filter(m -> !m.peerId().equals(me) && replica.host.memberAlive(m)).toList();
        if (rec != null) {
            LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": members of term " + rec.term() + ": " + rec.members()
                    + ", alive: " + oldMembers.stream().map(HostRecord.Member::peerId).toList());
        }
        if (!log.hasDocument() && oldMembers.isEmpty()) {
            state.installInitial();
        }
        ownStateCurrent = log.hasDocument() && rec != null && rec.members().stream().anyMatch(m -> m.peerId().equals(me));
        waitLogged = false;
        boolean skip = log.hasDocument() && rec != null && rec.handoverVersion() >= 0 && rec.handoverVersion() <= log.version();
        recovering = !(oldMembers.isEmpty() || skip);
        awaiting = new HashSet<>();
        oldMembers.forEach(m -> awaiting.add(m.peerId()));
        return recovering;
    }

    /** @return whether the host is recovering (writes wait) */
    boolean active() {
        return recovering;
    }

    /** @return the live members of the old term */
    List<HostRecord.Member> oldMembers() {
        return oldMembers;
    }

    /**
     * @param peerId a peer id
     * @return whether it is a live member of the old term
     */
    boolean isOldMember(String peerId) {
        return oldMembers.stream().anyMatch(m -> m.peerId().equals(peerId));
    }

    /** Most pieces of work (mostly clients' updates) held until recovery ends. */
    static final int MAX_HELD = 10_000;

    /**
     * @param work work that waits for the end of recovery (or for its client's welcome)
     * @return {@code false} when {@value #MAX_HELD} are held already (the work was not taken)
     */
    boolean hold(Runnable work) {
        if (held.size() >= MAX_HELD) {
            return false;
        }
        held.add(work);
        return true;
    }

    /**
     * Holds a hello until recovery ends.
     *
     * @param ch    its connection
     * @param hello handles it again then
     */
    void holdHello(Channel ch, Runnable hello) {
        heldHellos.add(ch);
        held.add(() -> {
            heldHellos.remove(ch);
            hello.run();
        });
    }

    /**
     * @param ch a connection
     * @return whether its hello waits (then its next frames wait behind it)
     */
    boolean helloHeld(Channel ch) {
        return heldHellos.contains(ch);
    }

    /** @param ch a connection that closed: its held hello no longer counts */
    void forget(Channel ch) {
        heldHellos.remove(ch);
    }

    /**
     * A member reported its state in its hello: recovery may finish once nobody is awaited.
     *
     * @param peerId the member
     */
    void reported(String peerId) {
        awaiting.remove(peerId);
        if (awaiting.isEmpty()) {
            finish();
        }
    }

    /**
     * A member said goodbye during recovery: it is no longer waited for, by this host or the next.
     *
     * @param peerId the member
     */
    void left(String peerId) {
        oldMembers = oldMembers.stream().filter(m -> !m.peerId().equals(peerId)).toList();
        if (awaiting.remove(peerId) && awaiting.isEmpty()) {
            finish();
        }
    }

    /**
     * A member's connection dropped: what it reported left with it, so it is awaited again.
     *
     * @param peerId the member
     */
    void dropped(String peerId) {
        if (recovering && isOldMember(peerId)) {
            awaiting.add(peerId);
        }
    }

    /**
     * A connection closed: if it was the one pulled from, recovery looks for the next best state.
     *
     * @param p its peer
     */
    void closed(Peer p) {
        if (pulling == p) {
            pulling = null;
            finish();
        }
    }

    /**
     * The pulled member sent its log tail.
     *
     * @param p    the sender
     * @param tail the entries
     */
    void onTail(Peer p, Frame.Tail tail) {
        if (pulling != p) {
            replica.host.protocolError(p.channel, "unexpected log tail");
            return;
        }
        for (Entry e : tail.entries()) {
            if (e.version() == log.version() + 1) {
                state.applyEntry(e);
            }
        }
        pulling = null;
        replica.host.open();
    }

    /**
     * The pulled member sent a piece of its snapshot.
     *
     * @param p the sender
     * @param c the piece
     */
    void onSnapChunk(Peer p, Frame.SnapChunk c) {
        if (pulling != p) {
            replica.host.protocolError(p.channel, "unexpected snapshot");
            return;
        }
        if (p.snap == null) {
            p.snap = state.newAssembler();
        }
        try {
            Snapshot s = p.snap.accept(c).orElse(null);
            if (s != null) {
                state.installState(s);
                pulling = null;
                replica.host.open();
            }
        } catch (ProtocolException e) {
            // that member's state cannot be used: it is dropped, and recovery waits for it again
            replica.host.protocolError(p.channel, "snapshot refused: " + e.getMessage());
            p.channel.close();
        }
    }

    /**
     * Opens once every live member of the old term has reported its state, after taking the newest state from
     * whoever has it. Only when every member that could hold the document is gone does it open without it, and it
     * says what was lost.
     */
    void finish() {
        if (replica.role() != ReplicaStatus.Role.HOST || !recovering || pulling != null) {
            return;
        }
        // connected members told their state in their hello; the others may hold entries nobody else has
        Set<String> connected = new HashSet<>();
        replica.host.connections().forEach(c -> connected.add(c.peerId));
        List<String> silent = oldMembers.stream().filter(m -> !connected.contains(m.peerId()) && replica.host.memberAlive(m))
                .map(HostRecord.Member::peerId).toList();
        if (!silent.isEmpty()) {
            if (!waitLogged) {
                waitLogged = true;
                LOG.log(System.Logger.Level.INFO, options.name() + ": waiting for " + silent + " (alive, not answering)"
                        + " before opening term " + log.term() + ": they may hold acknowledged changes; writes wait");
            }
            replica.loop.schedule(this::finish, options.heartbeatInterval().toMillis());
            return;
        }
        Peer best = null;
        for (Peer p : replica.host.connections()) {
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
            pull(best);
            return;
        }
        if (best == null && !ownStateCurrent) {
            LOG.log(System.Logger.Level.WARNING, options.name() + ": every member of the previous term is gone; "
                    + (log.hasDocument() ? "opening with this process's own older copy at version " + log.version()
                    : "starting from this process's initial data")
                    + ": changes made since the last one this process saw are lost");
        }
        if (!log.hasDocument()) {
            state.installInitial();
        }
        replica.host.open();
    }

    /** Asks the member with the newest state for what this host lacks, within the timeout. */
    private void pull(Peer best) {
        pulling = best;
        best.channel.send(FrameCodec.encode(new Frame.Pull(log.hasDocument(), log.lastTerm(), log.version())));
        replica.loop.schedule(() -> {
            if (pulling == best && recovering) {
                // a member that answers its hello but not the pull is dropped; it reconnects and is asked again
                LOG.log(System.Logger.Level.WARNING, options.name() + ": " + best.peerId + " did not send its log"
                        + " within " + options.timeout() + "; dropping its connection");
                best.channel.close();
                replica.host.hostClosed(best.channel);
            }
        }, options.timeout().toMillis());
    }

    /** Recovery ends: the host opens. */
    void end() {
        recovering = false;
        pulling = null;
    }

    /**
     * The host opened: the waiting work is handed back, to run in arrival order.
     *
     * @return the held work
     */
    List<Runnable> takeHeld() {
        List<Runnable> w = new ArrayList<>(held);
        held.clear();
        heldHellos.clear();
        return w;
    }

    /** Hosting ended (or a new start): nothing waits any more. */
    void clear() {
        held.clear();
        heldHellos.clear();
        recovering = false;
        pulling = null;
    }
}
