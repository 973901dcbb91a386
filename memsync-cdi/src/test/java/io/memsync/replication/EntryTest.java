package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import org.junit.jupiter.api.Test;

/** An entry survives its wire form (written and read only by {@link FrameCodec}) with every number and string exact. */
class EntryTest {

    private static JsonArray array(String json) {
        return Json.createReader(new StringReader(json)).readArray();
    }

    private static Entry roundTrip(Entry e) {
        String text = FrameCodec.encode(new Frame.Entries(List.of(e)));
        return ((Frame.Entries) FrameCodec.decode(text)).entries().get(0);
    }

    @Test
    void anAcceptedEntryReadsBackExactly() {
        JsonArray effect = array("[{\"op\":\"replace\",\"path\":\"/n\",\"value\":2147483648},"
                + "{\"op\":\"add\",\"path\":\"/big\",\"value\":123456789012345678901234567890},"
                + "{\"op\":\"add\",\"path\":\"/d\",\"value\":1.50},{\"op\":\"add\",\"path\":\"/e\",\"value\":1E+3},"
                + "{\"op\":\"add\",\"path\":\"/s\",\"value\":\"quote \\\" backslash \\\\ tab \\t \\u0001 é\"},"
                + "{\"op\":\"add\",\"path\":\"/i\",\"value\":-7}]");
        Entry e = new Entry(3, 42, "peer \"A\"", 7, 1_700_000_000_000_123L, effect, null, null, List.of("n", "big"), true);

        assertThat(roundTrip(e)).isEqualTo(e);
    }

    @Test
    void aRejectionReadsBackExactly() {
        Entry e = new Entry(1, 5, "p", 2, 9, null, "ERR_STALE_PATCH", "conflicts with \"a\"", List.of(), false);

        assertThat(roundTrip(e)).isEqualTo(e);
    }
}
