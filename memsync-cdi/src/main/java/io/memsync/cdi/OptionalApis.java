package io.memsync.cdi;

/**
 * Which optional APIs are on the class path. Kept apart from the classes that use them: a class referring to
 * Micrometer or MicroProfile Health types cannot even be linked without them, so asking it would fail with a
 * {@code NoClassDefFoundError} exactly where the answer should be "no".
 */
final class OptionalApis {
    /** Micrometer ({@code io.micrometer:micrometer-core}). */
    static final boolean MICROMETER = present("io.micrometer.core.instrument.MeterRegistry");
    /** MicroProfile Health. */
    static final boolean HEALTH = present("org.eclipse.microprofile.health.HealthCheck");
    /** MicroProfile Config. */
    static final boolean CONFIG = present("org.eclipse.microprofile.config.ConfigProvider");

    private OptionalApis() {
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, OptionalApis.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
