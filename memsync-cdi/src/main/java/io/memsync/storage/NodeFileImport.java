package io.memsync.storage;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

import io.memsync.MemSyncException;
import io.memsync.document.JsonProviders;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * Imports the persistence file of the original Node.js memsync ({@code options.file.path}): one JSON object
 * {@code {"version": n, "timestamp": ms, "data": {…}}}, of which only {@code data} is required.
 *
 * <p>The document becomes a snapshot at term 0 and the file's version (1 when it has none), so the log continues
 * at the next version and every later term is higher. The replication core owns the snapshot's state format, so
 * the caller turns the imported document into state bytes (with an empty exactly-once table).
 */
public final class NodeFileImport {

    private NodeFileImport() {
    }

    /**
     * The content of a Node memsync file.
     *
     * @param data      the document
     * @param version   its version ({@code >= 1})
     * @param timestamp the time of its last change in epoch milliseconds, or {@code 0} when absent
     */
    public record NodeDocument(JsonObject data, long version, long timestamp) {
        /** Checks for null. */
        public NodeDocument {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * Reads a Node memsync file.
     *
     * @param file the file
     * @return its content
     * @throws MemSyncException {@link MemSyncException#ERR_IO} when it cannot be read, is not JSON, or has no
     *                          {@code data} object or a {@code version} that is not a positive integer (the message
     *                          names the file and the member)
     */
    public static NodeDocument read(Path file) {
        JsonObject root;
        try (JsonReader r = JsonProviders.JSON.createReader(new StringReader(Files.readString(file, StandardCharsets.UTF_8)))) {
            root = r.readObject();
        } catch (IOException | JsonException | IllegalStateException e) {
            throw new MemSyncException(MemSyncException.ERR_IO, "cannot import Node memsync file " + file + ": " + e.getMessage(), e);
        }
        JsonValue data = root.get("data");
        if (data == null || data.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new MemSyncException(MemSyncException.ERR_IO, "cannot import Node memsync file " + file
                    + ": it has no \"data\" object (found " + (data == null ? "nothing" : data.getValueType().toString().toLowerCase()) + ")");
        }
        long version = number(root, "version", 1, file);
        if (version < 1) {
            throw new MemSyncException(MemSyncException.ERR_IO, "cannot import Node memsync file " + file
                    + ": \"version\" must be a positive integer, was " + version);
        }
        return new NodeDocument(data.asJsonObject(), version, number(root, "timestamp", 0, file));
    }

    private static long number(JsonObject root, String member, long absent, Path file) {
        JsonValue v = root.get(member);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return absent;
        }
        if (!(v instanceof JsonNumber n) || !n.isIntegral()) {
            throw new MemSyncException(MemSyncException.ERR_IO, "cannot import Node memsync file " + file + ": \"" + member
                    + "\" must be an integer, was " + v);
        }
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            throw new MemSyncException(MemSyncException.ERR_IO, "cannot import Node memsync file " + file + ": \"" + member
                    + "\" is out of range: " + v, e);
        }
    }

    /**
     * Imports a Node memsync file into an empty store as its first snapshot.
     *
     * @param store   the store, holding nothing yet
     * @param file    the Node file
     * @param encoder turns the imported document into the core's snapshot state bytes
     * @return the snapshot written
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when the store already holds state (an import
     *                          never overwrites), {@link MemSyncException#ERR_IO} as {@link #read(Path)} and when
     *                          the snapshot cannot be written
     */
    public static SnapshotRecord importInto(Store store, Path file, Function<NodeDocument, byte[]> encoder) {
        LoadedState loaded = store.load();
        if (!loaded.isEmpty()) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "cannot import " + file + " into store " + store.describe()
                    + ": it already holds state up to (term " + loaded.lastTerm() + ", version " + loaded.lastVersion() + ")");
        }
        NodeDocument doc = read(file);
        SnapshotRecord snapshot = new SnapshotRecord(0, doc.version(), Objects.requireNonNull(encoder.apply(doc), "encoded state"));
        store.writeSnapshot(snapshot);
        return snapshot;
    }
}
