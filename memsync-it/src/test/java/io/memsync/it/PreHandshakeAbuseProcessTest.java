package io.memsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.memsync.transport.RawSocketPeer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pre-handshake cases of issue 13 replayed at a smaller scale against a real host process, while a real client
 * process keeps patching and another one joins: many idle upgraded and silent TCP connections are closed (the host's
 * open file descriptors, counted in {@code /proc/<pid>/fd}, return to the baseline), huge frames announced before
 * authentication are cut without being read, and 2,000 refused handshakes cost a bounded number of log lines. The
 * client's pre-started listener gets the same protection.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PreHandshakeAbuseProcessTest {
    static final String NAME = "it-abuse";
    static final Duration WAIT = Duration.ofSeconds(60);
    /** The host's deadline (10 s) and idle timeout (15 s) plus slack for a loaded machine. */
    static final Duration CLOSED_WITHIN = Duration.ofSeconds(35);
    static final int IDLE_UPGRADED = 200;
    static final int SILENT_TCP = 200;
    static final int REFUSED_HANDSHAKES = 2_000;

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

    private static long fds(PeerProcess p) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(p.pid()), "fd"))) {
            return s.count();
        }
    }

    /** TCP ports the process listens on: LISTEN sockets of /proc/net/tcp(6) whose inode is one of its descriptors. */
    private static List<Integer> listeningPorts(PeerProcess p) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(p.pid()), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // gone
                }
            }
        }
        List<Integer> ports = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) { // the JDK opens IPv6 sockets even for 127.0.0.1
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "net", table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    ports.add(Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static String badHello() {
        return Json.createObjectBuilder().add("t", "hello").add("name", NAME).add("nonce", "0123456789abcdef0123")
                .add("proof", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").build().toString();
    }


    @Test
    void connectionsThatNeverAuthenticateAreClosedAndLoggedBoundedlyWhileClientsAreServed() throws Exception {
        dir = Files.createTempDirectory("memsync-it-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path hostLog = dir.resolve("host.log");
        PeerProcess host = launch("H", "-Djava.util.logging.config.class=" + FileLogConfig.class.getName(),
                "-Dmemsync.it.log.file=" + hostLog);
        PeerProcess client = launch("C");
        host.call("start " + NAME + " data={\"n\":0}");
        client.call("start " + NAME);
        String endpoint = json(Files.readString(dir.resolve(NAME).resolve("host.json"))).getString("endpoint");
        client.call("patch {\"$inc\":{\"n\":1}}");
        long heapBefore = host.call("heap").getJsonNumber("bytes").longValue();
        long baseline = fds(host);

        try (BackgroundPatcher patcher = new BackgroundPatcher(client, Duration.ofSeconds(10))) {
            // 1. idle upgraded connections and silent TCP connections
            for (int i = 0; i < IDLE_UPGRADED; i++) {
                sockets.add(RawSocketPeer.upgraded(endpoint));
                sockets.add(RawSocketPeer.tcp(endpoint));
            }
            long peak = fds(host);
            long t0 = System.nanoTime();
            PeerProcess joiner = launch("J"); // a legitimate client joins meanwhile, and patches
            joiner.call("start " + NAME);
            joiner.call("patch {\"$inc\":{\"n\":1}}", Duration.ofSeconds(20));
            await().atMost(CLOSED_WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> fds(host) <= baseline + 20);
            long closedMs = (System.nanoTime() - t0) / 1_000_000;
            long after = fds(host);
            System.out.printf("host fds: %d before, %d with %d idle upgraded + %d silent TCP connections, %d after %d ms%n",
                    baseline, peak, IDLE_UPGRADED, SILENT_TCP, after, closedMs);
            assertThat(peak).as("the connections were open at the host").isGreaterThan(baseline + SILENT_TCP);
            for (RawSocketPeer s : sockets) {
                assertThat(s.awaitClosedByHost(Duration.ofSeconds(5))).as("closed by the host").isTrue();
                s.close();
            }
            sockets.clear();

            // 2. frames announcing 30 MB before authentication: cut from the header, the payload is never read
            for (int i = 0; i < 4; i++) {
                try (RawSocketPeer p = RawSocketPeer.upgraded(endpoint)) {
                    assertThat(p.read(Duration.ofSeconds(10)).text()).contains("challenge");
                    try {
                        p.sendFrameStart(RawSocketPeer.TEXT, 30_000_000L, 256 * 1024);
                    } catch (IOException cutWhileSending) {
                        // the host closed the connection before this much was written: that is the point
                    }
                    assertThat(p.awaitClosedByHost(Duration.ofSeconds(10))).isTrue();
                }
            }

            // 3. the same refused handshake 2,000 times, from four threads
            long t1 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Set<String>>> answers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    answers.add(pool.submit(() -> {
                        Set<String> codes = new HashSet<>();
                        for (int i = 0; i < REFUSED_HANDSHAKES / 4; i++) {
                            try (RawSocketPeer p = RawSocketPeer.upgraded(endpoint)) {
                                p.read(Duration.ofSeconds(10)); // challenge
                                p.sendText(badHello());
                                codes.add(json(p.read(Duration.ofSeconds(10)).text()).getString("code"));
                                p.send(RawSocketPeer.CLOSE, true, new byte[] {0x03, (byte) 0xe8});
                            }
                        }
                        return codes;
                    }));
                }
                for (Future<Set<String>> f : answers) {
                    assertThat(f.get(2, TimeUnit.MINUTES)).containsExactly("ERR_UNAUTHORIZED");
                }
            } finally {
                pool.shutdownNow();
            }
            long refusedMs = (System.nanoTime() - t1) / 1_000_000;
            Pattern more = Pattern.compile("refused (\\d+) more connections? \\(wrong name or secret\\)");
            long[] lines = new long[1];
            // once the last window has ended every refusal is accounted for: a line each, or in a line's count
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                long accounted = 0;
                long n = 0;
                for (String line : Files.readAllLines(hostLog)) {
                    Matcher m = more.matcher(line);
                    if (m.find()) {
                        accounted += Long.parseLong(m.group(1));
                        n++;
                    } else if (line.contains("(wrong name or secret)")) {
                        accounted++;
                        n++;
                    }
                }
                lines[0] = n;
                assertThat(accounted).isEqualTo(REFUSED_HANDSHAKES);
            });
            long windows = 2 + TimeUnit.MILLISECONDS.toSeconds(refusedMs) / 10;
            long allLines = Files.readAllLines(hostLog).stream().filter(l -> l.contains("refused")).count();
            System.out.printf("%d refused handshakes in %d ms: %d log lines for them, %d refusal lines in all%n",
                    REFUSED_HANDSHAKES, refusedMs, lines[0], allLines);
            assertThat(lines[0]).isLessThanOrEqualTo(windows);

            patcher.close();
            System.out.printf("client patches meanwhile: %d, slowest %d ms, failed %d%n", patcher.done.get(),
                    patcher.slowestMs.get(), patcher.failures.size());
            assertThat(patcher.failures).as("client patches during the abuse").isEmpty();
            assertThat(patcher.done.get()).isPositive();
        }

        // 4. the client's pre-started listener (every process runs one, for a failover) is protected the same way
        List<Integer> ports = listeningPorts(client);
        assertThat(ports).as("the client's listening ports").isNotEmpty();
        int protectedListeners = 0;
        for (int port : ports) {
            String clientEndpoint = "ws://127.0.0.1:" + port + "/memsync";
            RawSocketPeer idle;
            try {
                idle = RawSocketPeer.upgraded(clientEndpoint);
            } catch (IOException notAWebSocketListener) {
                continue;
            }
            sockets.add(idle);
            protectedListeners++;
            try (RawSocketPeer p = RawSocketPeer.upgraded(clientEndpoint)) {
                p.read(Duration.ofSeconds(10));
                p.sendText(badHello());
                JsonObject err = json(p.read(Duration.ofSeconds(10)).text());
                assertThat(err.getString("code")).isEqualTo("ERR_UNAUTHORIZED");
            }
            assertThat(idle.read(Duration.ofSeconds(10)).text()).contains("challenge");
            JsonObject timeout = json(idle.read(CLOSED_WITHIN).text());
            assertThat(timeout.getString("message")).contains("no authentication within");
            assertThat(idle.awaitClosedByHost(Duration.ofSeconds(10))).as("idle connection to the client's listener closed").isTrue();
        }
        System.out.printf("client's listening ports %s: %d WebSocket listener(s) refused a bad hello and closed an idle"
                + " connection at the deadline%n", ports, protectedListeners);
        assertThat(protectedListeners).as("pre-started listeners found in the client").isPositive();

        // the host is still the host, its memory is back, and everyone converged
        assertThat(host.call("status").getString("role")).isEqualTo("HOST");
        long heapAfter = host.call("heap").getJsonNumber("bytes").longValue();
        System.out.printf("host heap after GC: %d KiB before, %d KiB after%n", heapBefore / 1024, heapAfter / 1024);
        assertThat(heapAfter).isLessThan(heapBefore + 64L * 1024 * 1024);
        int n = host.call("data").getInt("n");
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.call("data").getInt("n")).isEqualTo(n));
        assertThat(Files.readAllLines(hostLog)).noneMatch(l -> l.contains("SEVERE") || l.contains("Exception"));
    }
}
