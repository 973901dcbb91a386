package io.memsync.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.memsync.MemSyncException;

/** Import of the Node.js memsync persistence file into a store's first snapshot. */
class NodeFileImportTest {
    @TempDir
    Path dir;

    private Path file(String json) throws Exception {
        Path f = dir.resolve("persistence.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void readsVersionTimestampAndData() throws Exception {
        NodeFileImport.NodeDocument d = NodeFileImport.read(file(
                "{\"version\": 42, \"timestamp\": 1700000000000, \"data\": {\"foo\": 1, \"qux\": [\"one\", \"two\"]}}"));
        assertThat(d.version()).isEqualTo(42);
        assertThat(d.timestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(d.data().getInt("foo")).isEqualTo(1);
        assertThat(d.data().getJsonArray("qux")).hasSize(2);
    }

    @Test
    void onlyDataIsRequired() throws Exception {
        NodeFileImport.NodeDocument d = NodeFileImport.read(file("{\"data\": {}}"));
        assertThat(d.version()).isEqualTo(1);
        assertThat(d.timestamp()).isZero();
    }

    @Test
    void importsIntoAnEmptyStoreAsTheFirstSnapshotAndTheLogContinuesAfterIt() throws Exception {
        Path f = file("{\"version\": 7, \"timestamp\": 5, \"data\": {\"foo\": 2}}");
        try (Store s = Storage.open(dir.resolve("stores").toString(), "foo", StoreOptions.defaults())) {
            SnapshotRecord snap = NodeFileImport.importInto(s, f, doc -> doc.data().toString().getBytes(StandardCharsets.UTF_8));
            assertThat(snap.term()).isZero();
            assertThat(snap.version()).isEqualTo(7);
            s.append(new LogRecord(1, 8, new byte[] {1})).join();
        }
        try (Store s = Storage.open(dir.resolve("stores").toString(), "foo", StoreOptions.defaults())) {
            LoadedState l = s.load();
            assertThat(new String(l.snapshot().orElseThrow().state(), StandardCharsets.UTF_8)).isEqualTo("{\"foo\":2}");
            assertThat(l.tail()).extracting(LogRecord::version).containsExactly(8L);
            // never over existing state
            assertThatThrownBy(() -> NodeFileImport.importInto(s, f, doc -> new byte[0])).isInstanceOf(MemSyncException.class)
                    .hasMessageContaining("already holds state up to (term 1, version 8)")
                    .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_CONFIG);
        }
    }

    @Test
    void badFilesNameTheFileAndTheProblem() throws Exception {
        assertThatThrownBy(() -> NodeFileImport.read(file("not json"))).isInstanceOf(MemSyncException.class)
                .hasMessageContaining("persistence.json").extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_IO);
        assertThatThrownBy(() -> NodeFileImport.read(file("{\"data\": [1]}"))).isInstanceOf(MemSyncException.class)
                .hasMessageContaining("has no \"data\" object (found array)");
        assertThatThrownBy(() -> NodeFileImport.read(file("{\"version\": \"x\", \"data\": {}}"))).isInstanceOf(MemSyncException.class)
                .hasMessageContaining("\"version\" must be an integer");
        assertThatThrownBy(() -> NodeFileImport.read(file("{\"version\": 0, \"data\": {}}"))).isInstanceOf(MemSyncException.class)
                .hasMessageContaining("\"version\" must be a positive integer");
        assertThatThrownBy(() -> NodeFileImport.read(dir.resolve("missing.json"))).isInstanceOf(MemSyncException.class)
                .hasMessageContaining("missing.json");
    }
}
