package io.memsync.replication;

import java.security.SecureRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.random.RandomGenerator;

/**
 * Where a {@link Replica} takes its time, its event thread, its background threads and its randomness from. The
 * replication logic reads no clock and starts no thread of its own, so a whole cluster can run on one thread under a
 * simulated clock from a seed, and a failing seed replays exactly. {@link #system()} is the real one.
 */
public interface ReplicaEnvironment {
    /**
     * A monotonic time in nanoseconds, as {@link System#nanoTime()}: only differences mean something.
     *
     * @return now
     */
    long nanoTime();

    /**
     * A new single-threaded event loop for one run of a replica (from {@code start()} to its stop).
     *
     * @param name a name for its thread, e.g. the shared object's name
     * @return the loop
     */
    EventLoop newEventLoop(String name);

    /**
     * Runs work that may block (connecting, starting a listener) off the event loop.
     *
     * @param name a name for the thread, for diagnostics
     * @param task the work
     */
    void spawn(String name, Runnable task);

    /**
     * The randomness of peer ids, per-term secrets and backoff jitter. The system's is a {@link SecureRandom}.
     *
     * @return the generator
     */
    RandomGenerator random();

    /**
     * The real environment: {@link System#nanoTime()}, a platform thread per event loop, virtual threads for
     * blocking work, {@link SecureRandom}.
     *
     * @return the system environment
     */
    static ReplicaEnvironment system() {
        return SystemEnvironment.INSTANCE;
    }

    /** A single-threaded executor of one replica's events, with timers. */
    interface EventLoop {
        /**
         * Runs a task on the loop soon, after the tasks already queued.
         *
         * @param task the task
         * @throws RejectedExecutionException when the loop was shut down
         */
        void execute(Runnable task);

        /**
         * Runs a task on the loop after a delay.
         *
         * @param task       the task
         * @param delayNanos the delay, at least 0
         * @return a handle that cancels it
         * @throws RejectedExecutionException when the loop was shut down
         */
        Timer schedule(Runnable task, long delayNanos);

        /**
         * Whether the calling thread is this loop's (the caller runs inside one of its tasks).
         *
         * @return {@code true} on the loop
         */
        boolean inLoop();

        /** Stops the loop at once: queued tasks and timers are dropped, later ones refused. */
        void shutdownNow();
    }

    /** A scheduled task that may still be cancelled. */
    interface Timer {
        /** Cancels the task if it has not run yet. Idempotent. */
        void cancel();
    }
}
