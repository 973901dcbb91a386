package io.memsync.document;

import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Compact JSON text of values, keeping object member order. Internal: used by the document types and by the
 * replication layer to write wire frames straight into one buffer.
 */
public final class JsonWriting {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonWriting() {
    }

    /**
     * Appends the compact JSON text of a value.
     *
     * @param v  the value
     * @param sb where to append
     */
    public static void write(JsonValue v, StringBuilder sb) {
        switch (v.getValueType()) {
            case OBJECT -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonValue> e : ((JsonObject) v).entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    quote(e.getKey(), sb);
                    sb.append(':');
                    write(e.getValue(), sb);
                }
                sb.append('}');
            }
            case ARRAY -> {
                sb.append('[');
                boolean first = true;
                for (JsonValue e : (JsonArray) v) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    write(e, sb);
                }
                sb.append(']');
            }
            case STRING -> quote(((JsonString) v).getString(), sb);
            case NUMBER -> {
                JsonNumber n = (JsonNumber) v;
                if (n.isIntegral()) {
                    try {
                        sb.append(n.longValueExact()); // same digits as toString, without its allocations
                        return;
                    } catch (ArithmeticException e) {
                        // beyond long: the text form below
                    }
                }
                sb.append(n);
            }
            case TRUE -> sb.append("true");
            case FALSE -> sb.append("false");
            case NULL -> sb.append("null");
        }
    }

    /**
     * Appends a string as a quoted, escaped JSON string.
     *
     * @param s  the string
     * @param sb where to append
     */
    public static void quote(String s, StringBuilder sb) {
        sb.append('"');
        int n = s.length();
        int run = 0; // start of the characters not yet appended, which need no escape
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            if (i > run) {
                sb.append(s, run, i); // a run at a time: one copy instead of a call per character
            }
            run = i + 1;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        if (run < n) {
            sb.append(s, run, n);
        }
        sb.append('"');
    }
}
