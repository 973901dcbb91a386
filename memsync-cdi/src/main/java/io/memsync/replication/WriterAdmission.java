package io.memsync.replication;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The host's writer cap (DESIGN.md §4 "Writer cap"): which writers count against the cap, issuing grants to admitted
 * writers while there is room, freeing the grants of holders that stopped, died or stayed away longer than the grace
 * period. Grants themselves are ordered entries ({@link Entry#grant}, {@link Entry#revoke}) held by the
 * {@link ReplicatedLog}; this part decides when to append them. All state here is guarded by the owning
 * {@link Replica}'s lock: every method runs holding it.
 */
final class WriterAdmission {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());

    /** What this part needs of its replica; every method is called holding the replica's lock. */
    interface Wiring {
        /** @return this replica's peer id */
        String peerId();

        /** @return the host's client connections */
        Collection<Peer> connections();

        /** @return whether the host still gathers the old term's state (no grants are issued meanwhile) */
        boolean recovering();

        /**
         * Orders a grant change as the next entry and schedules its broadcast.
         *
         * @param e the entry (its version is the log's next)
         */
        void append(Entry e);

        /** @return the next reading of the hybrid logical clock */
        long nextHlc();

        /**
         * @param m a member
         * @return whether its process lives and its replica runs
         */
        boolean memberAlive(HostRecord.Member m);

        /** @return the replica's nano clock reading */
        long nanoTime();

        /** This process waited for a writer slot before its start completed, and now holds one. */
        void slotGranted();
    }

    private final ReplicaOptions options;
    private final ReplicatedLog log;
    private final Wiring replica;
    /** Host: since when each grant holder has had no connection (one away longer than the grace is demoted). */
    private final Map<String, Long> holderAwaySince = new HashMap<>();
    /** Host: this writer waits for a writer slot before its start completes. */
    private boolean awaitingSlot;

    /**
     * @param options the replica's options (its own writer role and cap)
     * @param log     the log holding the grants
     * @param replica the replica's side
     */
    WriterAdmission(ReplicaOptions options, ReplicatedLog log, Wiring replica) {
        this.options = options;
        this.log = log;
        this.replica = replica;
    }

    /** @return whether this writer's start waits for a slot */
    boolean awaitingSlot() {
        return awaitingSlot;
    }

    /** @param waiting whether this writer's start waits for a slot */
    void awaitSlot(boolean waiting) {
        awaitingSlot = waiting;
    }

    /** Forgets the host-side bookkeeping (a new run). */
    void clear() {
        holderAwaySince.clear();
        awaitingSlot = false;
    }

    /** @return the writer cap in force: the smallest declared by this process and its connected peers */
    int cap() {
        int cap = Math.min(options.maxWriters(), log.grants().cap());
        for (Peer o : replica.connections()) {
            if (o.channel.isOpen()) { // a closed connection whose close is being reported declares nothing
                cap = Math.min(cap, o.maxWriters);
            }
        }
        return cap;
    }

    /** @return whether the grants decide who writes: they do once any was issued (before that the cap just appeared) */
    boolean grantsInForce() {
        return log.grants().size() > 0 || awaitingSlot;
    }

    /**
     * The writers that count against the cap: grant holders, and admitted writers without one yet (the cap may have
     * just appeared); this process only while it holds a grant or writes without a cap.
     *
     * @return their peer ids
     */
    Set<String> writers() {
        Set<String> w = new LinkedHashSet<>();
        log.grants().all().forEach(g -> w.add(g.peerId()));
        String self = replica.peerId();
        if (options.writer() && (log.grants().holds(self) || log.grants().size() == 0 && !awaitingSlot)) {
            w.add(self);
        }
        for (Peer o : replica.connections()) {
            if (o.ready && o.channel.isOpen() && o.writer && !demoted(o)) {
                w.add(o.peerId);
            }
        }
        return w;
    }

    /** A connected writer that once held a grant and lost it (its writes fail until a slot frees). */
    private boolean demoted(Peer o) {
        return o.demoted && !log.grants().holds(o.peerId);
    }

    /**
     * While a writer cap applies, gives every admitted writer without a grant one, while there is room (existing
     * holders first, then connections in order, this process last); a grant is an ordered entry.
     */
    void grantWriters() {
        if (replica.recovering() || cap() == Integer.MAX_VALUE) {
            return;
        }
        for (Peer o : replica.connections()) {
            if (o.ready && o.channel.isOpen() && o.writer && !log.grants().holds(o.peerId)) {
                if (!grant(o.peerId, o.pid, o.startTime)) {
                    o.demoted = true;
                }
            }
        }
        String self = replica.peerId();
        if (options.writer() && !log.grants().holds(self) && grant(self, options.pid(), options.processStartTime())
                && awaitingSlot) {
            awaitingSlot = false;
            replica.slotGranted();
        }
    }

    private boolean grant(String holder, long pid, long startTime) {
        if (log.grants().size() >= cap()) {
            return false;
        }
        replica.append(Entry.grant(log.term(), log.version() + 1, holder, pid, startTime, cap(), replica.nextHlc()));
        holderAwaySince.remove(holder);
        LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": writer slot granted to " + holder + " at " + log.version());
        return true;
    }

    /**
     * Frees a holder's grant (if it holds one) with an ordered entry.
     *
     * @param holder the holder
     * @param why    why, for logs and the entry
     */
    void revoke(String holder, String why) {
        if (log.grants().holds(holder)) {
            replica.append(Entry.revoke(log.term(), log.version() + 1, holder, why, replica.nextHlc()));
            holderAwaySince.remove(holder);
            LOG.log(System.Logger.Level.INFO, options.name() + ": writer slot of " + holder + " freed: " + why);
        }
    }

    /**
     * Frees the grants of holders that stopped or died, and of holders that have been disconnected (alive) longer
     * than the grace period: they are demoted, their writes fail with {@code ERR_READ_ONLY}.
     */
    void sweepGrants() {
        if (replica.recovering() || log.grants().size() == 0) {
            return;
        }
        Set<String> connected = new HashSet<>();
        replica.connections().forEach(c -> {
            if (c.channel.isOpen()) {
                connected.add(c.peerId);
            }
        });
        long now = replica.nanoTime();
        long grace = TimeUnit.MILLISECONDS.toNanos(Math.max(1000, 10 * options.heartbeatInterval().toMillis()));
        String self = replica.peerId();
        for (WriterGrants.Grant g : List.copyOf(log.grants().all())) {
            if (g.peerId().equals(self) || connected.contains(g.peerId())) {
                holderAwaySince.remove(g.peerId());
            } else if (!replica.memberAlive(g.member())) {
                revoke(g.peerId(), "its process or replica is gone");
            } else if (now - holderAwaySince.computeIfAbsent(g.peerId(), k -> now) > grace) {
                revoke(g.peerId(), "disconnected for longer than " + TimeUnit.NANOSECONDS.toMillis(grace) + " ms");
            }
        }
    }
}
