package io.memsync.transport;

import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The log lines of a listener's refused connections, rate-limited per cause so that a peer repeating a bad
 * handshake cannot flood the log: per {@link Cause}, the first refusal of a window of {@value #WINDOW_SECONDS}
 * seconds is logged at once at {@code WARNING}; later ones in that window are only counted, and one
 * {@code WARNING} line with their count follows when the window ends. A steady stream of refusals of one cause thus
 * costs one line per window, whatever its rate.
 *
 * <p>Thread-safe: refusals come from the connection threads and the handshake timer.
 */
final class RefusalLog {
    /** Length of a window, in seconds. */
    static final long WINDOW_SECONDS = 10;
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);

    /** Logger of the refusal lines (tests count its records). */
    static final System.Logger LOG = System.getLogger(RefusalLog.class.getName());

    /** Why a connection was refused before it authenticated; each cause is rate-limited on its own. */
    enum Cause {
        /** The first frame was not a JSON hello frame. */
        NOT_A_HELLO("not a hello frame"),
        /** A hello frame without the string members it needs. */
        MALFORMED_HELLO("malformed hello frame"),
        /** Wrong name or wrong proof (the two are not told apart, so a peer cannot probe names). */
        UNAUTHORIZED("wrong name or secret"),
        /** A frame bigger than {@link Handshake#MAX_HANDSHAKE_BYTES} before authentication. */
        TOO_LARGE("handshake frame too large"),
        /** A fragmented text message before authentication. */
        FRAGMENTED("fragmented handshake frame"),
        /** A binary message before authentication. */
        BINARY("binary frame before authentication"),
        /** No hello within the handshake timeout. */
        TIMEOUT("no authentication in time"),
        /** More than {@link HostListener#MAX_UNAUTHENTICATED} connections awaiting authentication. */
        TOO_MANY("too many connections awaiting authentication"),
        /** A bug: the handshake code failed (logged with its exception). */
        INTERNAL("handshake failed internally");

        private final String text;

        Cause(String text) {
            this.text = text;
        }

        /** @return a short description for log lines */
        String text() {
            return text;
        }
    }

    /** What the log needs to schedule the line that closes a window. */
    @FunctionalInterface
    interface Scheduler {
        /**
         * Runs {@code task} after {@code nanos} (or never, when the listener is closed).
         *
         * @param task  what to run
         * @param nanos delay
         */
        void schedule(Runnable task, long nanos);
    }

    private static final class Window {
        long start;
        boolean open;
        long suppressed;
        String lastRemote;
        boolean flushScheduled;
    }

    private final String listenerName;
    private final Scheduler scheduler;
    private final LongSupplier clock;
    private final Map<Cause, Window> windows = new EnumMap<>(Cause.class);
    private long lines;

    /**
     * A refusal log.
     *
     * @param listenerName the shared object's name, for the lines
     * @param scheduler    runs the end-of-window lines
     * @param clock        nanosecond clock ({@link System#nanoTime} outside tests)
     */
    RefusalLog(String listenerName, Scheduler scheduler, LongSupplier clock) {
        this.listenerName = listenerName;
        this.scheduler = scheduler;
        this.clock = clock;
        for (Cause c : Cause.values()) {
            windows.put(c, new Window());
        }
    }

    /**
     * Records one refused connection; logs it, or counts it for the line at the end of the window.
     *
     * @param cause   why
     * @param remote  who, for the line
     * @param detail  what was sent back
     * @param error   the exception for {@link Cause#INTERNAL}, else {@code null}
     */
    void refused(Cause cause, String remote, String detail, Throwable error) {
        long now = clock.getAsLong();
        boolean logNow;
        boolean scheduleFlush = false;
        long flushIn = 0;
        synchronized (this) {
            Window w = windows.get(cause);
            if (!w.open || now - w.start >= WINDOW_NANOS && !w.flushScheduled) {
                w.open = true;
                w.start = now;
                logNow = true;
                lines++;
            } else {
                logNow = false;
                w.suppressed++;
                w.lastRemote = remote;
                if (!w.flushScheduled) {
                    w.flushScheduled = true;
                    scheduleFlush = true;
                    flushIn = Math.max(0, w.start + WINDOW_NANOS - now);
                }
            }
        }
        if (logNow) {
            String line = "'" + listenerName + "': refused connection " + remote + " (" + cause.text() + "): " + detail
                    + "; further refusals of this kind are counted and logged at most once per " + WINDOW_SECONDS + " s";
            if (error != null) {
                LOG.log(Level.WARNING, line, error);
            } else {
                LOG.log(Level.WARNING, line);
            }
        }
        if (scheduleFlush) {
            scheduler.schedule(() -> flush(cause), flushIn);
        }
    }

    /** Ends the window of {@code cause}: logs what it suppressed, and opens the next window if it did. */
    private void flush(Cause cause) {
        long count;
        String remote;
        synchronized (this) {
            Window w = windows.get(cause);
            w.flushScheduled = false;
            count = w.suppressed;
            remote = w.lastRemote;
            w.suppressed = 0;
            if (count == 0) {
                return;
            }
            // the next window starts now: refusals in it are counted again, so a steady stream costs a line a window
            w.start = clock.getAsLong();
            lines++;
        }
        LOG.log(Level.WARNING, "'" + listenerName + "': refused " + count + " more connection" + (count == 1 ? "" : "s")
                + " (" + cause.text() + ") in the last " + WINDOW_SECONDS + " s, the last from " + remote);
    }

    /**
     * How many lines this log wrote so far.
     *
     * @return lines
     */
    synchronized long lines() {
        return lines;
    }
}
