package io.memsync.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code kill -9} of a process appending under each {@link Durability} ({@link StoreAppenderMain}). After reopening,
 * the store holds a prefix of what was appended: the versions from its snapshot on, consecutive, each record whole
 * and in order, at least what the round started from. Under {@code BATCH} and {@code ALWAYS} every version the child
 * acknowledged is there; {@code NONE} may lose the newest acknowledged ones. Each round's process continues the
 * store the previous one left, in a higher term, snapshotting (every 97 records) and rolling segments as it goes.
 * Rounds per mode: {@link #rounds(Durability)}; the seed of the kill points: {@code -Dmemsync.storage.kill.seed}.
 */
public abstract class StoreKillContract {

    /** @return the location the child and the test open */
    protected abstract String location();

    /** @return how many rounds to run under {@code ALWAYS} (the other modes: {@link #rounds(Durability)}) */
    protected abstract int rounds();

    /**
     * How many rounds to run under a mode: {@link #rounds()} under {@code ALWAYS}, a quarter of it (at least 2) under
     * {@code BATCH} and {@code NONE}.
     *
     * @param durability the mode
     * @return the rounds; 0 skips the mode
     */
    protected int rounds(Durability durability) {
        return durability == Durability.ALWAYS ? rounds() : Math.max(2, rounds() / 4);
    }

    /**
     * Called in the first round while the child holds the store, e.g. to check that another writer is refused.
     *
     * @param childPid the child's pid
     */
    protected void whileChildHoldsTheStore(long childPid) {
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void aKill9LeavesWhatTheModePromises(Durability mode) throws Exception {
        int rounds = rounds(mode);
        assumeTrue(rounds > 0, "no rounds under " + mode);
        boolean acksSurvive = mode != Durability.NONE;
        long seed = Long.getLong("memsync.storage.kill.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        long expectedLast = 0;
        long totalAcks = 0;
        long lost = 0;
        for (int round = 1; round <= rounds; round++) {
            int killAfter = 100 + random.nextInt(200);
            List<Long> acked = new ArrayList<>();
            long startedAt;
            Process p = start(round, mode);
            try {
                LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
                CompletableFuture<Void> ended = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (Exception ignored) {
                        // the process died
                    } finally {
                        ended.complete(null);
                    }
                });
                String ready = next(lines, p);
                assertThat(ready).startsWith("ready " + p.pid() + " ");
                startedAt = Long.parseLong(ready.split(" ")[2]);
                assertThat(startedAt).as("%s round %d starts where round %d's store ended (seed %d)", mode, round, round - 1, seed)
                        .isEqualTo(expectedLast);
                if (round == 1) {
                    whileChildHoldsTheStore(p.pid());
                }
                while (acked.size() < killAfter) {
                    String line = next(lines, p);
                    if (line.startsWith("ack ")) {
                        acked.add(Long.parseLong(line.substring(4)));
                    }
                }
                new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                ended.get(30, TimeUnit.SECONDS);
                // what it printed before dying counts too
                for (String line : lines) {
                    if (line.startsWith("ack ")) {
                        acked.add(Long.parseLong(line.substring(4)));
                    }
                }
            } finally {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            long maxAck = acked.stream().mapToLong(Long::longValue).max().orElseThrow();
            totalAcks += acked.size();
            try (Store s = Storage.open(location(), "doc", StoreOptions.defaults())) {
                LoadedState l = s.load();
                assertThat(l.lastVersion()).as("%s round %d (seed %d): the store keeps at least what the round started from", mode, round, seed)
                        .isGreaterThanOrEqualTo(startedAt);
                if (acksSurvive) {
                    assertThat(l.lastVersion()).as("%s round %d (seed %d): last version stored vs last acknowledged", mode, round, seed)
                            .isGreaterThanOrEqualTo(maxAck);
                }
                lost += Math.max(0, maxAck - l.lastVersion());
                long first = l.snapshot().map(snap -> snap.version() + 1).orElse(1L);
                l.snapshot().ifPresent(snap -> assertThat(new String(snap.state(), StandardCharsets.UTF_8)).isEqualTo("state " + snap.version()));
                for (int i = 0; i < l.tail().size(); i++) {
                    LogRecord r = l.tail().get(i);
                    assertThat(r.version()).isEqualTo(first + i);
                    assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("entry " + r.version());
                }
                if (acksSurvive) {
                    for (long v : acked) {
                        assertThat(v).as("%s round %d (seed %d): acknowledged version %d is stored", mode, round, seed, v).isBetween(1L, l.lastVersion());
                    }
                    assertThat(l.lastTerm()).isBetween(round - 1L, (long) round);
                } else {
                    assertThat(l.lastTerm()).isLessThanOrEqualTo(round);
                }
                expectedLast = l.lastVersion();
            }
        }
        System.out.printf("kill -9 rounds under %s: %d, acknowledged appends: %d, acknowledged but lost: %d (%s, seed %d)%n", mode, rounds,
                totalAcks, lost, location().replaceAll("\\?.*", ""), seed);
    }

    private Process start(int term, Durability mode) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Djava.util.logging.config.file=/dev/null", "-cp", cp, StoreAppenderMain.class.getName(), location(), "doc",
                Integer.toString(term), mode.name());
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String next(LinkedBlockingQueue<String> lines, Process p) throws InterruptedException {
        String line = lines.poll(60, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("child " + p.pid() + " printed nothing for 60 s (alive: " + p.isAlive() + ")");
        }
        return line;
    }
}
