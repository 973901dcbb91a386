package io.memsync.replication;

import io.memsync.MemSyncException;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * RPC calls, their relays through the host, results, events and pings, on both sides: a client sends its calls,
 * events and pings to the host (queued while no host is reachable); the host routes calls to whoever serves the
 * method, relays results back, delivers events to every process and pings its clients. All state here is guarded
 * by the owning {@link Replica}'s lock: every method runs holding it.
 */
final class Messaging {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());

    /** What this part needs of its replica; every method is called holding the replica's lock. */
    interface Wiring {
        /** @return this replica's role */
        ReplicaStatus.Role role();

        /** @return this replica's peer id */
        String peerId();

        /** @return the channel to the host once welcomed on it, else {@code null} (client) */
        Channel syncedHost();

        /** @return the host's client connections (host) */
        Collection<Peer> connections();

        /** Host: sends the entries ordered so far, before a frame that must not overtake them. */
        void flushFirst();

        /**
         * Runs a task on the event loop after a delay, holding the lock.
         *
         * @param r      the task
         * @param millis the delay
         * @return the timer
         */
        ReplicaEnvironment.Timer schedule(Runnable r, long millis);

        /**
         * Runs a task holding the lock, on this thread if the lock is free (or {@code wait}), else on the event loop.
         *
         * @param wait whether to wait for the lock
         * @param r    the task
         * @return {@code false} when the replica is stopped
         */
        boolean enter(boolean wait, Runnable r);

        /** @return the replica's nano clock reading */
        long nanoTime();
    }

    /** A ping under way. */
    private static final class Ping {
        final CompletableFuture<Duration> future;
        final long started;
        ReplicaEnvironment.Timer timer;
        /** Host: counts the pong of one client. */
        Consumer<Peer> onPong;

        Ping(CompletableFuture<Duration> future, long started) {
            this.future = future;
            this.started = started;
        }
    }

    /** A call of this replica waiting for its result. */
    private static final class Call {
        final String method;
        final CompletableFuture<JsonValue> future;
        ReplicaEnvironment.Timer timer;
        /** Whether it was sent to a host (else it waits in the out queue). */
        boolean sent;

        Call(String method, CompletableFuture<JsonValue> future) {
            this.method = method;
            this.future = future;
        }
    }

    /** A call the host forwarded to a client that serves the method. */
    private record Relay(Peer caller, long callerId, Peer provider, String method, long deadline) {
    }

    /** Most calls the host relays at once; a call beyond them fails with {@code ERR_BUSY}. */
    static final int MAX_RELAYS = 4096;

    private final ReplicaOptions options;
    private final ReplicaListener listener;
    private final Wiring replica;
    private final Map<Long, Ping> pings = new HashMap<>();
    private long pingSeq;
    private final Map<Long, Call> calls = new HashMap<>();
    private long callSeq;
    /** Client frames (calls, events) waiting for a host. */
    private final List<String> outQueue = new ArrayList<>();
    private final Map<Long, Relay> relays = new HashMap<>();
    private long relaySeq;

    /**
     * @param options  the replica's options (name, RPC names, timeout)
     * @param listener serves local RPC methods and receives events
     * @param replica  the replica's side
     */
    /** Events, calls and results must fit in one frame. */
    private final MessageFrames sizes;

    Messaging(ReplicaOptions options, ReplicaListener listener, Wiring replica) {
        this.options = options;
        this.listener = listener;
        this.replica = replica;
        this.sizes = new MessageFrames(options);
    }

    // ---- the API side (called holding the lock) ----

    /**
     * Emits an event from this replica (its frame checked by {@link #eventFrame}): the host delivers it at once, a
     * client sends it (or queues it).
     *
     * @param frame the event
     */
    void emit(Frame.Event checked) {
        // built off the lock: the id it read may be stale (a restart), the size is the same within the margin
        Frame.Event frame = checked.from().equals(replica.peerId()) ? checked
                : new Frame.Event(checked.name(), checked.payload(), replica.peerId());
        if (replica.role() == ReplicaStatus.Role.HOST) {
            hostEvent(frame);
        } else {
            sendOrQueue(FrameCodec.encode(frame));
        }
    }

    /**
     * The frame of an event this replica emits, checked against the frame limit (any thread, no lock needed).
     *
     * @param event   the event name
     * @param payload the payload
     * @return the frame
     * @throws MemSyncException {@code ERR_TOO_LARGE} when its frame would exceed {@link MessageFrames#max}
     */
    Frame.Event eventFrame(String event, JsonValue payload) {
        Frame.Event frame = new Frame.Event(event, payload, replica.peerId());
        MemSyncException e = sizes.tooLarge(FrameCodec.encode(frame), "event '" + event + "'");
        if (e != null) {
            throw e;
        }
        return frame;
    }

    /**
     * Starts a call of an RPC method served by another process; it times out after the replica's timeout.
     *
     * @param method the RPC name
     * @param args   the arguments
     * @param f      completed with the result
     */
    void call(String method, JsonArray args, CompletableFuture<JsonValue> f) {
        String frame = FrameCodec.encode(new Frame.Call(callSeq + 1, method, args));
        MemSyncException tooLarge = sizes.tooLarge(frame, "RPC call '" + method + "'");
        if (tooLarge != null) {
            f.completeExceptionally(tooLarge);
            return;
        }
        long id = ++callSeq;
        Call c = new Call(method, f);
        calls.put(id, c);
        c.timer = replica.schedule(() -> {
            if (calls.remove(id) != null) {
                f.completeExceptionally(new MemSyncException(MemSyncException.ERR_TIMEOUT, "RPC call '" + method
                        + "' on '" + options.name() + "' got no answer within " + options.timeout()));
            }
        }, options.timeout().toMillis());
        if (replica.role() == ReplicaStatus.Role.HOST) {
            hostRoute(null, id, method, args);
        } else {
            c.sent = sendOrQueue(frame);
        }
    }

    /**
     * Client: measures a round trip to the host (sent now if welcomed, else when welcomed).
     *
     * @param f completed with the round trip
     */
    void ping(CompletableFuture<Duration> f) {
        long id = ++pingSeq;
        Ping p = new Ping(f, replica.nanoTime());
        pings.put(id, p);
        p.timer = replica.schedule(() -> {
            if (pings.remove(id) != null) {
                f.completeExceptionally(new MemSyncException(MemSyncException.ERR_TIMEOUT, "ping timed out"));
            }
        }, options.timeout().toMillis());
        Channel host = replica.syncedHost();
        if (host != null) {
            host.send(pingFrame(id));
        }
    }

    /**
     * Host: pings every ready client; completes with the slowest round trip (zero when alone).
     *
     * @param f completed with the round trip
     */
    void hostPing(CompletableFuture<Duration> f) {
        List<Peer> ready = replica.connections().stream().filter(p -> p.ready).toList();
        if (ready.isEmpty()) {
            f.complete(Duration.ZERO);
            return;
        }
        long id = ++pingSeq;
        long t0 = replica.nanoTime();
        Set<Peer> waiting = new HashSet<>(ready);
        long[] slowest = {0};
        Ping p = new Ping(f, t0);
        p.onPong = peer -> {
            if (waiting.remove(peer)) {
                slowest[0] = Math.max(slowest[0], replica.nanoTime() - t0);
                if (waiting.isEmpty()) {
                    pings.remove(id);
                    if (p.timer != null) {
                        p.timer.cancel();
                    }
                    f.complete(Duration.ofNanos(slowest[0]));
                }
            }
        };
        pings.put(id, p);
        p.timer = replica.schedule(() -> {
            if (pings.remove(id) != null) {
                f.completeExceptionally(new MemSyncException(MemSyncException.ERR_TIMEOUT, "ping of " + waiting.size()
                        + " client(s) of '" + options.name() + "' timed out"));
            }
        }, options.timeout().toMillis());
        String frame = pingFrame(id);
        ready.forEach(r -> r.channel.send(frame));
    }

    private static String pingFrame(long id) {
        return FrameCodec.encode(new Frame.Ping(id));
    }

    // ---- client side ----

    /** Sends a client frame to the host now, or queues it until a host is found; returns whether it was sent. */
    private boolean sendOrQueue(String frame) {
        Channel host = replica.syncedHost();
        if (host != null) {
            host.send(frame);
            return true;
        }
        outQueue.add(frame);
        return false;
    }

    /**
     * Client: the host welcomed this replica: the pings under way and the queued frames go to it.
     *
     * @param host the channel to the host
     */
    void welcomed(Channel host) {
        for (Map.Entry<Long, Ping> p : pings.entrySet()) {
            host.send(pingFrame(p.getKey()));
        }
        for (String frame : outQueue) {
            host.send(frame);
        }
        outQueue.clear();
        calls.values().forEach(c -> c.sent = true);
    }

    /**
     * Client: the connection to the host is gone: pings fail, and so do calls sent to it (they are not retried).
     */
    void hostLost() {
        for (Ping p : pings.values()) {
            p.future.completeExceptionally(new MemSyncException(MemSyncException.ERR_TIMEOUT, "host lost during ping"));
        }
        pings.clear();
        failSentCalls("the connection to the host was lost");
    }

    /**
     * Fails every call sent to the host with {@code ERR_RPC_PEER_GONE}.
     *
     * @param why why, for the message
     */
    void failSentCalls(String why) {
        List<Call> gone = new ArrayList<>();
        calls.values().removeIf(c -> c.sent && gone.add(c));
        // completed after the walk over the calls: a caller's callback may call again at once
        for (Call c : gone) {
            if (c.timer != null) {
                c.timer.cancel();
            }
            c.future.completeExceptionally(new MemSyncException(MemSyncException.ERR_RPC_PEER_GONE, "RPC call '"
                    + c.method + "' on '" + options.name() + "': " + why + "; the call is not retried"));
        }
    }

    /**
     * Client: an event from the host.
     *
     * @param f the event
     */
    void deliverEvent(Frame.Event f) {
        try {
            listener.event(f.name(), f.payload(), f.from().equals(replica.peerId()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, options.name() + ": event listener failed", e);
        }
    }

    /**
     * Client: the result of one of this replica's calls.
     *
     * @param f the result
     */
    void clientResult(Frame.Result f) {
        completeCall(f.id(), f.value(), f.failed() ? new MemSyncException(f.code(), f.message()) : null);
    }

    /**
     * Client: the host forwards a call of a method this replica serves; the result goes back on the same channel.
     *
     * @param via the channel to the host
     * @param f   the call
     */
    void clientCall(Channel via, Frame.Call f) {
        long id = f.id();
        String method = f.method();
        if (!options.rpcNames().contains(method)) {
            via.send(resultFrame(id, method, null, new MemSyncException(MemSyncException.ERR_RPC_NOT_FOUND,
                    "RPC method '" + method + "' is not served by " + replica.peerId())));
            return;
        }
        runHandler(method, f.args(), (v, e) -> {
            if (via.isOpen()) {
                via.send(resultFrame(id, method, v, e == null ? null : rpcFailure(method, e)));
            }
        });
    }

    /**
     * Client: the host answered a ping.
     *
     * @param f the pong
     */
    void clientPong(Frame.Pong f) {
        Ping p = pings.remove(f.id());
        if (p != null) {
            if (p.timer != null) {
                p.timer.cancel();
            }
            p.future.complete(Duration.ofNanos(replica.nanoTime() - p.started));
        }
    }

    // ---- host side ----

    /**
     * Host: a client answered a ping.
     *
     * @param p the client
     * @param f the pong
     */
    void hostPong(Peer p, Frame.Pong f) {
        Ping ping = pings.get(f.id());
        if (ping != null && ping.onPong != null) {
            ping.onPong.accept(p);
        }
    }

    /**
     * Host: a client emitted an event (ignored before its welcome).
     *
     * @param p the client
     * @param f the event
     */
    void hostEventFrom(Peer p, Frame.Event f) {
        if (!p.ready) {
            return;
        }
        hostEvent(new Frame.Event(f.name(), f.payload(), p.peerId));
    }

    /**
     * Host: a client calls a method.
     *
     * @param p the client
     * @param f the call
     */
    void hostCall(Peer p, Frame.Call f) {
        hostRoute(p, f.id(), f.method(), f.args());
    }

    /**
     * Host: a client answered a call relayed to it; the result goes to the caller.
     *
     * @param p the client
     * @param f the result
     */
    void hostResult(Peer p, Frame.Result f) {
        Relay r = relays.remove(f.id());
        if (r != null && r.provider == p) {
            replyTo(r.caller, r.callerId, r.method, f.value(), f.failed() ? new MemSyncException(f.code(), f.message())
                    : null);
        }
    }

    /**
     * Host: a client's connection closed: the calls relayed to it fail (they are not retried elsewhere).
     *
     * @param p the client
     */
    void providerGone(Peer p) {
        List<Relay> gone = new ArrayList<>();
        relays.values().removeIf(r -> r.provider == p && gone.add(r));
        // answered after the walk over the relays: the host's own caller may call again at once
        for (Relay r : gone) {
            replyTo(r.caller, r.callerId, r.method, null, new MemSyncException(MemSyncException.ERR_RPC_PEER_GONE,
                    "the process serving RPC method '" + r.method + "' of '" + options.name()
                            + "' went away during the call; the call is not retried"));
        }
    }

    /**
     * Host: relayed calls whose provider has not answered within the timeout fail with {@code ERR_TIMEOUT} and are
     * forgotten (a late answer is dropped), so a provider that never answers holds nothing for long.
     *
     * @param now the current reading of the replica's nano clock
     */
    void sweepRelays(long now) {
        if (relays.isEmpty()) {
            return;
        }
        List<Relay> late = new ArrayList<>();
        relays.values().removeIf(r -> now - r.deadline > 0 && late.add(r));
        for (Relay r : late) {
            replyTo(r.caller, r.callerId, r.method, null, new MemSyncException(MemSyncException.ERR_TIMEOUT,
                    "the process serving RPC method '" + r.method + "' of '" + options.name() + "' did not answer within "
                            + options.timeout()));
        }
    }

    /** @return the calls the host relays now (tests) */
    int relaysInFlight() {
        return relays.size();
    }

    /** Host: this replica stops hosting: its own relayed calls fail, the others' are forgotten. */
    void hostingEnded() {
        for (Relay r : relays.values()) {
            if (r.caller == null) {
                completeCall(r.callerId, null, new MemSyncException(MemSyncException.ERR_RPC_PEER_GONE, "RPC call '"
                        + r.method + "' on '" + options.name() + "': this process stopped hosting; not retried"));
            }
        }
        relays.clear();
    }

    /**
     * The replica stopped: every ping and call fails, queued frames are dropped.
     *
     * @param stopped the failure to report
     */
    void stop(java.util.function.Supplier<MemSyncException> stopped) {
        for (Ping p : pings.values()) {
            p.future.completeExceptionally(stopped.get());
        }
        pings.clear();
        for (Call c : calls.values()) {
            if (c.timer != null) {
                c.timer.cancel();
            }
            c.future.completeExceptionally(stopped.get());
        }
        calls.clear();
        outQueue.clear();
    }

    /** Host: delivers an event locally and to every ready client (the emitter included). */
    private void hostEvent(Frame.Event frame) {
        replica.flushFirst();
        String text = FrameCodec.encode(frame);
        for (Peer p : replica.connections()) {
            if (p.ready) {
                p.channel.send(text);
            }
        }
        deliverEvent(frame);
    }

    /** Host: routes a call from a client ({@code caller}) or from itself ({@code caller == null}). */
    private void hostRoute(Peer caller, long callerId, String method, JsonArray args) {
        if (caller != null && options.rpcNames().contains(method)) {
            runHandler(method, args, (v, e) -> replyTo(caller, callerId, method, v, e));
            return;
        }
        for (Peer q : replica.connections()) {
            if (q.ready && q != caller && q.rpc.contains(method)) {
                if (relays.size() >= MAX_RELAYS) {
                    replyTo(caller, callerId, method, null, new MemSyncException(MemSyncException.ERR_BUSY, "RPC method '"
                            + method + "' of '" + options.name() + "' refused: the host relays " + MAX_RELAYS
                            + " calls already"));
                    return;
                }
                long rid = ++relaySeq;
                relays.put(rid, new Relay(caller, callerId, q, method, replica.nanoTime() + options.timeout().toNanos()));
                q.channel.send(FrameCodec.encode(new Frame.Call(rid, method, args)));
                return;
            }
        }
        replyTo(caller, callerId, method, null, new MemSyncException(MemSyncException.ERR_RPC_NOT_FOUND,
                "no process of '" + options.name() + "' serves RPC method '" + method + "'"));
    }

    /**
     * Runs a local handler off the event thread (its own virtual thread); {@code done} runs holding the state lock,
     * on the thread that completes the handler when the lock is free, else on the event thread (a user's thread
     * that completes an asynchronous handler never waits for the replica's lock).
     */
    private void runHandler(String method, JsonArray args, BiConsumer<JsonValue, Throwable> done) {
        CompletionStage<JsonValue> stage;
        try {
            stage = listener.invoke(method, args);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        // not simply posted to the event thread: its wake-up would be on the path of every RPC result
        stage.whenComplete((v, e) -> replica.enter(false, () -> done.accept(v, e)));
    }

    private static MemSyncException rpcFailure(String method, Throwable e) {
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof MemSyncException m) {
            return m;
        }
        return new MemSyncException(MemSyncException.ERR_RPC_FAILED, "RPC method '" + method + "' failed: "
                + e.getClass().getName() + ": " + e.getMessage(), e);
    }

    /** A result's frame; a result too large for a frame becomes an {@code ERR_TOO_LARGE} failure of the call. */
    private String resultFrame(long id, String method, JsonValue v, MemSyncException e) {
        String frame = FrameCodec.encode(e != null ? Frame.Result.failure(id, e.code(), e.detail())
                : Frame.Result.success(id, v));
        MemSyncException tooLarge = sizes.tooLarge(frame, e != null ? "the failure of RPC method '" + method + "' ("
                + e.code() + ")" : "the result of RPC method '" + method + "'");
        return tooLarge == null ? frame
                : FrameCodec.encode(Frame.Result.failure(id, tooLarge.code(), tooLarge.detail()));
    }

    /** Host: answers a call of a client, or completes its own call. */
    private void replyTo(Peer caller, long id, String method, JsonValue v, Throwable e) {
        MemSyncException failure = e == null ? null : rpcFailure(method, e);
        if (caller == null) {
            completeCall(id, v, failure);
        } else if (caller.channel.isOpen()) {
            replica.flushFirst();
            caller.channel.send(resultFrame(id, method, v, failure));
        }
    }

    private void completeCall(long id, JsonValue v, MemSyncException failure) {
        Call c = calls.remove(id);
        if (c == null) {
            return;
        }
        if (c.timer != null) {
            c.timer.cancel();
        }
        if (failure != null) {
            c.future.completeExceptionally(failure);
        } else {
            c.future.complete(v == null ? JsonValue.NULL : v);
        }
    }
}
