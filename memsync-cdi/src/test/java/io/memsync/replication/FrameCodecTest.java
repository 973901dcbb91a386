package io.memsync.replication;

import static io.memsync.replication.FrameSamples.array;
import static io.memsync.replication.FrameSamples.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.memsync.Precondition;
import io.memsync.Update;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The wire form of every frame: round trips with edge values, exact text of the hot frames, and decoding errors. */
class FrameCodecTest {

    @Test
    void everyFrameTypeHasASample() {
        Set<Class<?>> records = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(Frame.class));
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (c.isRecord()) {
                records.add(c);
            } else {
                todo.addAll(List.of(c.getPermittedSubclasses()));
            }
        }
        assertThat(records).hasSize(20);
        assertThat(FrameSamples.frames()).extracting(Object::getClass).containsAll(records);
    }

    @Test
    void everySampleFrameDecodesToItselfAndReencodesToTheSameText() {
        for (Frame f : FrameSamples.frames()) {
            String text = FrameCodec.encode(f);
            Frame back = FrameCodec.decode(text);
            assertThat(back).as(text).isEqualTo(f);
            assertThat(FrameCodec.encode(back)).isEqualTo(text);
            assertThat(FrameCodec.typeName(back)).isEqualTo(object(text).getString("t"));
        }
    }

    @Test
    void framesGoOnlyInTheirDirection() {
        for (Frame f : FrameSamples.frames()) {
            String text = FrameCodec.encode(f);
            if (f instanceof Frame.ToHost) {
                assertThat(FrameCodec.decodeToHost(text)).isEqualTo(f);
            } else {
                assertThatThrownBy(() -> FrameCodec.decodeToHost(text)).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("only a host sends");
            }
            if (f instanceof Frame.ToClient) {
                assertThat(FrameCodec.decodeToClient(text)).isEqualTo(f);
            } else {
                assertThatThrownBy(() -> FrameCodec.decodeToClient(text)).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("only a client sends");
            }
        }
    }

    @Test
    void patchFrameIsCompactAndItsTextSurvivesARoundTrip() {
        Frame.Patch plain = new Frame.Patch(7, 41, 1_700_000_000_000_123L, Update.inc("n", 1), null);
        String text = FrameCodec.encode(plain);
        assertThat(text).isEqualTo("{\"t\":\"patch\",\"seq\":7,\"base\":41,\"hlc\":1700000000000123,\"u\":{\"$inc\":{\"n\":1}}}");
        assertThat(FrameCodec.encode(FrameCodec.decode(text))).isEqualTo(text);

        Frame.Patch full = new Frame.Patch(1, 0, 2, Update.jsonPatch(array("[{\"op\":\"remove\",\"path\":\"/a~1b\"}]")),
                Precondition.matches(object("{\"n\":{\"$lt\":10}}")));
        String fullText = FrameCodec.encode(full);
        assertThat(fullText).isEqualTo("{\"t\":\"patch\",\"seq\":1,\"base\":0,\"hlc\":2,\"kind\":\"JSON_PATCH\","
                + "\"u\":[{\"op\":\"remove\",\"path\":\"/a~1b\"}],\"pre\":{\"filter\":{\"n\":{\"$lt\":10}}}}");
        assertThat(FrameCodec.decode(fullText)).isEqualTo(full);
        assertThat(FrameCodec.encode(new Frame.Patch(1, 0, 2, Update.mergePatch(object("{\"a\":null}")),
                Precondition.version(3)))).endsWith(",\"kind\":\"MERGE_PATCH\",\"u\":{\"a\":null},\"pre\":{\"version\":3}}");
    }

    @Test
    void decodedPatchKeepsTheKindAndThePrecondition() {
        for (Frame f : FrameSamples.frames()) {
            if (f instanceof Frame.Patch p) {
                Frame.Patch back = (Frame.Patch) FrameCodec.decode(FrameCodec.encode(p));
                assertThat(back.update().kind()).isEqualTo(p.update().kind());
                assertThat(back.update().json()).isEqualTo(p.update().json());
                assertThat(back.precondition()).isEqualTo(p.precondition());
            }
        }
    }

    @Test
    void entriesFrameIsCompactAndItsTextSurvivesARoundTrip() {
        Entry accepted = new Entry(2, 10, "P", 3, 99, array("[{\"op\":\"add\",\"path\":\"/n\",\"value\":1}]"), null, null,
                List.of("n"), true);
        Entry rejected = new Entry(2, 11, "Q", 4, 100, null, "ERR_PRECONDITION", "precondition \"x\"", List.of(), false);
        String text = FrameCodec.encode(new Frame.Entries(List.of(accepted, rejected)));
        assertThat(text).isEqualTo("{\"t\":\"e\",\"entries\":["
                + "{\"t\":2,\"v\":10,\"p\":\"P\",\"s\":3,\"h\":99,\"e\":[{\"op\":\"add\",\"path\":\"/n\",\"value\":1}],"
                + "\"cm\":true,\"ps\":[\"n\"]},"
                + "{\"t\":2,\"v\":11,\"p\":\"Q\",\"s\":4,\"h\":100,\"c\":\"ERR_PRECONDITION\",\"m\":\"precondition \\\"x\\\"\"}]}");
        assertThat(FrameCodec.encode(FrameCodec.decode(text))).isEqualTo(text);
        assertThat(((Frame.Entries) FrameCodec.decode(text)).entries()).containsExactly(accepted, rejected);
    }

    @Test
    void entriesKeepEveryFieldIncludingAMissingMessage() {
        Frame.Entries back = (Frame.Entries) FrameCodec.decode(FrameCodec.encode(new Frame.Entries(FrameSamples.entries())));
        assertThat(back.entries()).containsExactlyElementsOf(FrameSamples.entries());
        assertThat(back.entries().get(2).message()).isNull();
        assertThat(back.entries().get(1).accepted()).isFalse();
    }

    @Test
    void entryTextWithEveryOptionalMemberSpelledOutStillDecodes() {
        // the long form an earlier writer used: "cm", "m" and an empty "ps" always present
        String text = "{\"t\":\"e\",\"entries\":[{\"t\":1,\"v\":5,\"p\":\"p\",\"s\":2,\"h\":9,\"cm\":false,"
                + "\"c\":\"ERR_STALE_PATCH\",\"m\":\"conflicts\",\"ps\":[]}]}";
        Frame.Entries back = (Frame.Entries) FrameCodec.decode(text);
        assertThat(back.entries()).containsExactly(
                new Entry(1, 5, "p", 2, 9, null, "ERR_STALE_PATCH", "conflicts", List.of(), false));
    }

    @Test
    void helloCarriesTheProtocolVersion() {
        String text = FrameCodec.encode(FrameSamples.frames().get(0));
        assertThat(object(text).getInt("pv")).isEqualTo(FrameCodec.PROTOCOL_VERSION);
    }

    @Test
    void helloOfAnotherProtocolVersionIsAVersionMismatch() {
        String text = FrameCodec.encode(FrameSamples.frames().get(0));
        String other = text.replace("\"pv\":" + FrameCodec.PROTOCOL_VERSION, "\"pv\":" + (FrameCodec.PROTOCOL_VERSION + 1));
        assertThatThrownBy(() -> FrameCodec.decode(other)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.versionMismatch()).isTrue();
            assertThat(e.frameType()).isEqualTo("hello");
            assertThat(e.field()).isEqualTo("pv");
            assertThat(e).hasMessageContaining("protocol version " + (FrameCodec.PROTOCOL_VERSION + 1));
        });
        String none = text.replace("\"pv\":" + FrameCodec.PROTOCOL_VERSION + ",", "");
        assertThatThrownBy(() -> FrameCodec.decode(none)).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.versionMismatch()).isTrue());
    }

    @Test
    void aDamagedFrameIsNotAVersionMismatch() {
        assertThatThrownBy(() -> FrameCodec.decode("{\"t\":\"ack\"}")).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.versionMismatch()).isFalse());
    }

    /** Each case: the frame text, then the expected frame type and field of the error. */
    private static final String[][] BAD = {
        {"not json", "?", ""},
        {"[1]", "?", ""},
        {"{}", "?", "t"},
        {"{\"t\":1}", "?", "t"},
        {"{\"t\":\"nope\"}", "nope", "t"},
        {"{\"t\":\"ack\"}", "ack", "v"},
        {"{\"t\":\"ack\",\"v\":\"1\"}", "ack", "v"},
        {"{\"t\":\"ack\",\"v\":1.5}", "ack", "v"},
        {"{\"t\":\"ack\",\"v\":92233720368547758070}", "ack", "v"},
        {"{\"t\":\"ack\",\"v\":null}", "ack", "v"},
        {"{\"t\":\"ping\"}", "ping", "id"},
        {"{\"t\":\"patch\",\"seq\":1,\"base\":0,\"hlc\":1}", "patch", "u"},
        {"{\"t\":\"patch\",\"seq\":1,\"base\":0,\"hlc\":1,\"u\":[]}", "patch", "u"},
        {"{\"t\":\"patch\",\"seq\":1,\"base\":0,\"hlc\":1,\"kind\":\"JSON_PATCH\",\"u\":{}}", "patch", "u"},
        {"{\"t\":\"patch\",\"seq\":1,\"base\":0,\"hlc\":1,\"kind\":\"MERGE_PATCH\",\"u\":[]}", "patch", "u"},
        {"{\"t\":\"patch\",\"seq\":1,\"base\":0,\"hlc\":1,\"kind\":\"XML\",\"u\":{}}", "patch", "kind"},
        {"{\"t\":\"patch\",\"seq\":1,\"base\":0,\"hlc\":1,\"u\":{},\"pre\":{}}", "patch", "pre"},
        {"{\"t\":\"patch\",\"seq\":1,\"base\":0,\"hlc\":1,\"u\":{},\"pre\":{\"version\":-1}}", "patch", "pre.version"},
        {"{\"t\":\"patch\",\"seq\":1,\"base\":0,\"hlc\":1,\"u\":{},\"pre\":{\"filter\":1}}", "patch", "pre.filter"},
        {"{\"t\":\"patch\",\"seq\":1,\"base\":0,\"hlc\":1,\"u\":{},\"pre\":7}", "patch", "pre"},
        {"{\"t\":\"e\"}", "e", "entries"},
        {"{\"t\":\"e\",\"entries\":[1]}", "e", "entries[0]"},
        {"{\"t\":\"e\",\"entries\":[{\"t\":1,\"v\":2,\"p\":\"p\",\"s\":1,\"h\":1}]}", "e", "entries[0]"},
        {"{\"t\":\"e\",\"entries\":[{\"t\":1,\"v\":2,\"p\":\"p\",\"s\":1,\"h\":1,\"e\":[]},{\"t\":1,\"v\":\"3\"}]}", "e",
            "entries[1].v"},
        {"{\"t\":\"e\",\"entries\":[{\"t\":1,\"v\":2,\"p\":\"p\",\"s\":1,\"h\":1,\"e\":{}}]}", "e", "entries[0].e"},
        {"{\"t\":\"e\",\"entries\":[{\"t\":1,\"v\":2,\"p\":\"p\",\"s\":1,\"h\":1,\"e\":[],\"ps\":[1]}]}", "e",
            "entries[0].ps[0]"},
        {"{\"t\":\"e\",\"entries\":[{\"t\":1,\"v\":2,\"p\":\"p\",\"s\":1,\"h\":1,\"e\":[],\"cm\":1}]}", "e", "entries[0].cm"},
        {"{\"t\":\"e\",\"entries\":[{\"t\":1,\"v\":2,\"p\":null,\"s\":1,\"h\":1,\"c\":\"X\"}]}", "e", "entries[0].p"},
        {"{\"t\":\"hb\",\"term\":1,\"v\":1,\"lw\":1,\"peers\":[null]}", "hb", "peers[0]"},
        {"{\"t\":\"ack\",\"v\":1,\"pending\":-1}", "ack", "pending"},
        {"{\"t\":\"ack\",\"v\":1,\"pending\":\"2\"}", "ack", "pending"},
        {"{\"t\":\"hb\",\"term\":1,\"v\":1,\"lw\":1,\"peers\":[\"a\",\"b\"],\"pp\":[1]}", "hb", "pp"},
        {"{\"t\":\"hb\",\"term\":1,\"v\":1,\"lw\":1,\"peers\":[\"a\"],\"pp\":[-2]}", "hb", "pp[0]"},
        {"{\"t\":\"hb\",\"term\":1,\"v\":1,\"lw\":1,\"peers\":[\"a\"],\"pp\":[1.5]}", "hb", "pp[0]"},
        {"{\"t\":\"welcome\",\"term\":1,\"entries\":[],\"peers\":[\"a\"],\"pp\":{}}", "welcome", "pp"},
        {"{\"t\":\"hello\",\"pv\":2,\"peer\":\"p\",\"pid\":1,\"start\":1,\"writer\":true,\"maxWriters\":4294967296,"
            + "\"have\":true,\"lt\":1,\"lv\":1,\"pending\":0,\"rpc\":[]}", "hello", "maxWriters"},
        {"{\"t\":\"hello\",\"pv\":\"1\"}", "hello", "pv"},
        {"{\"t\":\"snap\",\"i\":1,\"n\":1,\"d\":\"\"}", "snap", "i"},
        {"{\"t\":\"snap\",\"i\":0,\"n\":0,\"d\":\"\"}", "snap", "n"},
        {"{\"t\":\"snap\",\"i\":0,\"n\":1,\"d\":1}", "snap", "d"},
        {"{\"t\":\"res\",\"id\":1}", "res", "r"},
        {"{\"t\":\"res\",\"id\":1,\"code\":\"E\"}", "res", "m"},
        {"{\"t\":\"ev\",\"n\":\"x\",\"from\":\"p\"}", "ev", "p"},
        {"{\"t\":\"call\",\"id\":1,\"n\":\"x\",\"a\":{}}", "call", "a"},
        {"{\"t\":\"pull\",\"have\":\"yes\",\"lt\":1,\"lv\":1}", "pull", "have"},
        {"{\"t\":\"welcome\",\"term\":1,\"entries\":[],\"peers\":{}}", "welcome", "peers"},
    };

    @Test
    void aBadFrameFailsWithAProtocolExceptionNamingTheTypeAndTheField() {
        for (String[] bad : BAD) {
            assertThatThrownBy(() -> FrameCodec.decode(bad[0])).as(bad[0]).isInstanceOfSatisfying(ProtocolException.class, e -> {
                assertThat(e.frameType()).as(bad[0]).isEqualTo(bad[1]);
                assertThat(e.field()).as(bad[0]).isEqualTo(bad[2]);
                assertThat(e.getMessage()).as(bad[0]).startsWith("frame '" + bad[1] + "'")
                        .contains(bad[2].isEmpty() ? "" : "field '" + bad[2] + "'");
            });
        }
    }

    @Test
    void pendingCountsAreOptionalSoFramesWithoutThemStillDecode() {
        // the forms of protocol version 2 before the pending counts: "not reported"
        assertThat(FrameCodec.decode("{\"t\":\"ack\",\"v\":3}")).isEqualTo(new Frame.Ack(3, -1));
        Frame.Heartbeat hb = (Frame.Heartbeat) FrameCodec.decode("{\"t\":\"hb\",\"term\":1,\"v\":2,\"lw\":2,\"peers\":[\"h\",\"c\"]}");
        assertThat(hb.pending()).isEmpty();
        Frame.Welcome w = (Frame.Welcome) FrameCodec.decode("{\"t\":\"welcome\",\"term\":1,\"entries\":[],\"peers\":[\"h\"]}");
        assertThat(w.pending()).isEmpty();
        // and the new forms, exactly
        assertThat(FrameCodec.encode(new Frame.Ack(3, 2))).isEqualTo("{\"t\":\"ack\",\"v\":3,\"pending\":2}");
        assertThat(FrameCodec.encode(new Frame.Ack(3))).isEqualTo("{\"t\":\"ack\",\"v\":3}");
        assertThat(FrameCodec.encode(new Frame.Heartbeat(1, 2, 2, List.of("h", "c"), List.of(0, 5))))
                .isEqualTo("{\"t\":\"hb\",\"term\":1,\"v\":2,\"lw\":2,\"peers\":[\"h\",\"c\"],\"pp\":[0,5]}");
        assertThatThrownBy(() -> new Frame.Heartbeat(1, 2, 2, List.of("h"), List.of(0, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 pending counts for 1 members");
    }

    @Test
    void unknownMembersAreIgnored() {
        assertThat(FrameCodec.decode("{\"x\":[1],\"t\":\"ack\",\"v\":3,\"future\":{}}")).isEqualTo(new Frame.Ack(3));
    }

    @Test
    void snapshotRoundTripKeepsEveryField() {
        Snapshot s = FrameSamples.snapshot();
        String text = FrameCodec.encodeSnapshot(s);
        Snapshot back = FrameCodec.decodeSnapshot(text);
        assertThat(back).isEqualTo(s);
        assertThat(FrameCodec.encodeSnapshot(back)).isEqualTo(text);
        assertThat(back.table()).containsEntry(FrameSamples.AWKWARD, Long.MAX_VALUE);
        assertThat(back.document().get("big").toString()).isEqualTo("1E+400");
    }

    @Test
    void snapshotTableIsWrittenInPeerOrderSoTheTextIsDeterministic() {
        Snapshot s = new Snapshot(1, 2, JsonObject.EMPTY_JSON_OBJECT, java.util.Map.of("b", 2L, "a", 1L, "c", 3L), 0, 0, List.of());
        assertThat(FrameCodec.encodeSnapshot(s))
                .isEqualTo("{\"lt\":1,\"v\":2,\"doc\":{},\"table\":{\"a\":1,\"b\":2,\"c\":3},\"lb\":0,\"lbt\":0,\"log\":[]}");
    }

    @Test
    void aBadSnapshotFailsWithAProtocolException() {
        String[][] bad = {
            {"", ""},
            {"{\"lt\":1,\"v\":2,\"doc\":[],\"table\":{},\"lb\":0,\"lbt\":0,\"log\":[]}", "doc"},
            {"{\"lt\":1,\"v\":2,\"doc\":{},\"table\":{\"p\":\"1\"},\"lb\":0,\"lbt\":0,\"log\":[]}", "table"},
            {"{\"lt\":1,\"v\":2,\"doc\":{},\"table\":{},\"lb\":0,\"log\":[]}", "lbt"},
            {"{\"lt\":1,\"v\":2,\"doc\":{},\"table\":{},\"lb\":0,\"lbt\":0,\"log\":[{}]}", "log[0].t"},
        };
        for (String[] b : bad) {
            assertThatThrownBy(() -> FrameCodec.decodeSnapshot(b[0])).as(b[0]).isInstanceOfSatisfying(ProtocolException.class,
                    e -> {
                        assertThat(e.frameType()).isEqualTo("snap");
                        assertThat(e.field()).isEqualTo(b[1]);
                    });
        }
    }

    @Test
    void anEntryWithNeitherEffectNorCodeCannotBeEncoded() {
        Entry broken = new Entry(1, 1, "p", 1, 1, null, null, null, List.of(), false);
        assertThatThrownBy(() -> FrameCodec.encode(new Frame.Entries(List.of(broken))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
