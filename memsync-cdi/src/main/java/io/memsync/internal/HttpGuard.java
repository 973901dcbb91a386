package io.memsync.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import io.memsync.MemSyncException;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The HTTP safety rules of memsync's listeners, independent of the server that applies them: which {@code Host} and
 * {@code Origin} values are accepted, and the write token. Used by the {@code server(port)} listener and by the
 * JAX-RS module's filter. Internal to memsync.
 *
 * <p>A request is refused when its {@code Host} is not one of the accepted ones (DNS rebinding: a page of
 * {@code evil.example} whose name now resolves to 127.0.0.1 still sends {@code Host: evil.example}), when it carries
 * an {@code Origin} that is not the listener's own or an allowed one, or {@code Sec-Fetch-Site: cross-site} (a page
 * of another site, even without {@code Origin}). A write also needs {@code Authorization: Bearer <token>}.
 */
public final class HttpGuard {
    /** The media type of problem bodies (RFC 9457). */
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> hosts;
    private final List<String> origins;
    private final byte[] token;
    private final String tokenText;

    /**
     * Rules for a listener.
     *
     * @param acceptedHosts  the {@code Host} values accepted, e.g. {@code 127.0.0.1:8883} and {@code localhost:8883};
     *                       a value without a port accepts that name on any port
     * @param allowedOrigins origins accepted besides {@code http://<accepted host>}
     * @param token          the write token, or {@code null} to generate one
     */
    public HttpGuard(List<String> acceptedHosts, List<String> allowedOrigins, String token) {
        List<String> h = new ArrayList<>();
        acceptedHosts.forEach(v -> h.add(v.trim().toLowerCase(Locale.ROOT)));
        this.hosts = List.copyOf(h);
        List<String> o = new ArrayList<>();
        allowedOrigins.forEach(v -> o.add(stripSlash(v.trim().toLowerCase(Locale.ROOT))));
        this.origins = List.copyOf(o);
        this.tokenText = token != null ? token : newToken();
        this.token = tokenText.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The {@code Host} values of a listener bound to {@code address:port}: the address (bracketed when IPv6), plus
     * {@code localhost} when it is a loopback address, plus the configured names.
     *
     * @param address the bound address as configured
     * @param port    the bound port
     * @param names   configured extra names ({@code name} or {@code name:port})
     * @return the accepted values
     */
    public static List<String> hostsFor(String address, int port, List<String> names) {
        List<String> out = new ArrayList<>();
        String a = address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
        out.add(a + ":" + port);
        if (isLoopback(address)) {
            out.add("localhost:" + port);
            out.add("127.0.0.1:" + port);
            out.add("[::1]:" + port);
        }
        out.addAll(names);
        return out.stream().distinct().toList();
    }

    private static boolean isLoopback(String address) {
        String a = address.replace("[", "").replace("]", "");
        return a.equals("localhost") || a.startsWith("127.") || a.equals("::1") || a.equals("0:0:0:0:0:0:0:1");
    }

    static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** @return the write token */
    public String token() {
        return tokenText;
    }

    /**
     * Checks a request's {@code Host}, {@code Origin} and {@code Sec-Fetch-Site}.
     *
     * @param host          the {@code Host} header, or {@code null}
     * @param origin        the {@code Origin} header, or {@code null}
     * @param secFetchSite  the {@code Sec-Fetch-Site} header, or {@code null}
     * @return {@code null} when accepted, else why not (for the problem's detail)
     */
    public String refusal(String host, String origin, String secFetchSite) {
        if (host == null || host.isBlank()) {
            return "a request without a Host header is refused";
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (!hostAccepted(h)) {
            return "Host '" + host + "' is not this server's address (DNS rebinding?); accepted: " + String.join(", ", hosts)
                    + " (allow more names with serverAllowedHosts / memsync.<name>.server.allowed-hosts)";
        }
        if (origin != null) {
            String o = stripSlash(origin.trim().toLowerCase(Locale.ROOT));
            if (!originAccepted(o)) {
                return "cross-origin request from '" + origin + "' refused (allow it with serverAllowedOrigins / "
                        + "memsync.<name>.server.allowed-origins)";
            }
        } else if ("cross-site".equalsIgnoreCase(secFetchSite)) {
            return "cross-site request refused (Sec-Fetch-Site: cross-site)";
        }
        return null;
    }

    private boolean hostAccepted(String h) {
        for (String a : hosts) {
            if (a.equals(h) || a.equals(nameOf(a)) && a.equals(nameOf(h))) {
                return true;
            }
        }
        return false;
    }

    /** A Host value without its port ({@code [::1]:80} gives {@code [::1]}). */
    private static String nameOf(String h) {
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private boolean originAccepted(String o) {
        if (origins.contains(o)) {
            return true;
        }
        if (o.startsWith("http://")) {
            return hostAccepted(o.substring(7));
        }
        return false;
    }

    /**
     * Whether an {@code Authorization} header carries the write token.
     *
     * @param authorization the header, or {@code null}
     * @return whether it is {@code Bearer <token>}
     */
    public boolean authorized(String authorization) {
        if (token.length == 0 || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8), token);
    }

    /**
     * An RFC 9457 problem body carrying a memsync code.
     *
     * @param status  the HTTP status
     * @param code    the {@code ERR_…} code
     * @param detail  what was wrong
     * @param version the document's version, or -1
     * @return {@code {"type","title","status","detail","code","message"[,"version"]}}
     */
    public static JsonObject problem(int status, String code, String detail, long version) {
        JsonObjectBuilder b = JsonMapping.JSON.createObjectBuilder()
                .add("type", "urn:memsync:error:" + code)
                .add("title", title(code))
                .add("status", status)
                .add("detail", detail)
                .add("code", code)
                .add("message", detail);
        if (version >= 0) {
            b.add("version", version);
        }
        return b.build();
    }

    private static String title(String code) {
        return switch (code) {
            case MemSyncException.ERR_FORBIDDEN -> "Request refused";
            case MemSyncException.ERR_UNAUTHORIZED -> "Write token missing or wrong";
            case MemSyncException.ERR_INVALID_PATCH -> "Invalid patch";
            case MemSyncException.ERR_STALE_PATCH -> "Stale patch";
            case MemSyncException.ERR_PRECONDITION -> "Precondition failed";
            case MemSyncException.ERR_READ_ONLY -> "Read-only";
            case MemSyncException.ERR_TOO_LARGE -> "Too large";
            case MemSyncException.ERR_TIMEOUT -> "Timed out (the update may still apply)";
            case MemSyncException.ERR_STOPPED -> "Stopped";
            default -> code;
        };
    }

    /**
     * The HTTP status for a {@link MemSyncException} code (the same as the JAX-RS module's mapper).
     *
     * @param code the code
     * @return the status
     */
    public static int status(String code) {
        return switch (code == null ? "" : code) {
            case MemSyncException.ERR_INVALID_PATCH -> 400;
            case MemSyncException.ERR_READ_ONLY, MemSyncException.ERR_FORBIDDEN, MemSyncException.ERR_UNAUTHORIZED -> 403;
            case MemSyncException.ERR_STALE_PATCH, MemSyncException.ERR_MAX_WRITERS -> 409;
            case MemSyncException.ERR_PRECONDITION -> 412;
            case MemSyncException.ERR_TOO_LARGE -> 413;
            case MemSyncException.ERR_STOPPED -> 503;
            case MemSyncException.ERR_TIMEOUT -> 504;
            default -> 500;
        };
    }
}
