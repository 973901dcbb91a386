package io.memsync.replication;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-memory network for replication tests: a {@link Transport} per simulated process whose channels deliver
 * through one scheduler thread with configurable random delays (never reordering within a channel), an in-memory
 * {@link Election} and {@link Liveness}. Connections can be dropped and processes crashed (their channels close,
 * their lease is released and liveness reports them dead).
 */
final class InMemoryNetwork implements AutoCloseable {
    private final Scheduler scheduler;
    /** The simulation the network runs in, or {@code null} when it runs on its own thread in real time. */
    private final Simulation simulation;
    private final Random random;
    private final Map<String, MemListener> listeners = new ConcurrentHashMap<>();
    private final Map<Long, Node> nodes = new ConcurrentHashMap<>();
    /** Running replicas by peer id (registered at start, removed at stop; a crash leaves them to its dead node). */
    private final Map<String, Node> running = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Connect attempts per endpoint, refused ones included. */
    final Map<String, AtomicInteger> connectAttempts = new ConcurrentHashMap<>();
    private volatile long maxDelayMicros;
    /** The frame limit in UTF-8 bytes, as a WebSocket peer holds it: a bigger frame is dropped and counted. */
    volatile long maxFrameBytes = Long.MAX_VALUE;
    /** Frames dropped for the frame limit. */
    final AtomicInteger oversized = new AtomicInteger();
    private Lease holder;
    private HostRecord record;
    private final java.util.List<HostRecord> published = new java.util.ArrayList<>();

    /** A network in real time, delivering on its own thread. */
    InMemoryNetwork(long seed) {
        random = new Random(seed);
        simulation = null;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "in-memory-network");
            t.setDaemon(true);
            return t;
        });
        scheduler = new Scheduler() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void schedule(Runnable r, long delayNanos) {
                executor.schedule(r, delayNanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void close() {
                executor.shutdownNow();
            }
        };
    }

    /** A network inside a simulation: deliveries are its events, and paused processes receive nothing until resumed. */
    InMemoryNetwork(Simulation sim, long seed) {
        random = new Random(seed);
        simulation = sim;
        scheduler = new Scheduler() {
            @Override
            public long nanoTime() {
                return sim.now();
            }

            @Override
            public void schedule(Runnable r, long delayNanos) {
                sim.schedule(r, delayNanos);
            }

            @Override
            public void close() {
            }
        };
    }

    /** Where deliveries run. */
    private interface Scheduler {
        long nanoTime();

        void schedule(Runnable r, long delayNanos);

        void close();
    }

    /** Messages get a random delay in {@code [0, max]}. */
    void maxDelay(Duration max) {
        maxDelayMicros = max.toNanos() / 1000;
    }

    /** A new simulated process. */
    Node node() {
        int id = ids.incrementAndGet();
        Node n = new Node(1000 + id, simulation == null ? null : simulation.new Proc("p" + (1000 + id)));
        nodes.put(n.pid, n);
        return n;
    }

    Liveness liveness() {
        return m -> {
            Node n = nodes.get(m.pid());
            return n != null && n.alive;
        };
    }

    synchronized HostRecord record() {
        return record;
    }

    /** Every record published so far, oldest first. */
    synchronized java.util.List<HostRecord> published() {
        return java.util.List.copyOf(published);
    }

    /** Crashes a process: its channels drop, its listeners close, its lease is released, it is reported dead. */
    void crash(Node n) {
        if (n.proc != null) {
            n.proc.forget();
        }
        synchronized (this) {
            n.alive = false;
            if (holder != null && holder.node == n) {
                holder = null;
            }
        }
        n.listeners.forEach(MemListener::close);
        n.pipes.forEach(p -> p.drop());
    }

    /** Drops every connection of a process (it stays alive). */
    void disconnect(Node n) {
        n.pipes.forEach(p -> p.drop());
    }

    /** Revokes the lease (as if the lock file were replaced); the holder must step down. */
    synchronized void revokeLease() {
        holder = null;
    }

    @Override
    public void close() {
        scheduler.close();
    }

    private long delayMicros(Node from) {
        long max = maxDelayMicros + from.extraDelayMicros;
        if (max <= 0) {
            return 0;
        }
        synchronized (random) {
            return (long) (random.nextDouble() * max);
        }
    }

    /** A simulated process. */
    final class Node {
        final long pid;
        /** Its environment in a simulation (pausable), or {@code null} in real time. */
        final Simulation.Proc proc;
        volatile boolean alive = true;
        volatile long extraDelayMicros;
        /** While set, this process cannot open connections (it stays alive and keeps the ones it has). */
        volatile boolean refuseConnects;
        final Set<Pipe> pipes = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());
        final Set<MemListener> listeners = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());

        Node(long pid, Simulation.Proc proc) {
            this.pid = pid;
            this.proc = proc;
        }

        /** Runs what arrives for this process: now, or when it resumes if it is paused. */
        void deliver(Runnable r) {
            if (proc == null) {
                r.run();
            } else {
                proc.run(r);
            }
        }

        /** Slows down everything this process sends. */
        void delay(Duration d) {
            extraDelayMicros = d.toNanos() / 1000;
        }

        Transport transport() {
            return new Transport() {
                @Override
                public Listener listen(String name, byte[] secret, Function<Channel, ChannelHandler> onAccept)
                        throws IOException {
                    if (!alive) {
                        throw new IOException("process dead");
                    }
                    MemListener l = new MemListener(Node.this, "mem://" + pid + "/" + ids.incrementAndGet(), name,
                            secret, onAccept);
                    InMemoryNetwork.this.listeners.put(l.endpoint, l);
                    Node.this.listeners.add(l);
                    return l;
                }

                @Override
                public Channel connect(String endpoint, String name, byte[] secret, ChannelHandler handler,
                                       Duration timeout) throws IOException {
                    connectAttempts.computeIfAbsent(endpoint, e -> new AtomicInteger()).incrementAndGet();
                    MemListener l = InMemoryNetwork.this.listeners.get(endpoint);
                    if (refuseConnects || !alive || l == null || l.closed || !l.owner.alive || !l.name.equals(name)
                            || !Arrays.equals(l.secret, secret)) {
                        throw new IOException("cannot connect to " + endpoint);
                    }
                    Pipe p = new Pipe(Node.this, l.owner);
                    p.client.handler = handler;
                    p.server.handler = l.onAccept.apply(p.server);
                    l.accepted.add(p);
                    return p.client;
                }
            };
        }

        Election election() {
            return new Election() {
                @Override
                public Lease tryAcquire() throws IOException {
                    synchronized (InMemoryNetwork.this) {
                        if (!alive) {
                            throw new IOException("process dead");
                        }
                        if (holder != null) {
                            return null;
                        }
                        holder = new InMemoryNetwork.Lease(Node.this);
                        return holder;
                    }
                }

                @Override
                public HostRecord read() throws IOException {
                    synchronized (InMemoryNetwork.this) {
                        if (!alive) {
                            throw new IOException("process dead");
                        }
                        return record;
                    }
                }

                @Override
                public Registration register(String peerId) {
                    running.put(peerId, Node.this);
                    return () -> running.remove(peerId, Node.this);
                }

                @Override
                public boolean isRunning(String peerId) {
                    Node n = running.get(peerId);
                    return n != null && n.alive;
                }

                @Override
                public boolean isHeld() {
                    synchronized (InMemoryNetwork.this) {
                        return holder != null;
                    }
                }
            };
        }
    }

    private final class Lease implements Election.Lease {
        final Node node;

        Lease(Node node) {
            this.node = node;
        }

        @Override
        public void publish(HostRecord r) throws IOException {
            synchronized (InMemoryNetwork.this) {
                if (holder != this || !node.alive) {
                    throw new IOException("lease lost");
                }
                record = r;
                published.add(r);
            }
        }

        @Override
        public boolean isValid() {
            synchronized (InMemoryNetwork.this) {
                return holder == this && node.alive;
            }
        }

        @Override
        public void close() {
            synchronized (InMemoryNetwork.this) {
                if (holder == this) {
                    holder = null;
                }
            }
        }
    }

    private final class MemListener implements Transport.Listener {
        final Node owner;
        final String endpoint;
        final String name;
        volatile byte[] secret;
        final Function<Channel, ChannelHandler> onAccept;
        final Set<Pipe> accepted = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());
        volatile boolean closed;

        MemListener(Node owner, String endpoint, String name, byte[] secret, Function<Channel, ChannelHandler> onAccept) {
            this.owner = owner;
            this.endpoint = endpoint;
            this.name = name;
            this.secret = secret.clone();
            this.onAccept = onAccept;
        }

        @Override
        public String endpoint() {
            return endpoint;
        }

        @Override
        public void secret(byte[] s) {
            secret = s.clone();
        }

        @Override
        public void close() {
            closed = true;
            listeners.remove(endpoint);
            accepted.forEach(Pipe::closeGracefully);
        }
    }

    /** A connection: two ends, each direction a FIFO queue delivered by the scheduler. */
    final class Pipe {
        final End client;
        final End server;
        volatile boolean closing;
        volatile boolean dropped;
        final AtomicBoolean closeDelivered = new AtomicBoolean();

        Pipe(Node clientNode, Node serverNode) {
            client = new End(this, clientNode, "client of " + serverNode.pid);
            server = new End(this, serverNode, "client " + clientNode.pid);
            client.other = server;
            server.other = client;
            clientNode.pipes.add(this);
            serverNode.pipes.add(this);
        }

        void drop() {
            dropped = true;
            closing = true;
            scheduleClose(0);
        }

        void closeGracefully() {
            if (!closing) {
                closing = true;
                long at = Math.max(client.lastAt, server.lastAt);
                scheduleClose(Math.max(0, at - scheduler.nanoTime()) + 1_000_000);
            }
        }

        private void scheduleClose(long delayNanos) {
            try {
                scheduler.schedule(() -> {
                    if (closeDelivered.compareAndSet(false, true)) {
                        client.node.pipes.remove(this);
                        server.node.pipes.remove(this);
                        client.node.deliver(() -> {
                            if (client.node.alive) {
                                client.handler.onClose(client);
                            }
                        });
                        server.node.deliver(() -> {
                            if (server.node.alive) {
                                server.handler.onClose(server);
                            }
                        });
                    }
                }, delayNanos);
            } catch (RuntimeException e) {
                // network closed
            }
        }
    }

    /** One end of a pipe. */
    final class End implements Channel {
        final Pipe pipe;
        final Node node;
        final String remote;
        volatile ChannelHandler handler;
        End other;
        final ArrayDeque<String> queue = new ArrayDeque<>();
        volatile long lastAt;
        /** Characters sent and not yet taken by the other end (a paused process takes nothing): its backlog. */
        private long queuedChars;

        End(Pipe pipe, Node node, String remote) {
            this.pipe = pipe;
            this.node = node;
            this.remote = remote;
        }

        @Override
        public void send(String frame) {
            if (pipe.closing || !node.alive) {
                return;
            }
            if (frame.length() * 3L > maxFrameBytes && EntryFrames.utf8Bytes(frame) > maxFrameBytes) {
                oversized.incrementAndGet();
                return;
            }
            long at;
            synchronized (this) {
                at = Math.max(lastAt, scheduler.nanoTime() + delayMicros(node) * 1000);
                lastAt = at;
                queue.add(frame);
                queuedChars += frame.length();
            }
            try {
                scheduler.schedule(() -> other.node.deliver(() -> {
                    String f;
                    synchronized (this) {
                        f = queue.poll();
                        queuedChars -= f == null ? 0 : f.length();
                    }
                    if (f != null && !pipe.dropped && other.node.alive && node.alive) {
                        other.handler.onFrame(other, f);
                    }
                }), Math.max(0, at - scheduler.nanoTime()));
            } catch (RuntimeException e) {
                // network closed
            }
        }

        @Override
        public void close() {
            pipe.closeGracefully();
        }

        @Override
        public synchronized long backlogBytes() {
            return queuedChars;
        }

        @Override
        public synchronized int backlogFrames() {
            return queue.size();
        }

        @Override
        public void abort() {
            synchronized (this) {
                queue.clear();
                queuedChars = 0;
            }
            pipe.drop();
        }

        @Override
        public boolean isOpen() {
            return !pipe.closing;
        }

        @Override
        public String remote() {
            return remote;
        }
    }
}
