package io.memsync.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathWarmUpTest {

    @Test
    void aPrivateHostAndClientExchangeUpdatesAndLeaveNothingBehind(@TempDir Path parent) throws Exception {
        assertThat(HostPathWarmUp.run(parent)).isTrue();

        try (Stream<Path> left = Files.list(parent)) {
            assertThat(left).isEmpty();
        }
        // the stopped replicas' event threads end (asynchronously, after their executors were shut down)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
                        .noneMatch(n -> n.startsWith("memsync-warmup-")));
    }
}
