package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link PeerLog}: the warnings a peer causes per frame cost a bounded number of lines (simulated clock). */
class PeerLogTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000);
    private final PeerLog log = new PeerLog(new System.Logger() {
        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(format);
        }
    }, "doc", now::get);

    private void warn(Object conn, String cause, int times) {
        for (int i = 0; i < times; i++) {
            Supplier<String> line = () -> "bad frame " + cause;
            log.warn(conn, "peer-" + conn, cause, line, null);
        }
    }

    @Test
    void firstOfEachCauseAndConnectionIsLoggedTheRestCountedUntilTheWindowEndsOrTheConnectionCloses() {
        Object a = "a";
        Object b = "b";
        warn(a, "protocol error", 10_000);
        warn(a, "error report", 500);
        warn(b, "protocol error", 3);
        assertThat(lines).hasSize(3).allMatch(l -> l.startsWith("doc: bad frame "));

        now.addAndGet(PeerLog.WINDOW_NANOS); // next window: the count of the last one, then the new first line
        warn(a, "protocol error", 2);
        assertThat(lines).hasSize(5);
        assertThat(lines.get(3)).isEqualTo("doc: 9999 more 'protocol error' warnings from peer-a since the line before"
                + " of that kind");

        log.closed(a); // what a still only counted: one line, and a is forgotten
        assertThat(lines).hasSize(6);
        assertThat(lines.get(5)).contains("1 more 'protocol error' warning from peer-a")
                .contains("499 more 'error report' warnings from peer-a");
        assertThat(log.tracked()).isEqualTo(1);
        log.closed(b);
        assertThat(lines).hasSize(7);
        assertThat(log.tracked()).isZero();
    }

    @Test
    void manyConnectionsAtOnceAreCountedBeyondTheTrackedCap() {
        for (int i = 0; i < PeerLog.MAX_TRACKED + 1_000; i++) {
            warn(Integer.valueOf(i), "protocol error", 2);
        }
        assertThat(lines).hasSize(PeerLog.MAX_TRACKED);
        assertThat(log.tracked()).isEqualTo(PeerLog.MAX_TRACKED);
        log.closed(Integer.valueOf(0));
        assertThat(lines.get(lines.size() - 1)).contains("2000 more warnings caused by peers were not logged");
    }
}
