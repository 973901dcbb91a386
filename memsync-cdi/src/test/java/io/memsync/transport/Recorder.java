package io.memsync.transport;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.memsync.replication.Channel;
import io.memsync.replication.ChannelHandler;

/** Test handler that records frames and closes, and checks handler calls are never concurrent. */
final class Recorder implements ChannelHandler {
    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    final CountDownLatch closed = new CountDownLatch(1);
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    volatile boolean echo;

    @Override
    public void onFrame(Channel channel, String frame) {
        if (concurrent.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        try {
            if (echo) {
                channel.send(frame);
            } else {
                frames.add(frame);
            }
        } finally {
            concurrent.decrementAndGet();
        }
    }

    @Override
    public void onClose(Channel channel) {
        closes.incrementAndGet();
        closed.countDown();
    }
}
