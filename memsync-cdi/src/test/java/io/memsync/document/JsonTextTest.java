package io.memsync.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.Random;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import org.junit.jupiter.api.Test;

/** The wire parser, held to Parsson: same values for JSON, refusal of everything else. */
class JsonTextTest {

    private static final String[] NAMES = {"t", "v", "value", "k", "a\"b", "é", "x\\y", "long member name", "", "t"};
    private static final String[] STRINGS = {"", "plain", "q\"uote", "back\\slash", "tab\there", "line\nfeed",
        "\u0001ctl", "émoji \ud83d\ude00", "slash/", "\u2028sep", "\u0000nul"};
    private static final String[] NUMBERS = {"0", "-0", "7", "-12", "2147483647", "2147483648", "-2147483649",
        "9223372036854775807", "-9223372036854775808", "123456789012345678", "1234567890123456789",
        "123456789012345678901234", "1.5", "-0.25", "1e3", "1E+3", "2.5e-7", "0.0", "100.00", "6.02214076e23"};

    private static final String DAMAGE = "{}[],:\"\\ -+.eE0x\u0001tfnu";

    @Property(tries = 1000)
    void parsesWhatParssonParsesToEqualValues(@ForAll long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        write(r, 0, sb);
        String text = sb.toString();
        JsonValue expected = Json.createReader(new StringReader(text)).readValue();
        JsonValue actual = JsonText.parse(text);
        assertThat(actual).isEqualTo(expected);
        assertThat(expected).isEqualTo(actual);
        assertThat(actual.hashCode()).isEqualTo(expected.hashCode());
        assertThat(actual.toString()).isEqualTo(PersistentJson.value(expected).toString());
        numberKindsMatch(expected, actual);
    }

    @Property(tries = 3000)
    void refusesWhatParssonRefuses(@ForAll long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        write(r, 0, sb);
        // damage it: drop, duplicate or replace one character, or cut it short
        int at = r.nextInt(sb.length());
        switch (r.nextInt(4)) {
            case 0 -> sb.deleteCharAt(at);
            case 1 -> sb.insert(at, sb.charAt(at));
            case 2 -> sb.setCharAt(at, DAMAGE.charAt(r.nextInt(DAMAGE.length())));
            default -> sb.setLength(at);
        }
        String text = sb.toString();
        JsonValue expected;
        try {
            expected = parssonStrict(text);
        } catch (RuntimeException parssonRefused) {
            assertThatThrownBy(() -> JsonText.parse(text)).as(text).isInstanceOf(JsonParsingException.class);
            return;
        }
        assertThat(JsonText.parse(text)).as(text).isEqualTo(expected);
    }

    @Test
    void largeObjectsAndArraysKeepOrderAndRepeatedNamesKeepTheLastValue() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            sb.append(i == 0 ? "" : ",").append("\"k").append(i % 30).append("\":[");
            for (int j = 0; j <= i; j++) {
                sb.append(j == 0 ? "" : ",").append(j);
            }
            sb.append(']');
        }
        String text = sb.append('}').toString();
        JsonObject parsed = (JsonObject) JsonText.parse(text);
        JsonObject expected = Json.createReader(new StringReader(text)).readObject();
        assertThat(parsed).isEqualTo(expected);
        assertThat(parsed.keySet()).containsExactlyElementsOf(expected.keySet());
        assertThat(parsed.getJsonArray("k5")).hasSize(36);
        assertThat(parsed).isInstanceOf(PJsonObject.class);
        assertThat(parsed.getJsonArray("k5")).isInstanceOf(PJsonArray.class);
    }

    @Test
    void refusesDeepNestingAndNamesTheOffset() {
        String deep = "[".repeat(JsonText.MAX_DEPTH + 1) + "]".repeat(JsonText.MAX_DEPTH + 1);
        assertThatThrownBy(() -> JsonText.parse(deep)).isInstanceOf(JsonParsingException.class)
                .hasMessageContaining("nesting deeper than " + JsonText.MAX_DEPTH);
        String ok = "[".repeat(JsonText.MAX_DEPTH) + "]".repeat(JsonText.MAX_DEPTH);
        assertThat(JsonText.parse(ok)).isInstanceOf(PJsonArray.class);
        assertThatThrownBy(() -> JsonText.parse("{\"a\":tru}")).isInstanceOf(JsonParsingException.class)
                .hasMessageContaining("offset 5");
        assertThatThrownBy(() -> JsonText.parse("{\"a\":\"\\u00g0\"}")).hasMessageContaining("hex digit");
        assertThatThrownBy(() -> JsonText.parse("\"\\u\u0663\u0663\u0663\u0663\""))
                .as("only ASCII hex digits").isInstanceOf(JsonParsingException.class);
        assertThatThrownBy(() -> JsonText.parseObject("[1]")).isInstanceOf(JsonParsingException.class)
                .hasMessageContaining("ARRAY");
        assertThatThrownBy(() -> JsonText.parse("")).isInstanceOf(JsonParsingException.class);
        String longest = "1" + "0".repeat(JsonText.MAX_NUMBER_CHARS - 1);
        assertThat(JsonText.parse(longest).toString()).isEqualTo(longest);
        assertThatThrownBy(() -> JsonText.parse("[" + longest + "0]")).isInstanceOf(JsonParsingException.class)
                .hasMessageContaining("number longer than " + JsonText.MAX_NUMBER_CHARS);
        assertThatThrownBy(() -> JsonText.parse("{} {}")).isInstanceOf(JsonParsingException.class);
    }

    /**
     * Parsson's verdict on a whole text: its reader's {@code readValue} ignores what follows the first value, its
     * streaming parser does not.
     */
    private static JsonValue parssonStrict(String text) {
        try (JsonParser p = Json.createParser(new StringReader(text))) {
            p.next();
            JsonValue v = p.getValue();
            if (p.hasNext()) {
                throw new IllegalStateException("more after the value");
            }
            return v;
        }
    }

    /** Integers that fit stay integers of the same kind a JSON-P reader gives: arithmetic keeps working the same. */
    private static void numberKindsMatch(JsonValue expected, JsonValue actual) {
        if (expected instanceof JsonNumber e) {
            JsonNumber a = (JsonNumber) actual;
            assertThat(a.isIntegral()).isEqualTo(e.isIntegral());
            assertThat(a.bigDecimalValue()).isEqualTo(e.bigDecimalValue());
            assertThat(a.toString()).isEqualTo(e.toString());
        } else if (expected instanceof JsonObject eo) {
            JsonObject ao = (JsonObject) actual;
            eo.forEach((k, v) -> numberKindsMatch(v, ao.get(k)));
        } else if (expected instanceof jakarta.json.JsonArray ea) {
            for (int i = 0; i < ea.size(); i++) {
                numberKindsMatch(ea.get(i), ((jakarta.json.JsonArray) actual).get(i));
            }
        }
    }

    private static void write(Random r, int depth, StringBuilder sb) {
        space(r, sb);
        int kind = depth >= 4 ? 2 + r.nextInt(4) : r.nextInt(6);
        switch (kind) {
            case 0 -> {
                sb.append('{');
                int n = r.nextInt(r.nextBoolean() ? 4 : 14);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    space(r, sb);
                    string(r, NAMES[r.nextInt(NAMES.length)] + (r.nextInt(3) == 0 ? i : ""), sb);
                    space(r, sb);
                    sb.append(':');
                    write(r, depth + 1, sb);
                }
                space(r, sb);
                sb.append('}');
            }
            case 1 -> {
                sb.append('[');
                int n = r.nextInt(r.nextBoolean() ? 4 : 24);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(r, depth + 1, sb);
                }
                space(r, sb);
                sb.append(']');
            }
            case 2 -> string(r, STRINGS[r.nextInt(STRINGS.length)], sb);
            case 3 -> sb.append(NUMBERS[r.nextInt(NUMBERS.length)]);
            case 4 -> sb.append(r.nextBoolean() ? "true" : "false");
            default -> sb.append(r.nextBoolean() ? "null" : String.valueOf(r.nextLong()));
        }
        space(r, sb);
    }

    /** A JSON string, escaping as required and, at random, more than required. */
    private static void string(Random r, String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || r.nextInt(10) == 0) {
                switch (r.nextInt(3)) {
                    case 0 -> sb.append(String.format("\\u%04x", (int) c));
                    case 1 -> sb.append(String.format("\\u%04X", (int) c));
                    default -> sb.append(switch (c) {
                        case '\n' -> "\\n";
                        case '\t' -> "\\t";
                        case '\r' -> "\\r";
                        case '\b' -> "\\b";
                        case '\f' -> "\\f";
                        case '/' -> "\\/";
                        default -> String.format("\\u%04x", (int) c);
                    });
                }
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    private static void space(Random r, StringBuilder sb) {
        if (r.nextInt(4) == 0) {
            sb.append(" \t\r\n".charAt(r.nextInt(4)));
        }
    }
}
