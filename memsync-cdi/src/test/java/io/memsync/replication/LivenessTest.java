package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class LivenessTest {

    @Test
    void readsZombiesAndExitingProcessesFromProcStat() {
        String running = "4242 (java (main)) S 1 4242 4242 0 -1 4194560 1200 0 0 0 10 5 0 0 20 0 30 0 123 0 0";
        String sleepingExiting = "4242 (java (main)) D 1 4242 4242 0 -1 4194564 1200 0 0 0 10 5 0 0 20 0 30 0 123 0 0";
        String zombie = "4242 (java) Z 1 4242 4242 0 -1 4227332 1200 0 0 0 10 5 0 0 20 0 1 0 123 0 0";
        assertThat(Liveness.exitingStat(running)).isFalse();
        assertThat(Liveness.exitingStat(sleepingExiting)).as("PF_EXITING set").isTrue();
        assertThat(Liveness.exitingStat(zombie)).isTrue();
    }

    @Test
    void procStatFindsTheStartTimeAfterANameWithSpacesAndParentheses() {
        String line = "4242 (a) b) c) S 1 4242 4242 0 -1 4194560 1200 0 0 0 10 5 0 0 20 0 30 0 %d 0 0";
        assertThat(ProcStat.startMillis(line.formatted(12_345)) - ProcStat.startMillis(line.formatted(0)))
                .as("12,345 ticks of 10 ms").isEqualTo(123_450);
        assertThat(Liveness.exitingStat(line.formatted(1))).isFalse();
    }

    @Test
    void procStatStartTimesAgreeWithTheJdks() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/stat")),
                "Linux only");
        // on Linux the fast path must be the one in use, and read start times as the JDK does
        assertThat(ProcStat.USABLE).as("/proc start times agree with ProcessHandle's").isTrue();
        Process p = new ProcessBuilder("sleep", "60").start();
        try {
            long jdk = p.info().startInstant().map(java.time.Instant::toEpochMilli).orElseThrow();
            long proc = ProcStat.startMillis(ProcStat.read(p.pid()));
            assertThat(Math.abs(proc - jdk)).isLessThan(1000);
            assertThat(Liveness.ofOperatingSystem().isAlive(new HostRecord.Member("peer", p.pid(), jdk - 5_000, true)))
                    .as("same pid, another start time (a reused pid)").isFalse();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aRunningProcessIsAliveAndAKilledOneIsNot() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        try {
            HostRecord.Member m = new HostRecord.Member("peer", p.pid(),
                    p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L), true);
            Liveness os = Liveness.ofOperatingSystem();
            assertThat(os.isAlive(m)).isTrue();
            assertThat(os.isAlive(new HostRecord.Member("peer", ProcessHandle.current().pid(),
                    ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L), true)))
                    .as("this very process").isTrue();
            p.destroyForcibly();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(os.isAlive(m)).isFalse();
            assertThat(os.isAlive(new HostRecord.Member("gone", Long.MAX_VALUE - 1, 0, true))).as("no such pid").isFalse();
        } finally {
            p.destroyForcibly();
        }
    }
}
