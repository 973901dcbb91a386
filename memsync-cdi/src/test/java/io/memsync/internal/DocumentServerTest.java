package io.memsync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import io.memsync.MemSync;
import io.memsync.SharedObject;

import org.junit.jupiter.api.Test;

/** The {@code server(port)} option: {@code GET /<name>} serves the document (moved here from SharedObjectTest). */
class DocumentServerTest {

    @Test
    void httpEndpointServesTheDocument() throws Exception {
        Path rendezvous = Files.createTempDirectory("memsync-test-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try (SharedObject<?> foo = MemSync.builder("http").rendezvous(rendezvous).timeout(Duration.ofSeconds(10))
                .data("{\"foo\":1}").server(0).start()) {
            int port = ((SharedObjectImpl<?>) foo).serverPort();
            HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/http")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.body()).isEqualTo("{\"foo\":1}");
        }
    }
}
