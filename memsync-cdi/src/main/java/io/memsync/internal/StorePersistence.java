package io.memsync.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.memsync.MemSyncException;
import io.memsync.document.JsonProviders;
import io.memsync.replication.Persistence;
import io.memsync.storage.Durability;
import io.memsync.storage.LoadedState;
import io.memsync.storage.LogRecord;
import io.memsync.storage.NodeFileImport;
import io.memsync.storage.SnapshotRecord;
import io.memsync.storage.Storage;
import io.memsync.storage.Store;
import io.memsync.storage.StoreOptions;
import io.memsync.storage.file.FileStore;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * The replication core's {@link Persistence} over a storage {@link Store}: opened by each host when it takes over
 * (the store's lock passes from host to host), entries and snapshots handed through as opaque bytes, snapshots
 * written on a thread of their own so appends continue meanwhile. A regular file where the file store's folder
 * should be (the whole-document file of earlier versions, or a Node.js memsync file) is imported once. Internal to
 * memsync.
 */
final class StorePersistence implements Persistence {
    private static final System.Logger LOG = System.getLogger(StorePersistence.class.getName());

    private final String name;
    /** The file store's folder, or {@code null} when {@link #location} is used. */
    private final Path folder;
    private final String location;
    private final StoreOptions options;
    private Store store;
    private ExecutorService snapshots;

    /**
     * @param name       the shared object's name
     * @param folder     the file store's folder (the {@code file} option), or {@code null}
     * @param location   a storage location URI (when {@code folder} is {@code null})
     * @param durability the durability mode
     */
    StorePersistence(String name, Path folder, String location, io.memsync.Durability durability) {
        this.name = name;
        this.folder = folder == null ? null : folder.toAbsolutePath().normalize();
        this.location = location;
        this.options = StoreOptions.builder().durability(Durability.valueOf(durability.name())).build();
    }

    @Override
    public synchronized Stored open() {
        close();
        JsonObject imported = null;
        long importedVersion = 0;
        if (folder != null && Files.isRegularFile(folder)) {
            JsonObject root = readJson(folder);
            Path aside = folder.resolveSibling(folder.getFileName() + ".imported");
            if (isNodeFile(root)) {
                NodeFileImport.NodeDocument d = NodeFileImport.read(folder);
                imported = d.data();
                importedVersion = d.version();
            } else {
                imported = root;
            }
            try {
                Files.move(folder, aside);
            } catch (IOException e) {
                throw new MemSyncException(MemSyncException.ERR_IO, "cannot set " + folder + " aside as " + aside
                        + " to import it into the file store there: " + e.getMessage(), e);
            }
            LOG.log(System.Logger.Level.INFO, "'" + name + "': importing " + folder + " (now " + aside + ") into the file store "
                    + folder);
        }
        Store s = folder != null ? FileStore.open(folder, options) : Storage.open(location, name, options);
        LoadedState loaded;
        try {
            loaded = s.load();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        store = s;
        snapshots = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("memsync-" + name + "-snapshot").factory());
        List<byte[]> entries = new ArrayList<>(loaded.tail().size());
        loaded.tail().forEach(r -> entries.add(r.payload()));
        byte[] snap = loaded.snapshot().map(SnapshotRecord::state).orElse(null);
        if (imported != null && loaded.isEmpty()) {
            return new Stored(null, entries, imported, importedVersion);
        }
        return new Stored(snap, entries);
    }

    private static boolean isNodeFile(JsonObject root) {
        JsonValue data = root.get("data");
        return data != null && data.getValueType() == JsonValue.ValueType.OBJECT
                && Set.of("data", "version", "timestamp").containsAll(root.keySet());
    }

    private static JsonObject readJson(Path file) {
        try (JsonReader r = JsonProviders.JSON.createReader(new StringReader(Files.readString(file, StandardCharsets.UTF_8)))) {
            return r.readObject();
        } catch (IOException | JsonException | IllegalStateException e) {
            throw new MemSyncException(MemSyncException.ERR_IO, "cannot import " + file + " (a file where the store's folder"
                    + " should be): " + e.getMessage(), e);
        }
    }

    private synchronized Store store() {
        if (store == null) {
            throw new MemSyncException(MemSyncException.ERR_STOPPED, "the store of '" + name + "' is not open");
        }
        return store;
    }

    @Override
    public CompletableFuture<Void> append(long term, long version, byte[] entry) {
        try {
            return store().append(new LogRecord(term, version, entry));
        } catch (MemSyncException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public synchronized CompletableFuture<Void> snapshot(long term, long version, byte[] state) {
        Store s = store();
        return CompletableFuture.runAsync(() -> s.writeSnapshot(new SnapshotRecord(term, version, state)), snapshots);
    }

    @Override
    public boolean snapshotDue() {
        return store().snapshotDue();
    }

    @Override
    public void flush() {
        store().flush();
    }

    @Override
    public synchronized void close() {
        Store s = store;
        ExecutorService x = snapshots;
        store = null;
        snapshots = null;
        if (x != null) {
            x.shutdown();
            try {
                if (!x.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "'" + name + "': a snapshot write did not finish within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "'" + name + "': closing " + s.describe() + " failed: " + e.getMessage());
            }
        }
    }

    @Override
    public String describe() {
        Store s = store;
        return s != null ? s.describe() : folder != null ? "file:" + folder : location;
    }
}
