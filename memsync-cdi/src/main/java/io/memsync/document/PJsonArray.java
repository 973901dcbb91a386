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
 * A persistent, immutable {@link JsonArray}.
 *
 * <p>{@link #with(int, JsonValue)}, {@link #plus(int, JsonValue)} and {@link #minus(int)} share structure
 * with this array, which never changes. An array built in one go (parsed, converted) is one flat array, the
 * cheapest form to build and read; a change to an array of up to {@value #SMALL_MAX} elements copies it, a
 * change to a larger one moves it to a persistent vector ({@code O(log n)} per change from then on).
 * Equality and hash code follow {@link List} semantics, so an instance equals any other {@code JsonArray}
 * with the same elements.
 */
public final class PJsonArray extends AbstractList<JsonValue> implements JsonArray {

    /** Most elements kept in the flat form. */
    static final int SMALL_MAX = 16;

    static final PJsonArray EMPTY = new PJsonArray(new JsonValue[0], null);

    /** Flat form ({@code null} when {@link #elements} is used). */
    private final JsonValue[] flat;
    private final TreePVector<JsonValue> elements;
    private int hash;

    private PJsonArray(JsonValue[] flat, TreePVector<JsonValue> elements) {
        this.flat = flat;
        this.elements = elements;
    }

    static PJsonArray of(TreePVector<JsonValue> elements) {
        if (elements.isEmpty()) {
            return EMPTY;
        }
        if (elements.size() <= SMALL_MAX) {
            return new PJsonArray(elements.toArray(new JsonValue[0]), null);
        }
        return new PJsonArray(null, elements);
    }

    static PJsonArray ofList(List<JsonValue> persistentElements) {
        if (persistentElements.isEmpty()) {
            return EMPTY;
        }
        return new PJsonArray(persistentElements.toArray(new JsonValue[0]), null);
    }

    private TreePVector<JsonValue> tree() {
        return elements != null ? elements : TreePVector.from(java.util.Arrays.asList(flat));
    }

    /**
     * Returns this array with the element at {@code index} replaced.
     *
     * @param index position, {@code 0 <= index < size()}
     * @param value new element (persistent)
     * @return the new array (this one when nothing changes by identity)
     */
    public PJsonArray with(int index, JsonValue value) {
        if (get(index) == value) {
            return this;
        }
        if (flat != null && flat.length <= SMALL_MAX) {
            JsonValue[] f = flat.clone();
            f[index] = value;
            return new PJsonArray(f, null);
        }
        return new PJsonArray(null, (TreePVector<JsonValue>) tree().with(index, value));
    }

    /**
     * Returns this array with {@code value} inserted at {@code index}.
     *
     * @param index position, {@code 0 <= index <= size()}
     * @param value new element (persistent)
     * @return the new array
     */
    public PJsonArray plus(int index, JsonValue value) {
        if (flat != null) {
            java.util.Objects.checkIndex(index, flat.length + 1);
            if (flat.length < SMALL_MAX) {
                JsonValue[] f = new JsonValue[flat.length + 1];
                System.arraycopy(flat, 0, f, 0, index);
                f[index] = value;
                System.arraycopy(flat, index, f, index + 1, flat.length - index);
                return new PJsonArray(f, null);
            }
        }
        return new PJsonArray(null, tree().plus(index, value));
    }

    /**
     * Returns this array with {@code value} appended.
     *
     * @param value new element (persistent)
     * @return the new array
     */
    public PJsonArray plus(JsonValue value) {
        return plus(size(), value);
    }

    /**
     * Returns this array without the element at {@code index}.
     *
     * @param index position, {@code 0 <= index < size()}
     * @return the new array
     */
    public PJsonArray minus(int index) {
        if (flat != null) {
            java.util.Objects.checkIndex(index, flat.length);
            if (flat.length == 1) {
                return EMPTY;
            }
            if (flat.length <= SMALL_MAX + 1) {
                JsonValue[] f = new JsonValue[flat.length - 1];
                System.arraycopy(flat, 0, f, 0, index);
                System.arraycopy(flat, index + 1, f, index, flat.length - index - 1);
                return new PJsonArray(f, null);
            }
        }
        return of((TreePVector<JsonValue>) tree().minus(index));
    }

    @Override
    public ValueType getValueType() {
        return ValueType.ARRAY;
    }

    @Override
    public JsonValue get(int index) {
        return flat != null ? flat[java.util.Objects.checkIndex(index, flat.length)] : elements.get(index);
    }

    @Override
    public int size() {
        return flat != null ? flat.length : elements.size();
    }

    @Override
    public java.util.Iterator<JsonValue> iterator() {
        if (flat != null) {
            return java.util.Collections.unmodifiableList(java.util.Arrays.asList(flat)).iterator();
        }
        return java.util.Collections.unmodifiableList(elements).iterator();
    }

    @Override
    public JsonObject getJsonObject(int index) {
        return (JsonObject) get(index);
    }

    @Override
    public JsonArray getJsonArray(int index) {
        return (JsonArray) get(index);
    }

    @Override
    public JsonNumber getJsonNumber(int index) {
        return (JsonNumber) get(index);
    }

    @Override
    public JsonString getJsonString(int index) {
        return (JsonString) get(index);
    }

    @Override
    public <T extends JsonValue> List<T> getValuesAs(Class<T> clazz) {
        List<T> out = new ArrayList<>(size());
        for (JsonValue v : this) {
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
        return index >= 0 && index < size() && get(index) instanceof JsonString s
                ? s.getString() : defaultValue;
    }

    @Override
    public int getInt(int index) {
        return getJsonNumber(index).intValue();
    }

    @Override
    public int getInt(int index, int defaultValue) {
        return index >= 0 && index < size() && get(index) instanceof JsonNumber n
                ? n.intValue() : defaultValue;
    }

    @Override
    public boolean getBoolean(int index) {
        return switch (get(index).getValueType()) {
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
        return switch (get(index).getValueType()) {
            case TRUE -> true;
            case FALSE -> false;
            default -> defaultValue;
        };
    }

    @Override
    public boolean isNull(int index) {
        return get(index).getValueType() == ValueType.NULL;
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
