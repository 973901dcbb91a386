package io.memsync.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import io.memsync.MemSyncException;
import io.memsync.RpcHandler;
import io.memsync.RpcMethod;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The checks and conversions behind {@link io.memsync.MemSync.Builder}'s setters, and the RPC methods it collects
 * ({@link Rpc}). Every failure is a {@link MemSyncException} {@code ERR_CONFIG} naming the shared object and the
 * option. Not API.
 */
public final class BuilderSupport {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private BuilderSupport() {
    }

    /**
     * Checks a shared-object name.
     *
     * @param name      the name
     * @param maxLength its longest accepted length
     * @return the name
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} naming the problem
     */
    public static String validateName(String name, int maxLength) {
        if (name == null || name.isEmpty()) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "shared object name must not be empty");
        }
        if (name.length() > maxLength) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "shared object name '" + name.substring(0, 20)
                    + "…' is " + name.length() + " characters long; at most " + maxLength + " are allowed");
        }
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "shared object name '" + name
                    + "' is invalid: use letters, digits, '.', '_' and '-' only (no path separators or spaces)");
        }
        return name;
    }

    /**
     * Maps initial data given as a record or POJO (through JSON-B) to the JSON object it must be.
     *
     * @param name  the shared object's name
     * @param value the value
     * @return the JSON object
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when it does not map to a JSON object
     */
    public static JsonObject initialData(String name, Object value) {
        JsonValue json;
        try {
            json = JsonMapping.toJson(value);
        } catch (IllegalArgumentException e) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "initial data of '" + name + "': " + e.getMessage(), e);
        }
        if (json instanceof JsonObject o) {
            return o;
        }
        throw new MemSyncException(MemSyncException.ERR_CONFIG, "initial data of '" + name
                + "' must map to a JSON object, got " + json.getValueType());
    }

    /**
     * Checks a duration option.
     *
     * @param name   the shared object's name
     * @param d      the duration
     * @param option the option's name
     * @param zeroOk whether zero is accepted
     * @return {@code d}
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when negative (or zero unless {@code zeroOk})
     */
    public static Duration positive(String name, Duration d, String option, boolean zeroOk) {
        Objects.requireNonNull(d, option);
        if (d.isNegative() || (!zeroOk && d.isZero())) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, option + " of '" + name + "' must be "
                    + (zeroOk ? "zero or positive" : "positive") + ", got " + d);
        }
        return d;
    }

    /**
     * Checks a lower bound.
     *
     * @param name   the shared object's name
     * @param option the option's name
     * @param value  the value
     * @param min    the least accepted value
     * @return {@code value}
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when below {@code min}
     */
    public static long atLeast(String name, String option, long value, long min) {
        if (value < min) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, option + " of '" + name + "' must be at least " + min + ", got " + value);
        }
        return value;
    }

    /**
     * Checks a range.
     *
     * @param name   the shared object's name
     * @param option the option's name
     * @param value  the value
     * @param min    the least accepted value
     * @param max    the greatest accepted value
     * @return {@code value}
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when outside {@code [min, max]}
     */
    public static long between(String name, String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, option + " of '" + name + "' must be between " + min + " and "
                    + max + ", got " + value);
        }
        return value;
    }

    /** The RPC methods a builder collected, each with where it came from (for the message of a duplicate). */
    public static final class Rpc {
        private final String name;
        private final Map<String, RpcHandler> handlers = new LinkedHashMap<>();
        private final Map<String, String> origins = new LinkedHashMap<>();

        /** @param name the shared object's name */
        public Rpc(String name) {
            this.name = name;
        }

        /** @return whether none is registered */
        public boolean isEmpty() {
            return handlers.isEmpty();
        }

        /** @return the handlers by method name (a copy) */
        public Map<String, RpcHandler> handlers() {
            return Map.copyOf(handlers);
        }

        /**
         * Registers every public {@link RpcMethod} method of a bean.
         *
         * @param bean the bean
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when it has none, one is static, or a name is
         *                          taken
         */
        public void addBean(Object bean) {
            Objects.requireNonNull(bean, "bean");
            int found = 0;
            for (Method m : bean.getClass().getMethods()) {
                RpcMethod ann = m.getAnnotation(RpcMethod.class);
                if (ann == null) {
                    continue;
                }
                if (Modifier.isStatic(m.getModifiers())) {
                    throw new MemSyncException(MemSyncException.ERR_CONFIG, "@RpcMethod " + describe(m) + " must not be static");
                }
                String rpcName = ann.value().isEmpty() ? m.getName() : ann.value();
                add(rpcName, new ReflectiveRpcHandler(() -> bean, m, rpcName), describe(m));
                found++;
            }
            if (found == 0) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, bean.getClass().getName()
                        + " has no public @RpcMethod methods");
            }
        }

        private static String describe(Method m) {
            return m.getDeclaringClass().getName() + "." + m.getName() + "()";
        }

        /**
         * Registers one method.
         *
         * @param method  the RPC name
         * @param handler serves calls
         * @param origin  where it came from, for messages
         * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when the name is blank or taken
         */
        public void add(String method, RpcHandler handler, String origin) {
            if (method == null || method.isBlank()) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "RPC name must not be empty (" + origin + ")");
            }
            String previous = origins.putIfAbsent(method, origin);
            if (previous != null) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "RPC method '" + method + "' of '" + name
                        + "' is registered twice: by " + previous + " and by " + origin);
            }
            handlers.put(method, handler);
        }
    }
}
