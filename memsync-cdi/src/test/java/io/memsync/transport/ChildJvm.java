package io.memsync.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JVM started with the test class path, whose stdout lines can be awaited; kill it with {@link #kill9()}. */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // process gone
            }
        });
    }

    /**
     * Starts {@code mainClass} with the current class path.
     *
     * @param mainClass the class with {@code main}
     * @param args      arguments
     * @return the child
     * @throws IOException when it cannot start
     */
    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /**
     * Waits for a stdout line starting with {@code prefix}.
     *
     * @param prefix  line prefix
     * @param seconds timeout
     * @return the line
     * @throws Exception on timeout
     */
    public String await(String prefix, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("child " + process.pid() + " did not print '" + prefix + "' within " + seconds + " s");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /**
     * The child's pid.
     *
     * @return pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Sends SIGKILL to the child by pid.
     *
     * @throws Exception when kill fails
     */
    public void kill9() throws Exception {
        if (process.isAlive()) {
            new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor();
        }
    }

    @Override
    public void close() throws Exception {
        kill9();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
