package io.memsync.document;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.pcollections.OrderedPMap;

/**
 * A persistent, immutable {@link JsonObject} that keeps its members in insertion order.
 *
 * <p>{@link #with(String, JsonValue)} replaces a member in place (keeping its position) or appends a new
 * one, {@link #without(String)} removes one; both share structure with this object, which never changes.
 * Objects of up to {@value #SMALL_MAX} members (most JSON objects, and every JSON Patch operation) are kept
 * as one flat array that is copied on change: fewer allocations and far less for the garbage collector to
 * trace than a tree. Larger objects use an insertion-ordered persistent map ({@code O(log n)} per change).
 * Equality and hash code follow {@link Map} semantics, so an instance equals any other {@code JsonObject}
 * with the same members. Values stored are expected to be persistent already (see {@link PersistentJson}).
 */
public final class PJsonObject extends AbstractMap<String, JsonValue> implements JsonObject {

    /** Most members kept in the flat form. */
    static final int SMALL_MAX = 8;
    private static final Object[] NONE = new Object[0];

    static final PJsonObject EMPTY = new PJsonObject(NONE, null);

    /** Flat form: name, value, name, value… ({@code null} when {@link #members} is used). */
    private final Object[] flat;
    private final OrderedPMap<String, JsonValue> members;
    private int hash;
    /** Length of the compact JSON text once known (see {@link JsonSize}), else -1. */
    private volatile long bytes = -1;
    /** Nesting depth once known, else -1 (computed again by a thread that misses it, like {@link #hash}). */
    private int depth = -1;

    private PJsonObject(Object[] flat, OrderedPMap<String, JsonValue> members) {
        this.flat = flat;
        this.members = members;
    }

    static PJsonObject of(OrderedPMap<String, JsonValue> members) {
        if (members.size() > SMALL_MAX) {
            return new PJsonObject(null, members);
        }
        if (members.isEmpty()) {
            return EMPTY;
        }
        Object[] kv = new Object[members.size() * 2];
        int i = 0;
        for (Map.Entry<String, JsonValue> e : members.entrySet()) {
            kv[i++] = e.getKey();
            kv[i++] = e.getValue();
        }
        return new PJsonObject(kv, null);
    }

    /**
     * An object from alternating names and (persistent) values, in order; the array is owned by the result.
     * Names must be distinct.
     */
    static PJsonObject ofFlat(Object[] kv) {
        if (kv.length == 0) {
            return EMPTY;
        }
        if (kv.length <= 2 * SMALL_MAX) {
            return new PJsonObject(kv, null);
        }
        OrderedPMap<String, JsonValue> m = OrderedPMap.empty();
        for (int i = 0; i < kv.length; i += 2) {
            m = m.plus((String) kv[i], (JsonValue) kv[i + 1]);
        }
        return new PJsonObject(null, m);
    }

    private int slot(Object name) {
        Object[] kv = flat;
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private JsonValue member(Object name) {
        if (flat == null) {
            // a name is a String; the hash map inside would throw on null and can only miss other types
            return name instanceof String ? members.get(name) : null;
        }
        int i = slot(name);
        return i < 0 ? null : (JsonValue) flat[i + 1];
    }

    /**
     * Returns this object with {@code name} set to {@code value}: an existing member keeps its position,
     * a new one is appended.
     *
     * @param name  member name
     * @param value member value (persistent)
     * @return the new object (this one when nothing changes by identity)
     */
    public PJsonObject with(String name, JsonValue value) {
        return carry(withMember(name, value), name, member(name), value);
    }

    private PJsonObject withMember(String name, JsonValue value) {
        if (flat == null) {
            if (members.get(name) == value) {
                return this;
            }
            return new PJsonObject(null, members.plus(name, value));
        }
        int i = slot(name);
        if (i >= 0) {
            if (flat[i + 1] == value) {
                return this;
            }
            Object[] kv = flat.clone();
            kv[i + 1] = value;
            return new PJsonObject(kv, null);
        }
        if (flat.length < 2 * SMALL_MAX) {
            Object[] kv = java.util.Arrays.copyOf(flat, flat.length + 2);
            kv[flat.length] = name;
            kv[flat.length + 1] = value;
            return new PJsonObject(kv, null);
        }
        OrderedPMap<String, JsonValue> m = OrderedPMap.empty();
        for (int k = 0; k < flat.length; k += 2) {
            m = m.plus((String) flat[k], (JsonValue) flat[k + 1]);
        }
        return new PJsonObject(null, m.plus(name, value));
    }

    /**
     * Returns this object without the member {@code name}.
     *
     * @param name member name
     * @return the new object (this one when the member is absent)
     */
    public PJsonObject without(String name) {
        JsonValue old = member(name);
        return old == null ? this : carry(withoutMember(name), name, old, null);
    }

    private PJsonObject withoutMember(String name) {
        if (flat == null) {
            return members.containsKey(name) ? of(members.minus(name)) : this;
        }
        int i = slot(name);
        if (i < 0) {
            return this;
        }
        if (flat.length == 2) {
            return EMPTY;
        }
        Object[] kv = new Object[flat.length - 2];
        System.arraycopy(flat, 0, kv, 0, i);
        System.arraycopy(flat, i + 2, kv, i, flat.length - i - 2);
        return new PJsonObject(kv, null);
    }

    /**
     * Gives {@code next}, this object with member {@code name} changed from {@code old} to {@code value} (either
     * {@code null} for none), the size of its text worked out from this one's, when this one's is known.
     */
    private PJsonObject carry(PJsonObject next, String name, JsonValue old, JsonValue value) {
        long b = bytes;
        if (next == this || b < 0 || b == Long.MAX_VALUE || next.bytes >= 0) {
            return next;
        }
        if (old != null && value != null) {
            b = b - JsonSize.bytes(old) + JsonSize.bytes(value);
        } else if (old == null) {
            b = JsonSize.add(b, size() == 0 ? JsonSize.memberBytes(name, value) - 1 : JsonSize.memberBytes(name, value));
        } else {
            b = b - (size() == 1 ? JsonSize.memberBytes(name, old) - 1 : JsonSize.memberBytes(name, old));
        }
        if (b > 0 && b != Long.MAX_VALUE) {
            next.bytes = b;
        }
        return next;
    }

    /** The length of this object's compact JSON text, kept once known. */
    long bytes() {
        long b = bytes;
        if (b < 0) {
            b = JsonSize.objectBytes(this);
            bytes = b;
        }
        return b;
    }

    /** This object's nesting depth, kept once known. */
    int depth() {
        int d = depth;
        if (d < 0) {
            d = 0;
            for (JsonValue v : values()) {
                d = Math.max(d, JsonSize.depth(v));
            }
            depth = ++d;
        }
        return d;
    }

    @Override
    public ValueType getValueType() {
        return ValueType.OBJECT;
    }

    @Override
    public JsonValue get(Object key) {
        return member(key);
    }

    @Override
    public boolean containsKey(Object key) {
        // members never hold null (JSON null is JsonValue.NULL), so a lookup answers it: the map's own
        // containsKey is AbstractMap's, a scan of every entry
        return member(key) != null;
    }

    /** Whether {@code o} is a {@code Map.Entry} whose key and value are a member of this object. */
    private boolean containsEntry(Object o) {
        if (!(o instanceof Map.Entry<?, ?> e)) {
            return false;
        }
        JsonValue v = member(e.getKey());
        return v != null && v.equals(e.getValue());
    }

    @Override
    public int size() {
        return flat == null ? members.size() : flat.length / 2;
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * The members, in order. {@code contains} is a lookup in either form (the persistent map's own entry set
     * would scan).
     */
    @Override
    public Set<Map.Entry<String, JsonValue>> entrySet() {
        if (flat == null) {
            Set<Map.Entry<String, JsonValue>> entries = members.entrySet();
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, JsonValue>> iterator() {
                    return entries.iterator();
                }

                @Override
                public boolean contains(Object o) {
                    return containsEntry(o);
                }

                @Override
                public int size() {
                    return entries.size();
                }
            };
        }
        Object[] kv = flat;
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, JsonValue>> iterator() {
                return new FlatIterator<>(kv) {
                    @Override
                    Map.Entry<String, JsonValue> at(int i) {
                        return new SimpleImmutableEntry<>((String) kv[i], (JsonValue) kv[i + 1]);
                    }
                };
            }

            @Override
            public boolean contains(Object o) {
                return containsEntry(o);
            }

            @Override
            public int size() {
                return kv.length / 2;
            }
        };
    }

    /** The member names, in order; {@code contains} is a lookup in either form. */
    @Override
    public Set<String> keySet() {
        if (flat == null) {
            Set<Map.Entry<String, JsonValue>> entries = members.entrySet();
            return new AbstractSet<>() {
                @Override
                public Iterator<String> iterator() {
                    Iterator<Map.Entry<String, JsonValue>> it = entries.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public String next() {
                            return it.next().getKey();
                        }
                    };
                }

                @Override
                public boolean contains(Object o) {
                    return containsKey(o);
                }

                @Override
                public int size() {
                    return entries.size();
                }
            };
        }
        Object[] kv = flat;
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                return new FlatIterator<>(kv) {
                    @Override
                    String at(int i) {
                        return (String) kv[i];
                    }
                };
            }

            @Override
            public boolean contains(Object o) {
                return slot(o) >= 0;
            }

            @Override
            public int size() {
                return kv.length / 2;
            }
        };
    }

    @Override
    public void forEach(java.util.function.BiConsumer<? super String, ? super JsonValue> action) {
        if (flat == null) {
            members.forEach(action);
            return;
        }
        for (int i = 0; i < flat.length; i += 2) {
            action.accept((String) flat[i], (JsonValue) flat[i + 1]);
        }
    }

    @Override
    public JsonArray getJsonArray(String name) {
        return (JsonArray) member(name);
    }

    @Override
    public JsonObject getJsonObject(String name) {
        return (JsonObject) member(name);
    }

    @Override
    public JsonNumber getJsonNumber(String name) {
        return (JsonNumber) member(name);
    }

    @Override
    public JsonString getJsonString(String name) {
        return (JsonString) member(name);
    }

    @Override
    public String getString(String name) {
        return getJsonString(name).getString();
    }

    @Override
    public String getString(String name, String defaultValue) {
        return member(name) instanceof JsonString s ? s.getString() : defaultValue;
    }

    @Override
    public int getInt(String name) {
        return getJsonNumber(name).intValue();
    }

    @Override
    public int getInt(String name, int defaultValue) {
        return member(name) instanceof JsonNumber n ? n.intValue() : defaultValue;
    }

    @Override
    public boolean getBoolean(String name) {
        JsonValue v = member(name);
        if (v == null) {
            throw new NullPointerException("no member " + name);
        }
        if (v == JsonValue.TRUE || v.getValueType() == ValueType.TRUE) {
            return true;
        }
        if (v == JsonValue.FALSE || v.getValueType() == ValueType.FALSE) {
            return false;
        }
        throw new ClassCastException("member " + name + " is not a boolean");
    }

    @Override
    public boolean getBoolean(String name, boolean defaultValue) {
        JsonValue v = member(name);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.getValueType()) {
            case TRUE -> true;
            case FALSE -> false;
            default -> defaultValue;
        };
    }

    @Override
    public boolean isNull(String name) {
        JsonValue v = member(name);
        if (v == null) {
            throw new NullPointerException("no member " + name);
        }
        return v.getValueType() == ValueType.NULL;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (o instanceof PJsonObject p && p.hashCode() != hashCode()) {
            return false;
        }
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        int h = hash; // one field: a thread never sees "computed" without the value (0 is just recomputed)
        if (h == 0) {
            h = super.hashCode();
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        JsonWriting.write(this, sb);
        return sb.toString();
    }

    // ---- immutability: every mutator throws ----

    @Override
    public JsonValue put(String key, JsonValue value) {
        throw immutable();
    }

    @Override
    public JsonValue remove(Object key) {
        throw immutable();
    }

    @Override
    public void putAll(Map<? extends String, ? extends JsonValue> m) {
        throw immutable();
    }

    @Override
    public void clear() {
        throw immutable();
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super JsonValue, ? extends JsonValue> function) {
        throw immutable();
    }

    @Override
    public JsonValue putIfAbsent(String key, JsonValue value) {
        throw immutable();
    }

    @Override
    public boolean remove(Object key, Object value) {
        throw immutable();
    }

    @Override
    public boolean replace(String key, JsonValue oldValue, JsonValue newValue) {
        throw immutable();
    }

    @Override
    public JsonValue replace(String key, JsonValue value) {
        throw immutable();
    }

    @Override
    public JsonValue computeIfAbsent(String key, Function<? super String, ? extends JsonValue> f) {
        throw immutable();
    }

    @Override
    public JsonValue computeIfPresent(String key,
            BiFunction<? super String, ? super JsonValue, ? extends JsonValue> f) {
        throw immutable();
    }

    @Override
    public JsonValue compute(String key, BiFunction<? super String, ? super JsonValue, ? extends JsonValue> f) {
        throw immutable();
    }

    @Override
    public JsonValue merge(String key, JsonValue value,
            BiFunction<? super JsonValue, ? super JsonValue, ? extends JsonValue> f) {
        throw immutable();
    }

    /** Walks the members of the flat form, giving what {@link #at} makes of each. */
    private abstract static class FlatIterator<T> implements Iterator<T> {
        private final Object[] kv;
        private int i;

        FlatIterator(Object[] kv) {
            this.kv = kv;
        }

        /** What the member whose name is at {@code kv[i]} (value at {@code i + 1}) yields. */
        abstract T at(int i);

        @Override
        public boolean hasNext() {
            return i < kv.length;
        }

        @Override
        public T next() {
            if (i >= kv.length) {
                throw new NoSuchElementException();
            }
            T t = at(i);
            i += 2;
            return t;
        }
    }

    static UnsupportedOperationException immutable() {
        return new UnsupportedOperationException("memsync JSON values are immutable");
    }
}
