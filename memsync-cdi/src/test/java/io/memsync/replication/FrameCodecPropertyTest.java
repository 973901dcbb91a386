package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.memsync.Precondition;
import io.memsync.Update;
import io.memsync.document.JsonProviders;
import io.memsync.document.JsonWriting;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random frames survive the codec, and random damage to encoded frames and snapshots yields a valid frame or a
 * {@link ProtocolException}, never another exception.
 */
class FrameCodecPropertyTest {

    // ---------------------------------------------------------------------------------------------------------
    // generators
    // ---------------------------------------------------------------------------------------------------------

    /** Strings heavy in characters that need escaping or mean something in JSON Pointer and dotted paths. */
    private static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("\"\\/~01a.é漢 \t\n\u0000\u001f\u2028").ofMaxLength(8),
                Arbitraries.strings().all().ofMaxLength(5),
                Arbitraries.of("", FrameSamples.AWKWARD, "\uD83D\uDE00"));
    }

    /** Scalars: null, booleans, strings, longs, integers beyond a long, decimals. */
    private static Arbitrary<JsonValue> leaf() {
        return Arbitraries.oneOf(
                Arbitraries.of(JsonValue.NULL, JsonValue.TRUE, JsonValue.FALSE),
                text().map(s -> JsonProviders.JSON.createValue(s)),
                Arbitraries.longs().map(l -> JsonProviders.JSON.createValue(l)),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(70).negate(), BigInteger.TWO.pow(70))
                        .map(b -> JsonProviders.JSON.createValue(b)),
                Arbitraries.bigDecimals().between(new BigDecimal("-1e6"), new BigDecimal("1e6")).ofScale(3)
                        .map(d -> JsonProviders.JSON.createValue(d)));
    }

    /** Any JSON value nested at most {@code depth} levels. */
    private static Arbitrary<JsonValue> value(int depth) {
        if (depth == 0) {
            return leaf();
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, leaf()),
                net.jqwik.api.Tuple.of(1, object(depth - 1).map(o -> (JsonValue) o)),
                net.jqwik.api.Tuple.of(1, array(depth - 1).map(a -> (JsonValue) a)));
    }

    /** JSON objects of up to three members nested at most {@code depth} levels. */
    private static Arbitrary<JsonObject> object(int depth) {
        return Arbitraries.maps(text(), value(depth)).ofMaxSize(3).map(m -> {
            JsonObjectBuilder b = JsonProviders.JSON.createObjectBuilder();
            m.forEach(b::add);
            return b.build();
        });
    }

    /** JSON arrays of up to three elements nested at most {@code depth} levels. */
    private static Arbitrary<JsonArray> array(int depth) {
        return value(depth).list().ofMaxSize(3).map(l -> {
            JsonArrayBuilder b = JsonProviders.JSON.createArrayBuilder();
            l.forEach(b::add);
            return b.build();
        });
    }

    /**
     * Effect, or code and message, of an entry.
     *
     * @param effect  the effect of an accepted entry, else {@code null}
     * @param code    the code of a rejection, else {@code null}
     * @param message the message of a rejection, maybe {@code null}
     */
    private record EntryOutcome(JsonArray effect, String code, String message) {
    }

    /** Accepted entries and rejections (with and without a message), any numbers, awkward strings. */
    private static Arbitrary<Entry> entry() {
        Arbitrary<EntryOutcome> outcome = Arbitraries.oneOf(
                array(2).map(e -> new EntryOutcome(e, null, null)),
                Combinators.combine(text(), text().injectNull(0.3)).as((c, m) -> new EntryOutcome(null, c, m)));
        Arbitrary<long[]> numbers = Arbitraries.longs().array(long[].class).ofSize(5);
        return Combinators.combine(numbers, text(), outcome, text().list().ofMaxSize(3), Arbitraries.of(true, false))
                .as((n, peer, o, paths, cm) -> new Entry(n[0], n[1], peer, n[2], n[3], o.effect(), o.code(), o.message(),
                        paths, cm));
    }

    /** Up to four entries. */
    private static Arbitrary<List<Entry>> entries() {
        return entry().list().ofMaxSize(4);
    }

    /** Updates of every kind (the codec does not judge their content). */
    private static Arbitrary<Update> update() {
        return Arbitraries.oneOf(
                object(2).map(Update::of),
                array(2).map(Update::jsonPatch),
                object(2).map(Update::mergePatch));
    }

    /** No precondition, a version one or a filter one. */
    private static Arbitrary<Precondition> precondition() {
        return Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.longs().greaterOrEqual(0).map(Precondition::version),
                object(2).map(Precondition::matches));
    }

    /** Pending counts for {@code size} members: each {@code -1} (unknown) or a count. */
    private static Arbitrary<List<Integer>> pendingCounts(int size) {
        return Arbitraries.integers().between(-1, Integer.MAX_VALUE).list().ofSize(size);
    }

    /** Hellos with any numbers and flags. */
    private static Arbitrary<Frame> hello() {
        Arbitrary<long[]> n = Arbitraries.longs().array(long[].class).ofSize(4);
        Arbitrary<int[]> i = Arbitraries.integers().array(int[].class).ofSize(2);
        Arbitrary<boolean[]> b = Arbitraries.of(true, false).list().ofSize(2).map(l -> new boolean[] {l.get(0), l.get(1)});
        return Combinators.combine(text(), n, i, b, text().list().ofMaxSize(3))
                .as((peer, l, k, flags, rpc) -> new Frame.Hello(peer, l[0], l[1], flags[0], k[0], flags[1], l[2], l[3], k[1], rpc));
    }

    /**
     * Frames of every type.
     *
     * @return the arbitrary
     */
    @Provide
    Arbitrary<Frame> frames() {
        Arbitrary<Long> n = Arbitraries.longs();
        Arbitrary<List<String>> names = text().list().ofMaxSize(3);
        Arbitrary<Frame.SnapChunk> chunk = Arbitraries.integers().between(1, Integer.MAX_VALUE).flatMap(count ->
                Combinators.combine(Arbitraries.integers().between(0, count - 1), text())
                        .as((i, d) -> new Frame.SnapChunk(i, count, d)));
        List<Arbitrary<? extends Frame>> all = List.of(
                hello(),
                Combinators.combine(n, n, n, update(), precondition()).as(Frame.Patch::new),
                n.map(Frame.Ack::new),
                Combinators.combine(n, Arbitraries.integers().greaterOrEqual(0)).as(Frame.Ack::new),
                Arbitraries.just(new Frame.Bye()),
                entries().map(Frame.Tail::new),
                n.map(Frame.Ping::new),
                n.map(Frame.Pong::new),
                Combinators.combine(text(), value(2), text()).as(Frame.Event::new),
                Combinators.combine(n, text(), array(2)).as(Frame.Call::new),
                Combinators.combine(n, value(2)).as(Frame.Result::success),
                Combinators.combine(n, text(), text()).as(Frame.Result::failure),
                chunk,
                chunk.map(c -> new Frame.Part(c.index(), c.count(), c.data())),
                Combinators.combine(text(), text()).as(Frame.ErrorReport::new),
                Combinators.combine(n, n, n, names).as(Frame.Heartbeat::new),
                Combinators.combine(n, n, n, names).flatAs((term, v, lw, ps) -> pendingCounts(ps.size())
                        .map(pp -> new Frame.Heartbeat(term, v, lw, ps, pp))),
                Arbitraries.just(new Frame.Sync()),
                Combinators.combine(n, entries(), names).as(Frame.Welcome::new),
                Combinators.combine(n, entries(), names).flatAs((term, es, ps) -> pendingCounts(ps.size())
                        .map(pp -> new Frame.Welcome(term, es, ps, pp))),
                n.map(Frame.Handover::new),
                entries().map(Frame.Entries::new),
                Combinators.combine(Arbitraries.of(true, false), n, n).as(Frame.Pull::new),
                Combinators.combine(text(), text()).as(Frame.Refuse::new));
        return Arbitraries.oneOf(all);
    }

    /**
     * Snapshots with random documents, tables and logs.
     *
     * @return the arbitrary
     */
    @Provide
    Arbitrary<Snapshot> snapshots() {
        Arbitrary<long[]> n = Arbitraries.longs().array(long[].class).ofSize(4);
        Arbitrary<Map<String, Long>> table = Arbitraries.maps(text(), Arbitraries.longs()).ofMaxSize(3);
        return Combinators.combine(n, object(3), table, entries())
                .as((l, doc, t, log) -> new Snapshot(l[0], l[1], doc, t, l[2], l[3], log));
    }

    // ---------------------------------------------------------------------------------------------------------
    // damage
    // ---------------------------------------------------------------------------------------------------------

    private static final String NOISE = "{}[]\":,\\ -+.0123456789eEtrufalsn\u0000é\uD83D";

    /**
     * Deletes, inserts, replaces, duplicates or truncates characters, one to four times.
     *
     * @param text the text to damage
     * @param r    where the damage falls
     * @return the damaged text
     */
    static String damageText(String text, Random r) {
        StringBuilder sb = new StringBuilder(text);
        for (int edits = 1 + r.nextInt(4); edits > 0; edits--) {
            int at = r.nextInt(sb.length() + 1);
            int len = Math.min(sb.length() - at, 1 + r.nextInt(4));
            switch (r.nextInt(5)) {
                case 0 -> sb.delete(at, at + len);
                case 1 -> sb.insert(at, NOISE.charAt(r.nextInt(NOISE.length())));
                case 2 -> {
                    if (at < sb.length()) {
                        sb.setCharAt(at, NOISE.charAt(r.nextInt(NOISE.length())));
                    }
                }
                case 3 -> sb.insert(at, sb.substring(at, at + len));
                default -> sb.setLength(at);
            }
        }
        return sb.toString();
    }

    private static final List<JsonValue> ODD = List.of(JsonValue.NULL, JsonValue.TRUE, JsonValue.FALSE,
            JsonProviders.JSON.createValue(""), JsonProviders.JSON.createValue("OPERATORS"), JsonProviders.JSON.createValue(0),
            JsonProviders.JSON.createValue(-1), JsonProviders.JSON.createValue(Long.MAX_VALUE),
            JsonProviders.JSON.createValue(new BigInteger("9223372036854775808")), JsonProviders.JSON.createValue(new BigDecimal("1.5")),
            JsonProviders.JSON.createValue(Integer.MAX_VALUE + 1L), JsonValue.EMPTY_JSON_OBJECT, JsonValue.EMPTY_JSON_ARRAY,
            FrameSamples.json("[\"a\",1]"), FrameSamples.json("{\"t\":1,\"version\":-1,\"filter\":[]}"));

    /**
     * Removes, replaces, adds or damages one member or element, somewhere in the tree: valid JSON, wrong frame.
     *
     * @param v the value to damage
     * @param r where the damage falls
     * @return the damaged value
     */
    static JsonValue damageValue(JsonValue v, Random r) {
        if (v instanceof JsonObject o && !o.isEmpty() && r.nextInt(4) != 0) {
            List<String> keys = new ArrayList<>(o.keySet());
            String k = keys.get(r.nextInt(keys.size()));
            JsonObjectBuilder b = JsonProviders.JSON.createObjectBuilder(o);
            switch (r.nextInt(4)) {
                case 0 -> b.remove(k);
                case 1 -> b.add(k, ODD.get(r.nextInt(ODD.size())));
                case 2 -> b.add(k, damageValue(o.get(k), r));
                default -> b.add(keys.get(r.nextInt(keys.size())) + "x", ODD.get(r.nextInt(ODD.size())));
            }
            return b.build();
        }
        if (v instanceof JsonArray a && !a.isEmpty() && r.nextInt(4) != 0) {
            int i = r.nextInt(a.size());
            List<JsonValue> l = new ArrayList<>(a);
            switch (r.nextInt(3)) {
                case 0 -> l.remove(i);
                case 1 -> l.set(i, ODD.get(r.nextInt(ODD.size())));
                default -> l.set(i, damageValue(a.get(i), r));
            }
            JsonArrayBuilder b = JsonProviders.JSON.createArrayBuilder();
            l.forEach(b::add);
            return b.build();
        }
        return ODD.get(r.nextInt(ODD.size()));
    }

    /** Damages the members of a JSON object's text one or two times (see {@link #damageValue}). */
    private static String damageStructure(String text, Random r) {
        JsonValue v = FrameSamples.object(text);
        for (int edits = 1 + r.nextInt(2); edits > 0; edits--) {
            v = damageValue(v, r);
        }
        StringBuilder sb = new StringBuilder();
        JsonWriting.write(v, sb);
        return sb.toString();
    }

    /** Decodes damaged text: a valid frame (which then encodes stably) or a protocol exception, nothing else. */
    private static void decodesOrRefuses(String damaged) {
        Frame f;
        try {
            f = FrameCodec.decode(damaged);
        } catch (ProtocolException e) {
            assertThat(e.getMessage()).startsWith("frame '");
            return;
        }
        String again = FrameCodec.encode(f);
        assertThat(FrameCodec.encode(FrameCodec.decode(again))).isEqualTo(again);
    }

    // ---------------------------------------------------------------------------------------------------------
    // properties
    // ---------------------------------------------------------------------------------------------------------

    @Property
    void everyFrameDecodesToItselfAndItsTextIsStable(@ForAll("frames") Frame frame) {
        String text = FrameCodec.encode(frame);
        Frame back = FrameCodec.decode(text);
        assertThat(back).isEqualTo(frame);
        assertThat(FrameCodec.encode(back)).isEqualTo(text);
    }

    /**
     * The entries frame's fast decoder (straight into entries) agrees with the parsing decoder on every frame the
     * codec writes, and on damaged text: the same frame or, from both, a {@link ProtocolException}. So the fast path
     * never accepts what the full rules refuse, nor reads anything differently.
     */
    @Property
    void entriesFramesDecodeAlikeOnTheFastPathAndByParsing(@ForAll("entryLists") List<Entry> entries,
                                                           @ForAll Random random) {
        String text = FrameCodec.encode(new Frame.Entries(entries));
        Frame.Entries direct = FrameCodec.fastEntries(text); // null where it gives up (escaped strings)
        if (direct != null) {
            assertThat(direct).isEqualTo(FrameCodec.decodeParsed(text));
        }
        assertThat(FrameCodec.decode(text)).isEqualTo(new Frame.Entries(entries));
        decodersAgreeOnDamagedCopies(text, random);
    }

    /** Like {@link #entriesFramesDecodeAlikeOnTheFastPathAndByParsing}, for every frame (patch frames included). */
    @Property
    void everyFrameDecodesAlikeOnTheFastPathAndByParsing(@ForAll("frames") Frame frame, @ForAll Random random) {
        String text = FrameCodec.encode(frame);
        assertThat(FrameCodec.decode(text)).isEqualTo(FrameCodec.decodeParsed(text));
        decodersAgreeOnDamagedCopies(text, random);
    }

    /** A patch of operators without a precondition, as every writer sends them, takes the host's fast path. */
    @Property
    void operatorPatchesTakeTheFastPath(@ForAll long seq, @ForAll long base, @ForAll long hlc) {
        Frame.Patch p = new Frame.Patch(seq % 1_000_000_000_000L, base % 1_000_000_000_000L, hlc % 1_000_000_000_000L,
                Update.of(JsonProviders.JSON.createObjectBuilder().add("$inc", JsonProviders.JSON.createObjectBuilder()
                        .add("n", 1)).build()), null);
        assertThat(FrameCodec.fastPatch(FrameCodec.encode(p))).isNotNull().isEqualTo(p);
    }

    /**
     * Damages {@code text} four times (characters, then members, alternately): {@link FrameCodec#decode} (fast path
     * first) and {@link FrameCodec#decodeParsed} give the same frame or both a {@link ProtocolException}.
     */
    private static void decodersAgreeOnDamagedCopies(String text, Random random) {
        for (int i = 0; i < 4; i++) {
            String damaged = i % 2 == 0 ? damageText(text, random) : damageStructure(text, random);
            Frame fast;
            try {
                fast = FrameCodec.decode(damaged);
            } catch (ProtocolException e) {
                assertThatThrownBy(() -> FrameCodec.decodeParsed(damaged)).isInstanceOf(ProtocolException.class);
                continue;
            }
            assertThat(fast).as(damaged).isEqualTo(FrameCodec.decodeParsed(damaged));
        }
    }

    /** Entries the way a host writes them most: plain peer ids and paths, so the fast decoder takes them all. */
    @Property
    void plainEntriesFramesTakeTheFastPath(@ForAll("plainEntryLists") List<Entry> entries) {
        String text = FrameCodec.encode(new Frame.Entries(entries));
        assertThat(FrameCodec.fastEntries(text)).as(text).isNotNull().isEqualTo(new Frame.Entries(entries));
    }

    @Provide
    Arbitrary<List<Entry>> entryLists() {
        return entries();
    }

    @Provide
    Arbitrary<List<Entry>> plainEntryLists() {
        Arbitrary<String> plain = Arbitraries.strings().withChars("abcXYZ09-_.é漢").ofMaxLength(22);
        Arbitrary<long[]> numbers = Arbitraries.longs().between(-999_999_999_999_999_999L, 999_999_999_999_999_999L)
                .array(long[].class).ofSize(4);
        Arbitrary<EntryOutcome> outcome = Arbitraries.oneOf(
                array(2).map(e -> new EntryOutcome(e, null, null)),
                Combinators.combine(plain, plain.injectNull(0.3)).as((c, m) -> new EntryOutcome(null, c, m)));
        return Combinators.combine(numbers, plain, outcome, plain.list().ofMaxSize(3), Arbitraries.of(true, false))
                .as((n, peer, o, paths, cm) -> new Entry(n[0], n[1], peer, n[2], n[3], o.effect(), o.code(), o.message(),
                        paths, cm))
                .list().ofMaxSize(5);
    }

    @Property
    void everySnapshotSurvivesChunkingAtAnySize(@ForAll("snapshots") Snapshot snapshot, @ForAll Random random) {
        int max = 2 + random.nextInt(200);
        SnapshotChunks.Assembler a = new SnapshotChunks.Assembler(Long.MAX_VALUE);
        Snapshot back = null;
        for (Frame.SnapChunk c : SnapshotChunks.split(snapshot, max)) {
            assertThat(back).isNull();
            back = a.accept((Frame.SnapChunk) FrameCodec.decode(FrameCodec.encode(c))).orElse(null);
        }
        assertThat(back).isEqualTo(snapshot);
    }

    @Property
    void damagedFrameTextDecodesOrFailsWithAProtocolException(@ForAll("frames") Frame frame, @ForAll Random random) {
        decodesOrRefuses(damageText(FrameCodec.encode(frame), random));
    }

    @Property
    void wrongMembersInAFrameDecodeOrFailWithAProtocolException(@ForAll("frames") Frame frame, @ForAll Random random) {
        decodesOrRefuses(damageStructure(FrameCodec.encode(frame), random));
    }

    @Property
    void damagedSnapshotTextDecodesOrFailsWithAProtocolException(@ForAll("snapshots") Snapshot snapshot,
                                                                 @ForAll Random random) {
        String text = FrameCodec.encodeSnapshot(snapshot);
        String damaged = random.nextBoolean() ? damageText(text, random) : damageStructure(text, random);
        Snapshot back;
        try {
            back = FrameCodec.decodeSnapshot(damaged);
        } catch (ProtocolException e) {
            assertThat(e.frameType()).isEqualTo("snap");
            return;
        }
        String again = FrameCodec.encodeSnapshot(back);
        assertThat(FrameCodec.encodeSnapshot(FrameCodec.decodeSnapshot(again))).isEqualTo(again);
    }
}
