package io.memsync.replication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Linux's {@code /proc/<pid>/stat}: state, flags and start time, read without {@link ProcessHandle.Info}.
 * {@link #USABLE} only where this process's own start time read this way agrees with the JDK's.
 */
final class ProcStat {
    /** Ticks per second of {@code /proc} times ({@code USER_HZ}: 100 on every Linux the JDK runs on). */
    private static final long TICKS_PER_SECOND = 100;
    /** Boot time, epoch millis, from {@code /proc/stat}; {@code -1} when unknown. */
    private static final long BOOT_MILLIS = bootMillis();
    /** Whether start times read here match the JDK's for this very process. */
    static final boolean USABLE = usable();

    /** Static methods only. */
    private ProcStat() {
    }

    /** @return where Linux describes process {@code pid} */
    static Path path(long pid) {
        return Path.of("/proc", Long.toString(pid), "stat");
    }

    /**
     * Reads the stat line of a process. As Latin-1, not UTF-8: the process name in it is cut to 15 bytes, maybe in
     * the middle of a character, and a strict UTF-8 decoding would fail on it (the fields after it are ASCII).
     *
     * @param pid the process
     * @return its line
     * @throws IOException when there is no such process (any more)
     */
    static String read(long pid) throws IOException {
        return new String(Files.readAllBytes(path(pid)), StandardCharsets.ISO_8859_1);
    }

    /**
     * @param stat      a {@code /proc/<pid>/stat} line
     * @param startTime the member's start time, epoch millis ({@code <= 0}: not compared)
     * @return whether that process runs, is not exiting, and started then (to the second)
     */
    static boolean alive(String stat, long startTime) {
        if (Liveness.exitingStat(stat)) {
            return false;
        }
        return startTime <= 0 || Math.abs(startMillis(stat) - startTime) < 1000;
    }

    /** Field 22 of the line (start time in ticks after boot) as epoch millis. */
    static long startMillis(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return BOOT_MILLIS + Long.parseLong(f[19]) * 1000 / TICKS_PER_SECOND;
    }

    private static long bootMillis() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("btime ")) {
                    return Long.parseLong(line.substring(6).trim()) * 1000;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static boolean usable() {
        if (BOOT_MILLIS < 0) {
            return false;
        }
        try {
            ProcessHandle self = ProcessHandle.current();
            long jdk = self.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
            long here = startMillis(read(self.pid()));
            return jdk > 0 && Math.abs(jdk - here) < 1000;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether Linux says the process is a zombie, is exiting, or is already gone; {@code false} where there is no
     * {@code /proc}.
     */
    static boolean exiting(long pid) {
        try {
            return Liveness.exitingStat(read(pid));
        } catch (IOException | RuntimeException e) {
            return Files.isReadable(Path.of("/proc/self/stat"));
        }
    }
}
