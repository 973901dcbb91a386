package io.memsync.document;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.pcollections.TreePVector;

/**
 * A persistent, immutable {@link JsonArray} backed by a persistent vector.
 *
 * <p>{@link #with(int, JsonValue)}, {@link #plus(int, JsonValue)} and {@link #minus(int)} cost
 * {@code O(log n)} and share structure with this array. Equality and hash code follow {@link List}
 * semantics, so an instance equals any other {@code JsonArray} with the same elements.
 */
public final class PJsonArray extends AbstractList<JsonValue> implements JsonArray {

    static final PJsonArray EMPTY = new PJsonArray(TreePVector.empty());

    private final TreePVector<JsonValue> elements;
    private int hash;
    private boolean hashed;

    private PJsonArray(TreePVector<JsonValue> elements) {
        this.elements = elements;
    }

    static PJsonArray of(TreePVector<JsonValue> elements) {
        return elements.isEmpty() ? EMPTY : new PJsonArray(elements);
    }

    static PJsonArray ofList(List<JsonValue> persistentElements) {
        return of(TreePVector.from(persistentElements));
    }

    /**
     * Returns this array with element {@code index} replaced.
     *
     * @param index an existing index
     * @param value the new element (persistent)
     * @return the new array
     */
    public PJsonArray with(int index, JsonValue value) {
        if (elements.get(index) == value) {
            return this;
        }
        return new PJsonArray((TreePVector<JsonValue>) elements.with(index, value));
    }

    /**
     * Returns this array with {@code value} inserted at {@code index} (0 to size).
     *
     * @param index insertion index
     * @param value the new element (persistent)
     * @return the new array
     */
    public PJsonArray plus(int index, JsonValue value) {
        return new PJsonArray(elements.plus(index, value));
    }

    /**
     * Returns this array with {@code value} appended.
     *
     * @param value the new element (persistent)
     * @return the new array
     */
    public PJsonArray plus(JsonValue value) {
        return new PJsonArray(elements.plus(value));
    }

    /**
     * Returns this array without element {@code index}.
     *
     * @param index an existing index
     * @return the new array
     */
    public PJsonArray minus(int index) {
        return of((TreePVector<JsonValue>) elements.minus(index));
    }

    @Override
    public ValueType getValueType() {
        return ValueType.ARRAY;
    }

    @Override
    public JsonValue get(int index) {
        return elements.get(index);
    }

    @Override
    public int size() {
        return elements.size();
    }

    @Override
    public java.util.Iterator<JsonValue> iterator() {
        return java.util.Collections.unmodifiableList(elements).iterator();
    }

    @Override
    public JsonObject getJsonObject(int index) {
        return (JsonObject) elements.get(index);
    }

    @Override
    public JsonArray getJsonArray(int index) {
        return (JsonArray) elements.get(index);
    }

    @Override
    public JsonNumber getJsonNumber(int index) {
        return (JsonNumber) elements.get(index);
    }

    @Override
    public JsonString getJsonString(int index) {
        return (JsonString) elements.get(index);
    }

    @Override
    public <T extends JsonValue> List<T> getValuesAs(Class<T> clazz) {
        List<T> out = new ArrayList<>(size());
        for (JsonValue v : elements) {
            out.add(clazz.cast(v));
        }
        return java.util.Collections.unmodifiableList(out);
    }

    @Override
    public String getString(int index) {
        return getJsonString(index).getString();
    }

    @Override
    public String getString(int index, String defaultValue) {
        return index >= 0 && index < size() && elements.get(index) instanceof JsonString s
                ? s.getString() : defaultValue;
    }

    @Override
    public int getInt(int index) {
        return getJsonNumber(index).intValue();
    }

    @Override
    public int getInt(int index, int defaultValue) {
        return index >= 0 && index < size() && elements.get(index) instanceof JsonNumber n
                ? n.intValue() : defaultValue;
    }

    @Override
    public boolean getBoolean(int index) {
        return switch (elements.get(index).getValueType()) {
            case TRUE -> true;
            case FALSE -> false;
            default -> throw new ClassCastException("element " + index + " is not a boolean");
        };
    }

    @Override
    public boolean getBoolean(int index, boolean defaultValue) {
        if (index < 0 || index >= size()) {
            return defaultValue;
        }
        return switch (elements.get(index).getValueType()) {
            case TRUE -> true;
            case FALSE -> false;
            default -> defaultValue;
        };
    }

    @Override
    public boolean isNull(int index) {
        return elements.get(index).getValueType() == ValueType.NULL;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (o instanceof PJsonArray p && (p.size() != size() || p.hashCode() != hashCode())) {
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

    // ---- immutability ----

    @Override
    public boolean add(JsonValue e) {
        throw PJsonObject.immutable();
    }

    @Override
    public void add(int index, JsonValue e) {
        throw PJsonObject.immutable();
    }

    @Override
    public JsonValue set(int index, JsonValue e) {
        throw PJsonObject.immutable();
    }

    @Override
    public JsonValue remove(int index) {
        throw PJsonObject.immutable();
    }

    @Override
    public boolean remove(Object o) {
        throw PJsonObject.immutable();
    }

    @Override
    public boolean addAll(Collection<? extends JsonValue> c) {
        throw PJsonObject.immutable();
    }

    @Override
    public boolean addAll(int index, Collection<? extends JsonValue> c) {
        throw PJsonObject.immutable();
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        throw PJsonObject.immutable();
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        throw PJsonObject.immutable();
    }

    @Override
    public boolean removeIf(Predicate<? super JsonValue> filter) {
        throw PJsonObject.immutable();
    }

    @Override
    public void replaceAll(UnaryOperator<JsonValue> operator) {
        throw PJsonObject.immutable();
    }

    @Override
    public void sort(Comparator<? super JsonValue> c) {
        throw PJsonObject.immutable();
    }

    @Override
    public void clear() {
        throw PJsonObject.immutable();
    }
}
