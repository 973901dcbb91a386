package io.memsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import io.memsync.MemSync;
import io.memsync.jaxrs.SharedObjectResource;

import org.junit.jupiter.api.Test;

/**
 * What the library jars hold, read from the artifacts this module's tests run against. In the default build
 * ({@code mvn verify}) those are the packaged jars of memsync-cdi and memsync-jaxrs, with their
 * {@code -sources.jar} and {@code -javadoc.jar} beside them; in a build that stops before {@code package} (a
 * targeted test-compile) they are the modules' class folders, and only their resources are checked.
 */
class PackagingTest {
    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String text(Path artifact, String entry) throws IOException {
        if (Files.isDirectory(artifact)) {
            Path file = artifact.resolve(entry);
            assertThat(file).as(entry + " in " + artifact).exists();
            return Files.readString(file);
        }
        try (JarFile jar = new JarFile(artifact.toFile())) {
            assertThat(jar.getEntry(entry)).as(entry + " in " + artifact).isNotNull();
            try (InputStream in = jar.getInputStream(jar.getEntry(entry))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static boolean has(Path artifact, String entry) throws IOException {
        if (Files.isDirectory(artifact)) {
            return Files.exists(artifact.resolve(entry));
        }
        try (JarFile jar = new JarFile(artifact.toFile())) {
            return jar.getEntry(entry) != null;
        }
    }

    /** For a jar: its Automatic-Module-Name, and the sources and javadoc jars beside it with the given type in them. */
    private static void checkJar(Path artifact, String moduleName, String typePath) throws IOException {
        if (Files.isDirectory(artifact)) {
            return;
        }
        try (JarFile jar = new JarFile(artifact.toFile())) {
            Manifest manifest = jar.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Automatic-Module-Name")).isEqualTo(moduleName);
            assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.endsWith("Test.class"))).as("test classes").isEmpty();
        }
        String base = artifact.getFileName().toString().replaceFirst("\\.jar$", "");
        try (JarFile sources = new JarFile(artifact.resolveSibling(base + "-sources.jar").toFile());
                JarFile javadoc = new JarFile(artifact.resolveSibling(base + "-javadoc.jar").toFile())) {
            assertThat(sources.getEntry(typePath + ".java")).as(typePath + ".java in the sources jar").isNotNull();
            assertThat(javadoc.getEntry(typePath + ".html")).as(typePath + ".html in the javadoc jar").isNotNull();
            assertThat(javadoc.getEntry("index.html")).isNotNull();
        }
    }

    @Test
    void memsyncCdiDeclaresItsExtensionShipsTheSharedResourcesAndComesWithSourcesAndJavadoc() throws Exception {
        Path artifact = location(MemSync.class);
        assertThat(text(artifact, "META-INF/services/jakarta.enterprise.inject.spi.Extension").trim())
                .isEqualTo("io.memsync.cdi.MemSyncExtension");
        // from the top-level src/main/resources
        assertThat(text(artifact, "META-INF/microprofile-config.properties")).contains("config_ordinal=1", "# memsync.<name>.timeout=");
        assertThat(text(artifact, "META-INF/memsync/logging.properties")).contains("io.memsync.replication.Replica.level=");
        // no logging.properties at the root, where Helidon and others would read it as the application's
        assertThat(has(artifact, "logging.properties")).isFalse();
        checkJar(artifact, "io.memsync", "io/memsync/SharedObject");
    }

    @Test
    void memsyncJaxrsComesWithSourcesAndJavadoc() throws Exception {
        Path artifact = location(SharedObjectResource.class);
        assertThat(text(artifact, "META-INF/beans.xml")).contains("bean-discovery-mode=\"annotated\"");
        checkJar(artifact, "io.memsync.jaxrs", "io/memsync/jaxrs/SharedObjectResource");
    }
}
