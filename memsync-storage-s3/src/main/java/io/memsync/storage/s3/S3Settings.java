package io.memsync.storage.s3;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.memsync.MemSyncException;

/**
 * Where and how the S3 store connects, from an {@code s3://bucket/prefix?…} location. Each setting is taken from
 * the URI's query, else the system property, else the environment variable, else its default:
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>query</th><th>system property</th><th>environment</th><th>default</th></tr>
 *   <tr><td>{@code endpoint}</td><td>{@code memsync.s3.endpoint}</td><td>{@code MEMSYNC_S3_ENDPOINT}</td>
 *       <td>AWS's endpoint for the region</td></tr>
 *   <tr><td>{@code region}</td><td>{@code memsync.s3.region}</td><td>{@code MEMSYNC_S3_REGION}</td>
 *       <td>{@code us-east-1}</td></tr>
 *   <tr><td>{@code pathStyle}</td><td>{@code memsync.s3.pathStyle}</td><td>{@code MEMSYNC_S3_PATH_STYLE}</td>
 *       <td>{@code true} with an endpoint, else {@code false}</td></tr>
 *   <tr><td>{@code accessKeyId}, {@code secretAccessKey}</td><td>{@code memsync.s3.accessKeyId},
 *       {@code memsync.s3.secretAccessKey}</td><td>{@code MEMSYNC_S3_ACCESS_KEY_ID},
 *       {@code MEMSYNC_S3_SECRET_ACCESS_KEY}</td><td>the AWS SDK's default credentials chain</td></tr>
 *   <tr><td>{@code timeout}</td><td>{@code memsync.s3.timeout}</td><td>{@code MEMSYNC_S3_TIMEOUT}</td>
 *       <td>{@code 10s}: the limit of one call, retries included (ISO-8601 {@code PT10S} or {@code 10s}/{@code 500ms})</td></tr>
 *   <tr><td>{@code checksums}</td><td>{@code memsync.s3.checksums}</td><td>{@code MEMSYNC_S3_CHECKSUMS}</td>
 *       <td>{@code when_required}: the SDK adds its own checksums only where S3 requires them (many S3-compatible
 *       servers refuse the SDK's default trailing checksums; memsync's records carry CRC32C anyway);
 *       {@code when_supported} for AWS's default</td></tr>
 * </table>
 * A secret in the URI ends up wherever the URI is written; prefer the properties, the environment or the default
 * chain. Messages and {@link io.memsync.storage.Store#describe()} never show the query.
 *
 * @param bucket          the bucket
 * @param prefix          the key prefix of the location, without leading or trailing {@code /} (may be empty)
 * @param endpoint        the endpoint, or {@code null} for AWS's
 * @param region          the region
 * @param pathStyle       whether to address the bucket in the path instead of the host name
 * @param accessKeyId     the access key id, or {@code null} for the default chain
 * @param secretAccessKey the secret, or {@code null} for the default chain
 * @param timeout         the limit of one call, retries included
 * @param checksumsAlways whether the SDK computes checksums whenever supported
 */
public record S3Settings(String bucket, String prefix, URI endpoint, String region, boolean pathStyle, String accessKeyId,
                         String secretAccessKey, Duration timeout, boolean checksumsAlways) {
    private static final Set<String> KEYS = Set.of("endpoint", "region", "pathStyle", "accessKeyId", "secretAccessKey", "timeout", "checksums");

    /**
     * Reads the settings of a location from its query, the system properties and the environment.
     *
     * @param location an {@code s3://bucket/prefix?…} URI
     * @return the settings
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} for a missing bucket, an unknown query
     *                          parameter or a bad value (named)
     */
    public static S3Settings of(URI location) {
        return of(location, System::getProperty, System::getenv);
    }

    static S3Settings of(URI location, Function<String, String> properties, Function<String, String> environment) {
        String shown = shown(location);
        String bucket = location.getRawAuthority();
        if (bucket == null || bucket.isBlank()) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "store location '" + shown + "': name the bucket, as in s3://bucket/prefix");
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (location.getRawQuery() != null) {
            for (String pair : location.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (!KEYS.contains(k)) {
                    throw new MemSyncException(MemSyncException.ERR_CONFIG, "store location '" + shown + "': unknown parameter '" + k
                            + "' (known: endpoint, region, pathStyle, accessKeyId, secretAccessKey, timeout, checksums)");
                }
                query.put(k, v);
            }
        }
        Function<String, String> get = key -> {
            String v = query.get(key);
            if (v == null) {
                v = properties.apply("memsync.s3." + key);
            }
            if (v == null) {
                v = environment.apply("MEMSYNC_S3_" + key.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
            }
            return v == null || v.isBlank() ? null : v.trim();
        };
        String path = location.getPath() == null ? "" : location.getPath();
        String prefix = path.replaceAll("^/+", "").replaceAll("/+$", "");
        URI endpoint = null;
        String e = get.apply("endpoint");
        if (e != null) {
            try {
                endpoint = URI.create(e);
                if (endpoint.getScheme() == null || endpoint.getHost() == null) {
                    throw new IllegalArgumentException("it needs a scheme and a host, as in http://127.0.0.1:9000");
                }
            } catch (IllegalArgumentException ex) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "store location '" + shown + "': bad S3 endpoint '" + e + "': "
                        + ex.getMessage(), ex);
            }
        }
        String region = get.apply("region");
        String ps = get.apply("pathStyle");
        boolean pathStyle = ps == null ? endpoint != null : bool("pathStyle", ps, shown);
        String key = get.apply("accessKeyId");
        String secret = get.apply("secretAccessKey");
        if ((key == null) != (secret == null)) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "store location '" + shown
                    + "': give both the S3 access key id and the secret access key, or neither (for the default credentials chain)");
        }
        String t = get.apply("timeout");
        Duration timeout = t == null ? Duration.ofSeconds(10) : duration(t, shown);
        String c = get.apply("checksums");
        boolean always;
        if (c == null || c.equalsIgnoreCase("when_required")) {
            always = false;
        } else if (c.equalsIgnoreCase("when_supported")) {
            always = true;
        } else {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "store location '" + shown + "': checksums must be when_required or when_supported, was '" + c + "'");
        }
        return new S3Settings(bucket, prefix, endpoint, region == null ? "us-east-1" : region, pathStyle, key, secret, timeout, always);
    }

    /**
     * The location as messages show it: without the query.
     *
     * @param location the location
     * @return {@code s3://bucket/prefix}
     */
    static String shown(URI location) {
        return "s3://" + (location.getRawAuthority() == null ? "" : location.getRawAuthority()) + (location.getRawPath() == null ? "" : location.getRawPath());
    }

    private static boolean bool(String what, String v, String shown) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new MemSyncException(MemSyncException.ERR_CONFIG, "store location '" + shown + "': " + what + " must be true or false, was '" + v + "'");
    }

    private static Duration duration(String v, String shown) {
        try {
            Duration d;
            if (v.startsWith("P") || v.startsWith("p")) {
                d = Duration.parse(v);
            } else if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            } else {
                throw new NumberFormatException("no unit");
            }
            if (d.isNegative() || d.isZero()) {
                throw new NumberFormatException("not positive");
            }
            return d;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "store location '" + shown + "': timeout must be a positive duration such as 10s, 500ms or PT10S, was '" + v + "'", e);
        }
    }

    @Override
    public String toString() {
        return "S3Settings[bucket=" + bucket + ", prefix=" + prefix + ", endpoint=" + endpoint + ", region=" + region
                + ", pathStyle=" + pathStyle + ", credentials=" + (accessKeyId == null ? "default chain" : "given")
                + ", timeout=" + timeout + ", checksums=" + (checksumsAlways ? "when_supported" : "when_required") + "]";
    }
}
