package io.memsync.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.memsync.MemSyncChange;
import io.memsync.PatchResult;
import io.memsync.Precondition;
import io.memsync.SharedObject;
import io.memsync.Subscription;
import io.memsync.Update;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The commands on the document: get, patch, watch, export, import. */
final class DocumentCommands {
    private DocumentCommands() {
    }

    /** {@code memsync get NAME [PATH]}. */
    @Command(name = "get", mixinStandardHelpOptions = true, description = "Prints the document, or the value at a dotted path.")
    static final class Get implements Callable<Integer> {
        @ParentCommand
        MemSyncCli root;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "The shared object.")
        String name;
        @Parameters(index = "1", paramLabel = "PATH", arity = "0..1", defaultValue = "", description = "A dotted path, e.g. a.b.0 (default: the whole document).")
        String path;
        @Option(names = "--raw", description = "On one line instead of indented.")
        boolean raw;

        @Override
        public Integer call() {
            try (SharedObject<JsonObject> so = root.join(name, false)) {
                JsonValue v = path.isEmpty() ? so.data() : so.read(path, JsonValue.class);
                if (v == null) {
                    throw new MemSyncCli.Refusal("ERR_NOT_FOUND", "'" + name + "' has no value at '" + path + "'");
                }
                Output.print(spec.commandLine().getOut(), v, raw || root.json);
            }
            return 0;
        }
    }

    /** {@code memsync patch NAME UPDATE}. */
    @Command(name = "patch", mixinStandardHelpOptions = true,
            description = {"Applies an update and prints the (term, version) it produced.",
                    "UPDATE is an object of update operators ({\"$set\":{\"a\":1}}), a JSON Patch array, or with --merge "
                            + "a JSON merge patch; given as text, @FILE, or - for stdin."})
    static final class Patch implements Callable<Integer> {
        @ParentCommand
        MemSyncCli root;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "The shared object.")
        String name;
        @Parameters(index = "1", paramLabel = "UPDATE", description = "The update, @FILE, or - for stdin.")
        String update;
        @Option(names = "--merge", description = "UPDATE is an RFC 7396 JSON merge patch.")
        boolean merge;
        @ArgGroup(exclusive = true)
        Condition condition;

        static final class Condition {
            @Option(names = "--if-version", paramLabel = "N", description = "Apply only if the document is at version N.")
            Long version;
            @Option(names = "--if-match", paramLabel = "FILTER", description = "Apply only if the document matches this filter, e.g. {\"state\":\"idle\"}.")
            String filter;
        }

        @Override
        public Integer call() throws IOException {
            String text = Output.textArgument(update, System.in);
            Update u = merge ? Update.mergePatch(text) : Update.of(text);
            Precondition pre = condition == null ? null
                    : condition.version != null ? Precondition.version(condition.version) : Precondition.matches(condition.filter);
            try (SharedObject<JsonObject> so = root.join(name, true)) {
                PatchResult r = (pre == null ? so.patch(u) : so.patch(u, pre)).toCompletableFuture().join();
                PrintWriter out = spec.commandLine().getOut();
                if (root.json) {
                    out.println(Json.createObjectBuilder().add("term", r.term()).add("version", r.version())
                            .add("effect", r.effect()).build());
                } else {
                    out.println("(" + r.term() + ", " + r.version() + ")");
                }
                out.flush();
            }
            return 0;
        }
    }

    /** {@code memsync watch NAME [PATH]}. */
    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Prints one JSON line per change (version, term, path, value, effect, origin, state) until Ctrl-C.")
    static final class Watch implements Callable<Integer> {
        @ParentCommand
        MemSyncCli root;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "The shared object.")
        String name;
        @Parameters(index = "1", paramLabel = "PATH", arity = "0..1", defaultValue = "", description = "Only changes touching this dotted path.")
        String path;
        @Option(names = "--count", paramLabel = "N", description = "Exit after N changes.")
        int count;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            CountDownLatch done = new CountDownLatch(count > 0 ? count : Integer.MAX_VALUE);
            SharedObject<JsonObject> so = root.join(name, false);
            Runtime.getRuntime().addShutdownHook(new Thread(so::stop));
            try (so; Subscription ignored = so.observe(path, c -> {
                synchronized (out) {
                    if (done.getCount() > 0) {
                        out.println(change(c));
                        out.flush();
                        done.countDown();
                    }
                }
            })) {
                System.err.println("watching '" + name + "'" + (path.isEmpty() ? "" : " at " + path) + " from version "
                        + so.status().version() + " (term " + so.status().term() + ")");
                System.err.flush();
                done.await();
            }
            return 0;
        }

        static JsonObject change(MemSyncChange c) {
            return Json.createObjectBuilder().add("version", c.version()).add("term", c.term()).add("path", c.path())
                    .add("value", c.value()).add("effect", c.effect())
                    .add("origin", c.origin().name().toLowerCase(java.util.Locale.ROOT))
                    .add("state", c.state().name().toLowerCase(java.util.Locale.ROOT)).build();
        }
    }

    /** {@code memsync export NAME FILE}. */
    @Command(name = "export", mixinStandardHelpOptions = true, description = "Writes the document to FILE (- for stdout).")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        MemSyncCli root;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "The shared object.")
        String name;
        @Parameters(index = "1", paramLabel = "FILE", description = "The file to write (replaced atomically), or - for stdout.")
        String file;

        @Override
        public Integer call() throws IOException {
            JsonObject doc;
            long version;
            try (SharedObject<JsonObject> so = root.join(name, false)) {
                doc = so.data();
                version = so.status().version();
            }
            byte[] bytes = doc.toString().getBytes(StandardCharsets.UTF_8);
            if (file.equals("-")) {
                System.out.write(bytes);
                System.out.println();
                System.out.flush();
                return 0;
            }
            Path target = Path.of(file).toAbsolutePath();
            Path tmp = Files.createTempFile(target.getParent(), ".memsync-export-", ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp); Progress p = Progress.of("export", bytes.length)) {
                for (int off = 0; off < bytes.length; off += Progress.CHUNK) {
                    int n = Math.min(Progress.CHUNK, bytes.length - off);
                    os.write(bytes, off, n);
                    p.advance(n);
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            PrintWriter out = spec.commandLine().getOut();
            out.println(root.json ? Json.createObjectBuilder().add("file", target.toString()).add("bytes", bytes.length)
                    .add("version", version).build().toString()
                    : "exported '" + name + "' at version " + version + " to " + target + " (" + bytes.length + " bytes)");
            out.flush();
            return 0;
        }
    }

    /** {@code memsync import NAME FILE}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Replaces the document with the JSON object in FILE (- for stdin), as one change that applies only if nothing changed meanwhile.")
    static final class Import implements Callable<Integer> {
        @ParentCommand
        MemSyncCli root;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "The shared object.")
        String name;
        @Parameters(index = "1", paramLabel = "FILE", description = "A file holding a JSON object, or - for stdin.")
        String file;

        @Override
        public Integer call() throws IOException {
            String text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : read(Path.of(file));
            JsonValue v = Output.parse(text, file);
            if (!(v instanceof JsonObject doc)) {
                throw new MemSyncCli.Refusal("ERR_INVALID_JSON", file + " holds " + v.getValueType() + ", not a JSON object");
            }
            try (SharedObject<JsonObject> so = root.join(name, true)) {
                JsonObject current = so.data();
                long at = so.status().version();
                JsonArrayBuilder ops = Json.createArrayBuilder();
                for (String k : current.keySet()) {
                    if (!doc.containsKey(k)) {
                        ops.add(Json.createObjectBuilder().add("op", "remove").add("path", pointer(k)));
                    }
                }
                doc.forEach((k, val) -> ops.add(Json.createObjectBuilder().add("op", "add").add("path", pointer(k)).add("value", val)));
                PatchResult r = so.patch(Update.jsonPatch(ops.build()), Precondition.version(at)).toCompletableFuture().join();
                PrintWriter out = spec.commandLine().getOut();
                out.println(root.json ? Json.createObjectBuilder().add("term", r.term()).add("version", r.version()).build().toString()
                        : "imported " + text.length() + " characters into '" + name + "': (" + r.term() + ", " + r.version() + ")");
                out.flush();
            }
            return 0;
        }

        private static String pointer(String key) {
            return "/" + key.replace("~", "~0").replace("/", "~1");
        }

        private static String read(Path p) throws IOException {
            long size = Files.size(p);
            byte[] all = new byte[Math.toIntExact(size)];
            try (InputStream in = Files.newInputStream(p); Progress progress = Progress.of("import", size)) {
                int off = 0;
                while (off < all.length) {
                    int n = in.read(all, off, Math.min(Progress.CHUNK, all.length - off));
                    if (n < 0) {
                        break;
                    }
                    off += n;
                    progress.advance(n);
                }
            }
            return new String(all, StandardCharsets.UTF_8);
        }
    }

    /** A progress bar on stderr for files of at least 1 MiB. */
    static final class Progress implements AutoCloseable {
        static final int CHUNK = 256 * 1024;
        static final long THRESHOLD = 1024 * 1024;
        private final String label;
        private final long total;
        private final AtomicInteger shown = new AtomicInteger(-1);
        private long done;

        private Progress(String label, long total) {
            this.label = label;
            this.total = total;
        }

        static Progress of(String label, long total) {
            return new Progress(label, total);
        }

        void advance(long n) {
            done += n;
            if (total < THRESHOLD) {
                return;
            }
            int pct = (int) (done * 100 / total);
            if (shown.getAndSet(pct) != pct) {
                int bar = pct / 5;
                System.err.print("\r" + label + " [" + "#".repeat(bar) + " ".repeat(20 - bar) + "] " + pct + "% "
                        + String.format(java.util.Locale.ROOT, "%.1f", done / 1048576.0) + " MiB");
                System.err.flush();
            }
        }

        @Override
        public void close() {
            if (total >= THRESHOLD && shown.get() >= 0) {
                System.err.println();
                System.err.flush();
            }
        }
    }
}
