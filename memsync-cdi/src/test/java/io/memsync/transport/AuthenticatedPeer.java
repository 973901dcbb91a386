package io.memsync.transport;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * Test helper: a hostile or broken peer that authenticates for real (the host's record gives the endpoint and secret)
 * and sends a replication hello, then does whatever the test wants with the raw socket (never read, send garbage).
 */
public final class AuthenticatedPeer {
    private static final Duration T = Duration.ofSeconds(30);

    private AuthenticatedPeer() {
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /**
     * Opens a connection to the host of {@code name}, runs the handshake and sends a hello of a process that holds no
     * document (protocol version 2, a pid that does not run).
     *
     * @param recordFile the host's {@code host.json}
     * @param name       the shared object's name
     * @param peerId     the peer id the hello announces
     * @param writer     whether the hello says it writes
     * @return the peer, authenticated, its hello sent
     * @throws IOException when the connection or the handshake fails
     */
    public static RawSocketPeer open(Path recordFile, String name, String peerId, boolean writer) throws IOException {
        return open(recordFile, name, peerId, writer, false);
    }

    /**
     * Like {@link #open(Path, String, String, boolean)}, asking for binary messages when {@code binary} (then the
     * replication hello goes out as a binary message too).
     *
     * @param recordFile the host's {@code host.json}
     * @param name       the shared object's name
     * @param peerId     the peer id the hello announces
     * @param writer     whether the hello says it writes
     * @param binary     whether the handshake hello asks for binary messages
     * @return the peer, authenticated, its hello sent
     * @throws IOException when the connection or the handshake fails
     */
    public static RawSocketPeer open(Path recordFile, String name, String peerId, boolean writer, boolean binary)
            throws IOException {
        JsonObject record = json(Files.readString(recordFile));
        byte[] secret = Base64.getDecoder().decode(record.getString("secret"));
        RawSocketPeer p = RawSocketPeer.upgraded(record.getString("endpoint"));
        try {
            String serverNonce = json(p.read(T).text()).getString("nonce");
            String clientNonce = Handshake.nonce();
            p.sendText(Handshake.hello(name, clientNonce, Handshake.proof(secret, "client", name, serverNonce, clientNonce), binary));
            String answer = p.read(T).text();
            if (!"welcome".equals(json(answer).getString("t"))) {
                throw new IOException("handshake refused: " + answer);
            }
            String replicationHello = ("{\"t\":\"hello\",\"pv\":2,\"peer\":\"" + peerId + "\",\"pid\":" + Integer.MAX_VALUE + ",\"start\":1,"
                    + "\"writer\":" + writer + ",\"maxWriters\":2147483647,\"have\":false,\"lt\":0,\"lv\":0,\"pending\":0,"
                    + "\"rpc\":[]}");
            if (binary) {
                p.send(RawSocketPeer.BINARY, true, replicationHello.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                p.sendText(replicationHello);
            }
            return p;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** Frames a client may send, as templates the fuzzer mutates. */
    private static final String[] SEEDS = {
        "{\"t\":\"patch\",\"seq\":1,\"base\":0,\"hlc\":1,\"u\":{\"$set\":{\"a\":1}}}",
        "{\"t\":\"patch\",\"seq\":2,\"base\":0,\"hlc\":2,\"kind\":\"JSON_PATCH\",\"u\":[{\"op\":\"add\",\"path\":\"/b\",\"value\":[1,2]}]}",
        "{\"t\":\"patch\",\"seq\":3,\"base\":0,\"hlc\":3,\"kind\":\"MERGE_PATCH\",\"u\":{\"c\":null},\"pre\":{\"version\":0}}",
        "{\"t\":\"ack\",\"v\":1}",
        "{\"t\":\"ping\",\"id\":1}",
        "{\"t\":\"pong\",\"id\":1}",
        "{\"t\":\"ev\",\"n\":\"e\",\"p\":{\"x\":1},\"from\":\"p\"}",
        "{\"t\":\"call\",\"id\":1,\"n\":\"m\",\"a\":[]}",
        "{\"t\":\"res\",\"id\":1,\"r\":1}",
        "{\"t\":\"res\",\"id\":2,\"code\":\"ERR_RPC_FAILED\",\"m\":\"x\"}",
        "{\"t\":\"snap\",\"i\":0,\"n\":2,\"d\":\"{\\\"lt\\\":1\"}",
        "{\"t\":\"tail\",\"entries\":[{\"t\":1,\"v\":1,\"p\":\"p\",\"s\":1,\"h\":1,\"e\":[]}]}",
        "{\"t\":\"err\",\"code\":\"ERR_PROTOCOL\",\"m\":\"x\"}",
        "{\"t\":\"e\",\"entries\":[]}",
        "{\"t\":\"part\",\"i\":0,\"n\":1,\"d\":\"{}\"}",
        "{\"t\":\"hello\",\"pv\":2,\"peer\":\"again\",\"pid\":1,\"start\":1,\"writer\":true,\"maxWriters\":1,\"have\":true,"
                + "\"lt\":9,\"lv\":99,\"pending\":0,\"rpc\":[]}",
    };

    private static final String ALPHABET = "{}[]\",:.-+eE0123456789tfnul\\/ $abcé€😀";

    /**
     * A hostile frame for an authenticated peer to send: a mutated frame of the protocol, random text, deep nesting,
     * the copy-bomb patch of issue 13, or a snapshot chunk announcing billions of chunks.
     *
     * @param r the randomness
     * @return the frame's text
     */
    public static String hostileFrame(Random r) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            StringBuilder sb = new StringBuilder();
            for (int i = r.nextInt(200); i > 0; i--) {
                sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
            return sb.toString();
        }
        if (kind == 1) {
            int depth = 900 + r.nextInt(200);
            return "{\"t\":\"ev\",\"n\":\"d\",\"p\":" + "[".repeat(depth) + "]".repeat(depth) + ",\"from\":\"x\"}";
        }
        if (kind == 2) { // the copy bomb of issue 13
            StringBuilder ops = new StringBuilder("[{\"op\":\"add\",\"path\":\"/bomb\",\"value\":{\"x\":\"" + "y".repeat(90) + "\"}}");
            for (int i = 0; i < 26; i++) {
                ops.append(",{\"op\":\"copy\",\"from\":\"/bomb\",\"path\":\"/bomb/c").append(i).append("\"}");
            }
            return "{\"t\":\"patch\",\"seq\":" + (1000 + r.nextInt(1_000_000)) + ",\"base\":0,\"hlc\":1,\"kind\":\"JSON_PATCH\","
                    + "\"u\":" + ops + "]}";
        }
        if (kind == 3) {
            return "{\"t\":\"snap\",\"i\":" + r.nextInt(3) + ",\"n\":" + (1 + r.nextInt(Integer.MAX_VALUE)) + ",\"d\":\""
                    + "z".repeat(r.nextInt(10_000)) + "\"}";
        }
        StringBuilder sb = new StringBuilder(SEEDS[r.nextInt(SEEDS.length)]);
        for (int m = 1 + r.nextInt(4); m > 0 && sb.length() > 0; m--) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(5)) {
                case 0 -> sb.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 1 -> sb.delete(at, Math.min(sb.length(), at + 1 + r.nextInt(8)));
                case 2 -> sb.insert(at, sb.substring(at, Math.min(sb.length(), at + r.nextInt(40))));
                case 3 -> sb.insert(at, "9".repeat(1 + r.nextInt(40)));
                default -> sb.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
        }
        return sb.toString();
    }
}
