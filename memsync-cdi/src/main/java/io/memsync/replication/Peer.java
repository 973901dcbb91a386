package io.memsync.replication;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * One client connection as the host sees it: who is on the other end (from its hello), what it reported, how far it
 * acknowledged. Guarded by the owning {@link Replica}'s lock.
 */
final class Peer {
    /** The RPC methods it serves. */
    Set<String> rpc = Set.of();
    final Channel channel;
    String peerId;
    long pid;
    long startTime;
    boolean writer;
    int maxWriters = Integer.MAX_VALUE;
    /** Its hello said it holds a document (at {@link #helloTerm}, {@link #helloVersion}). */
    boolean have;
    long helloTerm;
    long helloVersion;
    /** The highest version it acknowledged. */
    long acked;
    /**
     * How many of its own updates it last reported pending (in its hello, then with each acknowledgement), or
     * {@code -1} when it does not report them.
     */
    int pending = -1;
    /** Welcomed: it receives entries, events and calls. */
    boolean ready;
    /** Admitted as a writer while every slot was taken (it had lost its grant): its writes fail. */
    boolean demoted;
    /** Bytes of the snapshot sent to it on this connection: its send budget is that much larger. */
    long budgetAllowance;
    /** Disconnected for passing its send budget (logged once). */
    boolean overBudget;
    /** The snapshot it is sending in recovery (chunks in order), else {@code null}. */
    SnapshotChunks.Assembler snap;

    /**
     * The pending count of each of {@code ids}: {@code selfPending} for the host itself, a client's as it last reported
     * it (in its hello, then with each acknowledgement, so at most a heartbeat old), {@code -1} for a member that is
     * not connected (a member of the old term not back yet) or does not report it.
     *
     * @param ids         peer ids of members
     * @param self        the host's own peer id
     * @param selfPending the host's own pending count
     * @param conns       the client connections
     * @return their pending counts, in the order of {@code ids}
     */
    static List<Integer> pendingCounts(List<String> ids, String self, int selfPending, Collection<Peer> conns) {
        Integer[] out = new Integer[ids.size()];
        for (int i = 0; i < out.length; i++) {
            String id = ids.get(i);
            int n = -1;
            if (id.equals(self)) {
                n = selfPending;
            } else {
                for (Peer p : conns) {
                    if (id.equals(p.peerId)) {
                        n = p.pending;
                        break;
                    }
                }
            }
            out[i] = n;
        }
        return List.of(out);
    }

    Peer(Channel channel) {
        this.channel = channel;
    }

    /**
     * The peer a hello announces.
     *
     * @param channel its connection
     * @param h       its hello
     * @return the peer, not welcomed yet
     */
    static Peer of(Channel channel, Frame.Hello h) {
        Peer p = new Peer(channel);
        p.peerId = h.peerId();
        p.pid = h.pid();
        p.startTime = h.processStartTime();
        p.writer = h.writer();
        p.maxWriters = h.maxWriters();
        p.have = h.hasDocument();
        p.helloTerm = h.lastTerm();
        p.helloVersion = h.lastVersion();
        p.acked = p.have ? p.helloVersion : 0;
        // informational in the hello and never checked there: a negative figure becomes "unknown", since the host
        // passes it on in every heartbeat and welcome, whose decoders refuse counts below -1 (the whole frame)
        p.pending = Math.max(h.pendingCount(), -1);
        p.rpc = new java.util.HashSet<>(h.rpcMethods());
        return p;
    }
}
