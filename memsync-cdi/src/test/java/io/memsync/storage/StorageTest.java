package io.memsync.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.memsync.MemSyncException;

/** Finding a provider by location, and the checks of names, locations and options. */
class StorageTest {
    @TempDir
    Path dir;

    @Test
    void plainPathsAndFileUrisOpenTheFileStoreInAFolderPerName() {
        try (Store a = Storage.open(dir.toString(), "doc", StoreOptions.defaults());
             Store b = Storage.open(dir.toUri().toString(), "other", StoreOptions.defaults())) {
            assertThat(a.describe()).isEqualTo("file:" + dir.resolve("doc"));
            assertThat(b.describe()).isEqualTo("file:" + dir.resolve("other"));
        }
        assertThat(Storage.locationUri("relative/data").getScheme()).isEqualTo("file");
    }

    @Test
    void anUnknownSchemeListsTheProvidersFound() {
        assertThatThrownBy(() -> Storage.open("s3://bucket/p", "doc", StoreOptions.defaults())).isInstanceOf(MemSyncException.class)
                .hasMessageContaining("no storage provider for scheme 's3'").hasMessageContaining("[file]")
                .hasMessageContaining("memsync-storage-s3")
                .extracting(e -> ((MemSyncException) e).code()).isEqualTo(MemSyncException.ERR_CONFIG);
    }

    @Test
    void badNamesAndLocationsAreRefused() {
        for (String name : new String[] {"", "../x", ".hidden", "a/b", "-x"}) {
            assertThatThrownBy(() -> Storage.open(dir.toString(), name, StoreOptions.defaults())).isInstanceOf(MemSyncException.class)
                    .hasMessageContaining("store name '" + name + "'");
        }
        assertThatThrownBy(() -> Storage.open(" ", "doc", StoreOptions.defaults())).hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> Storage.open("file://host/x", "doc", StoreOptions.defaults())).hasMessageContaining("neither a host nor a query");
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> StoreOptions.builder().snapshotEveryEntries(0)).hasMessageContaining("snapshotEveryEntries must be at least 1");
        assertThatThrownBy(() -> StoreOptions.builder().segmentBytes(10)).hasMessageContaining("segmentBytes must be at least 4096");
        assertThatThrownBy(() -> StoreOptions.builder().durability(null)).hasMessageContaining("NONE, BATCH or ALWAYS");
        assertThatThrownBy(() -> StoreOptions.builder().batchWindow(java.time.Duration.ZERO)).hasMessageContaining("batchWindow");
        assertThatThrownBy(() -> new LogRecord(1, 0, new byte[0])).hasMessageContaining("version >= 1");
        assertThat(StoreOptions.defaults().durability()).isEqualTo(Durability.BATCH);
        assertThat(StoreOptions.defaults().batchWindow()).hasMillis(10);
    }
}
