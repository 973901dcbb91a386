package io.memsync.storage;

import io.memsync.document.JsonProviders;
import java.io.IOException;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

import io.memsync.MemSyncException;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * The document persisted as one JSON file, replaced atomically (write to a temporary file in the same folder,
 * force it to disk, rename over the old one), so a crash leaves the old or the new document, never a torn one.
 */
public final class SnapshotFile {
    private final Path file;

    /**
     * Uses the given file; its folder is created when missing.
     *
     * @param file the file
     */
    public SnapshotFile(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    /**
     * The file.
     *
     * @return its absolute path
     */
    public Path path() {
        return file;
    }

    /**
     * Loads the persisted document.
     *
     * @return the document, or {@code null} when the file does not exist
     * @throws MemSyncException {@link MemSyncException#ERR_IO} when it exists but cannot be read or is not a JSON
     *                          object (naming the file)
     */
    public JsonObject load() {
        if (!Files.exists(file)) {
            return null;
        }
        try (JsonReader r = JsonProviders.JSON.createReader(new StringReader(Files.readString(file, StandardCharsets.UTF_8)))) {
            return r.readObject();
        } catch (IOException | JsonException e) {
            throw new MemSyncException(MemSyncException.ERR_IO, "cannot load persisted document " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the persisted document atomically.
     *
     * @param document the document
     * @throws MemSyncException {@link MemSyncException#ERR_IO} when it cannot be written
     */
    public void save(JsonObject document) {
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE);
                     Writer w = java.nio.channels.Channels.newWriter(channel, StandardCharsets.UTF_8)) {
                    w.write(document.toString());
                    w.flush();
                    channel.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new MemSyncException(MemSyncException.ERR_IO, "cannot persist document to " + file + ": " + e.getMessage(), e);
        }
    }
}
