package io.memsync.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The processes of one test: host JVMs ({@link TestHost}) and runs of the real {@code ./memsync} launcher, all in a
 * fresh rendezvous folder; every process still running after the test is killed by pid. Register with
 * {@code @RegisterExtension}.
 */
final class Processes implements AfterEachCallback {
    static final Path ROOT = Path.of(System.getProperty("memsync.cli.root", "..")).toAbsolutePath().normalize();
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private Path rendezvous;

    Path rendezvous() throws IOException {
        if (rendezvous == null) {
            rendezvous = Files.createTempDirectory("memsync-cli-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        return rendezvous;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Process p : started) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        started.clear();
        rendezvous = null;
    }

    /** Starts a {@link TestHost} JVM serving {@code name} with {@code data} and waits until it is ready. */
    Host host(String name, String data, String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx256m", "-Djava.util.logging.config.file=/dev/null", "-cp", classpath(),
                TestHost.class.getName(), rendezvous().toString(), name, data));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        started.add(p);
        Host h = new Host(p);
        String ready = h.next(Duration.ofSeconds(60));
        if (ready == null || !ready.startsWith("READY ")) {
            throw new IOException("host did not start: " + ready);
        }
        h.httpPort = Integer.parseInt(ready.split(" ")[2]);
        return h;
    }

    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** Runs {@code ./memsync --rendezvous <folder> args…} to its end, with {@code stdin} as its input. */
    Run cliWithInput(String stdin, String... args) throws IOException, InterruptedException {
        Process p = startCli(args);
        try (OutputStream os = p.getOutputStream()) {
            if (stdin != null) {
                os.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        var out = drain(p.getInputStream());
        var err = drain(p.getErrorStream());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("memsync " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), out.join(), err.join());
    }

    /** Runs the launcher with no input. */
    Run cli(String... args) throws IOException, InterruptedException {
        return cliWithInput(null, args);
    }

    /** Starts the launcher without waiting, for the commands that run until stopped (watch, on). */
    Process startCli(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("memsync").toString(), "--rendezvous", rendezvous().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static java.util.concurrent.CompletableFuture<String> drain(InputStream in) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    /** Lines of a stream, read in the background. */
    static BlockingQueue<String> lines(InputStream in) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    q.add(l);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        return q;
    }

    /** The outcome of a finished command. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A running {@link TestHost}. */
    static final class Host {
        final Process process;
        private final BlockingQueue<String> out;
        int httpPort;

        Host(Process process) {
            this.process = process;
            this.out = lines(process.getInputStream());
        }

        long pid() {
            return process.pid();
        }

        /** The next line it printed, or {@code null} after {@code wait}. */
        String next(Duration wait) throws InterruptedException {
            return out.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Sends a command line and returns the answer line. */
        String send(String line) throws IOException, InterruptedException {
            OutputStream os = process.getOutputStream();
            os.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            os.flush();
            return next(Duration.ofSeconds(60));
        }
    }
}
