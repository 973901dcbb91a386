package io.memsync.document;

import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** Compact JSON text of values, keeping object member order. */
final class JsonWriting {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonWriting() {
    }

    static void write(JsonValue v, StringBuilder sb) {
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
            case NUMBER -> sb.append(v);
            case TRUE -> sb.append("true");
            case FALSE -> sb.append("false");
            case NULL -> sb.append("null");
        }
    }

    static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
