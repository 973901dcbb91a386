package io.memsync.cdi;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

import io.memsync.Acks;
import io.memsync.Durability;
import io.memsync.MemSync;
import io.memsync.MemSyncException;
import io.memsync.Role;
import io.memsync.replication.SendBudget;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Applies MicroProfile Config properties {@code memsync.<name>.*} to a builder. Only loaded when MicroProfile
 * Config is on the class path.
 *
 * <p>Every property but {@code data}, {@code file.path} and the {@code server.*} ones (which belong to one name) may
 * also be given once for every name as {@code memsync.<property>}, e.g. {@code memsync.timeout=10s} or
 * {@code memsync.rendezvous.dir=/run/memsync}; {@code memsync.<name>.<property>} wins over it.
 *
 * <table>
 *   <caption>Properties</caption>
 *   <tr><td>{@code data}</td><td>initial document (JSON object text)</td></tr>
 *   <tr><td>{@code file.path}</td><td>the file store's folder for this name, or a storage URI
 *   ({@code file:…}, {@code s3://bucket/prefix?…}) as with {@code storage}</td></tr>
 *   <tr><td>{@code storage}</td><td>a storage location URI holding a store per name (sub-folder or key prefix
 *   {@code <name>}); {@code file.path} wins over it</td></tr>
 *   <tr><td>{@code file.durability}</td><td>{@code none}, {@code batch} (default) or {@code always}</td></tr>
 *   <tr><td>{@code acks}</td><td>{@code local} (default) or {@code replica}</td></tr>
 *   <tr><td>{@code server.port}</td><td>HTTP port of {@code GET /<name>} and the inspector</td></tr>
 *   <tr><td>{@code server.address}</td><td>bind address (default {@code 127.0.0.1})</td></tr>
 *   <tr><td>{@code server.writable}</td><td>boolean: {@code PATCH}/{@code POST} with the token (default false)</td></tr>
 *   <tr><td>{@code server.token}</td><td>the write token (default: generated per process into the rendezvous
 *   folder)</td></tr>
 *   <tr><td>{@code server.allowed-hosts}, {@code server.allowed-origins}</td><td>comma-separated extra {@code Host}
 *   names and {@code Origin}s accepted</td></tr>
 *   <tr><td>{@code peer.roles}</td><td>comma-separated: {@code writer}, {@code reader}, {@code rpc}</td></tr>
 *   <tr><td>{@code network.max-writers}</td><td>writer cap</td></tr>
 *   <tr><td>{@code network.wait-for-writer-slot}</td><td>duration</td></tr>
 *   <tr><td>{@code timeout}, {@code heartbeat}, {@code recovery-wait}</td><td>durations: {@code 30s}, {@code 500ms},
 *   {@code 2m} or ISO-8601 {@code PT30S}</td></tr>
 *   <tr><td>{@code log-events}</td><td>boolean</td></tr>
 *   <tr><td>{@code rendezvous.dir}</td><td>base rendezvous folder (also read by the builder from the
 *   {@code memsync.rendezvous.dir} system property and {@code MEMSYNC_RENDEZVOUS_DIR})</td></tr>
 *   <tr><td>{@code max-frame-size}</td><td>bytes</td></tr>
 *   <tr><td>{@code max-effect-size}</td><td>bytes</td></tr>
 *   <tr><td>{@code max-document-size}</td><td>bytes</td></tr>
 *   <tr><td>{@code max-depth}</td><td>levels</td></tr>
 *   <tr><td>{@code send-budget.bytes}, {@code send-budget.frames}</td><td>bytes, frames</td></tr>
 * </table>
 */
final class ConfigBinding {
    /** Every property read, as {@code memsync.<name>.<property>}; all but data, file and server also as {@code memsync.<property>}. */
    static final List<String> PROPERTIES = List.of("data", "file.path", "server.port", "server.address", "server.writable",
            "server.token", "server.allowed-hosts", "server.allowed-origins", "peer.roles",
            "network.max-writers", "network.wait-for-writer-slot", "timeout", "heartbeat", "recovery-wait", "log-events",
            "rendezvous.dir", "max-frame-size", "storage", "file.durability", "acks", "max-effect-size", "max-document-size", "max-depth",
            "send-budget.bytes", "send-budget.frames", "handshake-timeout", "idle-timeout");

    /** A URI with a scheme of two or more characters (so {@code C:\\data} stays a path). */
    private static final java.util.regex.Pattern URI_SCHEME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:.*");

    private ConfigBinding() {
    }

    private static <E extends Enum<E>> Optional<E> named(Optional<Found> found, Class<E> type, String allowed,
                                                         List<String> problems) {
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Found f = found.get();
        try {
            return Optional.of(Enum.valueOf(type, f.value().trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            problems.add(f.key() + ": '" + f.value() + "' is not one of " + allowed);
            return Optional.empty();
        }
    }

    /** Applies the properties of {@code name}; returns one problem per bad property (nothing is half-applied). */
    static List<String> apply(String name, MemSync.Builder builder) {
        return apply(ConfigProvider.getConfig(), name, builder);
    }

    /** Applies the properties of {@code name} found in {@code config}; returns one problem per bad property. */
    static List<String> apply(Config config, String name, MemSync.Builder builder) {
        Keys keys = new Keys(config, name);
        List<String> problems = new ArrayList<>();
        List<Consumer<MemSync.Builder>> steps = new ArrayList<>();
        keys.own("data").ifPresent(v -> steps.add(b -> b.data(v.value())));
        keys.any("storage").ifPresent(v -> steps.add(b -> b.storage(v.value().trim())));
        keys.own("file.path").ifPresent(v -> steps.add(b -> {
            String path = v.value().trim();
            if (URI_SCHEME.matcher(path).matches()) {
                b.storage(path);
            } else {
                b.file(Path.of(path));
            }
        }));
        named(keys.any("file.durability"), Durability.class, "none, batch, always", problems)
                .ifPresent(v -> steps.add(b -> b.durability(v)));
        named(keys.any("acks"), Acks.class, "local, replica", problems).ifPresent(v -> steps.add(b -> b.acks(v)));
        keys.any("rendezvous.dir").ifPresent(v -> steps.add(b -> b.rendezvous(Path.of(v.value()))));
        integer(keys.own("server.port"), problems).ifPresent(v -> steps.add(b -> b.server(v)));
        keys.own("server.address").ifPresent(v -> steps.add(b -> b.serverAddress(v.value())));
        keys.own("server.writable").ifPresent(v -> steps.add(b -> b.serverWritable(Boolean.parseBoolean(v.value().trim()))));
        keys.own("server.token").ifPresent(v -> steps.add(b -> b.serverToken(v.value().trim())));
        keys.own("server.allowed-hosts").ifPresent(v -> steps.add(b -> b.serverAllowedHosts(list(v.value()))));
        keys.own("server.allowed-origins").ifPresent(v -> steps.add(b -> b.serverAllowedOrigins(list(v.value()))));
        integer(keys.any("network.max-writers"), problems).ifPresent(v -> steps.add(b -> b.maxWriters(v)));
        integer(keys.any("max-frame-size"), problems).ifPresent(v -> steps.add(b -> b.maxFrameSize(v)));
        integer(keys.any("max-effect-size"), problems).ifPresent(v -> steps.add(b -> b.maxEffectSize(v)));
        integer(keys.any("max-document-size"), problems).ifPresent(v -> steps.add(b -> b.maxDocumentSize(v)));
        integer(keys.any("max-depth"), problems).ifPresent(v -> steps.add(b -> b.maxDepth(v)));
        Optional<Integer> budgetBytes = integer(keys.any("send-budget.bytes"), problems);
        Optional<Integer> budgetFrames = integer(keys.any("send-budget.frames"), problems);
        if (budgetBytes.isPresent() || budgetFrames.isPresent()) {
            steps.add(b -> b.sendBudget(budgetBytes.map(Integer::longValue).orElse(SendBudget.DEFAULT.bytes()),
                    budgetFrames.orElse(SendBudget.DEFAULT.frames())));
        }
        duration(keys.any("network.wait-for-writer-slot"), problems).ifPresent(v -> steps.add(b -> b.waitForWriterSlot(v)));
        duration(keys.any("timeout"), problems).ifPresent(v -> steps.add(b -> b.timeout(v)));
        duration(keys.any("heartbeat"), problems).ifPresent(v -> steps.add(b -> b.heartbeat(v)));
        duration(keys.any("recovery-wait"), problems).ifPresent(v -> steps.add(b -> b.recoveryWait(v)));
        duration(keys.any("handshake-timeout"), problems).ifPresent(v -> steps.add(b -> b.handshakeTimeout(v)));
        duration(keys.any("idle-timeout"), problems).ifPresent(v -> steps.add(b -> b.idleTimeout(v)));
        keys.any("log-events").ifPresent(v -> steps.add(b -> b.logEvents(Boolean.parseBoolean(v.value().trim()))));
        keys.any("peer.roles").ifPresent(found -> {
            String v = found.value();
            String key = found.key();
            List<Role> roles = new ArrayList<>();
            for (String r : v.split(",")) {
                String role = r.trim().toUpperCase(Locale.ROOT);
                if (role.isEmpty()) {
                    continue;
                }
                try {
                    roles.add(Role.valueOf(role));
                } catch (IllegalArgumentException e) {
                    problems.add(key + ": unknown role '" + r.trim() + "' (use writer, reader, rpc)");
                }
            }
            steps.add(b -> b.roles(roles.toArray(Role[]::new)));
        });
        if (!problems.isEmpty()) {
            return problems;
        }
        for (Consumer<MemSync.Builder> step : steps) {
            try {
                step.accept(builder);
            } catch (MemSyncException e) {
                problems.add("MicroProfile Config of '" + name + "': " + e.detail());
            }
        }
        return problems;
    }

    /** A property found, with the key it was found under (for messages). */
    private record Found(String key, String value) {
    }

    /** Looks properties up for one name: {@code memsync.<name>.<property>}, then {@code memsync.<property>}. */
    private record Keys(Config config, String name) {
        Optional<Found> own(String property) {
            String key = "memsync." + name + "." + property;
            return config.getOptionalValue(key, String.class).filter(s -> !s.isBlank()).map(v -> new Found(key, v));
        }

        Optional<Found> any(String property) {
            Optional<Found> own = own(property);
            if (own.isPresent()) {
                return own;
            }
            String key = "memsync." + property;
            return config.getOptionalValue(key, String.class).filter(s -> !s.isBlank()).map(v -> new Found(key, v));
        }
    }

    private static String[] list(String value) {
        return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toArray(String[]::new);
    }

    private static Optional<Integer> integer(Optional<Found> found, List<String> problems) {
        return found.flatMap(f -> {
            try {
                return Optional.of(Integer.parseInt(f.value().trim()));
            } catch (NumberFormatException e) {
                problems.add(f.key() + ": '" + f.value() + "' is not an integer");
                return Optional.empty();
            }
        });
    }

    private static Optional<Duration> duration(Optional<Found> found, List<String> problems) {
        return found.flatMap(f -> {
            try {
                return Optional.of(parseDuration(f.value().trim()));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                problems.add(f.key() + ": '" + f.value() + "' is not a duration (use 30s, 500ms, 2m or PT30S)");
                return Optional.empty();
            }
        });
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, a plain number of milliseconds, or ISO-8601. */
    static Duration parseDuration(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
        }
        if (t.endsWith("h")) {
            return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
        }
        return Duration.ofMillis(Long.parseLong(t));
    }
}
