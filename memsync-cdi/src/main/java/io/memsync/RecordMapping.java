package io.memsync;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * Maps records that JSON-B cannot reach: a record that is not public, or nested in a class that is not (e.g.
 * {@code record Bar(String name, int date) {}} inside a class or a method). JSON-B (Yasson) looks members up with
 * a public lookup and fails on them ("Error accessing getter"); this class reads the components through their
 * accessors and builds the record through its canonical constructor, made accessible, and hands everything else
 * back to {@link JsonMapping}. Types that contain such records (lists, sets, maps with string keys, arrays, other
 * records) are mapped here too. Internal to memsync.
 */
final class RecordMapping {
    private static final Map<Type, Boolean> NEEDED = new ConcurrentHashMap<>();

    private RecordMapping() {
    }

    /** Whether values of this type need this class (JSON-B cannot map them). */
    static boolean needed(Type type) {
        Boolean known = NEEDED.get(type);
        if (known != null) {
            return known;
        }
        boolean needed = needed(type, new HashSet<>());
        NEEDED.put(type, needed);
        return needed;
    }

    private static boolean needed(Type type, Set<Type> seen) {
        if (!seen.add(type)) {
            return false;
        }
        if (type instanceof Class<?> c) {
            if (c.isArray()) {
                return needed(c.getComponentType(), seen);
            }
            if (!c.isRecord()) {
                return false;
            }
            if (!reachable(c)) {
                return true;
            }
            for (RecordComponent rc : c.getRecordComponents()) {
                if (needed(rc.getGenericType(), seen)) {
                    return true;
                }
            }
            return false;
        }
        if (type instanceof ParameterizedType p) {
            for (Type arg : p.getActualTypeArguments()) {
                if (needed(arg, seen)) {
                    return true;
                }
            }
            return false;
        }
        if (type instanceof GenericArrayType g) {
            return needed(g.getGenericComponentType(), seen);
        }
        return false;
    }

    /** Whether a class and every class enclosing it are public. */
    private static boolean reachable(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /** A record, or a collection, map or array holding records, as JSON. */
    static JsonValue toJson(Object value) {
        if (value instanceof Record r) {
            Class<?> type = r.getClass();
            JsonObjectBuilder b = JsonMapping.JSON.createObjectBuilder();
            for (RecordComponent rc : type.getRecordComponents()) {
                Method accessor = rc.getAccessor();
                Object component;
                try {
                    accessor.setAccessible(true);
                    component = accessor.invoke(r);
                } catch (IllegalAccessException | RuntimeException e) {
                    throw new IllegalArgumentException("cannot read component '" + rc.getName() + "' of record "
                            + type.getName() + ": " + e.getMessage(), e);
                } catch (InvocationTargetException e) {
                    throw new IllegalArgumentException("component '" + rc.getName() + "' of record " + type.getName()
                            + " failed: " + e.getCause(), e.getCause());
                }
                b.add(rc.getName(), JsonMapping.toJson(component));
            }
            return b.build();
        }
        if (value instanceof Collection<?> c) {
            JsonArrayBuilder b = JsonMapping.JSON.createArrayBuilder();
            c.forEach(e -> b.add(JsonMapping.toJson(e)));
            return b.build();
        }
        if (value instanceof Map<?, ?> m) {
            JsonObjectBuilder b = JsonMapping.JSON.createObjectBuilder();
            m.forEach((k, v) -> b.add(String.valueOf(k), JsonMapping.toJson(v)));
            return b.build();
        }
        if (value.getClass().isArray() && !value.getClass().getComponentType().isPrimitive()) {
            JsonArrayBuilder b = JsonMapping.JSON.createArrayBuilder();
            for (int i = 0; i < Array.getLength(value); i++) {
                b.add(JsonMapping.toJson(Array.get(value, i)));
            }
            return b.build();
        }
        return null;
    }

    /** Whether a value may hold records JSON-B cannot reach (tried when JSON-B failed). */
    static boolean mayHelp(Object value) {
        return value instanceof Record || value instanceof Collection<?> || value instanceof Map<?, ?>
                || (value.getClass().isArray() && !value.getClass().getComponentType().isPrimitive());
    }

    /** JSON to a type for which {@link #needed(Type)} holds. */
    static Object fromJson(JsonValue value, Type type) {
        if (type instanceof Class<?> c && c.isRecord()) {
            return record(value, c);
        }
        if (type instanceof Class<?> c && c.isArray()) {
            return array(value, c.getComponentType(), c.getComponentType());
        }
        if (type instanceof GenericArrayType g) {
            Type component = g.getGenericComponentType();
            return array(value, component, raw(component));
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (Map.class.isAssignableFrom(raw) && args.length == 2) {
                JsonObject o = expect(value, JsonObject.class, type);
                Map<String, Object> map = new LinkedHashMap<>();
                o.forEach((k, v) -> map.put(k, JsonMapping.fromJson(v, args[1])));
                return map;
            }
            if (Collection.class.isAssignableFrom(raw) && args.length == 1) {
                JsonArray a = expect(value, JsonArray.class, type);
                Collection<Object> out = Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>() : new ArrayList<>();
                a.forEach(v -> out.add(JsonMapping.fromJson(v, args[0])));
                return Set.class.isAssignableFrom(raw) ? Set.copyOf(out) : List.copyOf(out);
            }
        }
        throw new IllegalArgumentException("cannot map JSON to " + type.getTypeName()
                + ": it holds a record that is not public and memsync maps such records only in lists, sets, maps, "
                + "arrays and other records");
    }

    private static Object record(JsonValue value, Class<?> type) {
        JsonObject o = expect(value, JsonObject.class, type);
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            types[i] = rc.getType();
            JsonValue v = o.get(rc.getName());
            try {
                args[i] = JsonMapping.fromJson(v, rc.getGenericType());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cannot map JSON to component '" + rc.getName() + "' ("
                        + rc.getGenericType().getTypeName() + ") of record " + type.getName() + ": " + e.getMessage(), e);
            }
            if (args[i] == null && types[i].isPrimitive()) {
                args[i] = Array.get(Array.newInstance(types[i], 1), 0);
            }
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("record " + type.getName() + " refused " + o + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot construct record " + type.getName() + ": " + e, e);
        }
    }

    private static Object array(JsonValue value, Type component, Class<?> rawComponent) {
        JsonArray a = expect(value, JsonArray.class, component);
        Object out = Array.newInstance(rawComponent, a.size());
        for (int i = 0; i < a.size(); i++) {
            Array.set(out, i, JsonMapping.fromJson(a.get(i), component));
        }
        return out;
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    private static <J extends JsonValue> J expect(JsonValue value, Class<J> json, Type target) {
        if (json.isInstance(value)) {
            return json.cast(value);
        }
        throw new IllegalArgumentException("cannot map " + value.getValueType() + " to " + target.getTypeName()
                + ": a JSON " + (json == JsonObject.class ? "object" : "array") + " is needed");
    }
}
