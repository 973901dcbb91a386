package io.memsync.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import jakarta.json.JsonObjectBuilder;

/**
 * The endpoint files {@code http-<pid>-<key>.json} (mode 0600) in a name's rendezvous folder: where this process
 * serves the document and its inspector, and the write token when writing over HTTP is on. {@code memsync inspect}
 * and {@code memsync status} read them; only the user's own processes can (the folder is 0700).
 */
final class EndpointFiles {
    private static final System.Logger LOG = System.getLogger(EndpointFiles.class.getName());

    private EndpointFiles() {
    }

    /** Writes one file atomically; returns it, or {@code null} (logged) when it cannot be written. */
    static Path publish(EngineWiring wiring, String key, String url, String inspector, String token) {
        try {
            Path dir = wiring.rendezvousDir();
            long pid = ProcessHandle.current().pid();
            Path file = dir.resolve("http-" + pid + "-" + key.replaceAll("[^A-Za-z0-9_-]", "_") + ".json");
            JsonObjectBuilder b = JsonMapping.JSON.createObjectBuilder().add("pid", pid).add("url", url)
                    .add("inspector", inspector).add("writable", token != null);
            if (token != null) {
                b.add("token", token);
            }
            Path tmp = Files.createTempFile(dir, ".http-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, b.build().toString(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot publish the HTTP endpoint of '" + wiring.options().name()
                    + "' in its rendezvous folder (memsync inspect will not find it): " + e);
            return null;
        }
    }

    static void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "cannot delete " + file + ": " + e);
        }
    }
}
