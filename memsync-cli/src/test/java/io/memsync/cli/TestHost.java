package io.memsync.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.memsync.MemSync;
import io.memsync.SharedObject;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A host process for the command line's tests: starts {@code args[1]} in the base rendezvous folder {@code args[0]}
 * with the data {@code args[2]}, serves the RPC methods {@code echo} (returns its arguments) and {@code add}, prints
 * {@code READY <pid> <httpPort>} and then runs lines from stdin ({@code patch <json>}, {@code emit <event> <json>})
 * until stdin closes, when it stops; {@code pipeline <k>} starts a writer thread that keeps {@code k} increments of
 * {@code n} in flight without end (so this process always has updates pending), {@code drain} stops it and answers
 * {@code OK} once every one of them has its outcome. Options after the data: {@code server} (an HTTP port), {@code writable},
 * {@code token=<t>}, {@code maxWriters=<n>}.
 */
public final class TestHost {
    private TestHost() {
    }

    /** A writer thread keeping a number of updates in flight, each one replaced as soon as its outcome arrives. */
    private static final class Pipeline {
        private final int window;
        private final java.util.concurrent.Semaphore slots;
        private volatile boolean running = true;
        private final Thread thread;

        Pipeline(SharedObject<JsonObject> so, int window) {
            this.window = window;
            this.slots = new java.util.concurrent.Semaphore(window);
            this.thread = Thread.ofPlatform().daemon().name("pipeline").start(() -> {
                while (running) {
                    try {
                        slots.acquire();
                    } catch (InterruptedException e) {
                        return;
                    }
                    so.patch("{\"$inc\":{\"n\":1}}").whenComplete((r, e) -> slots.release());
                }
            });
        }

        /** Stops submitting and waits until every submitted update has its outcome. */
        void drain() throws InterruptedException {
            running = false;
            thread.join();
            slots.acquire(window);
        }
    }

    public static void main(String[] args) throws Exception {
        MemSync.Builder b = MemSync.builder(args[1]).rendezvous(Path.of(args[0])).data(args[2]).timeout(Duration.ofSeconds(20))
                .rpc("echo", a -> a.json())
                .rpc("add", a -> a.get(0, Integer.class) + a.get(1, Integer.class));
        for (int i = 3; i < args.length; i++) {
            String o = args[i];
            if (o.equals("server")) {
                b.server(0);
            } else if (o.startsWith("maxWriters=")) {
                b.maxWriters(Integer.parseInt(o.substring(11)));
            } else {
                HttpOptions.apply(b, o);
            }
        }
        try (SharedObject<JsonObject> so = b.start()) {
            System.out.println("READY " + ProcessHandle.current().pid() + " " + HttpOptions.port(so, Path.of(args[0])));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            Pipeline pipeline = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("patch ")) {
                    so.patch(line.substring(6)).toCompletableFuture().join();
                    System.out.println("OK");
                } else if (line.startsWith("emit ")) {
                    String[] p = line.split(" ", 3);
                    so.events().emit(p[1], Json.createReader(new java.io.StringReader(p[2])).readValue());
                    System.out.println("OK");
                } else if (line.startsWith("on ")) {
                    String ev = line.substring(3);
                    so.events().on(ev, JsonValue.class, v -> {
                        System.out.println("EVENT " + ev + " " + v);
                        System.out.flush();
                    });
                    System.out.println("OK");
                } else if (line.startsWith("pipeline ") && pipeline == null) {
                    pipeline = new Pipeline(so, Integer.parseInt(line.substring(9)));
                    System.out.println("OK");
                } else if (line.equals("drain") && pipeline != null) {
                    pipeline.drain();
                    pipeline = null;
                    System.out.println("OK");
                } else if (line.equals("data")) {
                    System.out.println("DATA " + so.data());
                }
                System.out.flush();
            }
        }
    }
}
