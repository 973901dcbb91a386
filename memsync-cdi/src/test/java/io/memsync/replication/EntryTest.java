package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

class EntryTest {

    private static JsonArray array(String json) {
        return Json.createReader(new StringReader(json)).readArray();
    }

    private static String written(Entry e) {
        StringBuilder sb = new StringBuilder();
        e.writeJson(sb);
        return sb.toString();
    }

    @Test
    void writtenTextOfAnAcceptedEntryIsItsJsonAndReadsBack() {
        JsonArray effect = array("[{\"op\":\"replace\",\"path\":\"/n\",\"value\":2147483648},"
                + "{\"op\":\"add\",\"path\":\"/big\",\"value\":123456789012345678901234567890},"
                + "{\"op\":\"add\",\"path\":\"/d\",\"value\":1.50},{\"op\":\"add\",\"path\":\"/e\",\"value\":1E+3},"
                + "{\"op\":\"add\",\"path\":\"/s\",\"value\":\"quote \\\" backslash \\\\ tab \\t \\u0001 é\"},"
                + "{\"op\":\"add\",\"path\":\"/i\",\"value\":-7}]");
        Entry e = new Entry(3, 42, "peer \"A\"", 7, 1_700_000_000_000_123L, effect, null, null, List.of("n", "big"), true);

        String text = written(e);

        assertThat(text).isEqualTo(e.toJson().toString());
        JsonObject back = Json.createReader(new StringReader(text)).readObject();
        assertThat(Entry.fromJson(back)).isEqualTo(e);
    }

    @Test
    void writtenTextOfARejectionIsItsJson() {
        Entry e = new Entry(1, 5, "p", 2, 9, null, "ERR_STALE_PATCH", "conflicts with \"a\"", List.of(), false);

        assertThat(written(e)).isEqualTo(e.toJson().toString());
        assertThat(Entry.fromJson(Json.createReader(new StringReader(written(e))).readObject())).isEqualTo(e);
    }
}
