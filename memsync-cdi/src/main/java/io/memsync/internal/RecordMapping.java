package io.memsync.internal;

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
import java.util.Collections;
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
 * Maps records and POJOs that JSON-B cannot reach: a class that is not public, or nested in a class that is not
 * (e.g. {@code record Bar(String name, int date) {}} inside a class or a method). JSON-B (Yasson) looks members up
 * with a public lookup and fails on them ("Error accessing getter"); this class reads a record's components through
 * their accessors and builds it through its canonical constructor, and maps a POJO like JSON-B does by default
 * (public getters and setters, public fields, the no-argument constructor), everything made accessible; it hands
 * every other value back to {@link JsonMapping}. Types that contain such classes (lists, sets, maps with string
 * keys, arrays, other records) are mapped here too. Internal to memsync.
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
                return isPojo(c) && !reachable(c);
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

    /** A class mapped by its bean properties: not a JDK/Jakarta type, an array, enum or interface; a no-argument constructor. */
    static boolean isPojo(Class<?> c) {
        if (c.isInterface() || c.isEnum() || c.isArray() || c.isPrimitive() || c.isRecord()
                || c.getName().startsWith("java.") || c.getName().startsWith("jakarta.")) {
            return false;
        }
        try {
            c.getDeclaredConstructor();
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
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
        if (!(value instanceof Record) && isPojo(value.getClass()) && !reachable(value.getClass())) {
            return pojo(value);
        }
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
                || (isPojo(value.getClass()) && !reachable(value.getClass()))
                || (value.getClass().isArray() && !value.getClass().getComponentType().isPrimitive());
    }

    /** JSON to a type for which {@link #needed(Type)} holds. */
    static Object fromJson(JsonValue value, Type type) {
        if (type instanceof Class<?> c && c.isRecord()) {
            return record(value, c);
        }
        if (type instanceof Class<?> c && isPojo(c)) {
            return pojo(value, c);
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
                // JSON null elements stay null (List.copyOf and Set.copyOf refuse them)
                return Set.class.isAssignableFrom(raw) ? Collections.unmodifiableSet((Set<Object>) out)
                        : Collections.unmodifiableList((List<Object>) out);
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

    /** A POJO's properties as JSON, like JSON-B: public getters ({@code getX}/{@code isX}) and public fields. */
    private static JsonValue pojo(Object value) {
        Class<?> type = value.getClass();
        JsonObjectBuilder b = JsonMapping.JSON.createObjectBuilder();
        for (Method getter : type.getMethods()) {
            String property = getterProperty(getter);
            if (property == null) {
                continue;
            }
            try {
                getter.setAccessible(true);
                b.add(property, JsonMapping.toJson(getter.invoke(value)));
            } catch (IllegalAccessException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read property '" + property + "' of " + type.getName() + ": " + e, e);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException("property '" + property + "' of " + type.getName() + " failed: "
                        + e.getCause(), e.getCause());
            }
        }
        for (java.lang.reflect.Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                try {
                    f.setAccessible(true);
                    b.add(f.getName(), JsonMapping.toJson(f.get(value)));
                } catch (IllegalAccessException | RuntimeException e) {
                    throw new IllegalArgumentException("cannot read field '" + f.getName() + "' of " + type.getName() + ": " + e, e);
                }
            }
        }
        return b.build();
    }

    /** A POJO from JSON: its no-argument constructor, then public setters ({@code setX}) and public fields. */
    private static Object pojo(JsonValue value, Class<?> type) {
        JsonObject o = expect(value, JsonObject.class, type);
        Object target;
        try {
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            target = constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot construct " + type.getName() + " through its no-argument constructor: " + e, e);
        }
        for (Method setter : type.getMethods()) {
            if (setter.getParameterCount() != 1 || Modifier.isStatic(setter.getModifiers())
                    || !setter.getName().startsWith("set") || setter.getName().length() < 4) {
                continue;
            }
            String property = decapitalize(setter.getName().substring(3));
            if (!o.containsKey(property)) {
                continue;
            }
            Type propertyType = setter.getGenericParameterTypes()[0];
            Object v;
            try {
                v = JsonMapping.fromJson(o.get(property), propertyType);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cannot map JSON to property '" + property + "' ("
                        + propertyType.getTypeName() + ") of " + type.getName() + ": " + e.getMessage(), e);
            }
            if (v == null && setter.getParameterTypes()[0].isPrimitive()) {
                continue;
            }
            try {
                setter.setAccessible(true);
                setter.invoke(target, v);
            } catch (IllegalAccessException | RuntimeException e) {
                throw new IllegalArgumentException("cannot set property '" + property + "' of " + type.getName() + ": " + e, e);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException(type.getName() + " refused property '" + property + "': " + e.getCause(), e.getCause());
            }
        }
        for (java.lang.reflect.Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers()) || !o.containsKey(f.getName())) {
                continue;
            }
            try {
                Object v = JsonMapping.fromJson(o.get(f.getName()), f.getGenericType());
                if (v != null || !f.getType().isPrimitive()) {
                    f.setAccessible(true);
                    f.set(target, v);
                }
            } catch (IllegalAccessException | RuntimeException e) {
                throw new IllegalArgumentException("cannot map JSON to field '" + f.getName() + "' ("
                        + f.getGenericType().getTypeName() + ") of " + type.getName() + ": " + e.getMessage(), e);
            }
        }
        return target;
    }

    private static String getterProperty(Method m) {
        if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
            return null;
        }
        String n = m.getName();
        if (n.startsWith("get") && n.length() > 3 && m.getReturnType() != void.class) {
            return decapitalize(n.substring(3));
        }
        if (n.startsWith("is") && n.length() > 2 && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
            return decapitalize(n.substring(2));
        }
        return null;
    }

    private static String decapitalize(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(1)) && Character.isUpperCase(s.charAt(0))) {
            return s;
        }
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
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
