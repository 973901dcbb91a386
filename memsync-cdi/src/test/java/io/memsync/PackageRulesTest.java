package io.memsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Guards the package rules of DESIGN.md §2 on the compiled classes of this module: {@code io.memsync} holds only
 * the public API of §3 (so an internal class put there fails the build, named), the engine packages never reach the
 * CDI extension or the CDI/inject APIs, and only {@code EngineWiring} assembles the engine (issue 8, item 6).
 */
class PackageRulesTest {

    /**
     * The public API of DESIGN.md §3, each with where the contract reaches it. A type added to {@code io.memsync}
     * must be API (then it goes into DESIGN.md §3 and here) or it belongs in {@code io.memsync.internal}.
     */
    private static final Map<String, String> PUBLIC_API = new TreeMap<>(Map.ofEntries(
            Map.entry("MemSync", "MemSync.builder(name)…start()"),
            Map.entry("SharedObject", "what start() returns and @Shared injects"),
            Map.entry("SharedDocument", "the type-independent operations SharedObject inherits"),
            Map.entry("Role", ".roles(Role.WRITER)"),
            Map.entry("Durability", ".durability(Durability.ALWAYS) (issue 9)"),
            Map.entry("Acks", ".acks(Acks.REPLICA) (issue 9)"),
            Map.entry("RpcHandler", ".rpc(\"foo\", args -> \"bar\")"),
            Map.entry("RpcArgs", "the args of an RpcHandler"),
            Map.entry("RpcMethod", "@RpcMethod on bean methods, .rpc(bean)"),
            Map.entry("Shared", "the @Shared(\"name\") qualifier"),
            Map.entry("Update", "foo.patch(Update…), the operators"),
            Map.entry("Precondition", "patch(update, precondition)"),
            Map.entry("PatchResult", "what a patch's stage completes with"),
            Map.entry("Subscription", "what observe(…) and events().on(…) return"),
            Map.entry("EventBus", "foo.events()"),
            Map.entry("MemSyncChange", "@Observes @Shared(\"name\") MemSyncChange, observe(…)"),
            Map.entry("MemSyncEvent", "@Observes @Shared(\"name\") MemSyncEvent"),
            Map.entry("MemSyncException", "the errors and their codes"),
            Map.entry("Status", "foo.status()"),
            Map.entry("PeerRole", "foo.status().role()")));

    /** Classes that are not public but must sit in {@code io.memsync}, and why. */
    private static final Map<String, String> PACKAGE_PRIVATE = Map.of(
            "RawUpdate", "a permitted subtype of the sealed Update; outside a named module Java requires it in Update's package");

    /** The packages of the engine (DESIGN.md §2, 1–5) and the implementation of the public API. */
    private static final List<String> ENGINE_PACKAGES = List.of(
            "io/memsync/document", "io/memsync/replication", "io/memsync/transport", "io/memsync/discovery",
            "io/memsync/storage", "io/memsync/internal");

    @Test
    void publicPackageHoldsOnlyThePublicApi() throws IOException {
        Path dir = classesRoot().resolve("io/memsync");
        TreeSet<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .map(n -> n.contains("$") ? n.substring(0, n.indexOf('$')) : n) // nested: judge the outer type
                    .forEach(found::add);
        }
        TreeSet<String> unexpected = new TreeSet<>(found);
        unexpected.removeAll(PUBLIC_API.keySet());
        unexpected.removeAll(PACKAGE_PRIVATE.keySet());

        assertThat(unexpected)
                .as("io.memsync holds only the public API of DESIGN.md §3, but it also holds %s: move %s to "
                        + "io.memsync.internal, or, if it is new API, add it to DESIGN.md §3 and to PUBLIC_API in %s",
                        unexpected.stream().map(n -> "io.memsync." + n).toList(),
                        unexpected.size() == 1 ? "it" : "them", getClass().getSimpleName())
                .isEmpty();
        assertThat(found).as("every type PackageRulesTest lists still exists in io.memsync")
                .containsAll(PUBLIC_API.keySet()).containsAll(PACKAGE_PRIVATE.keySet());
    }

    @Test
    void listedApiTypesArePublicAndTheOthersAreNot() throws ClassNotFoundException {
        List<String> wrong = new ArrayList<>();
        for (String name : PUBLIC_API.keySet()) {
            if (!Modifier.isPublic(Class.forName("io.memsync." + name).getModifiers())) {
                wrong.add("io.memsync." + name + " is API (" + PUBLIC_API.get(name) + ") but not public");
            }
        }
        for (String name : PACKAGE_PRIVATE.keySet()) {
            if (Modifier.isPublic(Class.forName("io.memsync." + name).getModifiers())) {
                wrong.add("io.memsync." + name + " is public but not API: " + PACKAGE_PRIVATE.get(name));
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void engineNeverReachesCdi() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String pkg : ENGINE_PACKAGES) {
            for (Path file : classFiles(classesRoot().resolve(pkg))) {
                for (String ref : referencedNames(file)) {
                    if (ref.contains("io/memsync/cdi/") || ref.contains("jakarta/enterprise/")
                            || ref.contains("jakarta/inject/")) {
                        violations.add(className(file) + " uses " + ref.replace('/', '.'));
                    }
                }
            }
        }
        assertThat(violations).as("the engine packages (DESIGN.md §2, 1–5, and io.memsync.internal) must not use "
                + "io.memsync.cdi, jakarta.enterprise or jakarta.inject").isEmpty();
    }

    @Test
    void publicApiNeverReachesTheCdiContainerApi() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.list(classesRoot().resolve("io/memsync"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                for (String ref : referencedNames(file)) {
                    if (ref.contains("io/memsync/cdi/") || ref.contains("jakarta/enterprise/")) {
                        violations.add(className(file) + " uses " + ref.replace('/', '.'));
                    }
                }
            }
        }
        assertThat(violations).as("io.memsync may use jakarta.inject, never jakarta.enterprise or io.memsync.cdi "
                + "(DESIGN.md §2)").isEmpty();
    }

    @Test
    void theScanSeesReferences() throws IOException {
        // guards the guard: the constant-pool reader finds what a class is known to use
        Path memSync = classesRoot().resolve("io/memsync/MemSync$Builder.class");
        assertThat(referencedNames(memSync)).as("MemSync.Builder uses EngineWiring").anyMatch(s -> s.contains("io/memsync/internal/EngineWiring"));
        Path shared = classesRoot().resolve("io/memsync/Shared.class");
        assertThat(referencedNames(shared)).as("@Shared is a jakarta.inject qualifier").anyMatch(s -> s.contains("jakarta/inject/Qualifier"));
    }

    @Test
    void onlyEngineWiringAssemblesTheEngine() throws IOException {
        List<String> parts = List.of("io/memsync/replication/Replica", "io/memsync/transport/WebSocketTransport",
                "io/memsync/discovery/FileRendezvous", "io/memsync/internal/StorePersistence",
                "io/memsync/internal/SharedObjectImpl", "io/memsync/internal/DocumentServer");
        List<String> violations = new ArrayList<>();
        for (Path file : classFiles(classesRoot().resolve("io/memsync"))) {
            String name = className(file);
            if (name.equals("io.memsync.internal.EngineWiring")) {
                continue;
            }
            for (String called : constructorsCalled(file)) {
                // an engine package may create its own types; io.memsync.internal leaves that to EngineWiring
                boolean ownPackage = !called.startsWith("io/memsync/internal/")
                        && called.substring(0, called.lastIndexOf('/')).replace('/', '.')
                        .equals(name.substring(0, name.lastIndexOf('.')));
                if (parts.contains(called) && !ownPackage) {
                    violations.add(name + " creates " + called.replace('/', '.'));
                }
            }
        }
        assertThat(violations).as("only io.memsync.internal.EngineWiring assembles the engine (issue 8, item 6)")
                .isEmpty();
        assertThat(constructorsCalled(classesRoot().resolve("io/memsync/internal/EngineWiring.class")))
                .as("the scan sees EngineWiring create the parts").containsAll(parts);
    }

    /** The folder the main classes of this module were compiled to. */
    private static Path classesRoot() {
        try {
            Path root = Path.of(MemSync.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertThat(root).as("main classes are read from a folder (run by Maven in memsync-cdi)").isDirectory();
            return root;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> classFiles(Path dir) throws IOException {
        assertThat(dir).as("compiled package folder").isDirectory();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
    }

    private static String className(Path file) {
        String s = classesRoot().relativize(file).toString();
        return s.substring(0, s.length() - ".class".length()).replace('/', '.');
    }

    /**
     * The text entries of a class file's constant pool (JVMS §4.4): they hold the names of every class the class
     * refers to, in type descriptors and signatures too, whether the source imported them or wrote them out.
     */
    static List<String> referencedNames(Path classFile) throws IOException {
        List<String> utf8 = new ArrayList<>();
        for (Object entry : constantPool(classFile)) {
            if (entry instanceof String text) {
                utf8.add(text);
            }
        }
        return utf8;
    }

    /** The classes whose constructors a class file calls ({@code Methodref}s named {@code <init>}), internal form. */
    static List<String> constructorsCalled(Path classFile) throws IOException {
        Object[] pool = constantPool(classFile);
        List<String> called = new ArrayList<>();
        for (Object entry : pool) {
            if (entry instanceof int[] ref && ref[0] == 10) { // Methodref: class index, name-and-type index
                int[] cls = (int[]) pool[ref[1]];
                int[] nameAndType = (int[]) pool[ref[2]];
                if ("<init>".equals(pool[nameAndType[1]])) {
                    called.add((String) pool[cls[1]]);
                }
            }
        }
        return called;
    }

    /**
     * A class file's constant pool by index: a {@code String} for a Utf8 entry, {@code int[]{tag, index...}} for
     * Class, Methodref and NameAndType entries, {@code null} for the rest.
     */
    private static Object[] constantPool(Path classFile) throws IOException {
        try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(classFile + " is not a class file");
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            Object[] pool = new Object[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> pool[i] = in.readUTF(); // Utf8: u2 length + modified UTF-8, as readUTF reads it
                    case 7 -> pool[i] = new int[] {7, in.readUnsignedShort()};
                    case 10, 12 -> pool[i] = new int[] {tag, in.readUnsignedShort(), in.readUnsignedShort()};
                    case 3, 4, 9, 11, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // Long and Double take two entries
                    }
                    case 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    default -> throw new IOException(classFile + ": unknown constant pool tag " + tag + " at entry " + i);
                }
            }
            return pool;
        }
    }
}
