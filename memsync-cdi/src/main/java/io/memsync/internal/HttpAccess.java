package io.memsync.internal;

import io.memsync.SharedObject;

import jakarta.json.JsonObject;

/**
 * What memsync's HTTP front ends (the {@code server(port)} listener, the JAX-RS module) need to know of a started
 * shared object: its HTTP safety settings, its write token and its status with the members' pids. Internal to
 * memsync.
 */
public final class HttpAccess {
    private HttpAccess() {
    }

    private static SharedObjectImpl<?> impl(SharedObject<?> shared) {
        SharedObject<?> s = shared;
        while (s instanceof TypedView<?> v) {
            s = v.target();
        }
        return s instanceof SharedObjectImpl<?> i ? i : null;
    }

    /**
     * The HTTP settings of a shared object ({@code serverWritable}, {@code serverToken}, allowed hosts and origins).
     *
     * @param shared a shared object of memsync's builder or CDI extension
     * @return its settings, or the defaults (read-only) for any other implementation
     */
    public static HttpSettings settings(SharedObject<?> shared) {
        SharedObjectImpl<?> i = impl(shared);
        return i == null ? HttpSettings.DEFAULTS : i.httpSettings();
    }

    /**
     * The write token of a shared object: the configured one, or the one generated for this process (published with
     * the endpoint files in the rendezvous folder while writing over HTTP is enabled).
     *
     * @param shared a shared object
     * @return the token, or {@code null} when the shared object is not memsync's own
     */
    public static String token(SharedObject<?> shared) {
        SharedObjectImpl<?> i = impl(shared);
        return i == null ? null : i.httpToken();
    }

    /**
     * The status as the inspector shows it: this process's view, and the peers with their pid and whether they write,
     * as the host last recorded them.
     *
     * @param shared a shared object
     * @return the status, or {@code null} when the shared object is not memsync's own
     */
    public static JsonObject status(SharedObject<?> shared) {
        SharedObjectImpl<?> i = impl(shared);
        return i == null ? null : DocumentServer.status(i, i.wiring());
    }

    /**
     * Records where a front end serves the inspector of {@code shared}, so that {@code memsync inspect} finds it:
     * {@code http-<pid>-<key>.json} (mode 0600) in the rendezvous folder, with the write token when writing is on.
     *
     * @param shared    a shared object
     * @param key       distinguishes the front ends of one process (a port, {@code jaxrs})
     * @param inspector the inspector's URL
     */
    public static void publish(SharedObject<?> shared, String key, String inspector) {
        SharedObjectImpl<?> i = impl(shared);
        if (i != null) {
            i.publishEndpoint(key, inspector.replaceAll("/_inspector$", ""), inspector);
        }
    }

    /**
     * A file of the web inspector shipped in memsync-cdi.jar: {@code index.html}, {@code inspector.js} or
     * {@code inspector.css}.
     *
     * @param file the file name
     * @return its bytes, or {@code null} when there is no such file
     */
    public static byte[] inspectorFile(String file) {
        return DocumentServer.Inspector.resource(file);
    }

    /**
     * The media type of an inspector file.
     *
     * @param file the file name
     * @return its media type with charset
     */
    public static String inspectorType(String file) {
        return DocumentServer.Inspector.type(file);
    }

    /** The Content-Security-Policy the inspector is served with (its own scripts, styles and connections only). */
    public static final String INSPECTOR_POLICY = DocumentServer.Inspector.CONTENT_SECURITY_POLICY;
}
