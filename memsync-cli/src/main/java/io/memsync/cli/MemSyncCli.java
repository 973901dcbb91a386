package io.memsync.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.memsync.MemSync;
import io.memsync.MemSyncException;
import io.memsync.Role;
import io.memsync.SharedObject;

import jakarta.json.JsonObject;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code memsync} command: joins a shared object's network as a peer of the same user (through the normal
 * rendezvous folder, so it is authenticated like any other process) and reads, patches, watches it, calls its RPC
 * methods or uses its event bus. Read-only commands join as a {@link Role#READER}; every command joins only
 * ({@link MemSync.Builder#joinOnly()}), so it never becomes host and fails with {@code ERR_NO_HOST} when nothing
 * hosts the name.
 *
 * <p>Exit codes: 0 done, 1 refused (the {@code ERR_…} code and message on stderr), 2 usage error.
 */
@Command(name = "memsync", mixinStandardHelpOptions = true, version = "memsync 0.1.0-SNAPSHOT",
        description = "Reads, patches and watches memsync shared objects of this user on this machine.",
        subcommands = {NetworkCommands.Ls.class, DocumentCommands.Get.class, DocumentCommands.Patch.class,
                DocumentCommands.Watch.class, BusCommands.Call.class, BusCommands.Emit.class, BusCommands.On.class,
                NetworkCommands.StatusCommand.class, NetworkCommands.Inspect.class, DocumentCommands.Export.class,
                DocumentCommands.Import.class, AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:refused (the ERR_ code is printed on stderr)", "2:usage error"})
public final class MemSyncCli implements Runnable {
    /** Exit code of a refused command. */
    static final int REFUSED = 1;
    /** Exit code of a usage error. */
    static final int USAGE = 2;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Machine output: one JSON value per line.")
    boolean json;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How long joining and each operation may take: 10s, 500ms, 2m or PT10S (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--rendezvous", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Base folder of the rendezvous folders (default: as the library picks it, "
                    + "$MEMSYNC_RENDEZVOUS_DIR, $XDG_RUNTIME_DIR/memsync or ${java.io.tmpdir}/memsync-<user>).")
    Path rendezvous;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show the library's warnings on stderr.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line without exiting.
     *
     * @param args the arguments
     * @return the exit code
     */
    static int run(String... args) {
        CommandLine cl = new CommandLine(new MemSyncCli());
        cl.setExpandAtFiles(false); // @FILE is an UPDATE or payload argument here, not picocli's argument file
        cl.setExecutionStrategy(parseResult -> {
            MemSyncCli root = parseResult.commandSpec().commandLine().getCommand();
            quietLogging(root.verbose);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> refused(commandLine.getErr(), e));
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is missing");
    }

    /** Prints a refusal as {@code ERR_CODE: message} and answers exit code 1. */
    static int refused(PrintWriter err, Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof MemSyncException m) {
            String msg = String.valueOf(m.getMessage());
            err.println(msg.startsWith(m.code()) ? msg : m.code() + ": " + msg);
        } else if (t instanceof Refusal r) {
            err.println(r.code + ": " + r.getMessage());
        } else if (t instanceof java.io.IOException io) {
            err.println(MemSyncException.ERR_IO + ": " + io);
        } else {
            err.println("ERR_INTERNAL: " + t);
        }
        err.flush();
        return REFUSED;
    }

    /** The cause of a failed stage, or {@code e}. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The library logs through java.util.logging; a command line shows only severe messages unless asked. */
    private static void quietLogging(boolean verbose) {
        Logger.getLogger("").setLevel(verbose ? Level.INFO : Level.SEVERE);
        for (var h : Logger.getLogger("").getHandlers()) {
            h.setLevel(verbose ? Level.INFO : Level.SEVERE);
        }
    }

    /**
     * Joins the network of {@code name} without ever hosting it.
     *
     * @param name   the shared object's name
     * @param writer whether the command writes (it then holds a writer slot while it runs)
     * @return the started shared object
     */
    SharedObject<JsonObject> join(String name, boolean writer) {
        MemSync.Builder b = MemSync.builder(name).joinOnly().timeout(timeout);
        if (!writer) {
            b.roles(Role.READER);
        }
        if (rendezvous != null) {
            b.rendezvous(rendezvous);
        }
        return b.start();
    }

    /** A refusal of the command line itself (not of the library), with a code in the same style. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String code;

        Refusal(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** Parses {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, a plain number of seconds, or ISO-8601. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            try {
                Duration d;
                if (v.startsWith("pt") || v.startsWith("p")) {
                    d = Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
                } else if (v.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                } else if (v.endsWith("s")) {
                    d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
                } else if (v.endsWith("m")) {
                    d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
                } else if (v.endsWith("h")) {
                    d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
                } else {
                    d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
                }
                if (d.isNegative() || d.isZero()) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is not a positive duration");
                }
                return d;
            } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (10s, 500ms, 2m, PT10S)");
            }
        }
    }
}
