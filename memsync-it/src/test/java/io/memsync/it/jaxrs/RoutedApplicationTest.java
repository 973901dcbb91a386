package io.memsync.it.jaxrs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.helidon.config.mp.MpConfigSources;
import io.helidon.microprofile.testing.AddBean;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import io.memsync.Shared;
import io.memsync.SharedObject;
import io.memsync.jaxrs.SharedObjectResource;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application whose context root Helidon takes from its configuration ({@code <class>.routing-path.path}) rather
 * than from its {@code @ApplicationPath}: the inspector URL recorded at startup, if any, is one that serves the page.
 */
@HelidonTest
@AddBean(RoutedApplicationTest.RoutedApp.class)
@AddBean(value = RoutedApplicationTest.RoutedDoc.class, scope = RequestScoped.class)
class RoutedApplicationTest {
    static final String NAME = "jaxrs-routed";

    /** Declares {@code /declared}; configured to serve at {@code /routed}. */
    @ApplicationPath("declared")
    public static class RoutedApp extends Application {
    }

    /** {@code <root>/doc} serves {@code @Shared("jaxrs-routed")}. */
    @jakarta.ws.rs.Path("/doc")
    public static class RoutedDoc extends SharedObjectResource {
        @Inject
        @Shared(NAME)
        SharedObject<JsonObject> doc;

        @Override
        protected SharedObject<?> shared() {
            return doc;
        }
    }

    @Inject
    WebTarget target;

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> c = new HashMap<>();
        c.put("memsync." + NAME + ".data", "{\"routed\":true}");
        c.put("memsync." + NAME + ".rendezvous.dir", TestRendezvous.dir().toString());
        c.put("memsync." + NAME + ".timeout", "20s");
        c.put(RoutedApp.class.getName() + ".routing-path.path", "/routed");
        return MpConfigSources.create("memsync-jaxrs-routed-test", c);
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void anInspectorUrlRecordedAtStartupServesThePage() throws Exception {
        // read before any request of the page (the first one records the URL as requested)
        Path file = TestRendezvous.dir().resolve(NAME).resolve("http-" + ProcessHandle.current().pid() + "-jaxrs.json");
        String recorded = Files.exists(file) ? Files.readString(file) : null;

        URI served = URI.create("http://127.0.0.1:" + target.getUri().getPort() + "/routed/doc/_inspector");
        assertThat(get(served).statusCode()).as("Helidon serves the application at its configured path").isEqualTo(200);
        if (recorded != null) {
            String inspector = Http.json(recorded).asJsonObject().getString("inspector");
            assertThat(get(URI.create(inspector)).statusCode()).as("recorded at startup: " + inspector).isEqualTo(200);
        }
        assertThat(Http.json(Files.readString(file)).asJsonObject().getString("inspector"))
                .as("recorded by the request of the page").isEqualTo(served.toString());
    }
}
