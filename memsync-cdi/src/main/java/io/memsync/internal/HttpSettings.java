package io.memsync.internal;

import java.util.List;
import java.util.Objects;

/**
 * The safety settings of the {@code server(port)} listener, as the builder collected them. Internal to memsync.
 *
 * @param address        the address to bind (default {@code 127.0.0.1})
 * @param writable       whether {@code PATCH}/{@code POST} may change the document (with the token)
 * @param token          the write token, or {@code null} to generate one per process
 * @param allowedHosts   extra {@code Host} header values accepted (a name, or {@code name:port})
 * @param allowedOrigins extra {@code Origin} values accepted (e.g. {@code http://localhost:3000})
 */
public record HttpSettings(String address, boolean writable, String token, List<String> allowedHosts,
                           List<String> allowedOrigins) {
    /** The defaults: loopback, read-only, a generated token, only same-origin requests. */
    public static final HttpSettings DEFAULTS = new HttpSettings("127.0.0.1", false, null, List.of(), List.of());

    /** Copies the lists. */
    public HttpSettings {
        Objects.requireNonNull(address, "address");
        allowedHosts = List.copyOf(allowedHosts);
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /**
     * With writing enabled or not.
     *
     * @param v whether writes are allowed
     * @return the settings
     */
    public HttpSettings withWritable(boolean v) {
        return new HttpSettings(address, v, token, allowedHosts, allowedOrigins);
    }

    /**
     * With a given token.
     *
     * @param v the token
     * @return the settings
     */
    public HttpSettings withToken(String v) {
        return new HttpSettings(address, writable, v, allowedHosts, allowedOrigins);
    }

    /**
     * With a bind address.
     *
     * @param v the address
     * @return the settings
     */
    public HttpSettings withBindAddress(String v) {
        return new HttpSettings(v, writable, token, allowedHosts, allowedOrigins);
    }

    /**
     * With these extra Host values.
     *
     * @param v the names
     * @return the settings
     */
    public HttpSettings withAllowedHosts(List<String> v) {
        return new HttpSettings(address, writable, token, v, allowedOrigins);
    }

    /**
     * With these extra origins.
     *
     * @param v the origins
     * @return the settings
     */
    public HttpSettings withAllowedOrigins(List<String> v) {
        return new HttpSettings(address, writable, token, allowedHosts, v);
    }
}
