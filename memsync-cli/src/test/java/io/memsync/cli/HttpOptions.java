package io.memsync.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.memsync.MemSync;
import io.memsync.SharedObject;
import io.memsync.discovery.FileRendezvous;

import jakarta.json.Json;

/** The HTTP options of {@link TestHost}: {@code writable}, {@code token=<t>}. */
final class HttpOptions {
    private HttpOptions() {
    }

    static void apply(MemSync.Builder b, String option) {
        if (option.equals("writable")) {
            b.serverWritable(true);
        } else if (option.startsWith("token=")) {
            b.serverToken(option.substring(6));
        } else {
            throw new IllegalArgumentException("unknown option " + option);
        }
    }

    /** The port this process serves {@code so} on, from the endpoint file it published; -1 when it serves none. */
    static int port(SharedObject<?> so, Path base) throws IOException {
        Path dir = new FileRendezvous(so.name(), base).dir();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "http-" + ProcessHandle.current().pid() + "-*.json")) {
            for (Path f : ds) {
                String url = Json.createReader(new StringReader(Files.readString(f))).readObject().getString("url");
                return Integer.parseInt(url.replaceAll("^http://[^:]+:(\\d+)/.*$", "$1"));
            }
        }
        return -1;
    }
}
