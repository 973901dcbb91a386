package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compaction keeps {@code MIN_RETAINED} entries below the low-water mark only while they are small (issue 13). */
class LogRetentionTest {
    private static Entry set(long version, int chars) {
        return new Entry(1, version, "p", version, version, Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("op", "add").add("path", "/k" + version).add("value", "x".repeat(chars))).build(), null, null,
                List.of("k" + version), false);
    }

    @Test
    void largeEntriesBelowTheLowWaterMarkAreDroppedPastTheByteBudget() {
        ReplicatedLog log = new ReplicatedLog();
        log.resetTo(JsonValue.EMPTY_JSON_OBJECT);
        for (int v = 1; v <= 40; v++) {
            Entry e = set(v, 1_000_000);
            log.apply(e, log.after(e));
        }
        log.compact(30);
        // 16 MiB of the entries at or below 30 stay, the ten above the mark all stay
        assertThat(log.base()).isBetween(14L, 30L);
        assertThat(log.entriesAfter(log.base())).hasSize((int) (40 - log.base()));
        long kept = 0;
        for (Entry e : log.entriesAfter(log.base())) {
            kept += e.version() <= 30 ? 1 : 0;
        }
        assertThat(kept * 1_000_000L).isLessThanOrEqualTo(ReplicatedLog.MAX_RETAINED_BYTES);
        // small entries: MIN_RETAINED of them stay below the mark, as before
        ReplicatedLog small = new ReplicatedLog();
        small.resetTo(JsonValue.EMPTY_JSON_OBJECT);
        for (int v = 1; v <= 3000; v++) {
            Entry e = set(v, 10);
            small.apply(e, small.after(e));
        }
        small.compact(3000);
        assertThat(small.entriesAfter(small.base())).hasSize(ReplicatedLog.MIN_RETAINED);
    }
}
