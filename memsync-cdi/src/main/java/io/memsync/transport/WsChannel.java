package io.memsync.transport;

import java.lang.System.Logger.Level;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import io.memsync.replication.Channel;
import io.memsync.replication.ChannelHandler;
import io.memsync.replication.PeerLog;

/**
 * What both ends of a WebSocket channel share: a non-blocking ordered outbox (drained by the subclass: a writer
 * thread on the host, chained asynchronous sends on the client), message reassembly with the size limit, and the
 * once-only close notification.
 *
 * <p>Handler calls ({@code onFrame}, {@code onClose}) go through one lock, so they are never concurrent for a
 * channel; {@code onClose} is called exactly once, after which no frame is delivered.
 */
abstract class WsChannel implements Channel {
    static final System.Logger LOG = System.getLogger(WsChannel.class.getName());
    /** The warnings a peer causes frame by frame, rate-limited per channel. */
    static final PeerLog WARNINGS = new PeerLog(LOG, "WebSocket channel", System::nanoTime);
    /** Identity sentinel that tells the writer to close the connection after the frames queued before it. */
    private static final String CLOSE = new String("<close>");

    private final LinkedBlockingQueue<String> outbox = new LinkedBlockingQueue<>();
    /** Characters and frames in {@link #outbox} (the close sentinel not counted). */
    private final java.util.concurrent.atomic.AtomicLong queuedChars = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger queuedFrames = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean closeNotified = new AtomicBoolean();
    private final ReentrantLock handlerLock = new ReentrantLock();
    private final long maxFrameBytes;
    private volatile String remote;
    private volatile ChannelHandler handler;
    private volatile boolean open;

    // inbound reassembly; touched only by the reading thread
    private final StringBuilder partial = new StringBuilder();
    private long partialBytes;
    private boolean dropping;
    /** The binary message being reassembled (its first {@link #partialBytes} bytes), or an empty array. */
    private byte[] partialBinary = NO_BYTES;
    private static final byte[] NO_BYTES = {};
    /** Whether frames go out as binary messages (negotiated in the {@link Handshake}); set once, before any frame. */
    volatile boolean binaryOut;

    /** Most characters sent in one batched message (well below any sane frame limit). */
    static final int BATCH_CHARS = 256 * 1024;

    WsChannel(long maxFrameBytes, String remote) {
        this.maxFrameBytes = maxFrameBytes;
        this.remote = remote;
        this.open = true;
    }

    /**
     * Called after a frame (or the close sentinel) was queued: the subclass makes sure {@link #pollMessage} is
     * drained and each message written in order.
     */
    abstract void wake();

    /** Closes the connection gracefully (close frame), after the queued frames were written. */
    abstract void closeConnection();

    /** Drops the connection at once (write failure). */
    abstract void abortConnection();

    final void remote(String remote) {
        this.remote = remote;
    }

    final void handler(ChannelHandler handler) {
        this.handler = handler;
    }

    @Override
    public final void send(String frame) {
        if (open && !closing.get()) {
            queue(frame);
            wake();
        }
    }

    /** Queues a frame even while the channel is not yet handed over (handshake, errors). */
    final void sendInternal(String frame) {
        if (!closing.get()) {
            queue(frame);
            wake();
        }
    }

    private void queue(String frame) {
        queuedChars.addAndGet(frame.length());
        queuedFrames.incrementAndGet();
        outbox.add(frame);
    }

    private String dequeue() {
        String frame = outbox.poll();
        if (frame != null && frame != CLOSE) {
            queuedChars.addAndGet(-frame.length());
            queuedFrames.decrementAndGet();
        }
        return frame;
    }

    /** Characters queued and not written yet. */
    final long queuedChars() {
        return queuedChars.get();
    }

    @Override
    public long backlogBytes() {
        return queuedChars.get();
    }

    @Override
    public final int backlogFrames() {
        return queuedFrames.get();
    }

    @Override
    public final void abort() {
        if (closing.compareAndSet(false, true)) {
            open = false;
            outbox.clear();
            queuedChars.set(0);
            queuedFrames.set(0);
            abortConnection();
        }
    }

    @Override
    public final void close() {
        if (closing.compareAndSet(false, true)) {
            open = false;
            outbox.add(CLOSE);
            wake();
        }
    }

    @Override
    public final boolean isOpen() {
        return open && !closing.get();
    }

    @Override
    public final String remote() {
        return remote;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + remote + (isOpen() ? "" : ", closed") + "]";
    }

    /**
     * Takes what to write next, without waiting: queued frames joined into one message, separated by newlines
     * (compact JSON has none), so a burst costs one send instead of one per frame.
     *
     * @param maxChars most characters batched into one message (a single bigger frame still travels alone)
     * @return the message, {@link #isClose the close sentinel}, or {@code null} when the outbox is empty
     */
    final String pollMessage(int maxChars) {
        String frame = dequeue();
        if (frame == null || frame == CLOSE) {
            return frame;
        }
        String next = outbox.peek();
        if (next == null || next == CLOSE || frame.length() + next.length() >= maxChars) {
            return frame;
        }
        StringBuilder batch = new StringBuilder(Math.min(maxChars, 4 * (frame.length() + next.length())));
        batch.append(frame);
        while ((next = outbox.peek()) != null && next != CLOSE && batch.length() + next.length() < maxChars) {
            String polled = dequeue();
            if (polled == null) {
                break; // aborted meanwhile
            }
            batch.append('\n').append(polled);
        }
        return batch.toString();
    }

    /** Whether the outbox has something to write. */
    final boolean hasQueued() {
        return !outbox.isEmpty();
    }

    /**
     * Whether {@code message} (from {@link #pollMessage}) is the close sentinel.
     *
     * @param message a message
     * @return {@code true} for the sentinel
     */
    static boolean isClose(String message) {
        return message == CLOSE;
    }

    /**
     * Feeds one received part of a text message.
     *
     * @return the whole message when {@code last} completed one within the limit, else {@code null}
     */
    final String reassemble(String part, boolean last) {
        if (!dropping) {
            partialBytes += Handshake.utf8Length(part);
            if (partialBytes > maxFrameBytes) {
                dropping = true;
                partial.setLength(0);
                partial.trimToSize();
            } else if (last && partial.isEmpty()) {
                partialBytes = 0;
                return part;
            } else {
                partial.append(part);
            }
        } else {
            partialBytes += Handshake.utf8Length(part);
        }
        if (!last) {
            return null;
        }
        long size = partialBytes;
        partialBytes = 0;
        if (dropped(size)) {
            return null;
        }
        String whole = partial.toString();
        partial.setLength(0);
        if (partial.capacity() > 4 * BATCH_CHARS) {
            partial.trimToSize(); // keep a buffer of normal batch size: messages of that size arrive all the time
        }
        return whole;
    }

    /**
     * Feeds one received part of a binary message (UTF-8 JSON text, as negotiated in the {@link Handshake}): the
     * bytes are counted as they come, and the whole message is decoded once. Malformed UTF-8 becomes U+FFFD, which
     * the frame parser then sees like any other character.
     *
     * @return the whole message when {@code last} completed one within the limit, else {@code null}
     */
    final String reassemble(java.nio.ByteBuffer part, boolean last) {
        int n = part.remaining();
        if (!dropping) {
            if (partialBytes + n > maxFrameBytes) {
                dropping = true;
                partialBinary = NO_BYTES;
            } else if (last && partialBytes == 0) {
                return decode(part);
            } else {
                int at = (int) partialBytes;
                if (at + n > partialBinary.length) {
                    partialBinary = java.util.Arrays.copyOf(partialBinary,
                            (int) Math.min(maxFrameBytes, Math.max(at + n, 2L * partialBinary.length)));
                }
                part.get(partialBinary, at, n);
            }
        }
        partialBytes += n;
        if (!last) {
            return null;
        }
        long size = partialBytes;
        partialBytes = 0;
        if (dropped(size)) {
            return null;
        }
        String whole = new String(partialBinary, 0, (int) size, java.nio.charset.StandardCharsets.UTF_8);
        if (partialBinary.length > 4 * BATCH_CHARS) {
            partialBinary = NO_BYTES; // keep a buffer of normal batch size only
        }
        return whole;
    }

    /**
     * At the end of a message of {@code size} bytes: whether it was dropped for passing the limit; then it is reported
     * once, with a rate-limited warning and an error frame to the peer.
     */
    private boolean dropped(long size) {
        if (!dropping) {
            return false;
        }
        dropping = false;
        WARNINGS.warn(this, remote, "frame too large", () -> "dropped a frame of " + size + " bytes from " + remote
                + " (limit " + maxFrameBytes + ")", null);
        sendInternal(Handshake.tooLarge(size, maxFrameBytes));
        return true;
    }

    /** The UTF-8 text of a whole binary message. */
    private static String decode(java.nio.ByteBuffer b) {
        if (b.hasArray()) {
            String s = new String(b.array(), b.arrayOffset() + b.position(), b.remaining(), java.nio.charset.StandardCharsets.UTF_8);
            b.position(b.limit());
            return s;
        }
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        return new String(copy, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Delivers a message to the handler, one frame at a time (a message may carry several frames separated by
     * newlines), unless the channel already reported its close; then, when it delivered any frame, always
     * {@code onBatchEnd} (never after {@code onClose}). A frame whose handler fails is logged and does not keep the
     * frames after it from being delivered.
     */
    final void deliver(String message) {
        ChannelHandler h = handler;
        if (h == null) {
            return;
        }
        handlerLock.lock();
        boolean delivered = false;
        try {
            int start = 0;
            int nl;
            while ((nl = message.indexOf('\n', start)) >= 0 && !closeNotified.get()) {
                if (nl > start) {
                    delivered = true;
                    deliverFrame(h, message.substring(start, nl));
                }
                start = nl + 1;
            }
            if (!closeNotified.get() && start < message.length()) {
                delivered = true;
                deliverFrame(h, start == 0 ? message : message.substring(start));
            }
        } finally {
            try {
                if (delivered) {
                    // always, as endsBatches() promises: the handler may have left work for it. Before onClose,
                    // which waits for the handler lock held here
                    h.onBatchEnd(this);
                }
            } catch (RuntimeException e) {
                WARNINGS.warn(this, remote, "handler failed", () -> "channel handler failed at the end of a message from "
                        + remote, e);
            } finally {
                handlerLock.unlock();
            }
        }
    }

    /** One frame to the handler; a handler that fails is logged, and the frames after it are still delivered. */
    private void deliverFrame(ChannelHandler h, String frame) {
        try {
            h.onFrame(this, frame);
        } catch (RuntimeException e) {
            WARNINGS.warn(this, remote, "handler failed", () -> "channel handler failed on a frame from " + remote, e);
        }
    }

    /** Always: {@link #deliver} ends every message whose frames it delivered with {@code onBatchEnd}. */
    @Override
    public final boolean endsBatches() {
        return true;
    }

    /** The connection is gone (either side, or a failure): report it once. */
    final void connectionClosed() {
        open = false;
        if (closing.compareAndSet(false, true)) {
            outbox.add(CLOSE); // lets the writer finish
            wake();
        }
        if (!closeNotified.compareAndSet(false, true)) {
            return;
        }
        onClosed();
        WARNINGS.closed(this);
        ChannelHandler h = handler;
        if (h == null) {
            return;
        }
        handlerLock.lock();
        try {
            h.onClose(this);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "channel handler failed on close of " + remote, e);
        } finally {
            handlerLock.unlock();
        }
    }

    /** Hook for subclasses, called once when the channel is known closed. */
    void onClosed() {
    }
}
