package io.memsync.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.memsync.Precondition;
import io.memsync.Update;
import io.memsync.document.JsonText;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** Frames, entries and snapshots with awkward values, shared by the codec and chunking tests. */
final class FrameSamples {

    /** A string with everything that needs care: quotes, backslash, JSON Pointer escapes, control chars, non-BMP. */
    static final String AWKWARD = "k\"e\\y ~0 ~1 a/b.c \u0001\t\n é 漢字 \uD83D\uDE00";

    private FrameSamples() {
    }

    /**
     * Parses JSON text with the wire parser.
     *
     * @param text JSON text
     * @return the value
     */
    static JsonValue json(String text) {
        return JsonText.parse(text);
    }

    /**
     * Parses a JSON object with the wire parser.
     *
     * @param text JSON text
     * @return the object
     */
    static JsonObject object(String text) {
        return JsonText.parseObject(text);
    }

    /**
     * Parses a JSON array with the wire parser.
     *
     * @param text JSON text
     * @return the array
     */
    static JsonArray array(String text) {
        return (JsonArray) JsonText.parse(text);
    }

    /**
     * An accepted entry whose effect holds awkward keys and values.
     *
     * @return the entry
     */
    static Entry acceptedEntry() {
        JsonArray effect = array("[{\"op\":\"replace\",\"path\":\"/n\",\"value\":9223372036854775807},"
                + "{\"op\":\"add\",\"path\":\"/a~1b/~0t\",\"value\":null},"
                + "{\"op\":\"add\",\"path\":\"/big\",\"value\":123456789012345678901234567890},"
                + "{\"op\":\"add\",\"path\":\"/d\",\"value\":-1.5e-7},"
                + "{\"op\":\"add\",\"path\":\"/k\\\"ey\",\"value\":{\"\\u00e9\\\"\":[true,false,\"\",\"\\ud83d\\ude00\"]}}]");
        return new Entry(Long.MAX_VALUE, Long.MAX_VALUE - 1, AWKWARD, 7, 1_700_000_000_000_123L, effect, null, null,
                List.of("n", "a/b.~t", "k\"ey", ""), true);
    }

    /**
     * A rejection with a code and a message.
     *
     * @return the entry
     */
    static Entry rejectedEntry() {
        return new Entry(3, 42, "p", Long.MIN_VALUE, 0, null, "ERR_STALE_PATCH", "conflicts with \"a/b\" ~ at 41",
                List.of(), false);
    }

    /**
     * A rejection without a message, an empty peer id and zero everywhere.
     *
     * @return the entry
     */
    static Entry bareRejection() {
        return new Entry(0, 0, "", 0, -1, null, "ERR_READ_ONLY", null, List.of(), false);
    }

    /**
     * An accepted entry with an empty effect and no paths.
     *
     * @return the entry
     */
    static Entry emptyEffect() {
        return new Entry(1, 1, "peer", 1, 1, array("[]"), null, null, List.of(), false);
    }

    /**
     * Every sample entry.
     *
     * @return the entries
     */
    static List<Entry> entries() {
        return List.of(acceptedEntry(), rejectedEntry(), bareRejection(), emptyEffect());
    }

    /**
     * One update of each kind, with awkward keys and a null value.
     *
     * @return the updates
     */
    static List<Update> updates() {
        return List.of(
                Update.inc("n", 1).set(AWKWARD, null).push("list", "~/\""),
                Update.of(object("{\"$set\":{\"a.b\":9223372036854775807}}")),
                Update.jsonPatch(array("[{\"op\":\"add\",\"path\":\"/a~1b\",\"value\":\"" + "\\\"q\\\"" + "\"},"
                        + "{\"op\":\"remove\",\"path\":\"/~0\"}]")),
                Update.jsonPatch(array("[]")),
                Update.mergePatch(object("{\"gone\":null,\"k\\\"\":{\"x\":\"\\u6f22\"}}")));
    }

    /**
     * No precondition and one of each kind.
     *
     * @return the preconditions, {@code null} first
     */
    static List<Precondition> preconditions() {
        List<Precondition> out = new ArrayList<>();
        out.add(null);
        out.add(Precondition.version(0));
        out.add(Precondition.version(Long.MAX_VALUE));
        out.add(Precondition.matches(object("{\"state\":\"running\",\"n\":{\"$lt\":10},\"a/b~\":null}")));
        return out;
    }

    /**
     * A snapshot holding the sample entries, an awkward document and table.
     *
     * @return the snapshot
     */
    static Snapshot snapshot() {
        JsonObject doc = object("{\"foo\":1,\"\":\"\",\"k\\\"ey\":[null,true,{\"a/b\":\"~\"}],\"big\":1E+400,\"s\":\""
                + "\\ud83d\\ude00\"}");
        return new Snapshot(5, Long.MAX_VALUE - 1, doc, Map.of(AWKWARD, Long.MAX_VALUE, "", 0L, "p", -1L), 3, 2, entries());
    }

    /**
     * At least one frame of every type, most with edge values.
     *
     * @return the frames
     */
    static List<Frame> frames() {
        List<Frame> out = new ArrayList<>();
        out.add(new Frame.Hello(AWKWARD, Long.MAX_VALUE, Long.MIN_VALUE, true, Integer.MAX_VALUE, true, 4, 5, 0,
                List.of("getFoo", "", AWKWARD)));
        out.add(new Frame.Hello("", 0, 0, false, 1, false, 0, 0, Integer.MAX_VALUE, List.of()));
        long seq = 1;
        for (Update u : updates()) {
            for (Precondition pre : preconditions()) {
                out.add(new Frame.Patch(seq++, Long.MAX_VALUE - seq, Long.MIN_VALUE + seq, u, pre));
            }
        }
        out.add(new Frame.Ack(0));
        out.add(new Frame.Ack(Long.MAX_VALUE));
        out.add(new Frame.Ack(7, 0));
        out.add(new Frame.Ack(7, Integer.MAX_VALUE));
        out.add(new Frame.Bye());
        out.add(new Frame.Tail(entries()));
        out.add(new Frame.Tail(List.of()));
        out.add(new Frame.Ping(Long.MIN_VALUE));
        out.add(new Frame.Pong(Long.MAX_VALUE));
        out.add(new Frame.Event(AWKWARD, JsonValue.NULL, ""));
        out.add(new Frame.Event("", json("{\"k\\\"ey\":[1,2.5,\"~/\"]}"), AWKWARD));
        out.add(new Frame.Event("n", json("\"just a string \\\"\""), "p"));
        out.add(new Frame.Call(1, AWKWARD, array("[]")));
        out.add(new Frame.Call(-1, "m", array("[null,{\"a/b\":\"~0\"},123456789012345678901234567890]")));
        out.add(Frame.Result.success(1, JsonValue.NULL));
        out.add(Frame.Result.success(2, json("{\"k\\\"\":\"\\u00e9\"}")));
        out.add(Frame.Result.failure(3, "ERR_RPC_FAILED", AWKWARD));
        out.add(Frame.Result.failure(Long.MAX_VALUE, "", ""));
        out.add(new Frame.SnapChunk(0, 1, ""));
        out.add(new Frame.SnapChunk(2, 3, AWKWARD + "{\"lt\":"));
        out.add(new Frame.Part(0, 2, "{\"t\":\"e\",\"entries\":[" + AWKWARD));
        out.add(new Frame.ErrorReport("ERR_PROTOCOL", "'patch' before hello"));
        out.add(new Frame.ErrorReport("", ""));
        out.add(new Frame.Heartbeat(1, Long.MAX_VALUE, 0, List.of(AWKWARD, "")));
        out.add(new Frame.Heartbeat(0, 0, 0, List.of()));
        out.add(new Frame.Heartbeat(2, 9, 8, List.of("host", AWKWARD, "old"), List.of(0, Integer.MAX_VALUE, -1)));
        out.add(new Frame.Sync());
        out.add(new Frame.Welcome(9, entries(), List.of("host", AWKWARD)));
        out.add(new Frame.Welcome(0, List.of(), List.of()));
        out.add(new Frame.Welcome(9, entries(), List.of("host", AWKWARD), List.of(3, -1)));
        out.add(new Frame.Handover(Long.MAX_VALUE));
        out.add(new Frame.Entries(entries()));
        out.add(new Frame.Entries(List.of(acceptedEntry())));
        out.add(new Frame.Pull(true, Long.MAX_VALUE, Long.MIN_VALUE));
        out.add(new Frame.Pull(false, 0, 0));
        out.add(new Frame.Refuse("ERR_MAX_WRITERS", "writer cap 1 of '" + AWKWARD + "' reached (1 writers)"));
        return out;
    }
}
