package io.memsync.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * A {@link Peer} running in its own JVM, launched with the current classpath. Every launched process is
 * remembered and killed (by pid) by {@link #close()} or, at the latest, by a JVM shutdown hook.
 */
public final class PeerProcess implements AutoCloseable {
    private static final List<Process> LAUNCHED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LAUNCHED.forEach(p -> p.toHandle().destroyForcibly())));
    }

    private final String label;
    private final Process process;
    private final Writer stdin;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, CompletableFuture<String>> replies = new ConcurrentHashMap<>();
    private final List<Consumer<String>> unsolicited = new CopyOnWriteArrayList<>();
    private final AtomicLong acks = new AtomicLong();
    private final CompletableFuture<Long> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> outputClosed = new CompletableFuture<>();

    private PeerProcess(String label, Process process) {
        this.label = label;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("peer-" + label + "-out").start(this::readLoop);
    }

    /**
     * The classpath to launch peers with: surefire's test classpath when under test, else this JVM's.
     *
     * @return the classpath
     */
    public static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /**
     * Launches a peer JVM.
     *
     * @param label      name for logs
     * @param rendezvous the base rendezvous folder the peer uses (isolates tests from each other)
     * @param jvmArgs    extra JVM arguments
     * @return the running peer, ready for commands
     * @throws IOException when the JVM cannot start
     */
    public static PeerProcess launch(String label, Path rendezvous, String... jvmArgs) throws IOException {
        return launchMain(label, rendezvous, Peer.class.getName(), jvmArgs);
    }

    /**
     * Launches a JVM running another main class that speaks the same protocol as {@link Peer} (prints
     * {@code ! ready <pid>} when it can take commands, answers {@code <id> ok|err …}), e.g. a CDI application.
     *
     * @param label      name for logs
     * @param rendezvous the base rendezvous folder the process uses
     * @param mainClass  the main class, on the current classpath
     * @param jvmArgs    extra JVM arguments
     * @return the running process, ready for commands
     * @throws IOException when the JVM cannot start or does not become ready within 60 s
     */
    public static PeerProcess launchMain(String label, Path rendezvous, String mainClass, String... jvmArgs) throws IOException {
        List<String> options = new ArrayList<>();
        options.add("-Xmx512m");
        // the tests use the serial collector (fewest threads on a small CI machine); benchmarks may choose another
        options.addAll(List.of(System.getProperty("memsync.peer.gc", "-XX:+UseSerialGC").split(" ")));
        options.addAll(List.of(jvmArgs));
        return launchMain(label, rendezvous, mainClass, options);
    }

    /**
     * Launches a JVM running {@code mainClass} (any program speaking the {@link CommandLoop} protocol) with exactly
     * the given JVM options, nothing added but the rendezvous folder and logging configuration properties: the
     * side-by-side benchmark gives every system's JVMs the same options this way.
     *
     * @param label      name for logs
     * @param rendezvous the base rendezvous folder (memsync peers use it; others ignore it)
     * @param mainClass  the class to run, on {@link #classpath()}
     * @param jvmOptions JVM options, in order
     * @return the running peer, ready for commands
     * @throws IOException when the JVM cannot start or does not report ready within 60 s
     */
    public static PeerProcess launchMain(String label, Path rendezvous, String mainClass, List<String> jvmOptions)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Dmemsync.rendezvous.dir=" + rendezvous);
        cmd.add("-Djava.util.logging.config.file=" + System.getProperty("memsync.peer.logging", "/dev/null"));
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(mainClass);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        LAUNCHED.add(p);
        PeerProcess peer = new PeerProcess(label, p);
        try {
            peer.ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            peer.close();
            throw new IOException("peer " + label + " did not start", e);
        }
        return peer;
    }

    private void readLoop() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("! ")) {
                    if (line.startsWith("! ready")) {
                        ready.complete(Long.parseLong(line.substring(8).trim()));
                    } else if (line.startsWith("! ack")) {
                        acks.incrementAndGet();
                    }
                    String l = line;
                    unsolicited.forEach(c -> c.accept(l));
                    continue;
                }
                int sp = line.indexOf(' ');
                if (sp > 0) {
                    CompletableFuture<String> f = replies.remove(line.substring(0, sp));
                    if (f != null) {
                        f.complete(line.substring(sp + 1));
                    }
                }
            }
        } catch (IOException ignored) {
            // the process died; pending replies fail below
        }
        ready.completeExceptionally(new IOException("peer " + label + " exited"));
        replies.values().forEach(f -> f.completeExceptionally(new IOException("peer " + label + " exited")));
        outputClosed.complete(null);
    }

    /**
     * Sends a command; the stage completes with the reply ({@code ok <json>} or {@code err <code> <message>}).
     *
     * @param command the command line without id
     * @return the reply
     */
    public CompletableFuture<String> send(String command) {
        String id = String.valueOf(ids.incrementAndGet());
        CompletableFuture<String> f = new CompletableFuture<>();
        replies.put(id, f);
        try {
            synchronized (stdin) {
                stdin.write(id + " " + command + "\n");
                stdin.flush();
            }
        } catch (IOException e) {
            replies.remove(id);
            f.completeExceptionally(e);
        }
        return f;
    }

    /**
     * Sends a command and waits for an {@code ok} reply.
     *
     * @param command the command
     * @param timeout how long to wait
     * @return the reply's JSON
     * @throws AssertionError on an {@code err} reply or no reply in time
     */
    public JsonObject call(String command, Duration timeout) {
        String reply;
        try {
            reply = send(command).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("peer " + label + ": no reply to '" + command + "' within " + timeout);
        } catch (Exception e) {
            throw new AssertionError("peer " + label + ": '" + command + "' failed: " + e, e);
        }
        if (!reply.startsWith("ok ")) {
            throw new AssertionError("peer " + label + ": '" + command + "' answered " + reply);
        }
        return Json.createReader(new java.io.StringReader(reply.substring(3))).readObject();
    }

    /**
     * Sends a command and waits for an {@code ok} reply within 60 s.
     *
     * @param command the command
     * @return the reply's JSON
     */
    public JsonObject call(String command) {
        return call(command, Duration.ofSeconds(60));
    }

    /**
     * Registers a consumer of unsolicited lines ({@code ! …}).
     *
     * @param consumer receives each line
     */
    public void onLine(Consumer<String> consumer) {
        unsolicited.add(consumer);
    }

    /**
     * Completes when the process's output has ended and every line it printed has been handed to the
     * {@link #onLine(Consumer) consumers} (after a kill, what it printed before dying is all in).
     *
     * @return the stage
     */
    public CompletableFuture<Void> outputClosed() {
        return outputClosed;
    }

    /**
     * Acknowledgements printed so far by {@code incs}.
     *
     * @return the count
     */
    public long acks() {
        return acks.get();
    }

    /**
     * The operating-system pid.
     *
     * @return pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Whether the process runs.
     *
     * @return liveness
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills the process with SIGKILL ({@code kill -9}) and waits for it to be gone.
     */
    public void kill9() {
        process.toHandle().destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The label given at launch.
     *
     * @return label
     */
    public String label() {
        return label;
    }

    /**
     * Kills the process by pid if it still runs. With {@code -Dmemsync.peer.termFirst=true} (for profiling: a JFR
     * recording with {@code dumponexit} is written on a normal exit only) it first sends SIGTERM and waits up to
     * 10 s.
     */
    @Override
    public void close() {
        if (process.isAlive() && Boolean.getBoolean("memsync.peer.termFirst")) {
            process.toHandle().destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (process.isAlive()) {
            kill9();
        }
        LAUNCHED.remove(process);
    }

    @Override
    public String toString() {
        return "peer " + label + " (pid " + process.pid() + ")";
    }
}
