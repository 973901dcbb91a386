package io.memsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web inspector in a real headless Chromium driven by Playwright ({@code src/test/browser/inspector-test.mjs}):
 * the page of a host JVM's {@code server(port)} listener, opened from the URL {@code memsync inspect} prints, shows a
 * patch made by another process (the real {@code ./memsync patch}) within a second, and shows the code of a refused
 * patch from its patch box. Needs {@code /usr/bin/chromium} and the npm package ({@code scripts/browser-deps.sh}
 * installs both; {@code .ci/run} calls it).
 */
class InspectorBrowserEndToEndTest {
    static final Path BROWSER_TESTS = Processes.ROOT.resolve("memsync-cli/src/test/browser");

    @RegisterExtension
    final Processes procs = new Processes();

    @BeforeAll
    static void browserIsInstalled() {
        String chromium = System.getenv().getOrDefault("MEMSYNC_CHROMIUM", "/usr/bin/chromium");
        boolean node = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "node")));
        String missing = !Files.isExecutable(Path.of(chromium)) ? chromium
                : !node ? "node (Node.js) on PATH"
                : !Files.isDirectory(BROWSER_TESTS.resolve("node_modules/playwright-core")) ? BROWSER_TESTS.resolve("node_modules/playwright-core").toString()
                : null;
        assertThat(missing).as("the browser test needs Debian's chromium and the npm package playwright-core: "
                + "run scripts/browser-deps.sh (apt-get install chromium; npm ci in memsync-cli/src/test/browser)").isNull();
    }

    @Test
    void thePageShowsAnotherProcesssPatchWithinASecondAndARefusalsCode() throws Exception {
        Processes.Host host = procs.host("inspected", "{\"n\":1,\"label\":\"demo\",\"items\":[\"a\",\"b\"],\"nested\":{\"deep\":{\"x\":true}}}",
                "server", "writable");
        var inspect = procs.cli("inspect", "inspected");
        assertThat(inspect.exit()).as(inspect.toString()).isZero();
        String url = inspect.out().trim();
        assertThat(url).startsWith("http://127.0.0.1:" + host.httpPort + "/inspected/_inspector#token=");

        Process watch = procs.startCli("watch", "inspected"); // a reader peer, for the page's peer table
        assertThat(Processes.lines(watch.getErrorStream()).poll(60, TimeUnit.SECONDS)).startsWith("watching");

        Path screenshot = Path.of(System.getProperty("memsync.cli.screenshot",
                Processes.ROOT.resolve("memsync-cli/target/inspector.png").toString()));
        List<String> cmd = List.of("node", "inspector-test.mjs", url, screenshot.toString(), Long.toString(host.pid()),
                Processes.ROOT.resolve("memsync").toString(), "--rendezvous", procs.rendezvous().toString(), "patch", "inspected");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(BROWSER_TESTS.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process node = pb.start();
        String out;
        try {
            out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
        }
        System.out.println(out);
        assertThat(node.exitValue()).as(out).isZero();
        assertThat(out).contains("\"step\":\"loaded\"", "\"step\":\"remote patch shown\"", "\"tokenInAddressBar\":false",
                "\"step\":\"refused patch shows its code\"", "ERR_INVALID_PATCH", "ERR_UNAUTHORIZED", "\"open\":false");
        assertThat(Files.size(screenshot)).isPositive();
        assertThat(host.send("data")).contains("\"n\":42", "\"from\":\"the browser\"");
    }

}
