package io.memsync.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.memsync.MemSyncException;
import io.memsync.storage.LoadedState;
import io.memsync.storage.LogRecord;
import io.memsync.storage.StoreOptions;

/**
 * {@code kill -9} of a process appending with {@code ALWAYS}: after reopening, every version it acknowledged is
 * there, in order, whole. Rounds: {@code memsync.storage.kill.rounds} (20 by default, 200 with {@code -Psoak}); each
 * round's process continues the store the previous one left, in a higher term, snapshotting and rolling segments
 * as it goes.
 */
class FileStoreKillTest {
    private static final int ROUNDS = Integer.getInteger("memsync.storage.kill.rounds", 20);

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedAppendSurvivesKill9() throws Exception {
        SplittableRandom random = new SplittableRandom(Long.getLong("memsync.storage.kill.seed", System.nanoTime()));
        long expectedLast = 0;
        long totalAcks = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            int killAfter = 100 + random.nextInt(200);
            List<Long> acked = new ArrayList<>();
            Process p = start(round);
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
                assertThat(Long.parseLong(ready.split(" ")[2])).as("round %d starts where round %d's acks ended", round, round - 1)
                        .isGreaterThanOrEqualTo(expectedLast);
                if (round == 1) {
                    // the child holds the store: another process cannot open it, and is told who holds it
                    assertThatThrownBy(() -> FileStore.open(dir, StoreOptions.defaults())).isInstanceOf(MemSyncException.class)
                            .hasMessageContaining("locked by another process").hasMessageContaining("pid " + p.pid());
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
            try (FileStore s = FileStore.open(dir, StoreOptions.defaults())) {
                LoadedState l = s.load();
                assertThat(l.lastVersion()).as("round %d: last version on disk vs last acknowledged", round).isGreaterThanOrEqualTo(maxAck);
                long first = l.snapshot().map(snap -> snap.version() + 1).orElse(1L);
                l.snapshot().ifPresent(snap -> assertThat(new String(snap.state(), StandardCharsets.UTF_8)).isEqualTo("state " + snap.version()));
                for (int i = 0; i < l.tail().size(); i++) {
                    LogRecord r = l.tail().get(i);
                    assertThat(r.version()).isEqualTo(first + i);
                    assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("entry " + r.version());
                }
                for (long v : acked) {
                    assertThat(v).as("round %d: acknowledged version %d is stored", round, v).isBetween(1L, l.lastVersion());
                }
                assertThat(l.lastTerm()).isBetween(round - 1L, (long) round);
                expectedLast = maxAck;
            }
        }
        System.out.printf("kill -9 rounds: %d, acknowledged appends: %d, all present after reopening%n", ROUNDS, totalAcks);
    }

    private Process start(int term) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Djava.util.logging.config.file=/dev/null", "-cp", cp, AppenderMain.class.getName(), dir.toString(), Integer.toString(term));
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
