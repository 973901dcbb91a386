package io.memsync.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.memsync.Durability;
import io.memsync.MemSync;
import io.memsync.SharedObject;
import io.memsync.Status;
import io.memsync.Update;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A shared object persisted in S3 (s3proxy in this JVM) through the public API: a writer JVM with
 * {@code durability(ALWAYS)} is {@code kill -9}ed during its writes and restarted, and every acknowledged increment
 * is there with {@code (term, version)} continuing; a bucket that becomes unreachable shows in {@code status()}
 * while the shared object keeps working from memory.
 */
class S3PersistenceTest {
    private static S3Server server;
    private String bucket;
    private Path rendezvous;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3Server();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        bucket = server.newBucket();
        rendezvous = Files.createTempDirectory("memsync-s3-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    private record Writer(Process process, LinkedBlockingQueue<String> lines) {
    }

    private Writer launch(String location, String name) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+UseSerialGC", "-Djava.util.logging.config.file=/dev/null", "-cp", cp, SharedWriterMain.class.getName(),
                location, rendezvous.toString(), name).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (Exception ignored) {
                // the process died
            }
            lines.add("eof");
        });
        return new Writer(p, lines);
    }

    @Test
    void aKilledWritersAcknowledgedIncrementsAreInS3AndTheLogContinues() throws Exception {
        String location = server.location(bucket, "objects");
        String name = "s3-killed";
        long lastAcked = 0;
        long lastTerm = 0;
        long lastVersion = 0;
        for (int round = 1; round <= 3; round++) {
            Writer w = launch(location, name);
            try {
                String ready = w.lines().poll(90, TimeUnit.SECONDS);
                assertThat(ready).as("round " + round).startsWith("ready ");
                String[] r = ready.split(" ");
                assertThat(Long.parseLong(r[1])).as("the term rises").isGreaterThan(lastTerm);
                assertThat(Long.parseLong(r[2])).as("the version continues").isGreaterThanOrEqualTo(lastVersion);
                assertThat(Long.parseLong(r[3])).as("every acknowledged increment is there").isGreaterThanOrEqualTo(lastAcked);
                int acks = 0;
                while (acks < 20 + round * 10) {
                    String l = w.lines().poll(60, TimeUnit.SECONDS);
                    assertThat(l).isNotNull().isNotEqualTo("eof");
                    if (l.startsWith("ack ")) {
                        acks++;
                    }
                }
            } finally {
                w.process().destroyForcibly(); // SIGKILL
                w.process().waitFor(30, TimeUnit.SECONDS);
            }
            List<String> rest = new ArrayList<>();
            for (String l; !"eof".equals(l = w.lines().poll(30, TimeUnit.SECONDS)); ) {
                rest.add(l);
            }
            for (String l : rest) {
                if (l.startsWith("ack ")) {
                    String[] a = l.split(" ");
                    lastAcked = Math.max(lastAcked, Long.parseLong(a[1]));
                    lastTerm = Math.max(lastTerm, Long.parseLong(a[2]));
                    lastVersion = Math.max(lastVersion, Long.parseLong(a[3]));
                }
            }
        }
        try (SharedObject<JsonObject> after = MemSync.builder(name).rendezvous(rendezvous).storage(location).start()) {
            assertThat(after.read("n", Long.class)).isGreaterThanOrEqualTo(lastAcked);
            Status s = after.status();
            assertThat(s.term()).isGreaterThan(lastTerm);
            assertThat(s.version()).isGreaterThanOrEqualTo(lastVersion);
            assertThat(s.persistenceFailing()).isFalse();
        }
    }

    @Test
    void aBucketReachableAgainIsWrittenAgainWithWhatWasOrderedMeanwhile() throws Exception {
        S3Server own = new S3Server();
        try {
            String location = own.location(own.newBucket(), "p") + "&timeout=2s";
            SharedObject<JsonObject> shared = MemSync.builder("s3-back").rendezvous(rendezvous).data("{\"n\":0}")
                    .storage(location).durability(Durability.ALWAYS).start();
            try (shared) {
                shared.patch(Update.inc("n", 1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                own.stopServing();
                shared.patch(Update.inc("n", 1)).toCompletableFuture().get(90, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(90)).until(() -> shared.status().persistenceFailing());
                shared.patch(Update.inc("n", 1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                own.serveAgain();
                await().atMost(Duration.ofSeconds(90)).until(() -> !shared.status().persistenceFailing());
                shared.patch(Update.inc("n", 1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            try (SharedObject<JsonObject> again = MemSync.builder("s3-back").rendezvous(rendezvous).storage(location).start()) {
                assertThat(again.read("n", Integer.class)).as("everything, also what was ordered while S3 was away").isEqualTo(4);
                assertThat(again.status().version()).isEqualTo(4);
            }
        } finally {
            own.close();
        }
    }

    @Test
    void anUnreachableBucketShowsInStatusAndTheObjectKeepsWorking() throws Exception {
        S3Server own = new S3Server();
        SharedObject<JsonObject> shared;
        try {
            shared = MemSync.builder("s3-unreachable").rendezvous(rendezvous).data("{\"n\":0}")
                    .storage(own.location(own.newBucket(), "p") + "&timeout=2s").durability(Durability.ALWAYS).start();
            shared.patch(Update.inc("n", 1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(shared.status().persistenceFailing()).isFalse();
        } finally {
            own.close();
        }
        try (shared) {
            // the append fails once the upload gives up; the patch is acknowledged from memory then
            CompletableFuture<?> p = shared.patch(Update.inc("n", 1)).toCompletableFuture();
            p.get(90, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(90)).until(() -> shared.status().persistenceFailing());
            assertThat(shared.status().persistenceFailure()).contains("unreachable");
            shared.patch(Update.inc("n", 1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(shared.read("n", Integer.class)).isEqualTo(3);
        }
    }
}
