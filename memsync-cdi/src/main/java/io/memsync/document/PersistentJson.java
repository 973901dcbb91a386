package io.memsync.document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.pcollections.OrderedPMap;

/**
 * Conversion of any JSON-P value into memsync's persistent representation ({@link PJsonObject},
 * {@link PJsonArray}). Scalars (strings, numbers, literals) are kept as given; numbers keep their exact
 * value and kind.
 */
public final class PersistentJson {

    private PersistentJson() {
    }

    /**
     * Deep-converts an object; returns it as is when it is already persistent.
     *
     * @param any any JSON-P object
     * @return an equal persistent object
     */
    public static JsonObject object(JsonObject any) {
        if (any instanceof PJsonObject p) {
            return p;
        }
        if (any.size() <= PJsonObject.SMALL_MAX) {
            Object[] kv = new Object[any.size() * 2];
            int i = 0;
            for (Map.Entry<String, JsonValue> e : any.entrySet()) {
                kv[i++] = e.getKey();
                kv[i++] = value(e.getValue());
            }
            return PJsonObject.ofFlat(kv);
        }
        OrderedPMap<String, JsonValue> m = OrderedPMap.empty();
        for (Map.Entry<String, JsonValue> e : any.entrySet()) {
            m = m.plus(e.getKey(), value(e.getValue()));
        }
        return PJsonObject.of(m);
    }

    /**
     * Deep-converts an array; returns it as is when it is already persistent.
     *
     * @param any any JSON-P array
     * @return an equal persistent array
     */
    public static JsonArray array(JsonArray any) {
        if (any instanceof PJsonArray p) {
            return p;
        }
        List<JsonValue> v = new ArrayList<>(any.size());
        for (JsonValue e : any) {
            v.add(value(e));
        }
        return PJsonArray.ofList(v);
    }

    /**
     * Deep-converts any value: objects and arrays become persistent, scalars are returned unchanged.
     *
     * @param any any JSON-P value (not {@code null})
     * @return an equal persistent value
     */
    public static JsonValue value(JsonValue any) {
        if (any instanceof JsonObject o) {
            return object(o);
        }
        if (any instanceof JsonArray a) {
            return array(a);
        }
        if (any == null) {
            throw new NullPointerException("JSON value is null (use JsonValue.NULL)");
        }
        return any;
    }

    /**
     * The empty persistent object.
     *
     * @return {@code {}}
     */
    public static JsonObject emptyObject() {
        return PJsonObject.EMPTY;
    }

    /**
     * The empty persistent array.
     *
     * @return {@code []}
     */
    public static JsonArray emptyArray() {
        return PJsonArray.EMPTY;
    }
}
