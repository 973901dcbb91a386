package io.memsync.storage.log;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.memsync.MemSyncException;

/**
 * Group commit: completes the stages of appended records once a force (an fsync, an upload, or for a store that
 * buffers in the process, a write to the operating system) covers them. One thread forces whenever something was
 * {@link #request(long) requested} or {@link #await(long) awaited}, but at most once per window (at once when the
 * last force is older than a window, so an idle store forces without delay); every force covers everything
 * written before it started, so concurrent appends share it. Stages complete in position order, on that thread
 * (or on the thread of {@link #forceNow()}); their callbacks must not block on other threads' forces.
 */
public final class GroupCommit implements AutoCloseable {

    /** Makes everything written so far durable. */
    @FunctionalInterface
    public interface Force {
        /**
         * Forces.
         *
         * @return the position (in the store's own byte or record count) that is now durable
         * @throws IOException when the force fails
         */
        long force() throws IOException;
    }

    private record Waiter(long position, CompletableFuture<Void> stage) {
    }

    private final String store;
    private final Force force;
    private final Consumer<MemSyncException> onFailure;
    private final long windowNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final ReentrantLock forcing = new ReentrantLock();
    private final Thread thread;
    private long requested;
    private long durable;
    private boolean closed;
    private volatile MemSyncException lastFailure;

    /**
     * Starts the forcing thread.
     *
     * @param store     the store, for thread names and messages
     * @param window    the shortest time between two forces ({@link Duration#ZERO} for none)
     * @param force     what forces
     * @param onFailure told of a failed force (the waiting stages fail with the same exception)
     */
    public GroupCommit(String store, Duration window, Force force, Consumer<MemSyncException> onFailure) {
        this.store = store;
        this.force = force;
        this.onFailure = onFailure;
        this.windowNanos = window.toNanos();
        this.thread = Thread.ofPlatform().daemon().name("memsync-store-sync " + store).start(this::run);
    }

    /**
     * A stage completing when {@code position} is durable.
     *
     * @param position the position just written
     * @return the stage
     */
    public CompletableFuture<Void> await(long position) {
        lock.lock();
        try {
            if (position <= durable) {
                return CompletableFuture.completedFuture(null);
            }
            // after a failed force nothing forces any more (lastFailure is set before failAll takes this lock)
            MemSyncException failed = lastFailure;
            if (failed != null) {
                return CompletableFuture.failedFuture(failed);
            }
            CompletableFuture<Void> stage = new CompletableFuture<>();
            waiters.add(new Waiter(position, stage));
            request(position);
            return stage;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks for a force covering {@code position} without waiting for it: the forcing thread forces within one
     * window (at once when the last force is a window old). Nothing happens after a failed force (the store is
     * failed then, and refuses the next append).
     *
     * @param position the position just written
     */
    public void request(long position) {
        lock.lock();
        try {
            if (position <= durable || lastFailure != null) {
                return;
            }
            // the thread waits for work only when nothing was requested; while it forces or waits out a window it
            // reads `requested` again under this lock, so a signal then would only wake it for nothing
            boolean idle = requested <= durable;
            requested = Math.max(requested, position);
            if (idle) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forces now, on the calling thread, and completes every stage it covers.
     *
     * @throws MemSyncException {@link MemSyncException#ERR_IO} when the force fails
     */
    public void forceNow() {
        forceOnce();
        MemSyncException failed = lastFailure;
        if (failed != null) {
            throw new MemSyncException(failed.code(), failed.detail(), failed);
        }
    }

    private void run() {
        long lastForce = System.nanoTime() - windowNanos;
        while (true) {
            lock.lock();
            try {
                while (!closed && requested <= durable) {
                    work.await();
                }
                if (closed && requested <= durable) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            long wait = lastForce + windowNanos - System.nanoTime();
            if (wait > 0) {
                lock.lock();
                try {
                    // a flush or close cuts the window short
                    while (!closed && wait > 0 && requested > durable) {
                        wait = work.awaitNanos(wait);
                    }
                } catch (InterruptedException e) {
                    return;
                } finally {
                    lock.unlock();
                }
            }
            forceOnce();
            lastForce = System.nanoTime();
            if (lastFailure != null) {
                return;
            }
        }
    }

    private void forceOnce() {
        forcing.lock();
        try {
            List<Waiter> done = new ArrayList<>();
            MemSyncException failure = lastFailure;
            if (failure == null) {
                try {
                    long position = force.force();
                    lock.lock();
                    try {
                        durable = Math.max(durable, position);
                        while (!waiters.isEmpty() && waiters.peek().position() <= durable) {
                            done.add(waiters.poll());
                        }
                    } finally {
                        lock.unlock();
                    }
                } catch (IOException | RuntimeException e) {
                    failure = e instanceof MemSyncException m ? m
                            : new MemSyncException(MemSyncException.ERR_IO, "store " + store + ": cannot make appended records durable: " + e, e);
                    lastFailure = failure;
                    if (onFailure != null) {
                        onFailure.accept(failure);
                    }
                }
            }
            // completed while forcing is held, so that a flush returns only when every stage it covers is complete,
            // also those another force took off the queue
            done.forEach(w -> w.stage().complete(null));
            if (failure != null) {
                failAll(failure);
            }
        } finally {
            forcing.unlock();
        }
    }

    /**
     * Fails every waiting stage.
     *
     * @param failure the exception
     */
    public void failAll(MemSyncException failure) {
        List<Waiter> failed;
        lock.lock();
        try {
            failed = new ArrayList<>(waiters);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        failed.forEach(w -> w.stage().completeExceptionally(failure));
    }

    /** Stops the thread after a last force of what waits; stages still waiting then fail with {@code ERR_STOPPED}. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(new MemSyncException(MemSyncException.ERR_STOPPED, "store " + store + " was closed before the record was durable"));
    }
}
