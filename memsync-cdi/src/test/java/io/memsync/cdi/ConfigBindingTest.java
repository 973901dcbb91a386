package io.memsync.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.memsync.MemSync;
import io.memsync.MemSyncException;
import io.memsync.SharedObject;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import jakarta.json.JsonObject;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MicroProfile Config binding (a real SmallRye Config): per-name properties, and global defaults under memsync.*. */
class ConfigBindingTest {
    private final Map<String, String> properties = new HashMap<>();

    @BeforeEach
    void rendezvousFromConfig() throws Exception {
        Path dir = Files.createTempDirectory("memsync-config-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        properties.put("memsync.rendezvous.dir", dir.toString());
    }

    private Config config() {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 500)).build();
    }

    private SharedObject<JsonObject> start(String name) {
        MemSync.Builder builder = MemSync.builder(name);
        assertThat(ConfigBinding.apply(config(), name, builder)).isEmpty();
        return builder.start();
    }

    @Test
    void aGlobalDefaultAppliesToEveryNameAndAPerNamePropertyWinsOverIt() {
        properties.put("memsync.peer.roles", "reader");
        properties.put("memsync.cfg-writer.peer.roles", "writer");
        try (SharedObject<JsonObject> reader = start("cfg-reader"); SharedObject<JsonObject> writer = start("cfg-writer")) {
            assertThatThrownBy(() -> reader.patch("{\"$set\":{\"a\":1}}").toCompletableFuture().join())
                    .cause().isInstanceOf(MemSyncException.class)
                    .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_READ_ONLY);
            assertThat(writer.patch("{\"$set\":{\"a\":1}}").toCompletableFuture().join().version()).isPositive();
        }
    }

    @Test
    void theRendezvousFolderComesFromConfig() {
        try (SharedObject<JsonObject> first = start("cfg-rendezvous")) {
            SharedObject<JsonObject> second = MemSync.builder("cfg-rendezvous")
                    .rendezvous(Path.of(properties.get("memsync.rendezvous.dir"))).start();
            try (second) {
                assertThat(first.status().isHost()).isTrue();
                assertThat(second.status().isHost()).as("joined the network found in the configured folder").isFalse();
            }
        }
    }

    @Test
    void aBadGlobalValueIsReportedUnderItsOwnKey() {
        properties.put("memsync.timeout", "soon");
        properties.put("memsync.network.max-writers", "two");
        List<String> problems = ConfigBinding.apply(config(), "cfg-bad", MemSync.builder("cfg-bad"));
        assertThat(problems).containsExactlyInAnyOrder(
                "memsync.timeout: 'soon' is not a duration (use 30s, 500ms, 2m or PT30S)",
                "memsync.network.max-writers: 'two' is not an integer");
    }

    @Test
    void aGoodPerNameValueHidesABadGlobalOne() {
        properties.put("memsync.timeout", "soon");
        properties.put("memsync.cfg-own.timeout", "5s");
        assertThat(ConfigBinding.apply(config(), "cfg-own", MemSync.builder("cfg-own"))).isEmpty();
    }

    @Test
    void persistenceDurabilityAndAcksComeFromConfig() throws Exception {
        Path store = Path.of(properties.get("memsync.rendezvous.dir")).resolve("stores");
        properties.put("memsync.storage", store.toUri().toString());
        properties.put("memsync.cfg-store.file.durability", "always");
        properties.put("memsync.cfg-store.acks", "replica");
        properties.put("memsync.cfg-store.timeout", "1s");
        try (SharedObject<JsonObject> shared = start("cfg-store")) {
            // acks=replica: alone, the host's own patch stays unconfirmed and times out (outcome unknown)
            assertThatThrownBy(() -> shared.patch("{\"$set\":{\"a\":1}}").toCompletableFuture().join())
                    .cause().isInstanceOf(MemSyncException.class)
                    .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_TIMEOUT);
        }
        assertThat(store.resolve("cfg-store")).isDirectory();
        properties.remove("memsync.cfg-store.acks");
        try (SharedObject<JsonObject> again = start("cfg-store")) {
            assertThat(again.data().toString()).isEqualTo("{\"a\":1}");
        }
        properties.put("memsync.cfg-store.file.path", store.resolve("own").toString());
        try (SharedObject<JsonObject> own = start("cfg-store")) {
            assertThat(own.data().toString()).as("file.path wins over storage: a new, empty store").isEqualTo("{}");
        }
        assertThat(store.resolve("own").resolve("store.lock")).exists();
    }

    @Test
    void aBadDurabilityOrAcksValueIsReported() {
        properties.put("memsync.file.durability", "sometimes");
        properties.put("memsync.cfg-modes.acks", "all");
        assertThat(ConfigBinding.apply(config(), "cfg-modes", MemSync.builder("cfg-modes"))).containsExactlyInAnyOrder(
                "memsync.file.durability: 'sometimes' is not one of none, batch, always",
                "memsync.cfg-modes.acks: 'all' is not one of local, replica");
    }

    @Test
    void theShippedDefaultsFileDocumentsEveryPropertyAndSetsNone() throws Exception {
        java.net.URL shipped = null;
        for (java.net.URL url : java.util.Collections.list(ConfigBinding.class.getClassLoader()
                .getResources("META-INF/microprofile-config.properties"))) {
            if (!url.toString().contains("test-classes")) {
                shipped = url;
            }
        }
        assertThat(shipped).as("memsync-cdi ships META-INF/microprofile-config.properties").isNotNull();
        String text;
        try (var in = shipped.openStream()) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        for (String property : ConfigBinding.PROPERTIES) {
            assertThat(text).contains("# memsync.<name>." + property + "=");
        }
        java.util.Properties set = new java.util.Properties();
        set.load(new StringReader(text));
        assertThat(set).containsOnlyKeys("config_ordinal");
        assertThat(set.getProperty("config_ordinal")).isEqualTo("1");
    }

    @Test
    void dataFileAndPortBelongToOneNameAndHaveNoGlobalForm() {
        properties.put("memsync.data", "{\"global\":true}");
        properties.put("memsync.server.port", "not a port");
        try (SharedObject<JsonObject> shared = start("cfg-local-only")) {
            assertThat(shared.data().containsKey("global")).isFalse();
        }
    }

    /**
     * The keys {@link ConfigBinding#apply} looks up, recorded from a real config: each of
     * {@link ConfigBinding#PROPERTIES} under the name, and all but data, file.path and the server.* ones also under
     * {@code memsync.}; and the shipped file lists exactly those properties. (A key read but missing from
     * PROPERTIES, or listed but never read, fails here.)
     */
    @Test
    void theBindingLooksUpExactlyItsPropertiesAndTheShippedFileListsExactlyThose() throws Exception {
        Config real = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(), "empty", 500)).build();
        java.util.Set<String> asked = new java.util.TreeSet<>();
        Config recording = (Config) java.lang.reflect.Proxy.newProxyInstance(Config.class.getClassLoader(),
                new Class<?>[] {Config.class}, (proxy, method, args) -> {
                    if (args != null && args.length > 0 && args[0] instanceof String key) {
                        asked.add(key);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ConfigBinding.apply(recording, "keys", MemSync.builder("keys"));
        java.util.Set<String> expected = new java.util.TreeSet<>();
        List<String> ownOnly = List.of("data", "file.path");
        for (String property : ConfigBinding.PROPERTIES) {
            expected.add("memsync.keys." + property);
            if (!ownOnly.contains(property) && !property.startsWith("server.")) {
                expected.add("memsync." + property);
            }
        }
        assertThat(asked).isEqualTo(expected);

        java.net.URL shipped = java.util.Collections.list(ConfigBinding.class.getClassLoader()
                .getResources("META-INF/microprofile-config.properties")).stream()
                .filter(url -> !url.toString().contains("test-classes")).findFirst().orElseThrow();
        String text;
        try (var in = shipped.openStream()) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        java.util.Set<String> listed = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^# memsync\\.<name>\\.([a-z.-]+)=").matcher(text);
        while (m.find()) {
            listed.add(m.group(1));
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(ConfigBinding.PROPERTIES);
    }

    @Test
    void theServerSafetyOptionsComeFromConfig() throws Exception {
        properties.put("memsync.cfg-http.server.port", "0");
        properties.put("memsync.cfg-http.server.writable", "true");
        properties.put("memsync.cfg-http.server.token", "token-from-config-0123");
        properties.put("memsync.cfg-http.server.allowed-hosts", "a.test, b.test");
        try (SharedObject<JsonObject> shared = start("cfg-http")) {
            Path dir = Path.of(properties.get("memsync.rendezvous.dir"), "cfg-http");
            List<Path> files;
            try (var ds = Files.newDirectoryStream(dir, "http-*.json")) {
                files = new java.util.ArrayList<>();
                ds.forEach(files::add);
            }
            assertThat(files).hasSize(1);
            JsonObject published = jakarta.json.Json.createReader(new StringReader(Files.readString(files.get(0)))).readObject();
            assertThat(published.getBoolean("writable")).isTrue();
            assertThat(published.getString("token")).isEqualTo("token-from-config-0123");
        }
        properties.put("memsync.cfg-http2.server.token", "short");
        assertThat(ConfigBinding.apply(config(), "cfg-http2", MemSync.builder("cfg-http2")))
                .singleElement().asString().contains("server token");
    }
}
