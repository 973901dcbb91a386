package io.memsync.document;

import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The size of a value's compact JSON text (UTF-8 bytes, as {@link JsonWriting} writes it) and its nesting depth,
 * without writing it. Persistent containers ({@link PJsonObject}, {@link PJsonArray}) keep both once known, and
 * their changes carry the size over, so the size of a new document costs the path that changed, and a value that
 * holds the same value many times (a JSON Patch that copies a value into itself) costs its distinct parts only,
 * however long its text would be. Sizes saturate at {@link Long#MAX_VALUE}.
 */
public final class JsonSize {

    private JsonSize() {
    }

    /**
     * The length of a value's compact JSON text.
     *
     * @param v the value
     * @return UTF-8 bytes, at most {@link Long#MAX_VALUE}
     */
    public static long bytes(JsonValue v) {
        if (v instanceof PJsonObject o) {
            return o.bytes();
        }
        if (v instanceof PJsonArray a) {
            return a.bytes();
        }
        return switch (v.getValueType()) {
            case OBJECT -> objectBytes((JsonObject) v);
            case ARRAY -> arrayBytes((JsonArray) v);
            case STRING -> quoted(((JsonString) v).getString());
            case NUMBER -> numberBytes((JsonNumber) v);
            case TRUE, NULL -> 4;
            case FALSE -> 5;
        };
    }

    /**
     * How deep a value nests: 0 for a scalar, one more than its deepest member for a container.
     *
     * @param v the value
     * @return the depth
     */
    public static int depth(JsonValue v) {
        if (v instanceof PJsonObject o) {
            return o.depth();
        }
        if (v instanceof PJsonArray a) {
            return a.depth();
        }
        if (v instanceof JsonObject o) {
            int d = 0;
            for (JsonValue m : o.values()) {
                d = Math.max(d, depth(m));
            }
            return d + 1;
        }
        if (v instanceof JsonArray a) {
            int d = 0;
            for (JsonValue m : a) {
                d = Math.max(d, depth(m));
            }
            return d + 1;
        }
        return 0;
    }

    /** The text of a value for a message: the value itself when short, else its kind and size. */
    static String brief(JsonValue v) {
        if (v instanceof JsonObject || v instanceof JsonArray) {
            long b = bytes(v);
            if (b > 200) {
                return (v instanceof JsonObject ? "an object" : "an array") + " of " + b + " bytes";
            }
        }
        return String.valueOf(v);
    }

    static long objectBytes(JsonObject o) {
        long b = 2 + Math.max(0, o.size() - 1);
        for (Map.Entry<String, JsonValue> e : o.entrySet()) {
            b = add(b, add(quoted(e.getKey()) + 1, bytes(e.getValue())));
        }
        return b;
    }

    static long arrayBytes(JsonArray a) {
        long b = 2 + Math.max(0, a.size() - 1);
        for (JsonValue e : a) {
            b = add(b, bytes(e));
        }
        return b;
    }

    /** The bytes a member adds to an object that has others: {@code ,"name":value}. */
    static long memberBytes(String name, JsonValue v) {
        return add(quoted(name) + 2, bytes(v));
    }

    /** Saturating sum of two sizes. */
    static long add(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /** The length of a quoted, escaped JSON string. */
    static long quoted(String s) {
        long b = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b += c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 2
                        : c < 0x20 ? 6 : 1;
            } else {
                b += c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            }
        }
        return b;
    }

    private static long numberBytes(JsonNumber n) {
        if (n.isIntegral()) {
            try {
                long v = n.longValueExact();
                return v == Long.MIN_VALUE ? 20 : (v < 0 ? 1 : 0) + digits(Math.abs(v));
            } catch (ArithmeticException e) {
                // beyond long: the text form
            }
        }
        return n.toString().length();
    }

    private static int digits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }
}
