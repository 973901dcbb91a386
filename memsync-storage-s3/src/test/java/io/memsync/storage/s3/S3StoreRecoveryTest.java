package io.memsync.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.memsync.MemSyncException;
import io.memsync.storage.Durability;
import io.memsync.storage.LoadedState;
import io.memsync.storage.LogRecord;
import io.memsync.storage.SnapshotRecord;
import io.memsync.storage.Storage;
import io.memsync.storage.Store;
import io.memsync.storage.StoreOptions;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What the S3 store recovers from and refuses: corrupt objects, a second writer, an unreachable or missing bucket. */
class S3StoreRecoveryTest {
    private static final StoreOptions ALWAYS = StoreOptions.builder().durability(Durability.ALWAYS).build();
    private static S3Server server;
    private static S3Client client;
    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3Server();
        client = server.client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        client.close();
        server.close();
    }

    @BeforeEach
    void freshBucket() {
        bucket = server.newBucket();
    }

    private Store open(StoreOptions options) {
        return Storage.open(server.location(bucket, "p"), "doc", options);
    }

    private static LogRecord rec(long term, long version) {
        return new LogRecord(term, version, ("entry " + version).getBytes(StandardCharsets.UTF_8));
    }

    private List<String> keys(String prefix) {
        return client.listObjectsV2(b -> b.bucket(bucket).prefix("p/doc/" + prefix)).contents().stream().map(S3Object::key).sorted().toList();
    }

    private byte[] get(String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    private void put(String key, byte[] bytes) {
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    @Test
    void aFlippedByteInASegmentCutsTheLogThereAndSetsTheOriginalAside() {
        try (Store s = open(ALWAYS)) {
            for (long v = 1; v <= 10; v++) {
                s.append(rec(1, v)).join(); // ALWAYS: one segment object per append here
            }
        }
        List<String> segments = keys("log/");
        assertThat(segments).hasSize(10);
        String seventh = segments.get(6);
        byte[] b = get(seventh);
        b[b.length - 1] ^= 0x20;
        put(seventh, b);
        try (Store s = open(ALWAYS)) {
            LoadedState l = s.load();
            assertThat(l.lastVersion()).isEqualTo(6);
            assertThat(l.cuts()).extracting(LoadedState.Cut::reason).first().asString().contains("checksum mismatch");
            // the segments after the gap cannot be applied: set aside too
            assertThat(l.cuts()).hasSize(1 + 3);
            s.append(rec(2, 7)).join();
        }
        assertThat(keys("cut/")).hasSize(4);
        try (Store s = open(ALWAYS)) {
            LoadedState l = s.load();
            assertThat(l.cuts()).isEmpty();
            assertThat(l.lastVersion()).isEqualTo(7);
            assertThat(l.tail().getLast()).isEqualTo(rec(2, 7));
        }
    }

    @Test
    void aTornSegmentObjectKeepsItsGoodPart() {
        try (Store s = open(StoreOptions.builder().durability(Durability.BATCH).build())) {
            for (long v = 1; v <= 5; v++) {
                s.append(rec(1, v));
            }
            s.flush(); // one or more objects, the last one ending with version 5
        }
        String last = keys("log/").getLast();
        byte[] b = get(last);
        put(last, java.util.Arrays.copyOf(b, b.length - 3));
        try (Store s = open(ALWAYS)) {
            LoadedState l = s.load();
            assertThat(l.lastVersion()).isEqualTo(4);
            assertThat(l.cuts()).singleElement().satisfies(c -> assertThat(c.reason()).contains("torn record"));
        }
        assertThat(keys("log/")).contains(last);
        assertThat(keys("cut/")).hasSize(1);
    }

    @Test
    void aCorruptNewestSnapshotFallsBackToThePreviousOne() {
        try (Store s = open(ALWAYS)) {
            for (long v = 1; v <= 30; v++) {
                s.append(rec(1, v)).join();
                if (v == 10 || v == 20) {
                    s.writeSnapshot(new SnapshotRecord(1, v, ("state@" + v).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        String newest = keys("snapshot/").getLast();
        assertThat(newest).contains(io.memsync.storage.log.StoreNames.snapshot(20, 1));
        byte[] b = get(newest);
        b[40] ^= 1;
        put(newest, b);
        try (Store s = open(ALWAYS)) {
            LoadedState l = s.load();
            assertThat(l.snapshot().orElseThrow().version()).isEqualTo(10);
            assertThat(l.tail()).hasSize(20);
            assertThat(l.tail().getFirst().version()).isEqualTo(11);
            assertThat(l.cuts()).singleElement().satisfies(c -> assertThat(c.reason()).contains("falling back"));
        }
        assertThat(keys("snapshot/")).doesNotContain(newest);
    }

    @Test
    void twoWritersCannotBothWriteOneSegment() throws Exception {
        try (Store a = open(ALWAYS); Store b = open(ALWAYS)) {
            a.load();
            b.load();
            a.append(rec(1, 1)).get(30, TimeUnit.SECONDS);
            CompletableFuture<Void> second = b.append(rec(2, 1));
            assertThatThrownBy(() -> second.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(MemSyncException.class)
                    .hasMessageContaining("already written by another process")
                    .hasMessageContaining("wal-00000000000000000001-00000000000000000000.log");
            assertThatThrownBy(() -> b.append(rec(2, 2))).isInstanceOf(MemSyncException.class)
                    .hasMessageContaining("failed earlier");
            a.append(rec(1, 2)).get(30, TimeUnit.SECONDS);
        }
        try (Store s = open(ALWAYS)) {
            assertThat(s.load().tail()).containsExactly(rec(1, 1), rec(1, 2));
        }
    }

    @Test
    void anUnreachableBucketIsAClearError() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String location = "s3://nowhere/p?endpoint=http://127.0.0.1:" + port + "&accessKeyId=a&secretAccessKey=b&timeout=3s";
        assertThatThrownBy(() -> Storage.open(location, "doc", ALWAYS)).isInstanceOf(MemSyncException.class)
                .hasMessageContaining("S3 bucket 'nowhere' at http://127.0.0.1:" + port + " is unreachable")
                .hasMessageNotContaining("secretAccessKey")
                .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_IO);
    }

    @Test
    void aBucketThatBecomesUnreachableFailsTheWaitingAppendsAndTheStore() throws Exception {
        S3Server own = new S3Server();
        Store s;
        try {
            String b = own.newBucket();
            s = Storage.open(own.location(b, "p") + "&timeout=2s", "doc", ALWAYS);
            s.append(rec(1, 1)).get(30, TimeUnit.SECONDS);
        } finally {
            own.close();
        }
        try {
            CompletableFuture<Void> lost = s.append(rec(1, 2));
            assertThatThrownBy(() -> lost.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(MemSyncException.class).hasMessageContaining("is unreachable")
                    .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_IO);
            assertThatThrownBy(() -> s.append(rec(1, 3))).isInstanceOf(MemSyncException.class)
                    .hasMessageContaining("failed earlier and takes no more writes");
        } finally {
            s.close();
        }
    }

    @Test
    void aMissingBucketIsAClearError() {
        assertThatThrownBy(() -> Storage.open(server.location("no-such-bucket", "p"), "doc", ALWAYS)).isInstanceOf(MemSyncException.class)
                .hasMessageContaining("S3 bucket 'no-such-bucket' does not exist")
                .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_IO);
    }

    @Test
    void badSettingsNameTheParameter() {
        assertThatThrownBy(() -> Storage.open("s3://b/p?endpointt=x", "doc", ALWAYS)).isInstanceOf(MemSyncException.class)
                .hasMessageContaining("unknown parameter 'endpointt'")
                .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_CONFIG);
        assertThatThrownBy(() -> Storage.open("s3://b/p?accessKeyId=only", "doc", ALWAYS)).isInstanceOf(MemSyncException.class)
                .hasMessageContaining("give both");
        assertThatThrownBy(() -> Storage.open("s3://b/p?timeout=soon", "doc", ALWAYS)).isInstanceOf(MemSyncException.class)
                .hasMessageContaining("timeout must be a positive duration");
    }

    @Test
    void settingsComeFromQueryThenPropertiesThenEnvironment() {
        java.util.Map<String, String> props = java.util.Map.of("memsync.s3.region", "eu-west-1", "memsync.s3.endpoint", "http://prop:1");
        java.util.Map<String, String> env = java.util.Map.of("MEMSYNC_S3_REGION", "ap-south-1", "MEMSYNC_S3_PATH_STYLE", "false",
                "MEMSYNC_S3_ACCESS_KEY_ID", "k", "MEMSYNC_S3_SECRET_ACCESS_KEY", "s");
        S3Settings s = S3Settings.of(java.net.URI.create("s3://bkt/a/b/?endpoint=http://query:2"), props::get, env::get);
        assertThat(s.bucket()).isEqualTo("bkt");
        assertThat(s.prefix()).isEqualTo("a/b");
        assertThat(s.endpoint()).hasToString("http://query:2");
        assertThat(s.region()).isEqualTo("eu-west-1");
        assertThat(s.pathStyle()).isFalse();
        assertThat(s.accessKeyId()).isEqualTo("k");
        assertThat(s.toString()).doesNotContain("s]").contains("credentials=given");
    }
}
