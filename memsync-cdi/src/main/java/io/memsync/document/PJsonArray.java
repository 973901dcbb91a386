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
 *
 * <p>Lookups by value ({@link #indexOf}, {@link #lastIndexOf}, {@link #contains}) in an array of more than
 * {@value #SMALL_MAX} elements are a plain pass the first time they are asked of a given array value; from
 * the second one on they use a hash index of the elements built once for that (immutable) value, so a loop
 * of lookups in one snapshot costs one pass, not one pass per lookup. Iteration, equality and hash code walk
 * the elements once; {@link #get} is {@code O(log n)} at worst.
 */
public final class PJsonArray extends AbstractList<JsonValue> implements JsonArray {

    /** Most elements kept in the flat form. */
    static final int SMALL_MAX = 16;

    static final PJsonArray EMPTY = new PJsonArray(new JsonValue[0], null);

    /** Flat form ({@code null} when {@link #elements} is used). */
    private final JsonValue[] flat;
    private final TreePVector<JsonValue> elements;
    private int hash;
    /** Length of the compact JSON text once known (see {@link JsonSize}), else -1. */
    private volatile long bytes = -1;
    /** Nesting depth once known, else -1 (computed again by a thread that misses it, like {@link #hash}). */
    private int depth = -1;
    /** Lookups asked of this value so far (1 means the next one builds {@link #index}). */
    private int lookups;
    /** Hash index of the elements, built at the second lookup of a large array; published through final fields. */
    private Positions index;

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
        JsonValue old = get(index);
        if (old == value) {
            return this;
        }
        return carry(withElement(index, value), old, value);
    }

    private PJsonArray withElement(int index, JsonValue value) {
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
        return carry(plusElement(index, value), null, value);
    }

    private PJsonArray plusElement(int index, JsonValue value) {
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
        return carry(minusElement(index), get(index), null);
    }

    private PJsonArray minusElement(int index) {
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

    /**
     * Gives {@code next}, this array with element {@code old} replaced by {@code value}, inserted ({@code old} null)
     * or removed ({@code value} null), the size of its text worked out from this one's, when this one's is known.
     */
    private PJsonArray carry(PJsonArray next, JsonValue old, JsonValue value) {
        long b = bytes;
        if (next == this || b < 0 || b == Long.MAX_VALUE || next.bytes >= 0) {
            return next;
        }
        if (old != null && value != null) {
            b = b - JsonSize.bytes(old) + JsonSize.bytes(value);
        } else if (old == null) {
            b = JsonSize.add(b, JsonSize.bytes(value) + (size() == 0 ? 0 : 1));
        } else {
            b = b - JsonSize.bytes(old) - (size() == 1 ? 0 : 1);
        }
        if (b > 0 && b != Long.MAX_VALUE) {
            next.bytes = b;
        }
        return next;
    }

    /** The length of this array's compact JSON text, kept once known. */
    long bytes() {
        long b = bytes;
        if (b < 0) {
            b = JsonSize.arrayBytes(this);
            bytes = b;
        }
        return b;
    }

    /** This array's nesting depth, kept once known. */
    int depth() {
        int d = depth;
        if (d < 0) {
            d = 0;
            for (JsonValue v : this) {
                d = Math.max(d, JsonSize.depth(v));
            }
            depth = ++d;
        }
        return d;
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
    public int indexOf(Object o) {
        Positions p = positions();
        if (p != null) {
            return p.first(o, this);
        }
        int i = 0;
        for (JsonValue e : this) {
            if (o != null && o.equals(e)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    @Override
    public int lastIndexOf(Object o) {
        Positions p = positions();
        if (p != null) {
            return p.last(o, this);
        }
        int found = -1;
        int i = 0;
        for (JsonValue e : this) {
            if (o != null && o.equals(e)) {
                found = i;
            }
            i++;
        }
        return found;
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    /** The hash index when this array is large and was asked a lookup before, else {@code null} (scan). */
    private Positions positions() {
        Positions p = index;
        if (p != null || size() <= SMALL_MAX) {
            return p;
        }
        if (lookups == 0) { // the first lookup of this value scans: a one-off lookup should not pay for an index
            lookups = 1;
            return null;
        }
        p = new Positions(this);
        index = p;
        return p;
    }

    /**
     * Where each distinct element first and last occurs: open addressing over the elements' hash codes
     * (their {@code equals}/{@code hashCode} contract is JSON-P's), positions only, no copies of the elements.
     */
    private static final class Positions {
        /** Slot → position of the first occurrence + 1 (0: empty). */
        private final int[] first;
        /** Slot → position of the last occurrence. */
        private final int[] last;
        /** Slot → hash code of the element there. */
        private final int[] hashes;
        private final int mask;
        private final int shift;

        Positions(PJsonArray a) {
            int cap = Integer.highestOneBit(Math.max(4, a.size()) * 2 - 1) << 1; // at most half full
            first = new int[cap];
            last = new int[cap];
            hashes = new int[cap];
            mask = cap - 1;
            shift = Integer.numberOfLeadingZeros(cap) + 1;
            int i = 0;
            for (JsonValue e : a) {
                int h = e.hashCode();
                int s = home(h);
                while (true) {
                    if (first[s] == 0) {
                        first[s] = i + 1;
                        last[s] = i;
                        hashes[s] = h;
                        break;
                    }
                    if (hashes[s] == h && e.equals(a.get(first[s] - 1))) {
                        last[s] = i;
                        break;
                    }
                    s = (s + 1) & mask;
                }
                i++;
            }
        }

        /** The home slot of a hash code: the high bits of a Fibonacci hash (they depend on every input bit). */
        private int home(int h) {
            return (h * 0x9E3779B1) >>> shift;
        }

        /** The slot holding an element equal to {@code o} ({@code o.equals(element)}, as List asks), or -1. */
        private int slot(Object o, PJsonArray a) {
            if (!(o instanceof JsonValue)) {
                return -1; // equals of a JSON value and anything else is false
            }
            int h = o.hashCode();
            int s = home(h);
            while (first[s] != 0) {
                if (hashes[s] == h && o.equals(a.get(first[s] - 1))) {
                    return s;
                }
                s = (s + 1) & mask;
            }
            return -1;
        }

        int first(Object o, PJsonArray a) {
            int s = slot(o, a);
            return s < 0 ? -1 : first[s] - 1;
        }

        int last(Object o, PJsonArray a) {
            int s = slot(o, a);
            return s < 0 ? -1 : last[s];
        }
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
        if (!(o instanceof List<?> other) || other.size() != size()) {
            return false;
        }
        if (o instanceof PJsonArray p && p.hashCode() != hashCode()) {
            return false;
        }
        // both walked by their iterators: AbstractList's equals goes through get(i), O(log n) each in the tree
        java.util.Iterator<?> them = other.iterator();
        for (JsonValue e : this) {
            if (!them.hasNext() || !e.equals(them.next())) {
                return false;
            }
        }
        return !them.hasNext();
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
