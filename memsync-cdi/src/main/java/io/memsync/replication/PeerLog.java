package io.memsync.replication;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The warnings a remote peer can cause frame by frame (frames that fail to decode, frames too large, error reports
 * it sends), rate-limited so that a peer, even an authenticated one, cannot flood the log: per connection and cause,
 * the first warning of a window of {@value #WINDOW_SECONDS} seconds is logged at once; later ones in that window are
 * only counted, and their count is logged with the next warning of that cause after the window, or when the
 * connection closes. A steady stream of bad frames thus costs at most two lines per cause and window, whatever its
 * rate; at most {@value #MAX_TRACKED} connection/cause pairs are tracked, beyond that the warnings are only counted.
 *
 * <p>Thread-safe.
 */
public final class PeerLog {
    /** Length of a window, in seconds. */
    public static final long WINDOW_SECONDS = 10;
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);
    /** Connection/cause pairs tracked at most. */
    static final int MAX_TRACKED = 4096;

    private record Key(Object connection, String cause) {
    }

    private static final class Window {
        final String peer;
        long start;
        long suppressed;

        Window(String peer, long start) {
            this.peer = peer;
            this.start = start;
        }
    }

    private final System.Logger log;
    private final String name;
    private final LongSupplier clock;
    private final Map<Key, Window> windows = new HashMap<>();
    private long untracked;

    /**
     * A peer log.
     *
     * @param log   where the lines go
     * @param name  the shared object's name (or another prefix) for the lines
     * @param clock nanosecond clock ({@link System#nanoTime} outside simulations)
     */
    public PeerLog(System.Logger log, String name, LongSupplier clock) {
        this.log = Objects.requireNonNull(log);
        this.name = name;
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * A warning caused by a peer's frame: logged, or counted for a later line.
     *
     * @param connection the peer's connection (the key of its windows)
     * @param peer       who, for the lines
     * @param cause      a fixed short text naming the kind of warning (not the frame's details)
     * @param line       the line, built only when it is logged
     * @param error      an exception to log with the line, or {@code null}
     */
    public void warn(Object connection, String peer, String cause, Supplier<String> line, Throwable error) {
        long now = clock.getAsLong();
        long earlier = 0;
        synchronized (this) {
            Key k = new Key(connection, cause);
            Window w = windows.get(k);
            if (w == null) {
                if (windows.size() >= MAX_TRACKED) {
                    untracked++;
                    return;
                }
                windows.put(k, new Window(peer, now));
            } else if (now - w.start >= WINDOW_NANOS) {
                earlier = w.suppressed;
                w.suppressed = 0;
                w.start = now;
            } else {
                w.suppressed++;
                return;
            }
        }
        if (earlier > 0) {
            log.log(Level.WARNING, countLine(earlier, cause, peer));
        }
        String text = name + ": " + line.get() + " (further '" + cause + "' warnings from " + peer
                + " are counted, one line per " + WINDOW_SECONDS + " s)";
        if (error != null) {
            log.log(Level.WARNING, text, error);
        } else {
            log.log(Level.WARNING, text);
        }
    }

    /**
     * The connection closed: logs the warnings of it still only counted, and forgets it.
     *
     * @param connection the connection
     */
    public void closed(Object connection) {
        StringBuilder lines = null;
        long lost;
        synchronized (this) {
            for (Iterator<Map.Entry<Key, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Window> e = it.next();
                if (e.getKey().connection() != connection) {
                    continue;
                }
                Window w = e.getValue();
                it.remove();
                if (w.suppressed > 0) {
                    lines = lines == null ? new StringBuilder() : lines.append("; ");
                    lines.append(countLine(w.suppressed, e.getKey().cause(), w.peer));
                }
            }
            lost = untracked;
            untracked = 0;
        }
        if (lines != null) {
            log.log(Level.WARNING, lines.toString());
        }
        if (lost > 0) {
            log.log(Level.WARNING, name + ": " + lost + " more warnings caused by peers were not logged (too many"
                    + " connections at once)");
        }
    }

    private String countLine(long count, String cause, String peer) {
        return name + ": " + count + " more '" + cause + "' warning" + (count == 1 ? "" : "s") + " from " + peer
                + " since the line before of that kind";
    }

    /** @return connection/cause pairs tracked now (tests) */
    synchronized int tracked() {
        return windows.size();
    }
}
