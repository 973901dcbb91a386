package io.memsync.example.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example service as a user runs it: three instances, each its own JVM started with {@link CounterMain}, talking
 * to each other only through memsync; this test talks to them only over HTTP. Then a client is paused and the
 * host killed with {@code kill -9}: the third instance takes over (not ready until its recovery is over), and both
 * survivors keep serving the counter.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CounterServiceProcessTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Pattern READY = Pattern.compile("counter ready on http://127\\.0\\.0\\.1:(\\d+)/counter \\((\\w+) of");

    private final List<Process> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One running instance: its process, what it printed, its HTTP port and the role it reported at start. */
    record Instance(Process process, List<String> lines, int port, String role) {
        boolean printed(String fragment) {
            return lines.stream().anyMatch(l -> l.contains(fragment));
        }
    }

    @AfterEach
    void killWhatWasStarted() {
        for (Process p : started) {
            p.toHandle().destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Instance launch(String label, Path rendezvous, String... jvmOptions) throws IOException {
        Path log = Path.of("target", "example-logs", label + ".log");
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dserver.port=0",
                "-Dmemsync.rendezvous.dir=" + rendezvous));
        cmd.addAll(List.of(jvmOptions));
        cmd.add(CounterMain.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        started.add(p);
        List<String> lines = new CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<Matcher> ready = new java.util.concurrent.CompletableFuture<>();
        Thread.ofPlatform().daemon().name("example-" + label).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        ready.complete(m);
                    }
                }
            } catch (IOException e) {
                // the process was killed
            }
            ready.completeExceptionally(new AssertionError(label + " ended before it was ready; its log: " + log.toAbsolutePath()));
        });
        Matcher m = ready.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return new Instance(p, lines, Integer.parseInt(m.group(1)), m.group(2));
    }

    private HttpResponse<String> send(Instance i, String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + i.port() + path)).timeout(WAIT)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject json(Instance i, String method, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(i, method, path);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private long counter(Instance i) throws IOException, InterruptedException {
        return json(i, "GET", "/counter").getJsonNumber("value").longValue();
    }

    /** The memsync readiness check of the counter in {@code /health/ready}. */
    private JsonObject readiness(Instance i, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = send(i, "GET", "/health/ready");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        JsonObject body = Json.createReader(new StringReader(response.body())).readObject();
        return body.getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("name").equals("memsync-counter")).findFirst()
                .orElseThrow(() -> new AssertionError("no memsync-counter check in " + body));
    }

    /** A sample of {@code GET /metrics}: the value of {@code meter{name="counter"}}. */
    private double metric(Instance i, String meter) throws IOException, InterruptedException {
        HttpResponse<String> response = send(i, "GET", "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(meter) + "\\{name=\"counter\"\\} (\\S+)$").matcher(response.body());
        assertThat(m.find()).as(meter + " in\n" + response.body()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static void signal(Instance i, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(i.process().pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal).isZero();
    }

    @Test
    void instancesShareTheCounterServeHealthAndMetricsAndTheSurvivorsOfTheHostsKill9KeepServing() throws Exception {
        Path rendezvous = Files.createTempDirectory("memsync-example-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Instance first = launch("first", rendezvous);
        Instance second = launch("second", rendezvous);
        Instance third = launch("third", rendezvous, "-Dmemsync.counter.recovery-wait=5m");
        assertThat(first.role()).isEqualTo("HOST");
        assertThat(second.role()).isEqualTo("CLIENT");
        assertThat(third.role()).isEqualTo("CLIENT");

        // an increment sent to one instance is seen by the other (and printed by its observer)
        assertThat(json(second, "POST", "/counter/increment?by=5").getJsonNumber("value").longValue()).isEqualTo(5);
        await().atMost(WAIT).until(() -> counter(first) == 5 && first.printed("counter = 5 "));
        assertThat(json(first, "POST", "/counter/increment").getJsonNumber("value").longValue()).isEqualTo(6);
        await().atMost(WAIT).until(() -> counter(second) == 6 && second.printed("counter = 6 "));
        await().atMost(WAIT).until(() -> counter(third) == 6 && third.printed("counter = 6 "));

        // readiness per shared object, and the meters in the application's Prometheus registry
        assertThat(readiness(first, 200).getJsonObject("data").getString("role")).isEqualTo("HOST");
        JsonObject check = readiness(second, 200);
        assertThat(check.getString("status")).isEqualTo("UP");
        assertThat(check.getJsonObject("data").getString("role")).isEqualTo("CLIENT");
        assertThat(metric(first, "memsync_host")).isEqualTo(1.0);
        assertThat(metric(second, "memsync_host")).isEqualTo(0.0);
        await().atMost(WAIT).until(() -> metric(second, "memsync_version") >= 2);
        assertThat(metric(second, "memsync_changes_confirmed_total")).isGreaterThanOrEqualTo(2.0);
        assertThat(metric(second, "memsync_failovers_total")).isZero();
        assertThat(metric(second, "memsync_changes_bytes_total")).isPositive();

        // a client is paused (SIGSTOP) and the host dies (kill -9): the third instance takes over, and as a new host
        // it waits for the paused member of the last term (its recovery wait is long) -- not ready meanwhile (503,
        // CONNECTING) -- and is ready as the host once that member runs again
        signal(second, "STOP");
        try {
            first.process().toHandle().destroyForcibly();
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(() -> send(third, "GET", "/health/ready").statusCode() == 503);
            JsonObject recovering = readiness(third, 503);
            assertThat(recovering.getString("status")).isEqualTo("DOWN");
            assertThat(recovering.getJsonObject("data").getString("role")).isEqualTo("CONNECTING");
        } finally {
            signal(second, "CONT");
        }
        await().atMost(WAIT).until(() -> send(third, "GET", "/health/ready").statusCode() == 200);
        assertThat(readiness(third, 200).getJsonObject("data").getString("role")).isEqualTo("HOST");

        // both survivors keep serving the counter as it was before the kill
        assertThat(json(second, "POST", "/counter/increment").getJsonNumber("value").longValue()).isEqualTo(7);
        JsonObject after = json(third, "GET", "/counter");
        assertThat(after.getString("role")).isEqualTo("HOST");
        assertThat(after.getJsonNumber("value").longValue()).isEqualTo(7);
        assertThat(readiness(second, 200).getJsonObject("data").getString("role")).isEqualTo("CLIENT");
        assertThat(metric(third, "memsync_failovers_total")).isEqualTo(1.0);
        assertThat(metric(third, "memsync_host")).isEqualTo(1.0);
    }
}
