package io.memsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The logging configuration memsync-cdi ships (from the top-level {@code src/main/resources}) names every logger the
 * code creates, each with a level java.util.logging understands, and only those.
 */
class LoggingConfigTest {
    static final String RESOURCE = "META-INF/memsync/logging.properties";
    static final Pattern LOGGER = Pattern.compile("System\\.getLogger\\(([A-Za-z0-9_.]+)\\.class\\.getName\\(\\)\\)");
    static final Pattern IMPORT = Pattern.compile("(?m)^import ([a-z0-9_.]+\\.([A-Z][A-Za-z0-9_]*));");
    static final Pattern PACKAGE = Pattern.compile("(?m)^package ([a-z0-9_.]+);");

    /** The logger names of the main sources: {@code System.getLogger(X.class.getName())}, X resolved to its class. */
    private static Set<String> loggersInCode() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher m = LOGGER.matcher(source);
                while (m.find()) {
                    names.add(resolve(m.group(1), source));
                }
                assertThat(source.contains("System.getLogger(") && !LOGGER.matcher(source).find())
                        .as(file + " creates a logger not named after a class").isFalse();
                assertThat(source).as(file + " uses java.util.logging directly").doesNotContain("Logger.getLogger(");
            }
        }
        return names;
    }

    private static String resolve(String simple, String source) {
        if (simple.contains(".")) {
            return simple;
        }
        Matcher imports = IMPORT.matcher(source);
        while (imports.find()) {
            if (imports.group(2).equals(simple)) {
                return imports.group(1);
            }
        }
        Matcher pkg = PACKAGE.matcher(source);
        assertThat(pkg.find()).isTrue();
        return pkg.group(1) + "." + simple;
    }

    @Test
    void theShippedLoggingConfigurationNamesEveryLoggerOfTheCodeWithAValidLevel() throws IOException {
        Properties shipped = new Properties();
        try (InputStream in = LoggingConfigTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            assertThat(in).as("memsync-cdi ships " + RESOURCE).isNotNull();
            shipped.load(in);
        }
        Set<String> configured = new TreeSet<>();
        for (String key : shipped.stringPropertyNames()) {
            assertThat(key).endsWith(".level");
            java.util.logging.Level.parse(shipped.getProperty(key));
            configured.add(key.substring(0, key.length() - ".level".length()));
        }
        Set<String> inCode = loggersInCode();
        assertThat(inCode).contains("io.memsync.replication.Replica", "io.memsync.cdi.MemSyncExtension");
        assertThat(configured).isEqualTo(inCode);
    }
}
