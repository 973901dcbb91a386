package io.memsync.replication;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A replica's event loop and its one lock: every change of the replica's state runs holding {@link #lock}. Timers,
 * channel closes and API calls run on the event loop (a single-thread scheduler of the {@link ReplicaEnvironment});
 * incoming frames run on the transport thread that brought them ({@link #inline}), and work from outside the replica
 * (a user's call, an RPC handler's result) on the caller's thread ({@link #enter}), holding the lock, so that the hot
 * path needs no hand-off. After each task {@code afterEach} runs, still holding the lock (the replica refreshes its
 * published status there).
 */
final class ReplicaLoop {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());

    private final String name;
    private final Runnable afterEach;
    private final BooleanSupplier stopped;
    /**
     * Guards the replica state. A {@link ReentrantLock}, not a monitor, so a virtual thread waiting for it does not pin
     * its carrier on JDK 21. Listeners are called with it held and must not block.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile ReplicaEnvironment.EventLoop loop;

    /**
     * @param name      the shared object's name, for logs
     * @param afterEach runs after each task, holding the lock
     * @param stopped   whether the replica's role is stopped (read holding the lock)
     */
    ReplicaLoop(String name, Runnable afterEach, BooleanSupplier stopped) {
        this.name = name;
        this.afterEach = afterEach;
        this.stopped = stopped;
    }

    /** @return the running event loop, or {@code null} when the replica is not started */
    ReplicaEnvironment.EventLoop current() {
        return loop;
    }

    /** @param l the event loop to run on from now, or {@code null} once it was shut down */
    void set(ReplicaEnvironment.EventLoop l) {
        loop = l;
    }

    /** @return whether the calling thread holds the lock */
    boolean heldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /**
     * Runs {@code r} on the event loop, holding the lock.
     *
     * @param r the task
     * @return {@code false} when the loop is not running ({@code r} will not run)
     */
    boolean post(Runnable r) {
        ReplicaEnvironment.EventLoop l = loop;
        if (l == null) {
            return false;
        }
        try {
            l.execute(() -> safely(r));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Runs {@code r} on the event loop after a delay, holding the lock.
     *
     * @param r      the task
     * @param millis the delay
     * @return the timer, or {@code null} when the loop is not running
     */
    ReplicaEnvironment.Timer schedule(Runnable r, long millis) {
        ReplicaEnvironment.EventLoop l = loop;
        if (l == null) {
            return null;
        }
        try {
            return l.schedule(() -> safely(r), TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis)));
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /**
     * Runs {@code r} every {@code millis} on the event loop, holding the lock, until cancelled or stopped.
     *
     * @param millis the period
     * @param r      the task
     * @return the timer
     */
    ReplicaEnvironment.Timer every(long millis, Runnable r) {
        Repeating t = new Repeating(loop, TimeUnit.MILLISECONDS.toNanos(millis), () -> safely(r));
        t.next();
        return t;
    }

    /** A timer that schedules its next run when it runs; cancelled by a flag (the pending run finds it set). */
    private static final class Repeating implements ReplicaEnvironment.Timer, Runnable {
        private final ReplicaEnvironment.EventLoop loop;
        private final long periodNanos;
        private final Runnable task;
        private volatile boolean cancelled;

        Repeating(ReplicaEnvironment.EventLoop loop, long periodNanos, Runnable task) {
            this.loop = loop;
            this.periodNanos = periodNanos;
            this.task = task;
        }

        void next() {
            if (cancelled || loop == null) {
                return;
            }
            try {
                loop.schedule(this, periodNanos);
            } catch (RejectedExecutionException e) {
                cancelled = true;
            }
        }

        @Override
        public void run() {
            if (!cancelled) {
                next();
                task.run();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    /**
     * Runs {@code r} on the calling thread, holding the lock (taken here).
     *
     * @param r the task
     */
    void safely(Runnable r) {
        lock.lock();
        runLocked(r);
    }

    /** Runs {@code r}, the lock being held by this thread, and releases the lock. */
    private void runLocked(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "replica " + name + " event failed", e);
        } finally {
            afterEach.run();
            lock.unlock();
        }
    }

    /**
     * Runs work that comes from outside the replica (a user's call, an RPC handler's result) on the calling thread,
     * holding the lock, instead of waking the event thread for it. It is posted to the event thread instead when this
     * thread already holds the lock (a callback the replica runs, maybe in the middle of walking the state the work
     * changes), when the replica is not running yet or any more (so it sees the state after start, or the stopped
     * one, as before), or, with {@code wait == false}, when another thread holds the lock.
     *
     * @param wait whether to wait for the lock rather than post when it is busy
     * @param r    the work
     * @return {@code false} when the replica is stopped ({@code r} will not run)
     */
    boolean enter(boolean wait, Runnable r) {
        if (loop == null) {
            return false;
        }
        if (lock.isHeldByCurrentThread()) {
            return post(r);
        }
        if (wait) {
            lock.lock();
        } else if (!lock.tryLock()) {
            return post(r);
        }
        if (stopped.getAsBoolean() || loop == null) {
            lock.unlock();
            return post(r);
        }
        runLocked(r);
        return true;
    }

    /**
     * Runs an event on the calling (transport) thread, holding the lock, unless the replica is not running.
     *
     * @param r the event
     */
    void inline(Runnable r) {
        if (loop != null) {
            safely(r);
        }
    }
}
