package io.memsync.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.memsync.MemSync;
import io.memsync.PeerRole;
import io.memsync.SharedObject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes a real host after authentication (issue 13, item 5): an authenticated peer sends a hello and then mutated,
 * random and hostile replication frames (wrong types and members, huge numbers, deep nesting, a copy-bomb patch, a
 * snapshot chunk storm, frame parts). The host must answer or ignore each, never fail inside a handler, keep hosting,
 * and a legitimate client's patches keep completing after every case. Tries as {@link HandshakeFuzzPropertyTest}.
 */
class AuthenticatedFrameFuzzPropertyTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final String NAME = "fuzz-auth";
    private static Path dir;
    private static SharedObject<JsonObject> host;
    private static SharedObject<JsonObject> client;
    private static final AtomicInteger CASES = new AtomicInteger();
    private static final AtomicInteger FRAMES = new AtomicInteger();
    private static final List<String> FAILURES = new CopyOnWriteArrayList<>();
    private static long peakHeap;
    private static final Handler FAILED_HANDLERS = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String m = r.getMessage();
            if (r.getLevel().intValue() >= Level.WARNING.intValue() && m != null
                    && (m.contains("handler failed") || r.getThrown() instanceof Error)) {
                FAILURES.add(m + (r.getThrown() == null ? "" : ": " + r.getThrown()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

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

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("memsync-fuzz-auth-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Logger.getLogger("io.memsync").addHandler(FAILED_HANDLERS);
        host = MemSync.builder(NAME).rendezvous(dir).timeout(T).start();
        client = MemSync.builder(NAME).rendezvous(dir).timeout(T).start();
    }

    @AfterContainer
    static void stop() {
        try {
            System.out.printf("authenticated frame fuzz: %d cases, %d frames, %d handler failures, peak heap after GC"
                    + " %d MiB%n", CASES.get(), FRAMES.get(), FAILURES.size(), peakHeap >> 20);
        } finally {
            client.close();
            host.close();
            Logger.getLogger("io.memsync").removeHandler(FAILED_HANDLERS);
        }
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /** An authenticated raw peer that has sent its replication hello (a writer holding no document). */
    private static RawSocketPeer authenticated(String peerId) throws Exception {
        JsonObject record = json(Files.readString(dir.resolve(NAME).resolve("host.json")));
        byte[] secret = Base64.getDecoder().decode(record.getString("secret"));
        RawSocketPeer p = RawSocketPeer.upgraded(record.getString("endpoint"));
        String serverNonce = json(p.read(T).text()).getString("nonce");
        String clientNonce = Handshake.nonce();
        p.sendText(Handshake.hello(NAME, clientNonce, Handshake.proof(secret, "client", NAME, serverNonce, clientNonce)));
        assertThat(json(p.read(T).text()).getString("t")).isEqualTo("welcome");
        p.sendText("{\"t\":\"hello\",\"pv\":2,\"peer\":\"" + peerId + "\",\"pid\":" + Integer.MAX_VALUE + ",\"start\":1,"
                + "\"writer\":true,\"maxWriters\":2147483647,\"have\":false,\"lt\":0,\"lv\":0,\"pending\":0,\"rpc\":[\"m\"]}");
        return p;
    }

    /** A hostile frame: a mutated seed, random text, or one of the known-bad shapes. */
    static String frame(Random r) {
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

    @Property // tries: see HandshakeFuzzPropertyTest.Tries
    @AddLifecycleHook(HandshakeFuzzPropertyTest.Tries.class)
    void hostileFramesAfterAuthenticationNeverStopTheHost(@ForAll Random random) throws Exception {
        int n = CASES.incrementAndGet();
        List<String> sent = new ArrayList<>();
        try (RawSocketPeer p = authenticated("fuzz-" + n)) {
            for (int i = 1 + random.nextInt(12); i > 0; i--) {
                String f = frame(random);
                sent.add(f);
                try {
                    p.sendText(f);
                    FRAMES.incrementAndGet();
                } catch (IOException closed) {
                    break; // the host may close a peer it has had enough of
                }
            }
        }
        // the host keeps hosting, and a legitimate client's patch completes
        client.patch("{\"$inc\":{\"n\":1}}").toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(host.status().role()).isEqualTo(PeerRole.HOST);
        assertThat(FAILURES).as("handler failures after " + sent).isEmpty();
        if (n % 50 == 0) {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
        }
    }
}
