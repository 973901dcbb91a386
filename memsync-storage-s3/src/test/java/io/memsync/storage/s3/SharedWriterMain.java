package io.memsync.storage.s3;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.memsync.Durability;
import io.memsync.MemSync;
import io.memsync.PatchResult;
import io.memsync.SharedObject;
import io.memsync.Status;
import io.memsync.Update;

import jakarta.json.JsonObject;

/**
 * Child process of {@link S3PersistenceTest}: {@code <storage location> <rendezvous folder> <name>} starts a shared
 * object with {@code storage(location)} and {@code durability(ALWAYS)} through the public API, prints
 * {@code ready <term> <version> <n>}, then increments {@code n} one {@code $inc} at a time, printing
 * {@code ack <n> <term> <version>} after each acknowledgement, until it is killed.
 */
public final class SharedWriterMain {
    private SharedWriterMain() {
    }

    /**
     * Entry point.
     *
     * @param args location, rendezvous folder, name
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        SharedObject<JsonObject> shared = MemSync.builder(args[2]).rendezvous(Path.of(args[1])).storage(args[0])
                .durability(Durability.ALWAYS).data("{\"n\":0}").timeout(Duration.ofSeconds(30)).start();
        Status s = shared.status();
        out.println("ready " + s.term() + " " + s.version() + " " + shared.read("n", Long.class));
        for (long i = 1; ; i++) {
            PatchResult r = shared.patch(Update.inc("n", 1)).toCompletableFuture().join();
            out.println("ack " + shared.read("n", Long.class) + " " + r.term() + " " + r.version());
        }
    }
}
