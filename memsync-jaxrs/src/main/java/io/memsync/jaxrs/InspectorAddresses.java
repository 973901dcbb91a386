package io.memsync.jaxrs;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.memsync.Shared;
import io.memsync.SharedObject;
import io.memsync.internal.HttpAccess;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.interceptor.Interceptor;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Application;

/**
 * Records the inspector URL of each shared object the application serves through these resources as soon as the HTTP
 * server has started (into {@code http-<pid>-jaxrs.json} of the object's rendezvous folder, where
 * {@code memsync inspect} and {@code memsync status} read it), instead of only once the page was first requested.
 *
 * <p>That needs the server's actual port, which JAX-RS and CDI do not give portably. Helidon MP's server does
 * ({@code ServerCdiExtension.port()}, looked up by name, so this module does not depend on Helidon): it is read when
 * the application scope is initialized, just after Helidon started its server (the observer's priority is above
 * Helidon's). A resource is found when it is a CDI bean: a subclass of {@link SharedObjectResource} with one
 * {@code @Shared("name")} injection point serves that name at its {@code @Path}; a subclass of
 * {@link SharedObjectsResource} that keeps the default {@code lookup}/{@code names} serves every name of
 * {@link SharedObjectRegistry} under its path; both under the {@code @ApplicationPath} of the one
 * {@link Application} bean (or the root when there is none). Nothing is recorded at startup on other runtimes, with
 * TLS (the scheme is not known), with several applications, for an application Helidon routes elsewhere
 * ({@code @RoutingPath}, {@code @RoutingName} or their configuration keys), or for paths with templates; the filter still records
 * the URL at the first request of the page, as before, and a request always overwrites what startup recorded.
 */
@Dependent
class InspectorAddresses {
    private static final String HELIDON_SERVER = "io.helidon.microprofile.server.ServerCdiExtension";
    private static final String HELIDON_ROUTING_PATH = "io.helidon.microprofile.server.RoutingPath";
    private static final String HELIDON_ROUTING_NAME = "io.helidon.microprofile.server.RoutingName";

    /** For CDI. */
    InspectorAddresses() {
    }

    /**
     * The application started (Helidon's server is listening by now): records the inspector URLs it can tell.
     *
     * @param event the event
     * @param bm    the bean manager
     */
    void started(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 200) @Initialized(ApplicationScoped.class) Object event,
                 BeanManager bm) {
        try {
            String origin = helidonOrigin(bm);
            if (origin == null) {
                return;
            }
            String base = applicationPath(bm);
            if (base == null) {
                return;
            }
            for (Map.Entry<String, String> e : resourcePaths(bm).entrySet()) {
                SharedObjectRegistry.find(e.getKey()).ifPresent(shared -> publish(shared, origin + join(base, e.getValue())));
            }
        } catch (RuntimeException | LinkageError e) {
            // nothing recorded at startup: the filter records the URL at the first request of the page
        }
    }

    private static void publish(SharedObject<?> shared, String resource) {
        HttpAccess.publish(shared, "jaxrs", resource + "/_inspector"); // a failure to write is logged there
    }

    /**
     * {@code http://host:port} of Helidon MP's started server, or {@code null} on another runtime, before it started,
     * or with TLS.
     */
    private static String helidonOrigin(BeanManager bm) {
        Class<?> type;
        try {
            type = Class.forName(HELIDON_SERVER, false, InspectorAddresses.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
        if (!Extension.class.isAssignableFrom(type) || tlsConfigured()) {
            return null;
        }
        try {
            Object server = bm.getExtension(type.asSubclass(Extension.class));
            Method started = type.getMethod("started");
            if (!Boolean.TRUE.equals(started.invoke(server))) {
                return null;
            }
            int port = (Integer) type.getMethod("port").invoke(server);
            String host = String.valueOf(type.getMethod("host").invoke(server));
            return port <= 0 ? null : "http://" + urlHost(host) + ":" + port;
        } catch (ReflectiveOperationException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    /** Whether Helidon's default listener has TLS settings ({@code server.tls.*} in MicroProfile Config). */
    private static boolean tlsConfigured() {
        try {
            for (String key : org.eclipse.microprofile.config.ConfigProvider.getConfig().getPropertyNames()) {
                if (key.startsWith("server.tls.")) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException | LinkageError e) {
            return true; // cannot tell: record nothing rather than a wrong scheme
        }
    }

    /**
     * Whether Helidon serves {@code app} at another context root than its {@code @ApplicationPath}, or on another
     * listener than the default one: its {@code @RoutingPath} or {@code @RoutingName} (looked up by name), or the
     * configuration keys {@code <class>.routing-path.path} and {@code <class>.routing-name.name}.
     */
    private static boolean routedByHelidon(Class<?> app) {
        for (var a : app.getAnnotations()) {
            String type = a.annotationType().getName();
            if (type.equals(HELIDON_ROUTING_PATH) || type.equals(HELIDON_ROUTING_NAME)) {
                return true;
            }
        }
        try {
            var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
            return config.getOptionalValue(app.getName() + ".routing-path.path", String.class).isPresent()
                    || config.getOptionalValue(app.getName() + ".routing-name.name", String.class).isPresent();
        } catch (RuntimeException | LinkageError e) {
            return true; // cannot tell: record nothing rather than a wrong path or port
        }
    }

    /** The host for a URL of a listener bound to {@code host}: loopback for a wildcard (the HTTP guard accepts it). */
    static String urlHost(String host) {
        if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")
                || host.equals("0:0:0:0:0:0:0:0")) {
            return "127.0.0.1";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /**
     * The {@code @ApplicationPath} of the one application ({@code ""} with none), or {@code null} with several, or when
     * Helidon routes it elsewhere (see {@link #routedByHelidon}).
     */
    private static String applicationPath(BeanManager bm) {
        Set<String> paths = new TreeSet<>();
        for (Bean<?> b : bm.getBeans(Application.class, Any.Literal.INSTANCE)) {
            if (routedByHelidon(b.getBeanClass())) {
                return null;
            }
            ApplicationPath p = b.getBeanClass().getAnnotation(ApplicationPath.class);
            paths.add(p == null ? "" : p.value());
        }
        if (paths.size() > 1) {
            return null;
        }
        return paths.isEmpty() ? "" : paths.iterator().next();
    }

    /** Name to resource path: one-object resources first, then by-name ones for the names left. */
    private static Map<String, String> resourcePaths(BeanManager bm) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (Bean<?> b : bm.getBeans(SharedObjectResource.class, Any.Literal.INSTANCE)) {
            String path = path(b.getBeanClass());
            String name = sharedName(b);
            if (path != null && name != null) {
                byName.putIfAbsent(name, path);
            }
        }
        for (Bean<?> b : bm.getBeans(SharedObjectsResource.class, Any.Literal.INSTANCE)) {
            String path = path(b.getBeanClass());
            if (path != null && !overridesLookup(b.getBeanClass())) {
                SharedObjectRegistry.names().forEach(n -> byName.putIfAbsent(n, join(path, n)));
            }
        }
        return byName;
    }

    /** The class's {@code @Path}, or {@code null} without one or with a template. */
    private static String path(Class<?> type) {
        Path p = type.getAnnotation(Path.class);
        return p == null || p.value().contains("{") || Modifier.isAbstract(type.getModifiers()) ? null : p.value();
    }

    /** The one name of the bean's {@code @Shared} injection points, or {@code null} with none or several. */
    private static String sharedName(Bean<?> b) {
        Set<String> names = new TreeSet<>();
        for (InjectionPoint ip : b.getInjectionPoints()) {
            for (var q : ip.getQualifiers()) {
                if (q instanceof Shared s) {
                    names.add(s.value());
                }
            }
        }
        return names.size() == 1 ? names.iterator().next() : null;
    }

    /** Whether a subclass serves other names than the registry's (it overrides {@code lookup} or {@code names}). */
    private static boolean overridesLookup(Class<?> type) {
        for (Class<?> c = type; c != null && c != SharedObjectsResource.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if ((m.getName().equals("lookup") && m.getParameterCount() == 1)
                        || (m.getName().equals("names") && m.getParameterCount() == 0)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Joins URL path segments with single slashes, with a leading one. */
    private static String join(String a, String b) {
        String left = a.replaceAll("^/+|/+$", "");
        String right = b.replaceAll("^/+|/+$", "");
        String joined = left.isEmpty() ? right : right.isEmpty() ? left : left + "/" + right;
        return "/" + joined;
    }
}
