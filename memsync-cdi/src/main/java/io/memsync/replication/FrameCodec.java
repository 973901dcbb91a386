package io.memsync.replication;

import java.util.List;
import java.util.Map;

import io.memsync.Precondition;
import io.memsync.Update;
import io.memsync.document.JsonText;
import io.memsync.document.JsonWriting;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

/**
 * The only place where frames become text and text becomes frames: compact JSON objects whose member {@code t} names
 * the type. Encoding writes straight into one {@link StringBuilder} (no intermediate JSON objects); decoding parses
 * with {@link JsonText} and checks every member, throwing only {@link ProtocolException}. Members a decoder does not
 * know are ignored; members marked optional below are left out when they hold their default.
 *
 * <p>Wire forms ({@code E} is an entry, see {@link #writeEntry}):
 * <pre>
 * hello    {"t":"hello","pv":1,"peer":s,"pid":n,"start":n,"writer":b,"maxWriters":n,"have":b,"lt":n,"lv":n,"pending":n,"rpc":[s…]}
 * patch    {"t":"patch","seq":n,"base":n,"hlc":n[,"kind":"JSON_PATCH"|"MERGE_PATCH"],"u":update[,"pre":{"version":n}|{"filter":{…}}]}
 * ack      {"t":"ack","v":n[,"pending":n]}
 * bye      {"t":"bye"}
 * tail     {"t":"tail","entries":[E…]}
 * ping     {"t":"ping","id":n}                 pong {"t":"pong","id":n}
 * ev       {"t":"ev","n":s,"p":value,"from":s}
 * call     {"t":"call","id":n,"n":s,"a":[…]}
 * res      {"t":"res","id":n,"r":value}  or  {"t":"res","id":n,"code":s,"m":s}
 * snap     {"t":"snap","i":n,"n":n,"d":s}
 * part     {"t":"part","i":n,"n":n,"d":s}      (a piece of the text of a frame larger than the frame limit)
 * err      {"t":"err","code":s,"m":s}
 * hb       {"t":"hb","term":n,"v":n,"lw":n,"peers":[s…][,"pp":[n…]]}
 * sync     {"t":"sync"}
 * welcome  {"t":"welcome","term":n,"entries":[E…],"peers":[s…][,"pp":[n…]]}
 * handover {"t":"handover","v":n}
 * e        {"t":"e","entries":[E…]}
 * pull     {"t":"pull","have":b,"lt":n,"lv":n}
 * refuse   {"t":"refuse","code":s,"m":s}
 * </pre>
 * {@code pending} is the sender's count of its own pending updates ({@link Frame.Ack}); {@code pp} holds the pending
 * count each member last reported, parallel to {@code peers} ({@code -1} where unknown). Both were added within
 * protocol version 2: a decoder without them ignores them, and without them a frame decodes as "not reported".
 *
 * <p>A snapshot (the text {@link SnapshotChunks} cuts into {@code snap} frames) is
 * {@code {"lt":n,"v":n,"doc":{…},"table":{peer:seq,…},"lb":n,"lbt":n,"log":[E…]}}.
 */
final class FrameCodec {

    /**
     * The protocol version this build speaks, sent in every hello as {@code pv}. Every process of a network runs the
     * same memsync, so a hello of another version (or without one: a memsync from before versioning) does not decode:
     * it fails with a {@link ProtocolException} whose {@link ProtocolException#versionMismatch()} is set, and the host
     * refuses that process. Raise it with any change of the wire form that a decoder of the previous version would misread
     * or refuse; an added optional member that such a decoder ignores, and whose absence keeps the earlier meaning,
     * keeps the version (so peers with and without it still talk). {@link #checkProtocolVersion} is the one place to
     * accept older versions if that is ever wanted.
     */
    static final int PROTOCOL_VERSION = 2;

    /** Static methods only. */
    private FrameCodec() {
    }

    // =====================================================================================================
    // encoding
    // =====================================================================================================

    /**
     * Encodes a frame.
     *
     * @param frame the frame
     * @return its compact JSON text
     */
    static String encode(Frame frame) {
        return switch (frame) {
            case Frame.Patch p -> patch(p);
            case Frame.Entries e -> entries("e", e.entries());
            case Frame.Ack a -> "{\"t\":\"ack\",\"v\":" + a.version()
                    + (a.pending() >= 0 ? ",\"pending\":" + a.pending() : "") + "}";
            case Frame.Heartbeat h -> {
                StringBuilder sb = head("hb", 64).append(",\"term\":").append(h.term()).append(",\"v\":").append(h.version())
                        .append(",\"lw\":").append(h.lowWater()).append(",\"peers\":");
                strings(h.peers(), sb);
                yield pendingCounts(h.pending(), sb).append('}').toString();
            }
            case Frame.Ping p -> "{\"t\":\"ping\",\"id\":" + p.id() + "}";
            case Frame.Pong p -> "{\"t\":\"pong\",\"id\":" + p.id() + "}";
            case Frame.Hello h -> hello(h);
            case Frame.Bye b -> "{\"t\":\"bye\"}";
            case Frame.Sync s -> "{\"t\":\"sync\"}";
            case Frame.Tail t -> entries("tail", t.entries());
            case Frame.Event e -> {
                StringBuilder sb = head("ev", 64).append(",\"n\":");
                JsonWriting.quote(e.name(), sb);
                sb.append(",\"p\":");
                JsonWriting.write(e.payload(), sb);
                sb.append(",\"from\":");
                JsonWriting.quote(e.from(), sb);
                yield sb.append('}').toString();
            }
            case Frame.Call c -> {
                StringBuilder sb = head("call", 64).append(",\"id\":").append(c.id()).append(",\"n\":");
                JsonWriting.quote(c.method(), sb);
                sb.append(",\"a\":");
                JsonWriting.write(c.args(), sb);
                yield sb.append('}').toString();
            }
            case Frame.Result r -> {
                StringBuilder sb = head("res", 64).append(",\"id\":").append(r.id());
                if (r.failed()) {
                    codeAndMessage(r.code(), r.message(), sb);
                } else {
                    sb.append(",\"r\":");
                    JsonWriting.write(r.value(), sb);
                }
                yield sb.append('}').toString();
            }
            case Frame.SnapChunk c -> {
                StringBuilder sb = head("snap", c.data().length() + c.data().length() / 8 + 40).append(",\"i\":")
                        .append(c.index()).append(",\"n\":").append(c.count()).append(",\"d\":");
                JsonWriting.quote(c.data(), sb);
                yield sb.append('}').toString();
            }
            case Frame.Part c -> {
                StringBuilder sb = head("part", c.data().length() + c.data().length() / 8 + 40).append(",\"i\":")
                        .append(c.index()).append(",\"n\":").append(c.count()).append(",\"d\":");
                JsonWriting.quote(c.data(), sb);
                yield sb.append('}').toString();
            }
            case Frame.ErrorReport e -> codeAndMessage(e.code(), e.message(), head("err", 64)).append('}').toString();
            case Frame.Refuse r -> codeAndMessage(r.code(), r.message(), head("refuse", 64)).append('}').toString();
            case Frame.Welcome w -> {
                StringBuilder sb = head("welcome", 64 + 160 * w.entries().size()).append(",\"term\":").append(w.term())
                        .append(",\"entries\":");
                writeEntries(w.entries(), sb);
                sb.append(",\"peers\":");
                strings(w.peers(), sb);
                yield pendingCounts(w.pending(), sb).append('}').toString();
            }
            case Frame.Handover h -> "{\"t\":\"handover\",\"v\":" + h.version() + "}";
            case Frame.Pull p -> "{\"t\":\"pull\",\"have\":" + p.hasDocument() + ",\"lt\":" + p.lastTerm() + ",\"lv\":"
                    + p.lastVersion() + "}";
        };
    }

    /** A buffer holding the start of a frame of the given type: {@code {"t":"type"}}, without the closing brace. */
    private static StringBuilder head(String type, int capacity) {
        return new StringBuilder(capacity).append("{\"t\":\"").append(type).append('"');
    }

    /** The hello, with this build's {@link #PROTOCOL_VERSION}. */
    private static String hello(Frame.Hello h) {
        StringBuilder sb = head("hello", 160).append(",\"pv\":").append(PROTOCOL_VERSION).append(",\"peer\":");
        JsonWriting.quote(h.peerId(), sb);
        sb.append(",\"pid\":").append(h.pid()).append(",\"start\":").append(h.processStartTime()).append(",\"writer\":")
                .append(h.writer()).append(",\"maxWriters\":").append(h.maxWriters()).append(",\"have\":")
                .append(h.hasDocument()).append(",\"lt\":").append(h.lastTerm()).append(",\"lv\":").append(h.lastVersion())
                .append(",\"pending\":").append(h.pendingCount()).append(",\"rpc\":");
        return strings(h.rpcMethods(), sb).append('}').toString();
    }

    /** The hottest frame a client sends: written straight into one buffer. */
    private static String patch(Frame.Patch p) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("{\"t\":\"patch\",\"seq\":").append(p.seq()).append(",\"base\":").append(p.baseVersion())
                .append(",\"hlc\":").append(p.hlc());
        Update.Kind kind = p.update().kind();
        if (kind != Update.Kind.OPERATORS) {
            sb.append(",\"kind\":\"").append(kind.name()).append('"');
        }
        sb.append(",\"u\":");
        JsonWriting.write(p.update().json(), sb);
        Precondition pre = p.precondition();
        if (pre != null) {
            if (pre.filter() == null) {
                sb.append(",\"pre\":{\"version\":").append(pre.expectedVersion()).append('}');
            } else {
                sb.append(",\"pre\":{\"filter\":");
                JsonWriting.write(pre.filter(), sb);
                sb.append('}');
            }
        }
        return sb.append('}').toString();
    }

    /** The hottest frame the host sends (and the log tail a client sends): written straight into one buffer. */
    private static String entries(String type, List<Entry> entries) {
        StringBuilder sb = head(type, 32 + 160 * entries.size()).append(",\"entries\":");
        writeEntries(entries, sb);
        return sb.append('}').toString();
    }

    /** Appends the {@code "code"} and {@code "m"} members of a failure, refusal or error report. */
    private static StringBuilder codeAndMessage(String code, String message, StringBuilder sb) {
        sb.append(",\"code\":");
        JsonWriting.quote(code, sb);
        sb.append(",\"m\":");
        JsonWriting.quote(message, sb);
        return sb;
    }

    /** Appends a JSON array of strings. */
    private static StringBuilder strings(List<String> strings, StringBuilder sb) {
        sb.append('[');
        for (int i = 0; i < strings.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            JsonWriting.quote(strings.get(i), sb);
        }
        return sb.append(']');
    }

    /** Appends the optional {@code "pp"} member: the members' pending counts, when there are any. */
    private static StringBuilder pendingCounts(List<Integer> pending, StringBuilder sb) {
        if (!pending.isEmpty()) {
            sb.append(",\"pp\":[");
            for (int i = 0; i < pending.size(); i++) {
                sb.append(i > 0 ? "," : "").append(pending.get(i).intValue());
            }
            sb.append(']');
        }
        return sb;
    }

    /** Appends a JSON array of entries (see {@link #writeEntry}). */
    private static void writeEntries(List<Entry> entries, StringBuilder sb) {
        sb.append('[');
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            writeEntry(entries.get(i), sb);
        }
        sb.append(']');
    }

    /**
     * Appends one log entry:
     * {@code {"t":term,"v":version,"p":peer,"s":seq,"h":hlc,"e":[effect…]}} for an accepted update, or
     * {@code {"t":term,"v":version,"p":peer,"s":seq,"h":hlc,"c":code[,"m":message]}} for a rejection; then
     * {@code "cm":true} when commutative and {@code "ps":[path…]} when it has paths (both left out otherwise).
     *
     * @param e  the entry
     * @param sb where to append
     * @throws IllegalArgumentException when the entry has neither an effect nor a rejection code
     */
    static void writeEntry(Entry e, StringBuilder sb) {
        sb.append("{\"t\":").append(e.term()).append(",\"v\":").append(e.version()).append(",\"p\":");
        JsonWriting.quote(e.peer(), sb);
        sb.append(",\"s\":").append(e.seq()).append(",\"h\":").append(e.hlc());
        if (e.effect() != null) {
            sb.append(",\"e\":");
            JsonWriting.write(e.effect(), sb);
        } else if (e.code() != null) {
            sb.append(",\"c\":");
            JsonWriting.quote(e.code(), sb);
            if (e.message() != null) {
                sb.append(",\"m\":");
                JsonWriting.quote(e.message(), sb);
            }
        } else {
            throw new IllegalArgumentException("entry " + e.version() + " has neither an effect nor a rejection code");
        }
        if (e.commutative()) {
            sb.append(",\"cm\":true");
        }
        if (!e.paths().isEmpty()) {
            sb.append(",\"ps\":");
            strings(e.paths(), sb);
        }
        sb.append('}');
    }

    /**
     * Encodes a snapshot (the text that travels in {@code snap} frames; see {@link SnapshotChunks}).
     *
     * @param s the snapshot
     * @return its compact JSON text
     */
    static String encodeSnapshot(Snapshot s) {
        StringBuilder sb = new StringBuilder(256 + 160 * s.log().size());
        sb.append("{\"lt\":").append(s.lastTerm()).append(",\"v\":").append(s.version()).append(",\"doc\":");
        JsonWriting.write(s.document(), sb);
        sb.append(",\"table\":{");
        boolean first = true;
        for (Map.Entry<String, Long> e : s.table().entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            JsonWriting.quote(e.getKey(), sb);
            sb.append(':').append(e.getValue().longValue());
        }
        sb.append("},\"lb\":").append(s.logBase()).append(",\"lbt\":").append(s.logBaseTerm()).append(",\"log\":");
        writeEntries(s.log(), sb);
        if (!s.grants().isEmpty()) {
            sb.append(",\"grants\":[");
            for (int i = 0; i < s.grants().size(); i++) {
                WriterGrants.Grant g = s.grants().get(i);
                sb.append(i == 0 ? "{\"p\":" : ",{\"p\":");
                JsonWriting.quote(g.peerId(), sb);
                sb.append(",\"pid\":").append(g.pid()).append(",\"st\":").append(g.startTime()).append(",\"f\":")
                        .append(g.fence()).append('}');
            }
            sb.append("],\"cap\":").append(s.writerCap());
        }
        return sb.append('}').toString();
    }

    // =====================================================================================================
    // decoding
    // =====================================================================================================

    /**
     * Decodes a frame.
     *
     * @param text the frame's text
     * @return the frame
     * @throws ProtocolException when the text is not a frame of this protocol version (never another exception)
     */
    static Frame decode(String text) {
        // each fast path checks its own frame's head, and gives up at once on any other frame
        Frame fast = fastPatch(text);
        if (fast == null) {
            fast = fastEntries(text);
        }
        return fast != null ? fast : decodeParsed(text);
    }

    /**
     * Decodes a frame by parsing it into a JSON value first: every frame {@link #decode} does not read on its fast
     * path, and the reference that path is tested against.
     *
     * @param text the frame's text
     * @return the frame
     * @throws ProtocolException when the text is not a frame of this protocol version
     */
    static Frame decodeParsed(String text) {
        JsonObject o = parse(text, "?");
        JsonValue t = o.get("t");
        if (!(t instanceof jakarta.json.JsonString ts)) {
            throw new ProtocolException("?", "t", t == null ? "missing frame type" : "expected a string, got " + t.getValueType());
        }
        String type = ts.getString();
        FrameFields f = new FrameFields(type, o);
        try {
            return switch (type) {
                case "patch" -> decodePatch(f);
                case "e" -> new Frame.Entries(f.objects("entries", FrameCodec::readEntry));
                case "ack" -> new Frame.Ack(f.longValue("v"), f.has("pending") ? f.count("pending") : -1);
                case "hb" -> new Frame.Heartbeat(f.longValue("term"), f.longValue("v"), f.longValue("lw"), f.strings("peers"),
                        f.pendingCounts("pp", "peers"));
                case "ping" -> new Frame.Ping(f.longValue("id"));
                case "pong" -> new Frame.Pong(f.longValue("id"));
                case "hello" -> decodeHello(f);
                case "bye" -> new Frame.Bye();
                case "sync" -> new Frame.Sync();
                case "tail" -> new Frame.Tail(f.objects("entries", FrameCodec::readEntry));
                case "ev" -> new Frame.Event(f.string("n"), f.value("p"), f.string("from"));
                case "call" -> new Frame.Call(f.longValue("id"), f.string("n"), f.array("a"));
                case "res" -> f.has("code") ? Frame.Result.failure(f.longValue("id"), f.string("code"), f.string("m"))
                        : Frame.Result.success(f.longValue("id"), f.value("r"));
                case "snap" -> decodeChunk(f);
                case "part" -> {
                    Frame.SnapChunk c = decodeChunk(f);
                    yield new Frame.Part(c.index(), c.count(), c.data());
                }
                case "err" -> new Frame.ErrorReport(f.string("code"), f.string("m"));
                case "refuse" -> new Frame.Refuse(f.string("code"), f.string("m"));
                case "welcome" -> new Frame.Welcome(f.longValue("term"), f.objects("entries", FrameCodec::readEntry),
                        f.strings("peers"), f.pendingCounts("pp", "peers"));
                case "handover" -> new Frame.Handover(f.longValue("v"));
                case "pull" -> new Frame.Pull(f.booleanValue("have"), f.longValue("lt"), f.longValue("lv"));
                default -> throw new ProtocolException(type, "t", "unknown frame type");
            };
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            // a record's own check, or anything unforeseen: still a protocol error, never another exception
            throw new ProtocolException(type, "", "cannot decode: " + e, false, e);
        }
    }

    /**
     * Decodes a frame a host receives: like {@link #decode} but refuses frames only a host sends.
     *
     * @param text the frame's text
     * @return the frame
     * @throws ProtocolException when the text is not such a frame
     */
    static Frame.ToHost decodeToHost(String text) {
        Frame f = decode(text);
        if (f instanceof Frame.ToHost h) {
            return h;
        }
        throw new ProtocolException(typeName(f), "t", "a frame only a host sends");
    }

    /**
     * Decodes a frame a client receives: like {@link #decode} but refuses frames only a client sends.
     *
     * @param text the frame's text
     * @return the frame
     * @throws ProtocolException when the text is not such a frame
     */
    static Frame.ToClient decodeToClient(String text) {
        Frame f = decode(text);
        if (f instanceof Frame.ToClient c) {
            return c;
        }
        throw new ProtocolException(typeName(f), "t", "a frame only a client sends");
    }

    /**
     * The wire type of a frame (its {@code t}), e.g. for logs.
     *
     * @param frame the frame
     * @return the type, e.g. {@code "patch"}
     */
    static String typeName(Frame frame) {
        return switch (frame) {
            case Frame.Hello h -> "hello";
            case Frame.Patch p -> "patch";
            case Frame.Ack a -> "ack";
            case Frame.Bye b -> "bye";
            case Frame.Tail t -> "tail";
            case Frame.Ping p -> "ping";
            case Frame.Pong p -> "pong";
            case Frame.Event e -> "ev";
            case Frame.Call c -> "call";
            case Frame.Result r -> "res";
            case Frame.SnapChunk c -> "snap";
            case Frame.Part c -> "part";
            case Frame.ErrorReport e -> "err";
            case Frame.Heartbeat h -> "hb";
            case Frame.Sync s -> "sync";
            case Frame.Welcome w -> "welcome";
            case Frame.Handover h -> "handover";
            case Frame.Entries e -> "e";
            case Frame.Pull p -> "pull";
            case Frame.Refuse r -> "refuse";
        };
    }

    /**
     * Decodes a snapshot from its reassembled text.
     *
     * @param text the text {@link #encodeSnapshot} produced
     * @return the snapshot
     * @throws ProtocolException (frame type {@code snap}) when the text is not a snapshot
     */
    static Snapshot decodeSnapshot(String text) {
        JsonObject o = parse(text, "snap");
        FrameFields f = new FrameFields("snap", o);
        try {
            long lastTerm = f.longValue("lt");
            long version = f.longValue("v");
            JsonObject doc = f.object("doc");
            java.util.TreeMap<String, Long> table = new java.util.TreeMap<>();
            for (Map.Entry<String, JsonValue> e : f.object("table").entrySet()) {
                if (!(e.getValue() instanceof JsonNumber n) || !n.isIntegral()) {
                    throw f.problem("table", "sequence of peer '" + e.getKey() + "' is not an integer");
                }
                try {
                    table.put(e.getKey(), n.longValueExact());
                } catch (ArithmeticException x) {
                    throw f.problem("table", "sequence of peer '" + e.getKey() + "' does not fit a long");
                }
            }
            List<WriterGrants.Grant> grants = f.has("grants") ? f.objects("grants", g -> new WriterGrants.Grant(
                    g.string("p"), g.longValue("pid"), g.longValue("st"), g.longValue("f"))) : List.of();
            return new Snapshot(lastTerm, version, doc, table, f.longValue("lb"), f.longValue("lbt"),
                    f.objects("log", FrameCodec::readEntry), grants,
                    f.has("cap") ? (int) f.longValue("cap") : Integer.MAX_VALUE);
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProtocolException("snap", "", "cannot decode the snapshot: " + e, false, e);
        }
    }

    /** Parses a frame or snapshot with the wire parser; anything but a JSON object fails as a frame of {@code type}. */
    private static JsonObject parse(String text, String type) {
        try {
            return JsonText.parseObject(text);
        } catch (JsonParsingException e) {
            throw new ProtocolException(type, "", "not a JSON object: " + e.getMessage(), false, e);
        } catch (RuntimeException e) {
            throw new ProtocolException(type, "", "cannot parse: " + e, false, e);
        }
    }

    /**
     * Checks the protocol version of a hello: the one hook for accepting other versions.
     *
     * @param f the hello's fields
     */
    private static void checkProtocolVersion(FrameFields f) {
        if (!f.has("pv")) {
            throw new ProtocolException("hello", "pv", "no protocol version: the peer runs a memsync older than this one"
                    + " (protocol " + PROTOCOL_VERSION + ")", true, null);
        }
        long pv = f.longValue("pv");
        if (pv != PROTOCOL_VERSION) {
            throw new ProtocolException("hello", "pv", "protocol version " + pv + " is not this process's ("
                    + PROTOCOL_VERSION + "): every process of a network must run the same memsync", true, null);
        }
    }

    /** Reads a hello, after checking its protocol version. */
    private static Frame.Hello decodeHello(FrameFields f) {
        checkProtocolVersion(f);
        return new Frame.Hello(f.string("peer"), f.longValue("pid"), f.longValue("start"), f.booleanValue("writer"),
                f.intValue("maxWriters"), f.booleanValue("have"), f.longValue("lt"), f.longValue("lv"), f.intValue("pending"),
                f.strings("rpc"));
    }

    /** Reads a patch: the update as its kind says (operators when absent) and the optional precondition. */
    private static Frame.Patch decodePatch(FrameFields f) {
        long seq = f.longValue("seq");
        long base = f.longValue("base");
        long hlc = f.longValue("hlc");
        String kind = f.optionalString("kind");
        JsonValue u = f.value("u");
        Update update;
        if (kind == null || kind.equals("OPERATORS")) {
            update = Update.of(asObject(f, "u", u));
        } else if (kind.equals("JSON_PATCH")) {
            if (!(u instanceof JsonArray a)) {
                throw f.problem("u", "expected an array (JSON Patch), got " + u.getValueType());
            }
            update = Update.jsonPatch(a);
        } else if (kind.equals("MERGE_PATCH")) {
            update = Update.mergePatch(asObject(f, "u", u));
        } else {
            throw f.problem("kind", "unknown update kind '" + kind + "'");
        }
        Precondition pre = f.has("pre") ? precondition(f.member("pre")) : null;
        return new Frame.Patch(seq, base, hlc, update, pre);
    }

    /** Reads a precondition: {@code {"filter":{…}}} or {@code {"version":n}} with {@code n >= 0}. */
    private static Precondition precondition(FrameFields pre) {
        if (pre.has("filter")) {
            return Precondition.matches(pre.object("filter"));
        }
        if (pre.has("version")) {
            long v = pre.longValue("version");
            if (v < 0) {
                throw pre.problem("version", "negative version " + v);
            }
            return Precondition.version(v);
        }
        throw pre.problem("", "neither 'version' nor 'filter'");
    }

    /** The value as an object, or a protocol error naming the member. */
    private static JsonObject asObject(FrameFields f, String name, JsonValue v) {
        if (v instanceof JsonObject o) {
            return o;
        }
        throw f.problem(name, "expected an object, got " + v.getValueType());
    }

    /** Reads a snapshot chunk, checking {@code 0 <= i < n}. */
    private static Frame.SnapChunk decodeChunk(FrameFields f) {
        int i = f.intValue("i");
        int n = f.intValue("n");
        if (n < 1) {
            throw f.problem("n", "chunk count " + n + " is not positive");
        }
        if (i < 0 || i >= n) {
            throw f.problem("i", "chunk index " + i + " outside 0.." + (n - 1));
        }
        return new Frame.SnapChunk(i, n, f.string("d"));
    }

    /** How a patch frame starts, as {@link #encode} writes it. */
    private static final String PATCH_HEAD = "{\"t\":\"patch\",\"seq\":";

    /**
     * Reads a patch frame of update operators without a precondition, written exactly as {@link #encode} writes it:
     * the frame the host receives most. Like {@link #fastEntries}, it gives up ({@code null}) on anything else.
     *
     * @param text the frame's text
     * @return the frame, or {@code null}
     */
    static Frame.Patch fastPatch(String text) {
        if (!text.startsWith(PATCH_HEAD)) {
            return null;
        }
        // the update is read inside the frame's object
        JsonText.Cursor c = JsonText.cursor(text, PATCH_HEAD.length(), 1);
        long seq = c.integer();
        if (seq == Long.MIN_VALUE || !c.consume(",\"base\":")) {
            return null;
        }
        long base = c.integer();
        if (base == Long.MIN_VALUE || !c.consume(",\"hlc\":")) {
            return null;
        }
        long hlc = c.integer();
        if (hlc == Long.MIN_VALUE || !c.consume(",\"u\":")) {
            return null;
        }
        if (!(c.value() instanceof JsonObject u) || !c.consume("}") || !c.atEnd()) {
            return null;
        }
        try {
            return new Frame.Patch(seq, base, hlc, Update.of(u), null);
        } catch (RuntimeException e) {
            return null; // the parsing decoder reports it
        }
    }

    /** How an entries frame starts, as {@link #encode} writes it. */
    private static final String ENTRIES_HEAD = "{\"t\":\"e\",\"entries\":[";

    /**
     * Reads an entries frame written exactly as {@link #encode} writes it (members in its order, nothing else)
     * straight into entries, without a JSON value per entry or per number: the frame the client receives most.
     *
     * @param text the frame's text
     * @return the frame, or {@code null} when the text is written any other way (then {@link #decode} parses it with
     *         the full rules, which accept or refuse it: this never accepts what they refuse)
     */
    static Frame.Entries fastEntries(String text) {
        if (!text.startsWith(ENTRIES_HEAD)) {
            return null;
        }
        // values are read only inside an entry: the frame's object, its array and the entry's object are open
        JsonText.Cursor c = JsonText.cursor(text, ENTRIES_HEAD.length(), 3);
        java.util.ArrayList<Entry> entries = new java.util.ArrayList<>();
        String peer = null;
        if (!c.consume("]")) {
            while (true) {
                Entry e = fastEntry(c, peer);
                if (e == null) {
                    return null;
                }
                peer = e.peer();
                entries.add(e);
                if (c.consume(",")) {
                    continue;
                }
                if (c.consume("]")) {
                    break;
                }
                return null;
            }
        }
        if (!c.consume("}") || !c.atEnd()) {
            return null;
        }
        return new Frame.Entries(java.util.Collections.unmodifiableList(entries));
    }

    /** One entry as {@link #writeEntry} writes it, or {@code null} (see {@link #fastEntries}). */
    private static Entry fastEntry(JsonText.Cursor c, String previousPeer) {
        if (!c.consume("{\"t\":")) {
            return null;
        }
        long term = c.integer();
        if (term == Long.MIN_VALUE || !c.consume(",\"v\":")) {
            return null;
        }
        long version = c.integer();
        if (version == Long.MIN_VALUE || !c.consume(",\"p\":")) {
            return null;
        }
        String peer = c.plainString(previousPeer);
        if (peer == null || !c.consume(",\"s\":")) {
            return null;
        }
        long seq = c.integer();
        if (seq == Long.MIN_VALUE || !c.consume(",\"h\":")) {
            return null;
        }
        long hlc = c.integer();
        if (hlc == Long.MIN_VALUE) {
            return null;
        }
        JsonArray effect = null;
        String code = null;
        String message = null;
        if (c.consume(",\"e\":")) {
            if (!(c.value() instanceof JsonArray a)) {
                return null;
            }
            effect = a;
        } else if (c.consume(",\"c\":")) {
            code = c.plainString(null);
            if (code == null) {
                return null;
            }
            if (c.consume(",\"m\":")) {
                message = c.plainString(null);
                if (message == null) {
                    return null;
                }
            }
        } else {
            return null;
        }
        boolean commutative = c.consume(",\"cm\":true");
        List<String> paths = List.of();
        if (c.consume(",\"ps\":[")) {
            java.util.ArrayList<String> ps = new java.util.ArrayList<>(2);
            if (!c.consume("]")) {
                while (true) {
                    String path = c.plainString(null);
                    if (path == null) {
                        return null;
                    }
                    ps.add(path);
                    if (c.consume(",")) {
                        continue;
                    }
                    if (c.consume("]")) {
                        break;
                    }
                    return null;
                }
            }
            paths = List.copyOf(ps);
        }
        if (!c.consume("}")) {
            return null;
        }
        return new Entry(term, version, peer, seq, hlc, effect, code, message, paths, commutative);
    }

    /**
     * Reads one log entry (the form {@link #writeEntry} writes).
     *
     * @param f the entry object's fields
     * @return the entry
     */
    static Entry readEntry(FrameFields f) {
        long term = f.longValue("t");
        long version = f.longValue("v");
        String peer = f.string("p");
        long seq = f.longValue("s");
        long hlc = f.longValue("h");
        JsonArray effect = null;
        String code = null;
        String message = null;
        if (f.has("e")) {
            effect = f.array("e");
        } else if (f.has("c")) {
            code = f.string("c");
            message = f.optionalString("m");
        } else {
            throw f.problem("", "neither an effect 'e' nor a rejection code 'c'");
        }
        List<String> paths = f.has("ps") ? f.strings("ps") : List.of();
        return new Entry(term, version, peer, seq, hlc, effect, code, message, paths, f.booleanValue("cm", false));
    }
}
