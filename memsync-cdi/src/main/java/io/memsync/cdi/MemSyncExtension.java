package io.memsync.cdi;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.memsync.MemSync;
import io.memsync.MemSyncChange;
import io.memsync.MemSyncEvent;
import io.memsync.MemSyncException;
import io.memsync.RpcMethod;
import io.memsync.Shared;
import io.memsync.SharedDocument;
import io.memsync.SharedObject;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.enterprise.inject.spi.ProcessObserverMethod;
import jakarta.inject.Singleton;

/**
 * The memsync portable extension.
 *
 * <ul>
 *   <li>collects every {@code @Shared("name") SharedObject} (or {@code SharedObject<T>}, or {@code SharedDocument})
 *       injection point, every {@code @Observes @Shared("name") MemSyncChange/MemSyncEvent} observer and every
 *       {@code @RpcMethod(shared = "name")}, and adds one bean per name and bound type;</li>
 *   <li>collects {@link RpcMethod} methods of enabled beans; each call runs with the request context active and
 *       a {@code @Dependent} bean's instance is destroyed when its call ends;</li>
 *   <li>reports bad names, bad RPC methods, duplicate RPC names and one name bound to two types as deployment
 *       problems — all of them, not only the first;</li>
 *   <li>when MicroProfile Health is present, adds a {@code @Readiness} check {@code memsync-<name>} per shared
 *       object (up while host or client);</li>
 *   <li>when Micrometer is present, registers meters per shared object (see {@code MicrometerMetrics});</li>
 *   <li>configures each shared object from MicroProfile Config ({@code memsync.<name>.*}), starts them before the
 *       application serves, fires {@link MemSyncChange} and {@link MemSyncEvent} events qualified with
 *       {@code @Shared("name")} (to synchronous and asynchronous observers), and stops them at shutdown.</li>
 * </ul>
 */
public class MemSyncExtension implements Extension {
    private static final System.Logger LOG = System.getLogger(MemSyncExtension.class.getName());

    /** Per name: each bound document type with the first place that bound it ({@code JsonObject} always). */
    private final Map<String, Map<Class<?>, String>> boundTypes = new LinkedHashMap<>();
    /** Local problems, reported together in AfterBeanDiscovery (Weld stops at the first Process* event with one). */
    private final List<String> definitionErrors = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<RpcBinding> rpcMethods = new ArrayList<>();
    private final Map<String, SharedObject<?>> objects = new ConcurrentHashMap<>();

    private record RpcBinding(Bean<?> bean, Method method) {
    }

    /** Public no-argument constructor, as the service loader requires. */
    public MemSyncExtension() {
    }

    void injectionPoint(@Observes ProcessInjectionPoint<?, ?> pip) {
        InjectionPoint ip = pip.getInjectionPoint();
        Type type = ip.getType();
        Class<?> raw = type instanceof Class<?> c ? c
                : type instanceof java.lang.reflect.ParameterizedType p && p.getRawType() instanceof Class<?> c2 ? c2 : null;
        if (raw != SharedObject.class && raw != SharedDocument.class) {
            return;
        }
        String where = describe(ip);
        Shared shared = qualifier(ip.getQualifiers());
        if (shared == null) {
            definitionError(raw.getSimpleName() + " injection point " + where + " needs a @Shared(\"name\") qualifier");
            return;
        }
        var nameProblem = DeploymentRules.checkName(shared.value(), where);
        if (nameProblem.isPresent()) {
            definitionError(nameProblem.get());
            return;
        }
        declare(shared.value(), DeploymentRules.boundType(type), where);
    }

    void observer(@Observes ProcessObserverMethod<?, ?> pom) {
        Type observed = pom.getObserverMethod().getObservedType();
        if (observed != MemSyncChange.class && observed != MemSyncEvent.class) {
            return;
        }
        Shared shared = qualifier(pom.getObserverMethod().getObservedQualifiers());
        if (shared == null) {
            return;
        }
        String where = "observer " + pom.getAnnotatedMethod().getJavaMember().getDeclaringClass().getName() + "."
                + pom.getAnnotatedMethod().getJavaMember().getName() + "()";
        var nameProblem = DeploymentRules.checkName(shared.value(), where);
        if (nameProblem.isPresent()) {
            definitionError(nameProblem.get());
            return;
        }
        declare(shared.value(), null, where);
    }

    private synchronized void declare(String name, Class<?> type, String where) {
        Map<Class<?>, String> types = boundTypes.computeIfAbsent(name, k -> new LinkedHashMap<>());
        types.putIfAbsent(jakarta.json.JsonObject.class, where);
        // SharedObject<Object> is one of the JSON bean's types already (it serves raw injection points)
        if (type != null && type != Object.class) {
            types.putIfAbsent(type, where);
        }
    }

    void managedBean(@Observes ProcessManagedBean<?> pmb) {
        for (AnnotatedMethod<?> am : pmb.getAnnotatedBeanClass().getMethods()) {
            if (!am.isAnnotationPresent(RpcMethod.class)) {
                continue;
            }
            Method m = am.getJavaMember();
            List<String> local = DeploymentRules.checkRpcMethod(m);
            if (!local.isEmpty()) {
                local.forEach(this::definitionError);
                continue;
            }
            String target = m.getAnnotation(RpcMethod.class).shared();
            if (!target.isEmpty()) {
                // served even when nothing injects or observes the name
                declare(target, null, "@RpcMethod " + m.getDeclaringClass().getName() + "." + m.getName() + "()");
            }
            synchronized (this) {
                rpcMethods.add(new RpcBinding(pmb.getBean(), m));
            }
        }
    }

    private synchronized void definitionError(String problem) {
        definitionErrors.add(problem);
    }

    void addBeans(@Observes AfterBeanDiscovery abd) {
        if (!definitionErrors.isEmpty()) {
            definitionErrors.forEach(p -> abd.addDefinitionError(new IllegalArgumentException(p)));
            return;
        }
        // one bean per (name, bound type): the JsonObject one also serves raw SharedObject injection points, through
        // SharedObject<Object>, which CDI matches to a raw required type; a raw bean type would do for Weld, but
        // OpenWebBeans also matches a raw bean type to every SharedObject<T> (ambiguous with the typed beans)
        boundTypes.forEach((name, types) -> types.keySet().forEach(type -> {
            Type parameterized = new SharedObjectType(type);
            boolean raw = type == jakarta.json.JsonObject.class;
            abd.addBean()
                    .beanClass(MemSyncExtension.class)
                    .types(raw ? new Type[] {Object.class, SharedDocument.class, new SharedObjectType(Object.class), parameterized}
                            : new Type[] {parameterized})
                    .qualifiers(SharedLiteral.of(name), Any.Literal.INSTANCE)
                    .scope(Singleton.class)
                    .createWith(c -> raw ? object(name) : object(name).as(type));
        }));
        if (OptionalApis.HEALTH) {
            boundTypes.keySet().forEach(name -> HealthChecks.register(abd, this, name));
        }
    }

    void start(@Observes AfterDeploymentValidation adv, BeanManager bm) {
        problems.addAll(DeploymentRules.conflictingTypes(boundTypes));
        problems.addAll(DeploymentRules.duplicateRpcNames(rpcMethods.stream().map(RpcBinding::method).toList()));
        if (!problems.isEmpty()) {
            problems.forEach(p -> adv.addDeploymentProblem(new IllegalStateException(p)));
            return;
        }
        MicrometerMetrics metrics = OptionalApis.MICROMETER ? MicrometerMetrics.of(bm) : null;
        for (String name : boundTypes.keySet()) {
            try {
                SharedObject<?> shared = build(name, bm, metrics == null ? RpcTiming.NONE : metrics);
                if (metrics != null) {
                    metrics.bind(name, shared);
                }
                objects.put(name, shared);
            } catch (MemSyncException | IllegalStateException ex) {
                adv.addDeploymentProblem(new IllegalStateException("cannot start shared object '" + name + "': "
                        + ex.getMessage(), ex));
            }
        }
    }

    private SharedObject<?> build(String name, BeanManager bm, RpcTiming timing) {
        MemSync.Builder builder = MemSync.builder(name);
        if (OptionalApis.CONFIG) {
            List<String> configProblems = ConfigBinding.apply(name, builder);
            if (!configProblems.isEmpty()) {
                throw new IllegalStateException(String.join("; ", configProblems));
            }
        }
        for (RpcBinding rpc : rpcMethods) {
            String target = rpc.method().getAnnotation(RpcMethod.class).shared();
            if (!target.isEmpty() && !target.equals(name)) {
                continue;
            }
            Bean<?> bean = rpc.bean();
            String rpcName = DeploymentRules.rpcName(rpc.method());
            builder.rpc(rpcName, new BeanRpcHandler(bm, bean, rpc.method(), rpcName, name, timing));
        }
        SharedObject<?> shared = builder.start();
        Event<Object> events = bm.getEvent();
        Event<MemSyncChange> changes = events.select(MemSyncChange.class, SharedLiteral.of(name));
        Event<MemSyncEvent> busEvents = events.select(MemSyncEvent.class, SharedLiteral.of(name));
        // synchronous observers run with a request context of their own; asynchronous ones get one from the container
        shared.observe("", change -> {
            RequestScope.run(bm, () -> changes.fire(change));
            changes.fireAsync(change);
        });
        shared.events().onAny(event -> {
            RequestScope.run(bm, () -> busEvents.fire(event));
            busEvents.fireAsync(event);
        });
        return shared;
    }

    void stop(@Observes BeforeShutdown shutdown) {
        objects.forEach((name, shared) -> {
            try {
                shared.stop();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "stopping shared object '" + name + "' failed", e);
            }
        });
        objects.clear();
    }

    /**
     * The started shared object of a name, for beans and producers.
     *
     * @param name the name
     * @return the shared object
     * @throws IllegalStateException when no injection point or observer declared the name, or it is not started
     */
    public SharedObject<?> object(String name) {
        SharedObject<?> shared = objects.get(name);
        if (shared == null) {
            throw new IllegalStateException("shared object '" + name + "' is not started (known: " + objects.keySet() + ")");
        }
        return shared;
    }

    /**
     * The names of the shared objects this deployment uses.
     *
     * @return the names
     */
    public Set<String> names() {
        return Set.copyOf(boundTypes.keySet());
    }

    private static Shared qualifier(Set<Annotation> qualifiers) {
        for (Annotation a : qualifiers) {
            if (a instanceof Shared s) {
                return s;
            }
        }
        return null;
    }

    private static String describe(InjectionPoint ip) {
        if (ip.getMember() != null) {
            return ip.getMember().getDeclaringClass().getName() + "." + ip.getMember().getName();
        }
        return String.valueOf(ip);
    }
}
