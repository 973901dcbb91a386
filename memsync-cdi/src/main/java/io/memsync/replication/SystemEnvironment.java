package io.memsync.replication;

import java.security.SecureRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/** {@link ReplicaEnvironment#system()}. */
final class SystemEnvironment implements ReplicaEnvironment {
    static final SystemEnvironment INSTANCE = new SystemEnvironment();
    private final SecureRandom random = new SecureRandom();

    private SystemEnvironment() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public EventLoop newEventLoop(String name) {
        return new ThreadLoop(name);
    }

    @Override
    public void spawn(String name, Runnable task) {
        Thread.ofVirtual().name(name).start(task);
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    /** A {@link ScheduledThreadPoolExecutor} with one daemon thread. */
    private static final class ThreadLoop implements EventLoop {
        private final ScheduledThreadPoolExecutor executor;
        private volatile Thread thread;

        ThreadLoop(String name) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "memsync-" + name);
                t.setDaemon(true);
                thread = t;
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
        }

        @Override
        public void execute(Runnable task) {
            executor.execute(task);
        }

        @Override
        public Timer schedule(Runnable task, long delayNanos) {
            ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public boolean inLoop() {
            return Thread.currentThread() == thread;
        }

        @Override
        public void shutdownNow() {
            executor.shutdownNow();
        }
    }
}
