package io.memsync.replication;

/**
 * Tells whether a member's process is still alive (pid and start time). The default checks the operating system;
 * the in-memory test harness answers from its own table of simulated processes.
 */
public interface Liveness {
    /**
     * Whether the process described is alive.
     *
     * @param member the member
     * @return {@code true} when a process with that pid and start time runs
     */
    boolean isAlive(HostRecord.Member member);

    /**
     * The operating system's view: a process with that pid whose start time matches to the second; on Linux a process
     * that is already exiting counts as dead. A {@code kill -9}ed JVM releases its files (and so the host lease)
     * before it is gone; in that window it would otherwise look alive, and a new host would wait the whole recovery
     * time for it to reconnect.
     *
     * <p>On Linux the answer comes from one read of {@code /proc/<pid>/stat} (state, flags, start time), without
     * {@link ProcessHandle.Info}, which also reads the process's command line and executable. Elsewhere (or where
     * {@code /proc} does not give start times as the JDK computes them) it asks {@link ProcessHandle}.
     *
     * @return the default liveness check
     */
    static Liveness ofOperatingSystem() {
        return member -> {
            if (ProcStat.USABLE) {
                try {
                    return ProcStat.alive(ProcStat.read(member.pid()), member.startTime());
                } catch (java.io.IOException | RuntimeException e) {
                    return false; // no such process (any more)
                }
            }
            return ProcessHandle.of(member.pid())
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> member.startTime() <= 0 || h.info().startInstant()
                            .map(i -> Math.abs(i.toEpochMilli() - member.startTime()) < 1000)
                            .orElse(true))
                    .map(h -> !ProcStat.exiting(h.pid()))
                    .orElse(false);
        };
    }

    /**
     * Reads a {@code /proc/<pid>/stat} line: state {@code Z} or {@code X}, or the {@code PF_EXITING} flag, means the
     * process is on its way out.
     *
     * @param stat the line
     * @return whether it is exiting
     */
    static boolean exitingStat(String stat) {
        // "pid (comm) state ppid pgrp session tty_nr tpgid flags ...": comm may hold spaces and parentheses
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        char state = f[0].charAt(0);
        long flags = Long.parseLong(f[6]);
        final long pfExiting = 0x4;
        return state == 'Z' || state == 'X' || (flags & pfExiting) != 0;
    }
}
