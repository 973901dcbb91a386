package io.memsync.replication;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * A deterministic world for replicas: one thread, one simulated clock, one seeded random generator. Every event
 * loop, timer, background task and network delivery is an event in one queue ordered by (time, insertion), so a run
 * depends on nothing but its seed and replays exactly.
 *
 * <p>Processes ({@link Proc}) can be paused like {@code SIGSTOP}: their loops' events and the frames delivered to
 * them wait, in order, until they resume.
 */
final class Simulation {
    /** The wall clock starts here, so hybrid logical clocks look like real ones. */
    private static final long EPOCH_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final SplittableRandom random;
    private long now;
    private long seq;
    private SimLoop current;
    private long executed;

    Simulation(long seed) {
        random = new SplittableRandom(seed);
    }

    /** Simulated nanoseconds since the start. */
    long now() {
        return now;
    }

    /** Events run so far. */
    long executed() {
        return executed;
    }

    RandomGenerator random() {
        return random;
    }

    /** A wall clock reading the simulated time. */
    InstantSource wallClock() {
        return () -> Instant.ofEpochMilli(EPOCH_MILLIS + now / 1_000_000);
    }

    /** Runs {@code r} at {@code now + delayNanos} (after the events already due then). */
    void schedule(Runnable r, long delayNanos) {
        queue.add(new Event(now + Math.max(0, delayNanos), seq++, r));
    }

    /** Runs events until {@code done} holds (checked between events) or {@code maxNanos} of simulated time passed. */
    boolean runUntil(BooleanSupplier done, long maxNanos) {
        long end = now + maxNanos;
        while (!done.getAsBoolean()) {
            Event e = queue.peek();
            if (e == null || e.at > end) {
                now = Math.max(now, end);
                return done.getAsBoolean();
            }
            step();
        }
        return true;
    }

    /** Runs every event due within the next {@code nanos} of simulated time. */
    void runFor(long nanos) {
        runUntil(() -> false, nanos);
    }

    private void step() {
        Event e = queue.poll();
        now = Math.max(now, e.at);
        executed++;
        e.task.run();
    }

    /** A simulated process: the environment of the replicas it runs, which can be paused and resumed. */
    final class Proc implements ReplicaEnvironment {
        final String label;
        private boolean paused;
        private final List<Runnable> deferred = new ArrayList<>();

        Proc(String label) {
            this.label = label;
        }

        boolean paused() {
            return paused;
        }

        /** Stops running this process's events (like {@code SIGSTOP}); they wait, in order. */
        void pause() {
            paused = true;
        }

        /** Runs what waited, in order, then goes on. */
        void resume() {
            if (!paused) {
                return;
            }
            paused = false;
            List<Runnable> waiting = new ArrayList<>(deferred);
            deferred.clear();
            waiting.forEach(r -> schedule(r, 0));
        }

        /** Runs {@code r} now, or when this process resumes. */
        void run(Runnable r) {
            if (paused) {
                deferred.add(r);
            } else {
                r.run();
            }
        }

        /** Drops what waited (the process died while paused). */
        void forget() {
            deferred.clear();
            paused = false;
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public EventLoop newEventLoop(String name) {
            return new SimLoop(this);
        }

        @Override
        public void spawn(String name, Runnable task) {
            // in-memory transports never block: the work runs at once, as if its thread had been quick
            task.run();
        }

        @Override
        public RandomGenerator random() {
            return random;
        }
    }

    /**
     * An event loop whose tasks are events of the simulation. Tasks handed over with {@link #execute} wait up to
     * 20 µs more (to vary interleavings with deliveries), in order among themselves, as on an executor's queue.
     */
    private final class SimLoop implements ReplicaEnvironment.EventLoop {
        private final Proc proc;
        private boolean shut;
        private long lastExecuteAt;

        SimLoop(Proc proc) {
            this.proc = proc;
        }

        @Override
        public void execute(Runnable task) {
            long at = Math.max(lastExecuteAt, now + random.nextLong(20_000));
            lastExecuteAt = at;
            submit(task, at - now);
        }

        @Override
        public ReplicaEnvironment.Timer schedule(Runnable task, long delayNanos) {
            return submit(task, delayNanos);
        }

        private ReplicaEnvironment.Timer submit(Runnable task, long delayNanos) {
            if (shut) {
                throw new RejectedExecutionException("loop shut down");
            }
            boolean[] cancelled = {false};
            Simulation.this.schedule(() -> proc.run(() -> {
                if (!shut && !cancelled[0]) {
                    SimLoop outer = current;
                    current = this;
                    try {
                        task.run();
                    } finally {
                        current = outer;
                    }
                }
            }), delayNanos);
            return () -> cancelled[0] = true;
        }

        @Override
        public boolean inLoop() {
            return current == this;
        }

        @Override
        public void shutdownNow() {
            shut = true;
        }
    }

    private record Event(long at, long seq, Runnable task) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
