package io.memsync.document;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParsingException;

import org.pcollections.OrderedPMap;

/**
 * A strict RFC 8259 JSON parser that builds memsync's persistent values ({@link PJsonObject},
 * {@link PJsonArray}) straight from text.
 *
 * <p>It reads the wire frames, so it is written for them: one pass over the string, no intermediate
 * builders, no char-buffer copies, well-known member names shared rather than copied. The values equal
 * what any JSON-P reader returns for the same text (a differential test holds it to Parsson): integers
 * that fit are {@code int} or {@code long} numbers, others are {@link BigDecimal}s; for a repeated member
 * name the last value wins at the first position. Anything that is not JSON (a raw control character
 * inside a string included) and nesting deeper than {@value #MAX_DEPTH} fail with a
 * {@link JsonParsingException} giving the offset.
 */
public final class JsonText {

    /**
     * Deepest nesting accepted, so hostile input cannot overflow the stack: a document's deepest
     * ({@link Limits#MAX_DEPTH}, as updates are held to) plus the levels of the frame around it.
     */
    public static final int MAX_DEPTH = Limits.MAX_DEPTH + Limits.FRAME_NESTING;

    /** Longest number accepted (as Parsson): BigDecimal parsing grows faster than linearly with the length. */
    public static final int MAX_NUMBER_CHARS = 1100;

    /** Member names of memsync's frames and JSON Patch operations, shared instead of copied. */
    private static final String[] NAMES = {"t", "v", "p", "s", "h", "cm", "e", "c", "m", "ps", "op", "path", "value",
        "from", "peer", "seq", "base", "hlc", "kind", "u", "pre", "entries", "term", "id", "lw", "peers"};

    /** Shared (immutable) numbers for the small integers that frames are full of: flags, terms, counters. */
    private static final int SMALL_NEGATIVE = 128;
    private static final JsonNumber[] SMALL = new JsonNumber[SMALL_NEGATIVE + 1024];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = JsonValues.JSON.createValue(i - SMALL_NEGATIVE);
        }
    }

    private final String text;
    private int pos;
    private int depth;

    private JsonText(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON value; only whitespace may surround it.
     *
     * @param text JSON text
     * @return the value (objects and arrays in persistent form)
     * @throws JsonParsingException when the text is not exactly one JSON value
     */
    public static JsonValue parse(String text) {
        JsonText p = new JsonText(text);
        p.skipSpace();
        JsonValue v = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.fail("unexpected text after the value");
        }
        return v;
    }

    /**
     * Parses a JSON object; only whitespace may surround it.
     *
     * @param text JSON text
     * @return the object in persistent form
     * @throws JsonParsingException when the text is not exactly one JSON object
     */
    public static JsonObject parseObject(String text) {
        JsonValue v = parse(text);
        if (v instanceof JsonObject o) {
            return o;
        }
        throw new JsonParsingException("expected a JSON object, found " + v.getValueType(), new Location(0));
    }

    /**
     * A cursor over compact JSON text, for decoders that know the exact shape of what they read (memsync's own
     * frames, as its writer writes them) and want its fields without building a value per object. Every method
     * either consumes what it was asked for and returns it, or returns a "not here" answer ({@code false},
     * {@code null}, {@link Long#MIN_VALUE}) without promising where the cursor is: a decoder that gets one gives up
     * and parses the text with {@link #parse} instead, which accepts or refuses it with the full rules. So a
     * cursor never accepts anything {@link #parse} would refuse; no whitespace is skipped.
     *
     * @param text   the text
     * @param offset where to start
     * @param depth  how deeply nested that place is in the text (objects and arrays open around it), so values read
     *               there are held to {@link #MAX_DEPTH} as {@link #parse} would hold them
     * @return the cursor
     */
    public static Cursor cursor(String text, int offset, int depth) {
        JsonText p = new JsonText(text);
        p.pos = offset;
        p.depth = depth;
        return new Cursor(p);
    }

    /** See {@link #cursor}. */
    public static final class Cursor {
        private final JsonText p;

        private Cursor(JsonText p) {
            this.p = p;
        }

        /**
         * Consumes {@code literal} if the text continues with it.
         *
         * @param literal the expected text
         * @return whether it was there (and consumed)
         */
        public boolean consume(String literal) {
            if (p.text.startsWith(literal, p.pos)) {
                p.pos += literal.length();
                return true;
            }
            return false;
        }

        /**
         * Consumes an integer of at most 18 digits (no fraction, no exponent, no leading zero).
         *
         * @return its value, or {@link Long#MIN_VALUE} when the text does not continue with one
         */
        public long integer() {
            String t = p.text;
            int len = t.length();
            int i = p.pos;
            boolean negative = i < len && t.charAt(i) == '-';
            if (negative) {
                i++;
            }
            int start = i;
            long v = 0;
            while (i < len) {
                char c = t.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                v = v * 10 + (c - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 18 || (digits > 1 && t.charAt(start) == '0')) {
                return Long.MIN_VALUE;
            }
            if (i < len) {
                char c = t.charAt(i);
                if (c == '.' || c == 'e' || c == 'E') {
                    return Long.MIN_VALUE;
                }
            }
            p.pos = i;
            return negative ? -v : v;
        }

        /**
         * Consumes a string without escapes or control characters.
         *
         * @param previous a string likely to be the same (returned instead of a copy when equal), or {@code null}
         * @return its value, or {@code null} when the text does not continue with such a string
         */
        public String plainString(String previous) {
            String t = p.text;
            int len = t.length();
            int i = p.pos;
            if (i >= len || t.charAt(i) != '"') {
                return null;
            }
            int start = ++i;
            while (i < len) {
                char c = t.charAt(i);
                if (c == '"') {
                    p.pos = i + 1;
                    int n = i - start;
                    if (previous != null && previous.length() == n && t.regionMatches(start, previous, 0, n)) {
                        return previous;
                    }
                    return t.substring(start, i);
                }
                if (c == '\\' || c < 0x20) {
                    return null;
                }
                i++;
            }
            return null;
        }

        /**
         * Consumes one JSON value with the full rules of {@link #parse}.
         *
         * @return the value, or {@code null} when the text does not continue with a valid one
         */
        public JsonValue value() {
            try {
                if (p.pos >= p.text.length()) {
                    return null;
                }
                return p.value();
            } catch (JsonParsingException e) {
                return null;
            }
        }

        /**
         * Whether the whole text has been consumed.
         *
         * @return whether the cursor is at the end
         */
        public boolean atEnd() {
            return p.pos == p.text.length();
        }
    }

    private JsonValue value() {
        if (pos >= text.length()) {
            throw fail("unexpected end of text");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return JsonValues.JSON.createValue(string());
            case 't':
                literal("true");
                return JsonValue.TRUE;
            case 'f':
                literal("false");
                return JsonValue.FALSE;
            case 'n':
                literal("null");
                return JsonValue.NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw fail("unexpected character '" + printable(c) + "'");
        }
    }

    private JsonValue object() {
        enter();
        pos++; // {
        skipSpace();
        if (peek() == '}') {
            pos++;
            depth--;
            return PJsonObject.EMPTY;
        }
        Object[] kv = new Object[8];
        int n = 0;
        OrderedPMap<String, JsonValue> big = null;
        while (true) {
            if (peek() != '"') {
                throw fail("expected a member name");
            }
            String name = name();
            skipSpace();
            expect(':');
            skipSpace();
            JsonValue v = value();
            if (big != null) {
                big = big.plus(name, v);
            } else {
                int at = -1;
                for (int i = 0; i < n; i += 2) {
                    if (kv[i].equals(name)) {
                        at = i;
                        break;
                    }
                }
                if (at >= 0) {
                    kv[at + 1] = v; // repeated name: last value, first position
                } else if (n < 2 * PJsonObject.SMALL_MAX) {
                    if (n == kv.length) {
                        kv = Arrays.copyOf(kv, 2 * PJsonObject.SMALL_MAX);
                    }
                    kv[n++] = name;
                    kv[n++] = v;
                } else {
                    big = OrderedPMap.empty();
                    for (int i = 0; i < n; i += 2) {
                        big = big.plus((String) kv[i], (JsonValue) kv[i + 1]);
                    }
                    big = big.plus(name, v);
                }
            }
            skipSpace();
            char c = peek();
            pos++;
            if (c == '}') {
                depth--;
                if (big != null) {
                    return PJsonObject.of(big);
                }
                return PJsonObject.ofFlat(n == kv.length ? kv : Arrays.copyOf(kv, n));
            }
            if (c != ',') {
                pos--;
                throw fail("expected ',' or '}'");
            }
            skipSpace();
        }
    }

    private JsonValue array() {
        enter();
        pos++; // [
        skipSpace();
        if (peek() == ']') {
            pos++;
            depth--;
            return PJsonArray.EMPTY;
        }
        ArrayList<JsonValue> items = new ArrayList<>();
        while (true) {
            items.add(value());
            skipSpace();
            char c = peek();
            pos++;
            if (c == ']') {
                depth--;
                return PJsonArray.ofList(items);
            }
            if (c != ',') {
                pos--;
                throw fail("expected ',' or ']'");
            }
            skipSpace();
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw fail("nesting deeper than " + MAX_DEPTH);
        }
    }

    /** A member name: a well-known one is shared. */
    private String name() {
        int start = pos + 1;
        int end = start;
        int len = text.length();
        while (end < len) {
            char c = text.charAt(end);
            if (c == '"') {
                int n = end - start;
                if (n <= 7) {
                    for (String k : NAMES) {
                        if (k.length() == n && text.startsWith(k, start)) {
                            pos = end + 1;
                            return k;
                        }
                    }
                }
                break;
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            end++;
        }
        return string();
    }

    private String string() {
        int start = ++pos; // opening quote
        int len = text.length();
        while (pos < len) {
            char c = text.charAt(pos);
            if (c == '"') {
                return text.substring(start, pos++);
            }
            if (c == '\\') {
                return escaped(start);
            }
            if (c < 0x20) {
                throw fail("control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            pos++;
        }
        throw fail("unterminated string");
    }

    private String escaped(int start) {
        StringBuilder sb = new StringBuilder(pos - start + 16).append(text, start, pos);
        int len = text.length();
        while (pos < len) {
            // plain characters are copied a run at a time (a snapshot chunk is one long string full of escapes)
            int run = pos;
            char c = text.charAt(pos);
            while (c != '"' && c != '\\' && c >= 0x20 && ++pos < len) {
                c = text.charAt(pos);
            }
            if (pos > run) {
                sb.append(text, run, pos);
            }
            if (pos >= len) {
                break;
            }
            pos++;
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw fail("control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (pos >= len) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > len) {
                        throw fail("incomplete \\u escape");
                    }
                    int cp = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = hex(text.charAt(pos++));
                        if (d < 0) {
                            pos--;
                            throw fail("bad hex digit in a \\u escape");
                        }
                        cp = cp * 16 + d;
                    }
                    sb.append((char) cp);
                }
                default -> {
                    pos--;
                    throw fail("bad escape '\\" + printable(e) + "'");
                }
            }
        }
        throw fail("unterminated string");
    }

    private JsonValue number() {
        int start = pos;
        int len = text.length();
        boolean negative = false;
        if (text.charAt(pos) == '-') {
            negative = true;
            pos++;
        }
        int digitsStart = pos;
        if (pos < len && text.charAt(pos) == '0') {
            pos++;
        } else {
            while (pos < len && isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        if (pos == digitsStart) {
            throw fail("expected a digit");
        }
        int intEnd = pos;
        boolean integral = true;
        if (pos < len && text.charAt(pos) == '.') {
            integral = false;
            pos++;
            int f = pos;
            while (pos < len && isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos == f) {
                throw fail("expected a digit after '.'");
            }
        }
        if (pos < len && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < len && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            int x = pos;
            while (pos < len && isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos == x) {
                throw fail("expected a digit in the exponent");
            }
        }
        if (integral && intEnd - digitsStart <= 18) {
            long v = 0;
            for (int i = digitsStart; i < intEnd; i++) {
                v = v * 10 + (text.charAt(i) - '0');
            }
            if (negative) {
                v = -v;
            }
            if (v >= -SMALL_NEGATIVE && v < SMALL.length - SMALL_NEGATIVE) {
                return SMALL[(int) v + SMALL_NEGATIVE];
            }
            return v == (int) v ? JsonValues.JSON.createValue((int) v) : JsonValues.JSON.createValue(v);
        }
        if (pos - start > MAX_NUMBER_CHARS) {
            pos = start;
            throw fail("number longer than " + MAX_NUMBER_CHARS + " characters");
        }
        try {
            return JsonValues.JSON.createValue(new BigDecimal(text.substring(start, pos)));
        } catch (NumberFormatException e) {
            pos = start;
            throw fail("number out of range (" + e.getMessage() + ")");
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw fail("expected '" + word + "'");
        }
        pos += word.length();
    }

    private void expect(char c) {
        if (peek() != c) {
            throw fail("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        if (pos >= text.length()) {
            throw fail("unexpected end of text");
        }
        return text.charAt(pos);
    }

    private void skipSpace() {
        int len = text.length();
        while (pos < len) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private JsonParsingException fail(String what) {
        return new JsonParsingException("invalid JSON at offset " + pos + ": " + what, new Location(pos));
    }

    /** Where parsing stopped: only the offset is known (frames are one line). */
    private record Location(long getStreamOffset) implements JsonLocation {
        @Override
        public long getLineNumber() {
            return -1;
        }

        @Override
        public long getColumnNumber() {
            return -1;
        }
    }
}
