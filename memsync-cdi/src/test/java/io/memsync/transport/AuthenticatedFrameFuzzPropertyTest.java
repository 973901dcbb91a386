package io.memsync.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.memsync.MemSync;
import io.memsync.PeerRole;
import io.memsync.SharedObject;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
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

    @Property // tries: see HandshakeFuzzPropertyTest.Tries
    @AddLifecycleHook(HandshakeFuzzPropertyTest.Tries.class)
    void hostileFramesAfterAuthenticationNeverStopTheHost(@ForAll Random random) throws Exception {
        int n = CASES.incrementAndGet();
        List<String> sent = new ArrayList<>();
        try (RawSocketPeer p = AuthenticatedPeer.open(dir.resolve(NAME).resolve("host.json"), NAME, "fuzz-" + n, true)) {
            for (int i = 1 + random.nextInt(12); i > 0; i--) {
                String f = AuthenticatedPeer.hostileFrame(random);
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
