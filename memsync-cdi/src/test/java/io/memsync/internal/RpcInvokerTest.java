package io.memsync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.memsync.MemSyncException;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cap on RPC handlers of a process (issue 13, item 4): a bounded queue, then {@code ERR_BUSY}. */
class RpcInvokerTest {
    @Test
    void callsBeyondTheRunningAndWaitingHandlersFailWithBusyAndTheQueueDrains() throws Exception {
        CompletableFuture<Object> release = new CompletableFuture<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<CompletableFuture<JsonValue>> admitted = new ArrayList<>();
        // a limiter of its own: the process's one is shared with every other test in this JVM
        RpcInvoker.Limiter limiter = new RpcInvoker.Limiter(16, 64);
        int total = 16 + 64;
        for (int i = 0; i < total; i++) {
            admitted.add(limiter.invoke("slow", args -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                // an asynchronous handler: it counts as running until its stage completes
                return release.whenComplete((v, e) -> running.decrementAndGet());
            }, JsonValue.EMPTY_JSON_ARRAY));
        }
        CompletableFuture<JsonValue> refused = limiter.invoke("slow", args -> 1, JsonValue.EMPTY_JSON_ARRAY);
        try {
            refused.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected ERR_BUSY");
        } catch (ExecutionException e) {
            assertThat(((MemSyncException) e.getCause()).code()).isEqualTo(MemSyncException.ERR_BUSY);
            assertThat(e.getCause().getMessage()).contains("'slow'").contains("16 calls run in this process and 64 wait");
        }
        org.awaitility.Awaitility.await().until(() -> running.get() == 16);
        release.complete("done");
        for (CompletableFuture<JsonValue> f : admitted) {
            assertThat(f.get(60, TimeUnit.SECONDS).toString()).isEqualTo("\"done\"");
        }
        assertThat(most.get()).isEqualTo(16);
        assertThat(limiter.invoke("fast", args -> 2, JsonValue.EMPTY_JSON_ARRAY).get(10, TimeUnit.SECONDS).toString())
                .isEqualTo("2");
        assertThat(RpcInvoker.MAX_RUNNING).isEqualTo(256);
        assertThat(RpcInvoker.MAX_WAITING).isEqualTo(4096);
    }
}
