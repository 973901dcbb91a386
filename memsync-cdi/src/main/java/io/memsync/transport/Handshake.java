package io.memsync.transport;

import io.memsync.document.JsonProviders;
import io.memsync.document.JsonText;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.memsync.MemSyncException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The mutual challenge–response both ends run before a channel is handed over, and the JSON shapes of its frames.
 *
 * <p>Sequence: the server sends {@code {"t":"challenge","v":1,"nonce":Ns}}; the client answers
 * {@code {"t":"hello","name":N,"nonce":Nc,"proof":HMAC(secret, "client"|N|Ns|Nc)}}; the server checks the name
 * and the proof (constant time) and answers {@code {"t":"welcome","proof":HMAC(secret, "server"|N|Ns|Nc)}},
 * which the client checks in turn. Nonces are 32 random bytes, base64. The secret never travels. Any failure is
 * answered with {@code {"t":"error","code":…,"message":…}} and the connection is closed.
 *
 * <p>Binary messages: a client that reads them says so with {@code "bin":true} in its hello, and a host that does
 * answers {@code "bin":true} in its welcome. From then on both ends send their frames as binary WebSocket messages
 * holding the same UTF-8 JSON text (the receiver skips the JDK's and Helidon's incremental UTF-8 decoding); both
 * still accept text messages, and a peer that did not ask (an older memsync, a raw test client) gets text only.
 * The challenge and the hello are always text; the welcome may already travel as binary.
 */
final class Handshake {
    static final String T_CHALLENGE = "challenge";
    static final String T_HELLO = "hello";
    static final String T_WELCOME = "welcome";
    static final String T_ERROR = "error";
    /**
     * Largest handshake frame, in UTF-8 bytes: a hello is about 200 bytes. Before authentication the host refuses
     * anything bigger ({@code ERR_TOO_LARGE}) and closes the connection; the client refuses a bigger challenge or
     * welcome the same way.
     */
    static final int MAX_HANDSHAKE_BYTES = 4096;
    /**
     * The one answer to a hello with a wrong name or a wrong proof: the two are not told apart (nor timed apart: the
     * host computes the proof either way), so a peer without the secret cannot learn which names a host serves.
     */
    static final String AUTH_FAILED = "authentication failed: wrong name, wrong secret or a stale term"
            + " (a client re-reads host.json and tries again)";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LABEL = "memsync-ws-auth-v1";

    private Handshake() {
    }

    static String nonce() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    static String proof(byte[] secret, String role, String name, String serverNonce, String clientNonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // an empty key is not accepted by SecretKeySpec; a secret is never empty in practice
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, "HmacSHA256"));
            String transcript = LABEL + '\0' + role + '\0' + name + '\0' + serverNonce + '\0' + clientNonce;
            return Base64.getEncoder().encodeToString(mac.doFinal(transcript.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static boolean proofMatches(String expected, String actual) {
        return actual != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), actual.getBytes(StandardCharsets.US_ASCII));
    }

    static String challenge(String serverNonce) {
        return JsonProviders.JSON.createObjectBuilder().add("t", T_CHALLENGE).add("v", 1).add("nonce", serverNonce).build().toString();
    }

    /** A hello that does not ask for binary messages (as a client of an older memsync sends). */
    static String hello(String name, String clientNonce, String proof) {
        return hello(name, clientNonce, proof, false);
    }

    static String hello(String name, String clientNonce, String proof, boolean binary) {
        var b = JsonProviders.JSON.createObjectBuilder().add("t", T_HELLO).add("name", name).add("nonce", clientNonce).add("proof", proof);
        if (binary) {
            b.add("bin", true);
        }
        return b.build().toString();
    }

    /** A welcome that does not offer binary messages (as a host of an older memsync sends). */
    static String welcome(String proof) {
        return welcome(proof, false);
    }

    static String welcome(String proof, boolean binary) {
        var b = JsonProviders.JSON.createObjectBuilder().add("t", T_WELCOME).add("proof", proof);
        if (binary) {
            b.add("bin", true);
        }
        return b.build().toString();
    }

    /** Whether a hello or welcome asks for binary messages ({@code "bin":true}). */
    static boolean binary(JsonObject o) {
        return o.get("bin") == JsonValue.TRUE;
    }

    /**
     * An error frame.
     *
     * @param code    an {@link MemSyncException} code
     * @param message detail
     * @return JSON text
     */
    static String error(String code, String message) {
        return JsonProviders.JSON.createObjectBuilder().add("t", T_ERROR).add("code", code).add("message", message).build().toString();
    }

    /**
     * Parses a handshake frame.
     *
     * @return the object, or {@code null} if the text is not a JSON object with a string {@code t}
     */
    static JsonObject parse(String text) {
        if (text == null || text.length() > MAX_HANDSHAKE_BYTES) {
            return null;
        }
        try {
            JsonValue v = JsonText.parse(text);
            if (v instanceof JsonObject o && o.get("t") instanceof JsonString) {
                return o;
            }
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A string member, or {@code null} when absent or not a string. */
    static String str(JsonObject o, String key) {
        return o.get(key) instanceof JsonString s ? s.getString() : null;
    }

    /** UTF-8 length of a string without encoding it. */
    static long utf8Length(CharSequence s) {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4; // the pair counts 4; its low half is skipped below
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    static String tooLarge(long size, long limit) {
        return error(MemSyncException.ERR_TOO_LARGE,
                "frame of " + size + " bytes exceeds the limit of " + limit + " bytes; dropped");
    }
}
