package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memsync.Update;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Entries, batches and welcomes travel in frames under the frame limit (issue 13, item 1): on an in-memory network
 * that drops frames over 64 KiB, as a WebSocket peer does, clients follow a host whose entries are larger.
 */
class FrameLimitScenarioTest {
    private static final int FRAME = 64 * 1024;
    private final Cluster cluster = new Cluster(7);

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private Cluster.Member member() {
        Cluster.Member m = cluster.add(JsonValue.EMPTY_JSON_OBJECT, b -> b.maxFrameBytes(FRAME));
        m.replica.start();
        return m;
    }

    private static Update set(String path, String value) {
        return Update.of(Json.createObjectBuilder().add("$set", Json.createObjectBuilder().add(path, value)).build());
    }

    private void awaitSame(Cluster.Member host, Cluster.Member client) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(client.replica.status().version()).isEqualTo(host.replica.status().version());
            assertThat(client.replica.view()).isEqualTo(host.replica.view());
            assertThat(client.replica.status().role()).isEqualTo(ReplicaStatus.Role.CLIENT);
        });
    }

    @Test
    void anEntryLargerThanAFrameTravelsInParts() throws Exception {
        cluster.net.maxFrameBytes = FRAME;
        Cluster.Member host = member();
        Cluster.Member client = member();
        // about 3.4 frames of effect, with characters that take 2 and 3 bytes and need escaping
        String big = "x\"é€".repeat(30_000);
        host.replica.submit(set("big", big), null).get(10, TimeUnit.SECONDS);
        awaitSame(host, client);
        assertThat(client.replica.view().getString("big")).isEqualTo(big);
        // and the client's own patches keep completing
        client.replica.submit(set("after", "ok"), null).get(10, TimeUnit.SECONDS);
        awaitSame(host, client);
        assertThat(cluster.net.oversized.get()).as("frames dropped for the limit").isZero();
    }

    @Test
    void aBatchLargerThanAFrameIsSplit() throws Exception {
        cluster.net.maxFrameBytes = FRAME;
        Cluster.Member host = member();
        Cluster.Member client = member();
        List<CompletableFuture<Outcome>> fs = new ArrayList<>();
        // submitted back to back, most of them are ordered before the next flush and go out in one batch
        for (int i = 0; i < 40; i++) {
            fs.add(host.replica.submit(set("k" + i, "v".repeat(4000)), null));
        }
        for (CompletableFuture<Outcome> f : fs) {
            f.get(10, TimeUnit.SECONDS);
        }
        awaitSame(host, client);
        assertThat(cluster.net.oversized.get()).isZero();
    }

    @Test
    void aWelcomeWithMoreMissingEntriesThanAFrameIsSplit() throws Exception {
        cluster.net.maxFrameBytes = FRAME;
        Cluster.Member host = member();
        Cluster.Member client = member();
        host.replica.submit(set("first", "1"), null).get(10, TimeUnit.SECONDS);
        awaitSame(host, client);
        // the client loses its connection and cannot reconnect while the host writes 5 frames' worth (and one
        // entry larger than a frame); its next host connection gets them as missing entries
        client.node.refuseConnects = true;
        cluster.net.disconnect(client.node);
        await().untilAsserted(() -> assertThat(client.replica.status().role()).isNotEqualTo(ReplicaStatus.Role.CLIENT));
        for (int i = 0; i < 5; i++) {
            host.replica.submit(set("m" + i, "w".repeat(60_000)), null).get(10, TimeUnit.SECONDS);
        }
        host.replica.submit(set("huge", "h".repeat(150_000)), null).get(10, TimeUnit.SECONDS);
        client.node.refuseConnects = false;
        awaitSame(host, client);
        assertThat(client.replica.view().getString("huge")).hasSize(150_000);
        assertThat(cluster.net.oversized.get()).isZero();
    }

    @Test
    void framesOfEntriesStayUnderTheLimitAndCarryEveryEntryInOrder() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            String value = (i % 7 == 0 ? "é" : "a").repeat(i % 10 == 0 ? 100_000 : 3000);
            entries.add(new Entry(1, i, "p", i, i, Json.createArrayBuilder().add(Json.createObjectBuilder()
                    .add("op", "add").add("path", "/k" + i).add("value", value)).build(), null, null,
                    List.of("k" + i), false));
        }
        List<String> frames = EntryFrames.frames(entries, FRAME);
        assertThat(frames).hasSizeGreaterThan(3);
        SnapshotChunks.Assembler parts = new SnapshotChunks.Assembler(1 << 24);
        List<Entry> back = new ArrayList<>();
        for (String f : frames) {
            assertThat(EntryFrames.utf8Bytes(f)).isLessThanOrEqualTo(FRAME);
            Frame.ToClient decoded = FrameCodec.decodeToClient(f);
            if (decoded instanceof Frame.Part p) {
                parts.acceptText(p.index(), p.count(), p.data())
                        .ifPresent(t -> back.addAll(((Frame.Entries) FrameCodec.decodeToClient(t)).entries()));
            } else {
                back.addAll(((Frame.Entries) decoded).entries());
            }
        }
        assertThat(back).isEqualTo(entries);
    }
}
