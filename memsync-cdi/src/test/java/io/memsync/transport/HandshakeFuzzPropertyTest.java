package io.memsync.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.memsync.MemSyncException;
import io.memsync.replication.Channel;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Fuzzes the host's side of the handshake (issue 13, item 5) against one real {@link HostListener} over real
 * sockets: mutated hello frames, random text, invalid UTF-8, binary garbage, huge strings, deep nesting, fragmented
 * messages, pings, and frames announcing far more than they send. For every case the host answers with a refusal
 * (an error frame, or Helidon's 1009 close for a frame over its wire limit), closes the connection (itself when the
 * peer does not answer the close frame), never fails inside a handler, never logs more than the rate limit allows;
 * and a legitimate client can still join.
 *
 * <p>Tries: {@code -Dmemsync.fuzz.tries} (the pom passes 200 by default and many more with {@code -Psoak}).
 */
class HandshakeFuzzPropertyTest {
    static final int TRIES = Integer.getInteger("memsync.fuzz.tries", 200);
    private static final byte[] SECRET = "fuzz-secret".getBytes(StandardCharsets.UTF_8);
    private static final Duration T = Duration.ofSeconds(10);
    private static final Set<String> REFUSAL_CODES = Set.of(MemSyncException.ERR_PROTOCOL, MemSyncException.ERR_UNAUTHORIZED,
            MemSyncException.ERR_TOO_LARGE);

    private static HostListener host;
    private static RefusalRecords records;
    private static long startNanos;
    private static final AtomicInteger CASES = new AtomicInteger();
    private static final AtomicInteger JOINS = new AtomicInteger();
    private static final Recorder HOST_SIDE = new Recorder();
    private static final WebSocketTransport TRANSPORT = new WebSocketTransport();

    /** Sets the number of tries from the system property. */
    static final class Tries implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            context.attributes().setTries(TRIES);
            return property.execute();
        }

        /** Outermost: the tries must be set before jqwik reads them to start the property. */
        @Override
        public int aroundPropertyProximity() {
            return -100;
        }
    }

    @BeforeContainer
    static void startHost() throws IOException {
        records = new RefusalRecords();
        host = (HostListener) TRANSPORT.listen("doc", SECRET, ch -> HOST_SIDE);
        startNanos = System.nanoTime();
    }

    @AfterContainer
    static void stopHost() throws Exception {
        try {
            join(); // after the last case too
            System.out.printf("handshake fuzz: %d cases, %d joins between them, %d refusal log lines in %d s, 0 failures%n",
                    CASES.get(), JOINS.get(), records.refusals.size(), (System.nanoTime() - startNanos) / 1_000_000_000L);
        } finally {
            host.close();
            records.close();
        }
    }

    /** One frame (or frame start) the hostile peer sends. */
    record Send(int opcode, boolean fin, byte[] payload, long announced) {
        static Send text(String s) {
            return new Send(RawSocketPeer.TEXT, true, s.getBytes(StandardCharsets.UTF_8), -1);
        }

        boolean cutByHelidon() {
            return announced > HostListener.MAX_WIRE_FRAME_BYTES || payload.length > HostListener.MAX_WIRE_FRAME_BYTES;
        }

        @Override
        public String toString() {
            String p = new String(payload, 0, Math.min(payload.length, 80), StandardCharsets.UTF_8);
            return "Send[op " + opcode + (fin ? "" : " (not fin)") + ", " + payload.length + " bytes"
                    + (announced >= 0 ? " of " + announced + " announced" : "") + ": " + p + "]";
        }
    }

    /** A case: frames in order, and whether the peer answers the host's close frame. */
    record Attack(List<Send> frames, boolean answersClose) {
    }

    @Property // tries: see Tries
    @AddLifecycleHook(Tries.class)
    void aHostileHandshakeIsRefusedClosedAndLoggedWithinTheRateLimit(@ForAll("attacks") Attack attack) throws Exception {
        int n = CASES.incrementAndGet();
        try (RawSocketPeer p = RawSocketPeer.upgraded(host.endpoint())) {
            RawSocketPeer.Frame challenge = p.read(T);
            assertThat(challenge).isNotNull();
            assertThat(challenge.text()).contains("\"t\":\"challenge\"");
            boolean cut = false;
            try {
                for (Send s : attack.frames()) {
                    if (s.announced() >= 0) {
                        p.sendFrameStart(s.opcode(), s.announced(), s.payload().length);
                    } else {
                        p.send(s.opcode(), s.fin(), s.payload());
                    }
                    cut |= s.cutByHelidon();
                }
            } catch (IOException closedMeanwhile) {
                // the host may close after the first frame it refused, before the peer sent the rest
            }
            // what comes back: pongs for pings, then an error frame and a close frame, or Helidon's 1009 close
            JsonObject error = null;
            int closeCode = -1;
            while (true) {
                RawSocketPeer.Frame f = p.read(T);
                if (f == null) {
                    break;
                }
                if (f.opcode() == RawSocketPeer.TEXT) {
                    JsonObject o = Json.createReader(new StringReader(f.text())).readObject();
                    assertThat(o.getString("t")).as("answer to %s", attack).isEqualTo("error");
                    assertThat(error).as("a second error frame").isNull();
                    error = o;
                } else if (f.opcode() == RawSocketPeer.CLOSE) {
                    closeCode = f.closeCode();
                    break;
                }
            }
            assertThat(closeCode).as("close code for %s (1011: a handler threw)", attack).isNotEqualTo(1011);
            if (error != null) {
                assertThat(error.getString("code")).isIn(REFUSAL_CODES);
                assertThat(closeCode).isEqualTo(1000);
            } else {
                assertThat(cut).as("no error frame for %s, close code %d", attack, closeCode).isTrue();
                assertThat(closeCode).isIn(1009, -1);
            }
            if (attack.answersClose()) {
                try {
                    p.send(RawSocketPeer.CLOSE, true, new byte[] {0x03, (byte) 0xe8});
                } catch (IOException closedAlready) {
                    // fine: closed is what is asked for
                }
            }
            assertThat(p.awaitClosedByHost(Duration.ofMillis(HostListener.REFUSED_CLOSE_GRACE_MS).plus(T)))
                    .as("host closed the socket after %s", attack).isTrue();
        }
        assertWithinTheRateLimit();
        if (n % 25 == 0) {
            join();
        }
    }

    private static void assertWithinTheRateLimit() {
        long windows = 2 + (System.nanoTime() - startNanos) / RefusalLog.WINDOW_NANOS;
        assertThat((long) records.refusals.size()).as("refusal lines so far")
                .isLessThanOrEqualTo(RefusalLog.Cause.values().length * windows);
        assertThat(records.count(RefusalLog.Cause.INTERNAL)).as("handshake code that threw").isZero();
        assertThat(records.refusals).noneMatch(r -> r.getThrown() != null);
        assertThat(records.transport).noneMatch(r -> r.getThrown() != null);
    }

    private static void join() throws Exception {
        Recorder client = new Recorder();
        Channel c = TRANSPORT.connect(host.endpoint(), "doc", SECRET, client, T);
        try {
            String frame = "{\"join\":" + JOINS.incrementAndGet() + "}";
            c.send(frame);
            assertThat(HOST_SIDE.frames.poll(10, TimeUnit.SECONDS)).isEqualTo(frame);
        } finally {
            c.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // generators
    // ---------------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Attack> attacks() {
        Arbitrary<Send> frame = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, mutatedHello().map(Send::text)),
                net.jqwik.api.Tuple.of(2, textualDamage().map(Send::text)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().all().ofMaxLength(300).map(Send::text)),
                net.jqwik.api.Tuple.of(2, deepNesting().map(Send::text)),
                net.jqwik.api.Tuple.of(1, hugeString().map(Send::text)),
                net.jqwik.api.Tuple.of(2, bytes(2000).map(b -> new Send(RawSocketPeer.BINARY, true, b, -1))),
                net.jqwik.api.Tuple.of(1, bytes(2000).map(b -> new Send(RawSocketPeer.TEXT, true, b, -1))), // invalid UTF-8
                net.jqwik.api.Tuple.of(1, mutatedHello().map(s -> new Send(RawSocketPeer.TEXT, false, s.getBytes(StandardCharsets.UTF_8), -1))),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(HostListener.MAX_WIRE_FRAME_BYTES + 1L, 100_000_000L)
                        .map(len -> new Send(RawSocketPeer.TEXT, true, new byte[512], len))));
        Arbitrary<Send> ping = bytes(100).map(b -> new Send(RawSocketPeer.PING, true, b, -1));
        Arbitrary<List<Send>> frames = Combinators.combine(ping.list().ofMaxSize(2), frame.list().ofMinSize(1).ofMaxSize(4))
                .as((pings, rest) -> {
                    List<Send> all = new ArrayList<>(pings);
                    all.addAll(rest);
                    return all;
                });
        // one case in twenty never answers the host's close frame: the host must close the socket itself
        return Combinators.combine(frames, Arbitraries.integers().between(1, 20).map(i -> i != 1)).as(Attack::new);
    }

    private static Arbitrary<byte[]> bytes(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(max);
    }

    private static Arbitrary<JsonValue> anyJson(int depth) {
        Arbitrary<JsonValue> leaf = Arbitraries.oneOf(
                Arbitraries.of(JsonValue.NULL, JsonValue.TRUE, JsonValue.FALSE, JsonValue.EMPTY_JSON_ARRAY, JsonValue.EMPTY_JSON_OBJECT),
                Arbitraries.strings().all().ofMaxLength(40).map(s -> Json.createValue(s)),
                Arbitraries.longs().map(l -> Json.createValue(l)),
                Arbitraries.doubles().between(-1e300, 1e300).map(d -> Json.createValue(d)));
        if (depth == 0) {
            return leaf;
        }
        return Arbitraries.oneOf(leaf,
                anyJson(depth - 1).list().ofMaxSize(3).map(l -> {
                    var b = Json.createArrayBuilder();
                    l.forEach(b::add);
                    return b.build();
                }),
                Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(5), anyJson(depth - 1))
                        .as((k, v) -> Json.createObjectBuilder().add(k, v).build()));
    }

    /** A hello as a real client sends it, with one to three members removed, retyped or replaced. */
    private static Arbitrary<String> mutatedHello() {
        Arbitrary<String> key = Arbitraries.of("t", "name", "nonce", "proof", "v", "extra");
        Arbitrary<JsonValue> replacement = Arbitraries.oneOf(
                anyJson(2),
                Arbitraries.of("doc", "hello", "", "doc\u0000", "DOC", "d\u00f6c").map(s -> Json.createValue(s)),
                Arbitraries.strings().withChars("ABCDEFabcdef0123456789+/=").ofMinLength(10).ofMaxLength(60).map(s -> Json.createValue(s)),
                Arbitraries.strings().all().ofMinLength(100).ofMaxLength(3000).map(s -> Json.createValue(s)));
        Arbitrary<Object[]> mutation = Combinators.combine(key, Arbitraries.integers().between(0, 2), replacement)
                .as((k, kind, v) -> new Object[] {k, kind, v});
        return mutation.list().ofMinSize(1).ofMaxSize(3).map(ms -> {
            java.util.Map<String, JsonValue> hello = new java.util.LinkedHashMap<>();
            hello.put("t", Json.createValue("hello"));
            hello.put("name", Json.createValue("doc"));
            hello.put("nonce", Json.createValue(Handshake.nonce()));
            hello.put("proof", Json.createValue(Handshake.nonce().substring(0, 44)));
            for (Object[] m : ms) {
                String k = (String) m[0];
                switch ((Integer) m[1]) {
                    case 0 -> hello.remove(k);
                    default -> hello.put(k, (JsonValue) m[2]);
                }
            }
            JsonObjectBuilder b = Json.createObjectBuilder();
            hello.forEach(b::add);
            return b.build().toString();
        });
    }

    /** A hello's text cut short, with characters inserted, or with a member repeated. */
    private static Arbitrary<String> textualDamage() {
        String hello = Handshake.hello("doc", Handshake.nonce(), Handshake.nonce());
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, hello.length()).map(i -> hello.substring(0, i)),
                Combinators.combine(Arbitraries.integers().between(0, hello.length()), Arbitraries.strings().all().ofMaxLength(4))
                        .as((i, s) -> hello.substring(0, i) + s + hello.substring(i)),
                Arbitraries.of(hello.replace("}", ",\"t\":\"welcome\"}"), hello.replace("{", "{\"name\":\"doc\","), hello + hello,
                        hello + "\n" + hello, " " + hello + " ", "[" + hello + "]", "\uFEFF" + hello));
    }

    /** Arrays or objects nested up to 3000 levels, balanced or not, alone or inside a hello. */
    private static Arbitrary<String> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(1, 3000), Arbitraries.of("[", "{\"a\":"),
                        Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((depth, open, balanced, inHello) -> {
                    String close = open.equals("[") ? "]" : "}";
                    String nested = open.repeat(depth) + "1" + (balanced ? close.repeat(depth) : "");
                    return inHello ? "{\"t\":\"hello\",\"name\":" + nested + ",\"nonce\":\"0123456789abcdef0\",\"proof\":\"x\"}" : nested;
                });
    }

    /** Strings from just under to far over the handshake limit (still under the wire limit). */
    private static Arbitrary<String> hugeString() {
        return Arbitraries.integers().between(Handshake.MAX_HANDSHAKE_BYTES - 100, 60_000)
                .map(n -> "{\"t\":\"hello\",\"name\":\"" + "x".repeat(n) + "\"}");
    }
}
