package io.memsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.memsync.it.cdi.CartApp;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CDI applications across processes: each JVM is a CDI application ({@link io.memsync.it.cdi.CdiPeer}: Weld SE
 * mains and a Helidon MP server) that uses memsync only through {@code @Inject @Shared SharedObject},
 * {@code @Observes @Shared MemSyncChange/MemSyncEvent} and {@code @RpcMethod}, configured by MicroProfile Config.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CdiProcessTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String CONFIG = "-Dmemsync." + CartApp.NAME + ".";

    @RegisterExtension
    final Peers peers = new Peers();

    /** Lines an application printed, kept from launch on. */
    private static List<String> record(PeerProcess p) {
        List<String> lines = new CopyOnWriteArrayList<>();
        p.onLine(lines::add);
        return lines;
    }

    private static boolean saw(List<String> lines, String prefix, String... fragments) {
        return lines.stream().anyMatch(l -> l.startsWith(prefix) && List.of(fragments).stream().allMatch(l::contains));
    }

    /**
     * One network of three CDI applications through its life: observers, RPC and events across them, then the
     * host application's {@code kill -9}. (One test, as starting three containers is most of its time.)
     */
    @Test
    void threeCdiApplicationsObserveCallAndEmitAcrossProcessesAndSurviveTheHostsKill9() throws Exception {
        PeerProcess host = peers.launchCdi("weld-host", "-Dmemsync.it.runtime=weld",
                CONFIG + "data={\"items\":[],\"n\":0}", CONFIG + "timeout=30s", CONFIG + "recovery-wait=1s");
        PeerProcess clerk = peers.launchCdi("weld-clerk", "-Dmemsync.it.runtime=weld", "-Dmemsync.it.clerk=true",
                CONFIG + "timeout=30s", CONFIG + "recovery-wait=1s");
        PeerProcess server = peers.launchCdi("helidon", "-Dmemsync.it.runtime=helidon", CONFIG + "timeout=30s",
                CONFIG + "recovery-wait=1s");
        List<String> hostLines = record(host);
        List<String> serverLines = record(server);
        List<String> clerkLines = record(clerk);
        assertThat(host.call("status").getString("role")).isEqualTo("HOST");
        assertThat(server.call("status").getString("role")).isEqualTo("CLIENT");

        // a patch made through the injected object of one application reaches the observers of the others
        clerk.call("patch {\"$push\":{\"items\":\"apple\"},\"$inc\":{\"n\":1}}");
        await().atMost(WAIT).until(() -> saw(hostLines, "! change CONFIRMED REMOTE", "apple")
                && saw(serverLines, "! change CONFIRMED REMOTE", "apple"));
        server.call("patch {\"$push\":{\"items\":\"pear\"}}");
        await().atMost(WAIT).until(() -> saw(hostLines, "! change CONFIRMED REMOTE", "pear")
                && saw(clerkLines, "! change CONFIRMED REMOTE", "pear"));
        host.call("patch {\"$set\":{\"host\":\"was here\"}}");

        // an @RpcMethod of one application, called from the two others
        assertThat(server.call("call clerk [\"helidon\"]").getJsonObject("result").getJsonNumber("pid").longValue())
                .isEqualTo(clerk.pid());
        assertThat(host.call("call clerk [\"host\"]").getJsonObject("result").getString("for")).isEqualTo("host");

        // events both ways, to @Observes MemSyncEvent
        host.call("emit greeting {\"from\":\"weld\"}");
        server.call("emit greeting {\"from\":\"helidon\"}");
        await().atMost(WAIT).until(() -> saw(serverLines, "! event greeting REMOTE", "weld")
                && saw(hostLines, "! event greeting REMOTE", "helidon")
                && saw(clerkLines, "! event greeting REMOTE", "weld") && saw(clerkLines, "! event greeting REMOTE", "helidon"));

        host.kill9();

        // the injected objects and observers follow the new host
        JsonObject after = clerk.call("patch {\"$set\":{\"after\":\"clerk\"}}");
        assertThat(after.getInt("term")).isGreaterThan(1);
        await().atMost(WAIT).until(() -> saw(serverLines, "! change CONFIRMED REMOTE", "\"after\":\"clerk\""));
        assertThat(server.call("call clerk [\"after the kill\"]").getJsonObject("result").getJsonNumber("pid").longValue())
                .isEqualTo(clerk.pid());
        server.call("emit farewell {\"from\":\"helidon\"}");
        await().atMost(WAIT).until(() -> saw(clerkLines, "! event farewell REMOTE", "helidon"));

        // the surviving Helidon server's JAX-RS resource shows the writes made before the kill and after it
        int port = server.call("port").getInt("port");
        HttpResponse<String> get = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/memsync/" + CartApp.NAME)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(200);
        JsonObject doc = Json.createReader(new StringReader(get.body())).readObject();
        assertThat(doc.getJsonArray("items").toString()).isEqualTo("[\"apple\",\"pear\"]");
        assertThat(doc.getInt("n")).isEqualTo(1);
        assertThat(doc.getString("host")).isEqualTo("was here");
        assertThat(doc.getString("after")).isEqualTo("clerk");
    }
}
