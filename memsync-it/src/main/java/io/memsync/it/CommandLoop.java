package io.memsync.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

/**
 * The line protocol every scripted process speaks ({@link Peer}, and the other systems' peers of the side-by-side
 * benchmark): it prints {@code ! ready <pid>}, then reads lines {@code <id> <command> [args…]} and answers each with
 * {@code <id> ok <json>} or {@code <id> err <code> <message>}; {@code exit} ends the process. Lines starting with
 * {@code !} are unsolicited. Each command runs on its own virtual thread so the loop keeps answering while a long
 * one runs.
 */
public final class CommandLoop {

    /** Runs one command; returns the JSON of its reply. */
    @FunctionalInterface
    public interface Commands {
        /**
         * Runs a command.
         *
         * @param command the command name
         * @param rest    everything after the name ({@code ""} when nothing)
         * @return the reply's JSON
         * @throws Exception a failure, answered with {@code err}
         */
        String execute(String command, String rest) throws Exception;
    }

    /** Maps a failure to the code of its {@code err} reply. */
    @FunctionalInterface
    public interface ErrorCodes {
        /**
         * The code for a failure.
         *
         * @param failure what a command threw (unwrapped from a {@link CompletionException})
         * @return a code without spaces
         */
        String code(Throwable failure);
    }

    private final PrintStream out;

    private CommandLoop(PrintStream out) {
        this.out = out;
    }

    /**
     * A loop writing to this process's standard output.
     *
     * @return the loop
     */
    public static CommandLoop onStdout() {
        return new CommandLoop(new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8));
    }

    /**
     * Prints one line, whole (lines of several threads never mix).
     *
     * @param line the line
     */
    public synchronized void say(String line) {
        out.println(line);
    }

    /**
     * Answers the commands read from standard input until {@code exit} or its end.
     *
     * @param commands runs each command
     * @param codes    names failures
     * @throws Exception on an I/O failure of standard input
     */
    public void run(Commands commands, ErrorCodes codes) throws Exception {
        say("! ready " + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split(" ", 3);
            if (parts.length < 2) {
                continue;
            }
            String id = parts[0];
            String cmd = parts[1];
            String rest = parts.length > 2 ? parts[2] : "";
            if (cmd.equals("exit")) {
                say(id + " ok {}");
                System.exit(0);
            }
            Thread.ofVirtual().start(() -> {
                try {
                    say(id + " ok " + commands.execute(cmd, rest));
                } catch (Throwable e) {
                    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    say(id + " err " + codes.code(t) + " " + String.valueOf(t.getMessage()).replace('\n', ' '));
                }
            });
        }
    }
}
