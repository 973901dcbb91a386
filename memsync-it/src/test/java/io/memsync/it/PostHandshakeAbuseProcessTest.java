package io.memsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.memsync.transport.AuthenticatedPeer;
import io.memsync.transport.RawSocketPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cases of issue 13 after authentication, replayed against a real host process (512 MB heap, as in the report)
 * while a real client process keeps patching: the copy-bomb JSON Patch (from the client, refused there, and from a
 * hostile authenticated peer, refused by the host), a 17 MB {@code $set} made on the host (the client follows), a
 * peer that authenticates, sends its hello and never reads (disconnected at its send budget), and
 * {@code memsync.abuse.cases} authenticated peers sending hostile frames. The host never dies, its heap after GC
 * stays bounded, and the client's patches keep completing.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PostHandshakeAbuseProcessTest {
    static final String NAME = "it-abuse-auth";
    static final int CASES = Integer.getInteger("memsync.abuse.cases", 100);
    /** The host's heap after GC must stay under this at every measurement (the document holds a 17 MB string). */
    static final long HEAP_BOUND = 200L << 20;
    /** The host's heap after GC once a stuck peer was disconnected and the log compacted. */
    static final long RELEASED_BOUND = 80L << 20;

    private final List<PeerProcess> processes = new CopyOnWriteArrayList<>();
    private final List<RawSocketPeer> sockets = new CopyOnWriteArrayList<>();
    private Path dir;

    @AfterEach
    void killEverything() throws IOException {
        sockets.forEach(RawSocketPeer::close);
        processes.forEach(PeerProcess::close); // by pid, passed or not
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private PeerProcess launch(String label, String... jvmArgs) throws IOException {
        PeerProcess p = PeerProcess.launch(label, dir, jvmArgs);
        processes.add(p);
        return p;
    }

    private RawSocketPeer authenticated(String peerId, boolean writer) throws IOException {
        RawSocketPeer p = AuthenticatedPeer.open(dir.resolve(NAME).resolve("host.json"), NAME, peerId, writer);
        sockets.add(p);
        return p;
    }

    static String copyBomb() {
        StringBuilder ops = new StringBuilder("[{\"op\":\"add\",\"path\":\"/bomb\",\"value\":{\"x\":\"" + "y".repeat(90) + "\"}}");
        for (int i = 0; i < 26; i++) {
            ops.append(",{\"op\":\"copy\",\"from\":\"/bomb\",\"path\":\"/bomb/c").append(i).append("\"}");
        }
        return ops.append(']').toString();
    }


    private static long heap(PeerProcess p, long[] peak) {
        long h = p.call("heap").getJsonNumber("bytes").longValue();
        peak[0] = Math.max(peak[0], h);
        assertThat(h).as("host heap after GC").isLessThan(HEAP_BOUND);
        return h;
    }

    @Test
    void hostileAuthenticatedPeersNeitherStopNorBloatTheHostWhileAClientIsServed() throws Exception {
        dir = Files.createTempDirectory("memsync-it-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path hostLog = dir.resolve("host.log");
        PeerProcess host = launch("H", "-Djava.util.logging.config.class=" + FileLogConfig.class.getName(),
                "-Dmemsync.it.log.file=" + hostLog);
        PeerProcess client = launch("C");
        host.call("start " + NAME + " data={\"n\":0}");
        client.call("start " + NAME);
        client.call("patch {\"$inc\":{\"n\":1}}");
        long[] peak = {0};
        long heapBefore = heap(host, peak);
        long hostPid = host.pid();

        try (BackgroundPatcher patcher = new BackgroundPatcher(client, Duration.ofSeconds(30))) {
            // 1. the copy bomb from the client: refused at submit there
            String answer = client.send("patch " + copyBomb()).get(60, TimeUnit.SECONDS);
            assertThat(answer).startsWith("err ERR_TOO_LARGE").contains("maxEffectSize");

            // 2. the same from a hostile authenticated writer that skips the check: refused by the host, to it
            RawSocketPeer hostile = authenticated("hostile-writer", true);
            hostile.sendText("{\"t\":\"patch\",\"seq\":1,\"base\":0,\"hlc\":1,\"kind\":\"JSON_PATCH\",\"u\":" + copyBomb() + "}");
            boolean refused = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!refused && System.nanoTime() < deadline) {
                RawSocketPeer.Frame f = hostile.read(Duration.ofSeconds(60));
                assertThat(f).as("the host answered the hostile writer").isNotNull();
                refused = f.opcode() == RawSocketPeer.TEXT && f.text().contains("\"p\":\"hostile-writer\"")
                        && f.text().contains("ERR_TOO_LARGE");
            }
            assertThat(refused).as("the host rejected the copy bomb to its writer with ERR_TOO_LARGE").isTrue();
            hostile.close();
            heap(host, peak);

            // 3. hostile frames from authenticated peers (before the document grows: each of them is sent a snapshot)
            Random random = new Random(13);
            long frames = 0;
            for (int c = 0; c < CASES; c++) {
                try (RawSocketPeer p = AuthenticatedPeer.open(dir.resolve(NAME).resolve("host.json"), NAME, "fuzz-" + c,
                        random.nextBoolean())) {
                    for (int i = 1 + random.nextInt(10); i > 0; i--) {
                        try {
                            p.sendText(AuthenticatedPeer.hostileFrame(random));
                            frames++;
                        } catch (IOException closedByHost) {
                            break;
                        }
                    }
                }
                if (c % 25 == 0) {
                    heap(host, peak);
                }
            }
            // 4. a 17 MB $set made on the host: the client follows (frames under 16 MiB, the entry in parts)
            long v = host.call("bigstring big 17000000", Duration.ofSeconds(120)).getJsonNumber("version").longValue();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> client.call("status").getJsonNumber("version").longValue() >= v);
            assertThat(client.call("status").getString("role")).isEqualTo("CLIENT");
            heap(host, peak);

            // 5. a peer that authenticates, sends its hello and never reads, while the host writes 1 MB entries
            RawSocketPeer stuck = authenticated("never-reads", false);
            int writes = 0;
            while (Files.readAllLines(hostLog).stream().noneMatch(l -> l.contains("past its send budget"))) {
                assertThat(writes).as("1 MB writes before the stuck peer was disconnected").isLessThan(400);
                host.call("bigstring f" + (writes % 4) + " 1000000", Duration.ofSeconds(60));
                writes++;
            }
            assertThat(stuck.awaitClosedByHost(Duration.ofSeconds(30))).as("the stuck peer's socket closed").isTrue();
            long heapAtStuck = heap(host, peak);
            // and released once the host compacted (its document holds 21 MB; at most 16 MiB of entries stay)
            long[] released = {0};
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> (released[0] = heap(host, peak)) < RELEASED_BOUND);
            System.out.printf("stuck peer disconnected after %d writes of 1 MB; host heap after GC %d MiB then, %d MiB"
                    + " once compacted%n", writes, heapAtStuck >> 20, released[0] >> 20);

            long heapAfter = heap(host, peak);
            patcher.close();
            System.out.printf("post-handshake abuse: %d hostile cases (%d frames), 0 host crashes, host heap after GC"
                            + " %d MiB before, %d MiB after, peak %d MiB; client patches meanwhile %d, slowest %d ms,"
                            + " failed %d%n", CASES, frames, heapBefore >> 20, heapAfter >> 20, peak[0] >> 20,
                    patcher.done.get(), patcher.slowestMs.get(), patcher.failures.size());
            assertThat(patcher.failures).as("client patches during the abuse").isEmpty();
            assertThat(patcher.done.get()).isPositive();
        }
        assertThat(host.isAlive()).isTrue();
        assertThat(host.pid()).isEqualTo(hostPid);
        assertThat(host.call("status").getString("role")).isEqualTo("HOST");
        client.call("patch {\"$set\":{\"done\":true}}");
        assertThat(Files.readAllLines(hostLog)).as("no handler failed, no OutOfMemoryError")
                .noneMatch(l -> l.contains("handler failed") || l.contains("OutOfMemoryError"));
    }
}
