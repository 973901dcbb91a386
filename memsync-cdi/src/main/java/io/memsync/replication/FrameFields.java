package io.memsync.replication;

import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Typed, checked access to the members of one decoded JSON object of a frame: every getter either returns a value
 * of the asked type or throws a {@link ProtocolException} naming the frame type and the member (with its position
 * when the object sits in a list, e.g. {@code entries[3].v}). Used only by {@link FrameCodec}.
 */
final class FrameFields {
    private final String type;
    private final JsonObject object;
    /**
     * Field path of the list the object is an element of (or of the member it is the value of, when {@code index} is
     * negative), or {@code null} for a frame's top-level object.
     */
    private final String list;
    /** Position in {@code list}, or {@code -1} when the object is the value of the member {@code list}. */
    private final int index;

    /**
     * Reads a frame's top-level object.
     *
     * @param type   the frame type, for error messages
     * @param object the object
     */
    FrameFields(String type, JsonObject object) {
        this(type, object, null, -1);
    }

    /**
     * Reads an object that is element {@code index} of the list {@code list} (an entry of a frame, say).
     *
     * @param type   the frame type, for error messages
     * @param object the object
     * @param list   the name of the list (as a field path, e.g. {@code "entries"}), or {@code null} at the top level
     * @param index  its index in the list, or {@code -1} when the object is the value of the member {@code list}
     */
    FrameFields(String type, JsonObject object, String list, int index) {
        this.type = type;
        this.object = object;
        this.list = list;
        this.index = index;
    }

    /**
     * The field path of a member of this object, for error messages.
     *
     * @param name the member name
     * @return e.g. {@code "seq"} or {@code "entries[3].v"}
     */
    String where(String name) {
        if (list == null) {
            return name;
        }
        String at = index < 0 ? list : list + "[" + index + "]";
        return name.isEmpty() ? at : at + "." + name;
    }

    /**
     * An exception about a member of this object.
     *
     * @param name    the member name
     * @param problem what is wrong
     * @return the exception, to throw
     */
    ProtocolException problem(String name, String problem) {
        return new ProtocolException(type, where(name), problem);
    }

    /**
     * Whether the member is present (with any value, {@code null} included).
     *
     * @param name the member name
     * @return whether it is present
     */
    boolean has(String name) {
        return object.containsKey(name);
    }

    /**
     * A required member of any JSON type.
     *
     * @param name the member name
     * @return its value
     */
    JsonValue value(String name) {
        JsonValue v = object.get(name);
        if (v == null) {
            throw problem(name, "missing");
        }
        return v;
    }

    /** An exception about a member of the wrong JSON type. */
    private ProtocolException wrongType(String name, String expected, JsonValue v) {
        return problem(name, "expected " + expected + ", got " + v.getValueType());
    }

    /**
     * A required integral number that fits a {@code long}.
     *
     * @param name the member name
     * @return its value
     */
    long longValue(String name) {
        JsonValue v = value(name);
        if (v instanceof JsonNumber n && n.isIntegral()) {
            try {
                return n.longValueExact();
            } catch (ArithmeticException e) {
                throw problem(name, "number " + n + " does not fit a long");
            }
        }
        throw wrongType(name, "an integer", v);
    }

    /**
     * A required integral number that fits an {@code int}.
     *
     * @param name the member name
     * @return its value
     */
    int intValue(String name) {
        long l = longValue(name);
        if (l != (int) l) {
            throw problem(name, "number " + l + " does not fit an int");
        }
        return (int) l;
    }

    /**
     * A required boolean.
     *
     * @param name the member name
     * @return its value
     */
    boolean booleanValue(String name) {
        JsonValue v = value(name);
        if (v == JsonValue.TRUE || v.getValueType() == JsonValue.ValueType.TRUE) {
            return true;
        }
        if (v == JsonValue.FALSE || v.getValueType() == JsonValue.ValueType.FALSE) {
            return false;
        }
        throw wrongType(name, "a boolean", v);
    }

    /**
     * An optional boolean.
     *
     * @param name     the member name
     * @param absent   the value when the member is missing
     * @return its value
     */
    boolean booleanValue(String name, boolean absent) {
        return has(name) ? booleanValue(name) : absent;
    }

    /**
     * A required string.
     *
     * @param name the member name
     * @return its value
     */
    String string(String name) {
        JsonValue v = value(name);
        if (v instanceof JsonString s) {
            return s.getString();
        }
        throw wrongType(name, "a string", v);
    }

    /**
     * An optional string.
     *
     * @param name the member name
     * @return its value, or {@code null} when the member is missing
     */
    String optionalString(String name) {
        return has(name) ? string(name) : null;
    }

    /**
     * A required object.
     *
     * @param name the member name
     * @return its value
     */
    JsonObject object(String name) {
        JsonValue v = value(name);
        if (v instanceof JsonObject o) {
            return o;
        }
        throw wrongType(name, "an object", v);
    }

    /**
     * A required object member, to read its own members (errors then name them as {@code name.member}).
     *
     * @param name the member name
     * @return the member's fields
     */
    FrameFields member(String name) {
        return new FrameFields(type, object(name), where(name), -1);
    }

    /**
     * A required array.
     *
     * @param name the member name
     * @return its value
     */
    JsonArray array(String name) {
        JsonValue v = value(name);
        if (v instanceof JsonArray a) {
            return a;
        }
        throw wrongType(name, "an array", v);
    }

    /**
     * A required array of strings.
     *
     * @param name the member name
     * @return its strings, in order (immutable)
     */
    List<String> strings(String name) {
        JsonArray a = array(name);
        String[] out = new String[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(a.get(i) instanceof JsonString s)) {
                throw problem(name + "[" + i + "]", "expected a string, got " + a.get(i).getValueType());
            }
            out[i] = s.getString();
        }
        return List.of(out);
    }

    /**
     * A required array of integers that fit an {@code int}.
     *
     * @param name the member name
     * @return its numbers, in order (immutable)
     */
    List<Integer> ints(String name) {
        JsonArray a = array(name);
        Integer[] out = new Integer[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(a.get(i) instanceof JsonNumber n) || !n.isIntegral()) {
                throw problem(name + "[" + i + "]", "expected an integer, got " + a.get(i).getValueType());
            }
            long l;
            try {
                l = n.longValueExact();
            } catch (ArithmeticException e) {
                throw problem(name + "[" + i + "]", "number " + n + " does not fit an int");
            }
            if (l != (int) l) {
                throw problem(name + "[" + i + "]", "number " + l + " does not fit an int");
            }
            out[i] = (int) l;
        }
        return List.of(out);
    }

    /**
     * A required count: an {@code int} that is not negative.
     *
     * @param name the member name
     * @return its value
     */
    int count(String name) {
        int n = intValue(name);
        if (n < 0) {
            throw problem(name, "negative count " + n);
        }
        return n;
    }

    /**
     * An optional array of pending counts, one per element of the array {@code parallelTo}, each a count or
     * {@code -1} (unknown).
     *
     * @param name       the member name
     * @param parallelTo the member whose array it must match in length
     * @return the counts (immutable), empty when the member is missing
     */
    List<Integer> pendingCounts(String name, String parallelTo) {
        if (!has(name)) {
            return List.of();
        }
        List<Integer> counts = ints(name);
        int members = array(parallelTo).size();
        if (counts.size() != members) {
            throw problem(name, counts.size() + " pending counts for " + members + " members");
        }
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i) < -1) {
                throw problem(name + "[" + i + "]", "pending count " + counts.get(i) + " below -1");
            }
        }
        return counts;
    }

    /**
     * A required array of objects, each read by {@code element}.
     *
     * @param name    the member name
     * @param element reads one element, given its fields
     * @param <T>     the element type
     * @return the elements, in order (immutable)
     */
    <T> List<T> objects(String name, java.util.function.Function<FrameFields, T> element) {
        JsonArray a = array(name);
        Object[] out = new Object[a.size()];
        String path = where(name);
        for (int i = 0; i < out.length; i++) {
            if (!(a.get(i) instanceof JsonObject o)) {
                throw new ProtocolException(type, path + "[" + i + "]", "expected an object, got " + a.get(i).getValueType());
            }
            out[i] = element.apply(new FrameFields(type, o, path, i));
        }
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) List.of(out);
        return list;
    }
}
