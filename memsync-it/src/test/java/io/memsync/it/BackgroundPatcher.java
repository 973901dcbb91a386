package io.memsync.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A legitimate client patching in the background while a test abuses its host: {@code $inc} of {@code n}, one at a
 * time, each waited for up to a given time; records how many succeeded, the slowest, and every failure.
 */
final class BackgroundPatcher implements AutoCloseable {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong done = new AtomicLong();
    final AtomicLong slowestMs = new AtomicLong();
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final Duration perPatch;

    BackgroundPatcher(PeerProcess client, Duration perPatch) {
        this.perPatch = perPatch;
        thread = Thread.ofPlatform().daemon().name("patcher").start(() -> {
            while (!stop.get()) {
                long t0 = System.nanoTime();
                try {
                    client.call("patch {\"$inc\":{\"n\":1}}", perPatch);
                    done.incrementAndGet();
                } catch (AssertionError e) {
                    failures.add(e.getMessage());
                }
                slowestMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
            }
        });
    }

    /** Stops patching and waits for the patch in flight (at most twice the per-patch wait). */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(perPatch.multipliedBy(2).toMillis());
    }
}
