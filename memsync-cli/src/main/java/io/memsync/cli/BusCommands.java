package io.memsync.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.memsync.MemSyncException;
import io.memsync.SharedObject;
import io.memsync.Subscription;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The commands on RPC and the event bus: call, emit, on. */
final class BusCommands {
    private BusCommands() {
    }

    /** {@code memsync call NAME METHOD [ARGS…]}. */
    @Command(name = "call", mixinStandardHelpOptions = true,
            description = "Calls an RPC method registered by some process and prints its result as JSON.")
    static final class Call implements Callable<Integer> {
        @ParentCommand
        MemSyncCli root;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "The shared object.")
        String name;
        @Parameters(index = "1", paramLabel = "METHOD", description = "The RPC method.")
        String method;
        @Parameters(index = "2..*", paramLabel = "ARG", description = "Arguments as JSON (text that is not JSON is taken as a string).")
        List<String> args = List.of();

        @Override
        public Integer call() {
            Object[] values = args.stream().map(Output::argument).toArray();
            try (SharedObject<JsonObject> so = root.join(name, false)) {
                JsonValue result = so.call(method, JsonValue.class, values).toCompletableFuture().join();
                Output.print(spec.commandLine().getOut(), result == null ? JsonValue.NULL : result, root.json);
            }
            return 0;
        }
    }

    /** {@code memsync emit NAME EVENT JSON}. */
    @Command(name = "emit", mixinStandardHelpOptions = true,
            description = "Emits an event to every process of the network; returns once the network delivered it back to this one.")
    static final class Emit implements Callable<Integer> {
        @ParentCommand
        MemSyncCli root;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "The shared object.")
        String name;
        @Parameters(index = "1", paramLabel = "EVENT", description = "The event name.")
        String event;
        @Parameters(index = "2", paramLabel = "JSON", arity = "0..1", defaultValue = "null",
                description = "The payload as JSON, @FILE, or - for stdin (default null).")
        String payload;

        @Override
        public Integer call() throws IOException, InterruptedException {
            JsonValue value = Output.parse(Output.textArgument(payload, System.in), "the payload");
            CountDownLatch delivered = new CountDownLatch(1);
            try (SharedObject<JsonObject> so = root.join(name, false);
                 Subscription ignored = so.events().onAny(e -> {
                     if (e.local() && e.event().equals(event) && e.payload().equals(value)) {
                         delivered.countDown();
                     }
                 })) {
                so.events().emit(event, value);
                if (!delivered.await(root.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new MemSyncException(MemSyncException.ERR_TIMEOUT, "event '" + event + "' of '" + name
                            + "' was not delivered back within " + root.timeout + " (it may still arrive)");
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(root.json ? Json.createObjectBuilder().add("event", event).add("payload", value).build().toString()
                    : "emitted '" + event + "'");
            out.flush();
            return 0;
        }
    }

    /** {@code memsync on NAME EVENT}. */
    @Command(name = "on", mixinStandardHelpOptions = true,
            description = "Prints the payload of each EVENT (one JSON line each) until Ctrl-C; * for every event as {\"event\",\"payload\"}.")
    static final class On implements Callable<Integer> {
        @ParentCommand
        MemSyncCli root;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "The shared object.")
        String name;
        @Parameters(index = "1", paramLabel = "EVENT", description = "The event name, or * for all.")
        String event;
        @Option(names = "--count", paramLabel = "N", description = "Exit after N events.")
        int count;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            CountDownLatch done = new CountDownLatch(count > 0 ? count : Integer.MAX_VALUE);
            SharedObject<JsonObject> so = root.join(name, false);
            Runtime.getRuntime().addShutdownHook(new Thread(so::stop));
            try (so; Subscription ignored = so.events().onAny(e -> {
                if (!event.equals("*") && !e.event().equals(event)) {
                    return;
                }
                synchronized (out) {
                    if (done.getCount() > 0) {
                        out.println(event.equals("*") ? Json.createObjectBuilder().add("event", e.event())
                                .add("payload", e.payload()).build() : e.payload());
                        out.flush();
                        done.countDown();
                    }
                }
            })) {
                System.err.println("listening to " + (event.equals("*") ? "every event" : "'" + event + "'") + " of '" + name + "'");
                System.err.flush();
                done.await();
            }
            return 0;
        }
    }
}
