package io.memsync.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.memsync.MemSyncException;

/**
 * What every {@link Store} must do, whatever it keeps its bytes in. A store's test extends this class and opens its
 * store at one location per test; {@link #open(StoreOptions)} called again reopens the same store.
 */
public abstract class StoreContract {
    private final List<Store> opened = new ArrayList<>();

    /**
     * Opens (or reopens) the store under test: the same location every time within one test.
     *
     * @param options the options
     * @return the open store
     */
    protected abstract Store openStore(StoreOptions options);

    /**
     * How many log segments the store keeps now (files or objects).
     *
     * @return the count
     */
    protected abstract int segmentCount();

    /**
     * How many snapshots the store keeps now.
     *
     * @return the count
     */
    protected abstract int snapshotCount();

    /**
     * Opens the store and remembers it for closing after the test.
     *
     * @param options the options
     * @return the store
     */
    protected Store open(StoreOptions options) {
        Store s = openStore(options);
        opened.add(s);
        return s;
    }

    /** @return a store with default options */
    protected Store open() {
        return open(StoreOptions.defaults());
    }

    @AfterEach
    void closeStores() {
        opened.forEach(Store::close);
    }

    /** A record whose payload names its position. */
    protected static LogRecord rec(long term, long version) {
        return new LogRecord(term, version, ("entry " + term + "/" + version).getBytes(StandardCharsets.UTF_8));
    }

    protected static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    protected static void join(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("append did not complete: " + e, e);
        }
    }

    private static void appendAll(Store s, long term, long from, long to) {
        CompletableFuture<?> last = null;
        for (long v = from; v <= to; v++) {
            last = s.append(rec(term, v));
        }
        if (last != null) {
            join(last);
        }
    }

    @Test
    void anEmptyStoreLoadsEmpty() {
        LoadedState s = open().load();
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.snapshot()).isEmpty();
        assertThat(s.tail()).isEmpty();
        assertThat(s.lastVersion()).isZero();
        assertThat(s.lastTerm()).isZero();
        assertThat(s.cuts()).isEmpty();
    }

    @Test
    void recordsComeBackInOrderAfterReopening() {
        Store s = open();
        appendAll(s, 1, 1, 20);
        appendAll(s, 3, 21, 40);
        s.close();
        LoadedState l = open().load();
        assertThat(l.tail()).hasSize(40);
        for (int i = 0; i < 40; i++) {
            long v = i + 1;
            assertThat(l.tail().get(i)).isEqualTo(rec(v <= 20 ? 1 : 3, v));
        }
        assertThat(l.lastTerm()).isEqualTo(3);
        assertThat(l.lastVersion()).isEqualTo(40);
        assertThat(l.cuts()).isEmpty();
    }

    @Test
    void reopenedStoreContinuesAndReopensAgain() {
        for (int round = 1; round <= 3; round++) {
            Store s = open();
            LoadedState l = s.load();
            assertThat(l.lastVersion()).isEqualTo((round - 1) * 10L);
            appendAll(s, round, l.lastVersion() + 1, l.lastVersion() + 10);
            s.close();
            s.close(); // idempotent
        }
        assertThat(open().load().tail()).extracting(LogRecord::version).containsExactlyElementsOf(range(1, 30));
    }

    @Test
    void loadAfterAppendingReadsWhatIsStored() {
        Store s = open();
        appendAll(s, 1, 1, 5);
        assertThat(s.load().tail()).hasSize(5);
        appendAll(s, 1, 6, 7);
        assertThat(s.load().lastVersion()).isEqualTo(7);
    }

    @Test
    void snapshotPlusTail() {
        Store s = open();
        appendAll(s, 1, 1, 30);
        s.writeSnapshot(new SnapshotRecord(1, 20, "state@20".getBytes(StandardCharsets.UTF_8)));
        appendAll(s, 2, 31, 40);
        s.close();
        LoadedState l = open().load();
        assertThat(l.snapshot()).isPresent();
        assertThat(l.snapshot().get().version()).isEqualTo(20);
        assertThat(l.snapshot().get().term()).isEqualTo(1);
        assertThat(text(l.snapshot().get().state())).isEqualTo("state@20");
        assertThat(l.tail()).extracting(LogRecord::version).containsExactlyElementsOf(range(21, 40));
        assertThat(l.tail().getLast()).isEqualTo(rec(2, 40));
        assertThat(l.lastVersion()).isEqualTo(40);
        assertThat(l.lastTerm()).isEqualTo(2);
    }

    @Test
    void aSnapshotAtTheLastVersionLeavesAnEmptyTail() {
        Store s = open();
        appendAll(s, 1, 1, 10);
        s.writeSnapshot(new SnapshotRecord(1, 10, new byte[] {1, 2, 3}));
        s.close();
        Store again = open();
        LoadedState l = again.load();
        assertThat(l.tail()).isEmpty();
        assertThat(l.lastVersion()).isEqualTo(10);
        join(again.append(rec(2, 11)));
    }

    @Test
    void aSnapshotBeyondTheLogMovesTheStoreThere() {
        // a new host installing a snapshot it received from a peer
        Store s = open();
        appendAll(s, 1, 1, 3);
        s.writeSnapshot(new SnapshotRecord(2, 500, "peer".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> s.append(rec(2, 4))).isInstanceOf(MemSyncException.class)
                .hasMessageContaining("version 4 is at or below the snapshot at version 500");
        join(s.append(rec(2, 501)));
        s.close();
        LoadedState l = open().load();
        assertThat(l.snapshot().orElseThrow().version()).isEqualTo(500);
        assertThat(l.tail()).containsExactly(rec(2, 501));
    }

    @Test
    void snapshotDueAfterTheConfiguredEntries() {
        Store s = open(StoreOptions.builder().snapshotEveryEntries(5).build());
        appendAll(s, 1, 1, 4);
        assertThat(s.snapshotDue()).isFalse();
        appendAll(s, 1, 5, 5);
        assertThat(s.snapshotDue()).isTrue();
        s.writeSnapshot(new SnapshotRecord(1, 5, new byte[0]));
        assertThat(s.snapshotDue()).isFalse();
    }

    @Test
    void snapshotDueAfterTheConfiguredBytes() {
        Store s = open(StoreOptions.builder().snapshotEveryBytes(1000).build());
        s.append(new LogRecord(1, 1, new byte[400]));
        assertThat(s.snapshotDue()).isFalse();
        join(s.append(new LogRecord(1, 2, new byte[700])));
        assertThat(s.snapshotDue()).isTrue();
    }

    @Test
    void compactionKeepsTwoSnapshotsAndTheLogAfterTheOlder() {
        Store s = open(StoreOptions.builder().snapshotEveryEntries(10).build());
        for (long v = 1; v <= 205; v++) {
            s.append(rec(1, v));
            if (s.snapshotDue()) {
                s.writeSnapshot(new SnapshotRecord(1, v, ("state@" + v).getBytes(StandardCharsets.UTF_8)));
            }
        }
        s.flush();
        assertThat(snapshotCount()).isEqualTo(2);
        assertThat(segmentCount()).isLessThanOrEqualTo(4);
        s.close();
        LoadedState l = open().load();
        assertThat(l.snapshot().orElseThrow().version()).isEqualTo(200);
        assertThat(text(l.snapshot().get().state())).isEqualTo("state@200");
        assertThat(l.tail()).extracting(LogRecord::version).containsExactly(201L, 202L, 203L, 204L, 205L);
    }

    @Test
    void theVersionRuleRefusesGapsLowerTermsAndRewrites() {
        Store s = open();
        appendAll(s, 2, 1, 5);
        assertRefused(() -> s.append(rec(2, 7)), "gap after the last version 5");
        assertRefused(() -> s.append(rec(1, 6)), "term 1 of version 6 is lower than term 2 of version 5");
        assertRefused(() -> s.append(rec(2, 5)), "version 5 is already stored with term 2");
        assertRefused(() -> s.append(rec(1, 3)), "version 3 is already stored with term 2");
        s.writeSnapshot(new SnapshotRecord(2, 3, new byte[0]));
        assertRefused(() -> s.append(rec(9, 3)), "at or below the snapshot at version 3");
        assertRefused(() -> s.writeSnapshot(new SnapshotRecord(2, 2, new byte[0])), "newest snapshot is already at (term 2, version 3)");
        assertRefused(() -> s.writeSnapshot(new SnapshotRecord(7, 5, new byte[0])), "the log holds version 5 with term 2");
        // still usable after the refusals
        join(s.append(rec(2, 6)));
        assertThat(s.load().lastVersion()).isEqualTo(6);
    }

    @Test
    void aHigherTermReplacesAnUncommittedTail() {
        Store s = open();
        appendAll(s, 1, 1, 10);
        // a new host in term 2 decided that versions 8.. of term 1 never happened
        join(s.append(rec(2, 8)));
        appendAll(s, 2, 9, 9);
        assertThat(s.load().tail()).extracting(LogRecord::term).containsExactly(1L, 1L, 1L, 1L, 1L, 1L, 1L, 2L, 2L);
        s.close();
        LoadedState l = open().load();
        assertThat(l.lastVersion()).isEqualTo(9);
        assertThat(l.lastTerm()).isEqualTo(2);
        assertThat(l.tail().get(7)).isEqualTo(rec(2, 8));
        assertThat(l.tail()).extracting(LogRecord::version).containsExactlyElementsOf(range(1, 9));
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void everyAppendCompletesInVersionOrder(Durability durability) {
        Store s = open(StoreOptions.builder().durability(durability).build());
        List<Long> completed = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (long v = 1; v <= 300; v++) {
            long version = v;
            stages.add(s.append(new LogRecord(1, v, new byte[100])).thenRun(() -> completed.add(version)));
        }
        stages.forEach(StoreContract::join);
        assertThat(completed).containsExactlyElementsOf(range(1, 300));
        s.close();
        assertThat(open().load().lastVersion()).isEqualTo(300);
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void flushCompletesEveryWaitingAppend(Durability durability) {
        Store s = open(StoreOptions.builder().durability(durability).build());
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (long v = 1; v <= 50; v++) {
            stages.add(s.append(rec(1, v)));
        }
        s.flush();
        assertThat(stages).allMatch(CompletableFuture::isDone);
        assertThat(stages).noneMatch(CompletableFuture::isCompletedExceptionally);
    }

    @Test
    void noneAcknowledgesAtOnceAndKeepsEveryRecordAtClose() {
        Store s = open(StoreOptions.builder().durability(Durability.NONE).batchWindow(java.time.Duration.ofSeconds(1)).build());
        for (long v = 1; v <= 200; v++) {
            CompletableFuture<Void> f = s.append(rec(1, v));
            assertThat(f).as("NONE completes the stage of version %d before append returns", v).isCompletedWithValue(null);
        }
        s.close();
        assertThat(open().load().tail()).extracting(LogRecord::version).containsExactlyElementsOf(range(1, 200));
    }

    @Test
    void alwaysForcesWithoutWaitingForTheBatchWindow() {
        // a 1 s window that ALWAYS must not use: 5 awaited appends would take 4 s or more if it did
        Store s = open(StoreOptions.builder().durability(Durability.ALWAYS).batchWindow(java.time.Duration.ofSeconds(1)).build());
        long start = System.nanoTime();
        for (long v = 1; v <= 5; v++) {
            join(s.append(rec(1, v)));
        }
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofMillis(2500));
    }

    @Test
    void aClosedStoreRefusesWork() {
        Store s = open();
        join(s.append(rec(1, 1)));
        s.close();
        assertThatThrownBy(() -> s.append(rec(1, 2))).isInstanceOf(MemSyncException.class)
                .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_STOPPED);
        assertThatThrownBy(s::load).isInstanceOf(MemSyncException.class)
                .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_STOPPED);
    }

    @Test
    void describeNamesTheLocation() {
        assertThat(open().describe()).isNotBlank();
    }

    private static void assertRefused(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOf(MemSyncException.class).hasMessageContaining(message)
                .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_PROTOCOL);
    }

    protected static List<Long> range(long from, long to) {
        List<Long> l = new ArrayList<>();
        for (long v = from; v <= to; v++) {
            l.add(v);
        }
        return l;
    }
}
