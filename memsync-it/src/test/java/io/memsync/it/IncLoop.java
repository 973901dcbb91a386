package io.memsync.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.json.JsonObject;

/**
 * What one peer's {@code incloop <path>} printed, as the test saw it: how many {@code $inc}s it sent (counted
 * before each left), which were acknowledged (with the {@code (term, version)} of their entry) and which failed.
 * Attach before sending {@code incloop}; the counts are final once the peer's reply (or, for a killed peer, the end
 * of its output) is in.
 */
final class IncLoop {
    /** An acknowledged increment: the entry that ordered it. */
    record Ack(String writer, long n, long term, long version) implements Comparable<Ack> {
        @Override
        public int compareTo(Ack o) {
            int c = Long.compare(term, o.term);
            return c != 0 ? c : Long.compare(version, o.version);
        }

        @Override
        public String toString() {
            return writer + "#" + n + "@(" + term + "," + version + ")";
        }
    }

    final PeerProcess peer;
    final String path;
    private volatile long attempted;
    private final List<Ack> acks = new ArrayList<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private volatile CompletableFuture<String> reply;

    private IncLoop(PeerProcess peer, String path) {
        this.peer = peer;
        this.path = path;
        String sent = "! sent " + path + " ";
        String acked = "! acked " + path + " ";
        String failed = "! failed " + path + " ";
        peer.onLine(l -> {
            if (l.startsWith(sent)) {
                attempted = Long.parseLong(l.substring(sent.length()).trim());
            } else if (l.startsWith(acked)) {
                String[] p = l.substring(acked.length()).trim().split(" ");
                synchronized (acks) {
                    acks.add(new Ack(peer.label(), Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])));
                }
            } else if (l.startsWith(failed)) {
                String[] p = l.substring(failed.length()).trim().split(" ");
                failures.merge(p[1], 1, Integer::sum);
            }
        });
    }

    /** Attaches to the peer's output and starts the loop. */
    static IncLoop start(PeerProcess peer, String path) {
        return start(peer, path, 0);
    }

    /** Attaches to the peer's output and starts the loop, pausing between its own updates while it is host. */
    static IncLoop start(PeerProcess peer, String path, long hostPauseMicros) {
        IncLoop loop = new IncLoop(peer, path);
        loop.reply = peer.send("incloop " + path + " " + hostPauseMicros);
        return loop;
    }

    /** Attaches to the peer's output without starting anything (the loop is started by the caller). */
    static IncLoop attach(PeerProcess peer, String path) {
        return new IncLoop(peer, path);
    }

    void started(CompletableFuture<String> reply) {
        this.reply = reply;
    }

    /** Increments sent so far (an upper bound of what the peer may have had applied). */
    long attempted() {
        return attempted;
    }

    /** Acknowledgements so far. */
    long acked() {
        synchronized (acks) {
            return acks.size();
        }
    }

    /** Acknowledgements so far of entries ordered in a term lower than {@code term}. */
    long ackedBefore(long term) {
        synchronized (acks) {
            return acks.stream().filter(a -> a.term() < term).count();
        }
    }

    List<Ack> acks() {
        synchronized (acks) {
            return List.copyOf(acks);
        }
    }

    /** Failures by code; {@code ERR_TIMEOUT} means outcome unknown. */
    Map<String, Integer> failures() {
        return Map.copyOf(failures);
    }

    /** Failures that are definite (every code but {@code ERR_TIMEOUT}): those increments were not applied. */
    long definitelyFailed() {
        return failures.entrySet().stream().filter(e -> !e.getKey().equals("ERR_TIMEOUT"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    CompletableFuture<String> reply() {
        return reply;
    }

    /** Stops the loop and waits for its last outcome; returns its own counts. */
    JsonObject stop() {
        peer.call("stoploop");
        String r;
        try {
            r = reply.get(90, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(peer + ": incloop " + path + " did not end after stoploop: " + e, e);
        }
        if (!r.startsWith("ok ")) {
            throw new AssertionError(peer + ": incloop " + path + " answered " + r);
        }
        return jakarta.json.Json.createReader(new java.io.StringReader(r.substring(3))).readObject();
    }

    @Override
    public String toString() {
        return peer.label() + "{attempted=" + attempted + ", acked=" + acked() + ", failures=" + failures + "}";
    }
}
