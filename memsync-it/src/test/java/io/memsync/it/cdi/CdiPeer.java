package io.memsync.it.cdi;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import io.memsync.MemSyncException;
import io.memsync.PatchResult;
import io.memsync.SharedObject;
import io.memsync.Status;
import io.memsync.cdi.MemSyncExtension;
import io.memsync.it.CommandLoop;

import io.helidon.microprofile.server.ServerCdiExtension;

import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.json.Json;
import jakarta.json.JsonValue;

import org.jboss.weld.environment.se.Weld;

/**
 * A CDI application in its own JVM: {@code -Dmemsync.it.runtime=weld} boots a Weld SE container,
 * {@code helidon} a Helidon MP server (with {@link CartApi} on an ephemeral port of 127.0.0.1). Both deploy
 * {@link CartApp} with the memsync extension, configured from MicroProfile Config (system properties here);
 * {@code -Dmemsync.it.clerk=true} adds {@link Clerk}. It prints {@code ! ready <pid>} once the container (and with
 * it the shared object) has started, then takes {@link io.memsync.it.Peer}-style commands: {@code patch <json>},
 * {@code data}, {@code call <method> [<json array>]}, {@code emit <event> <json>}, {@code status}, {@code port},
 * {@code exit}. Observers print {@code ! change <state> <origin> <version> <document>} and
 * {@code ! event <name> <LOCAL|REMOTE> <payload>}.
 */
public final class CdiPeer {
    /** The memsync peers' line protocol on standard output (lines of several threads never mix). */
    private static final CommandLoop LOOP = CommandLoop.onStdout();

    private CdiPeer() {
    }

    static void say(String line) {
        LOOP.say(line);
    }

    /**
     * Boots the container and runs the command loop until {@code exit} or end of input.
     *
     * @param args ignored
     * @throws Exception on I/O failure
     */
    public static void main(String[] args) throws Exception {
        boolean helidon = System.getProperty("memsync.it.runtime", "weld").equals("helidon");
        List<Class<?>> beans = new ArrayList<>(List.of(CartApp.class));
        if (Boolean.getBoolean("memsync.it.clerk")) {
            beans.add(Clerk.class);
        }
        SeContainer container;
        if (helidon) {
            System.setProperty("mp.initializer.allow", "true");
            System.setProperty("mp.initializer.no-warn", "true");
            System.setProperty("server.host", "127.0.0.1");
            System.setProperty("server.port", "0");
            // discovery on: Helidon's extensions (server, JAX-RS, config) and memsync's come from their service files,
            // memsync-jaxrs is a bean archive; this application's classes are added by class
            beans.add(CartApi.class);
            container = SeContainerInitializer.newInstance().addBeanClasses(beans.toArray(Class<?>[]::new)).initialize();
        } else {
            container = new Weld("memsync-cdi-peer").disableDiscovery().addExtension(new MemSyncExtension())
                    .addBeanClasses(beans.toArray(Class<?>[]::new)).initialize();
        }
        CartApp app = container.select(CartApp.class).get();
        SeContainer booted = container;
        // exit ends the JVM from the loop: the container is closed on the way out
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (booted.isRunning()) {
                booted.close();
            }
        }));
        LOOP.run((cmd, rest) -> execute(booted, app, cmd, rest),
                t -> t instanceof MemSyncException m ? m.code() : t.getClass().getSimpleName());
        booted.close();
    }

    @SuppressWarnings("rawtypes")
    private static String execute(SeContainer container, CartApp app, String cmd, String rest) {
        SharedObject cart = app.cart();
        return switch (cmd) {
            case "patch" -> {
                PatchResult r = cart.patch(rest).toCompletableFuture().join();
                yield "{\"version\":" + r.version() + ",\"term\":" + r.term() + "}";
            }
            case "data" -> cart.data().toString();
            case "call" -> {
                String[] p = rest.split(" ", 2);
                Object[] callArgs = p.length > 1 ? Json.createReader(new StringReader(p[1])).readArray().toArray() : new Object[0];
                JsonValue result = cart.call(p[0], JsonValue.class, callArgs).toCompletableFuture().join();
                yield "{\"result\":" + result + "}";
            }
            case "emit" -> {
                String[] p = rest.split(" ", 2);
                cart.events().emit(p[0], Json.createReader(new StringReader(p[1])).readValue());
                yield "{}";
            }
            case "status" -> {
                Status s = cart.status();
                yield Json.createObjectBuilder().add("role", s.role().name()).add("term", s.term())
                        .add("version", s.version()).add("peers", s.peers().size()).build().toString();
            }
            case "port" -> "{\"port\":" + container.getBeanManager().getExtension(ServerCdiExtension.class).port() + "}";
            default -> throw new IllegalArgumentException("unknown command " + cmd);
        };
    }
}
