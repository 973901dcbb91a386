package io.memsync.document;

import java.util.AbstractMap;
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
 * A persistent, immutable {@link JsonObject} backed by an insertion-ordered persistent map.
 *
 * <p>{@link #with(String, JsonValue)} replaces a member in place (keeping its position) or appends a new
 * one, {@link #without(String)} removes one; both cost {@code O(log n)} and share structure with this
 * object. Equality and hash code follow {@link Map} semantics, so an instance equals any other
 * {@code JsonObject} with the same members. Values stored are expected to be persistent already (see
 * {@link PersistentJson}).
 */
public final class PJsonObject extends AbstractMap<String, JsonValue> implements JsonObject {

    static final PJsonObject EMPTY = new PJsonObject(OrderedPMap.empty());

    private final OrderedPMap<String, JsonValue> members;
    private int hash;
    private boolean hashed;

    private PJsonObject(OrderedPMap<String, JsonValue> members) {
        this.members = members;
    }

    static PJsonObject of(OrderedPMap<String, JsonValue> members) {
        return members.isEmpty() ? EMPTY : new PJsonObject(members);
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
        if (members.get(name) == value) {
            return this;
        }
        return new PJsonObject(members.plus(name, value));
    }

    /**
     * Returns this object without the member {@code name}.
     *
     * @param name member name
     * @return the new object (this one when the member is absent)
     */
    public PJsonObject without(String name) {
        if (!members.containsKey(name)) {
            return this;
        }
        return of(members.minus(name));
    }

    @Override
    public ValueType getValueType() {
        return ValueType.OBJECT;
    }

    @Override
    public JsonValue get(Object key) {
        return members.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return members.containsKey(key);
    }

    @Override
    public int size() {
        return members.size();
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    @Override
    public Set<Map.Entry<String, JsonValue>> entrySet() {
        return members.entrySet();
    }

    @Override
    public Set<String> keySet() {
        return members.keySet();
    }

    @Override
    public JsonArray getJsonArray(String name) {
        return (JsonArray) members.get(name);
    }

    @Override
    public JsonObject getJsonObject(String name) {
        return (JsonObject) members.get(name);
    }

    @Override
    public JsonNumber getJsonNumber(String name) {
        return (JsonNumber) members.get(name);
    }

    @Override
    public JsonString getJsonString(String name) {
        return (JsonString) members.get(name);
    }

    @Override
    public String getString(String name) {
        return getJsonString(name).getString();
    }

    @Override
    public String getString(String name, String defaultValue) {
        return members.get(name) instanceof JsonString s ? s.getString() : defaultValue;
    }

    @Override
    public int getInt(String name) {
        return getJsonNumber(name).intValue();
    }

    @Override
    public int getInt(String name, int defaultValue) {
        return members.get(name) instanceof JsonNumber n ? n.intValue() : defaultValue;
    }

    @Override
    public boolean getBoolean(String name) {
        JsonValue v = members.get(name);
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
        JsonValue v = members.get(name);
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
        JsonValue v = members.get(name);
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
        if (!hashed) {
            hash = super.hashCode();
            hashed = true;
        }
        return hash;
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

    static UnsupportedOperationException immutable() {
        return new UnsupportedOperationException("memsync JSON values are immutable");
    }
}
