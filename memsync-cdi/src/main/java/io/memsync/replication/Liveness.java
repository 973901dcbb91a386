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
     * The operating system's view: {@link ProcessHandle} by pid, start time compared to the millisecond.
     *
     * @return the default liveness check
     */
    static Liveness ofOperatingSystem() {
        return member -> ProcessHandle.of(member.pid())
                .filter(ProcessHandle::isAlive)
                .map(h -> member.startTime() <= 0 || h.info().startInstant()
                        .map(i -> Math.abs(i.toEpochMilli() - member.startTime()) < 1000)
                        .orElse(true))
                .orElse(false);
    }
}
