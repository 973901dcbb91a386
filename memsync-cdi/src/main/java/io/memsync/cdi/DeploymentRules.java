package io.memsync.cdi;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.memsync.RpcMethod;

/**
 * The rules the extension checks, as plain code that returns problems instead of throwing, so every problem of a
 * deployment is reported at once and the rules are testable without a container.
 */
final class DeploymentRules {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private DeploymentRules() {
    }

    /** A problem with a shared-object name, or empty. */
    static Optional<String> checkName(String name, String where) {
        if (name == null || name.isEmpty()) {
            return Optional.of("@Shared(\"\") on " + where + ": the name must not be empty");
        }
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            return Optional.of("@Shared(\"" + name + "\") on " + where
                    + ": the name must be 1-100 letters, digits, '.', '_' or '-' (no path separators)");
        }
        return Optional.empty();
    }

    /** The document type bound by an injection point's type: {@code SharedObject<T>} gives T, raw gives null. */
    static Class<?> boundType(Type injected) {
        if (injected instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                && p.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return null;
    }

    /** Problems with one {@code @RpcMethod}. */
    static List<String> checkRpcMethod(Method m) {
        List<String> problems = new ArrayList<>();
        String where = m.getDeclaringClass().getName() + "." + m.getName() + "()";
        if (Modifier.isStatic(m.getModifiers())) {
            problems.add("@RpcMethod " + where + " must not be static");
        }
        if (!Modifier.isPublic(m.getModifiers())) {
            problems.add("@RpcMethod " + where + " must be public");
        }
        RpcMethod ann = m.getAnnotation(RpcMethod.class);
        if (ann != null && !ann.shared().isEmpty()) {
            checkName(ann.shared(), "@RpcMethod " + where).ifPresent(problems::add);
        }
        return problems;
    }

    /** The RPC name of a method. */
    static String rpcName(Method m) {
        RpcMethod ann = m.getAnnotation(RpcMethod.class);
        return ann.value().isEmpty() ? m.getName() : ann.value();
    }

    /**
     * Names bound to more than one document type: each name's document has one type, so {@code SharedObject<A>}
     * and {@code SharedObject<B>} for the same name are refused, naming both injection points. Raw
     * {@code SharedObject} and {@code SharedObject<JsonObject>} go with any type.
     *
     * @param bindings per name, each bound type with the first injection point that bound it
     */
    static List<String> conflictingTypes(Map<String, Map<Class<?>, String>> bindings) {
        List<String> problems = new ArrayList<>();
        bindings.forEach((name, types) -> {
            List<Map.Entry<Class<?>, String>> typed = types.entrySet().stream()
                    .filter(e -> e.getKey() != jakarta.json.JsonObject.class)
                    .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Class::getName))).toList();
            for (int i = 1; i < typed.size(); i++) {
                problems.add("@Shared(\"" + name + "\") is bound to two types: SharedObject<"
                        + typed.get(0).getKey().getName() + "> at " + typed.get(0).getValue() + " and SharedObject<"
                        + typed.get(i).getKey().getName() + "> at " + typed.get(i).getValue()
                        + "; a shared object has one document type (inject SharedObject or SharedObject<JsonObject> "
                        + "and call as(Type.class) for another view)");
            }
        });
        return problems;
    }

    /** Duplicate RPC names (per shared object; "" = all), naming both methods (in name order, whatever the discovery order). */
    static List<String> duplicateRpcNames(List<Method> methods) {
        List<String> problems = new ArrayList<>();
        Map<String, Method> seen = new LinkedHashMap<>();
        List<Method> sorted = methods.stream()
                .sorted(java.util.Comparator.comparing((Method m) -> m.getDeclaringClass().getName()).thenComparing(Method::getName))
                .toList();
        for (Method m : sorted) {
            String key = m.getAnnotation(RpcMethod.class).shared() + "\u0000" + rpcName(m);
            Method previous = seen.putIfAbsent(key, m);
            if (previous != null) {
                problems.add("RPC method '" + rpcName(m) + "' is declared twice: by "
                        + previous.getDeclaringClass().getName() + "." + previous.getName() + "() and by "
                        + m.getDeclaringClass().getName() + "." + m.getName() + "()");
            }
        }
        return problems;
    }
}
