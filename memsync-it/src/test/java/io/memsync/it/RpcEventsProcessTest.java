package io.memsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RPC and the event bus across real JVM processes. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RpcEventsProcessTest {
    static final String NAME = "it-rpc";
    static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final Peers peers = new Peers();

    @Test
    void aHandlerInOneClientIsCalledFromAnotherClientAndFromTheHost() throws Exception {
        PeerProcess host = peers.launch("H");
        PeerProcess a = peers.launch("A");
        PeerProcess b = peers.launch("B");
        host.call("start " + NAME);
        a.call("start " + NAME);
        b.call("start " + NAME + " rpc");

        assertThat(a.call("call echo [1,\"two\",{\"three\":3}]").get("result"))
                .isEqualTo(Json.createReader(new StringReader("[1,\"two\",{\"three\":3}]")).readArray());
        assertThat(host.call("call pid").getJsonNumber("result").longValue()).isEqualTo(b.pid());
        assertThat(a.call("call pid").getJsonNumber("result").longValue()).isEqualTo(b.pid());

        String failed = a.send("call fail [42]").get(30, TimeUnit.SECONDS);
        assertThat(failed).startsWith("err ERR_RPC_FAILED").contains("java.lang.IllegalStateException")
                .contains("failed on purpose");
        assertThat(a.send("call nobody-has-this").get(30, TimeUnit.SECONDS)).startsWith("err ERR_RPC_NOT_FOUND");
    }

    @Test
    void aCallTimesOutAndACallToAKilledProcessFailsPromptly() throws Exception {
        PeerProcess host = peers.launch("H");
        PeerProcess caller = peers.launch("A");
        PeerProcess server = peers.launch("B");
        CountDownLatch hanging = new CountDownLatch(2);
        server.onLine(l -> {
            if (l.equals("! hanging")) {
                hanging.countDown();
            }
        });
        host.call("start " + NAME);
        // the short timeout is for the call below; on a loaded machine a join may need longer than 1.5 s, and a
        // start that timed out is retried (it leaves nothing behind) until the caller is a member
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
                .until(() -> caller.send("start " + NAME + " timeout=1500").get(30, TimeUnit.SECONDS).startsWith("ok "));
        server.call("start " + NAME + " rpc");

        assertThat(caller.send("call hang").get(30, TimeUnit.SECONDS)).startsWith("err ERR_TIMEOUT");

        PeerProcess patient = peers.launch("P");
        patient.call("start " + NAME + " timeout=60000");
        CompletableFuture<String> pending = patient.send("call hang");
        assertThat(hanging.await(30, TimeUnit.SECONDS)).as("the second call reached the handler").isTrue();
        assertThat(pending).as("still waiting for the hung handler").isNotDone();
        long killedAt = System.nanoTime();
        server.kill9();
        String outcome = pending.get(30, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(outcome).startsWith("err ERR_RPC_PEER_GONE");
        System.out.println("call failed " + tookMs + " ms after the serving process was killed (timeout 60 s)");
        assertThat(tookMs).as("fails promptly, not at the 60 s timeout").isLessThan(30_000);
    }

    @Test
    void everyProcessReceivesEveryEventInPerEmitterOrder() throws Exception {
        List<PeerProcess> net = new ArrayList<>();
        Map<Long, List<String>> received = new ConcurrentHashMap<>();
        for (String label : List.of("H", "A", "B")) {
            PeerProcess p = peers.launch(label);
            List<String> mine = new CopyOnWriteArrayList<>();
            received.put(p.pid(), mine);
            p.onLine(l -> {
                if (l.startsWith("! event tick ")) {
                    mine.add(l.substring("! event tick ".length()));
                }
            });
            p.call("start " + NAME);
            p.call("listen tick");
            net.add(p);
        }
        List<CompletableFuture<String>> emits = net.stream().map(p -> p.send("emit tick 1000")).toList();
        for (CompletableFuture<String> e : emits) {
            assertThat(e.get(60, TimeUnit.SECONDS)).startsWith("ok");
        }
        await().atMost(WAIT).untilAsserted(() -> received.values()
                .forEach(list -> assertThat(list).hasSize(3000)));
        for (List<String> list : received.values()) {
            Map<String, Integer> lastByEmitter = new ConcurrentHashMap<>();
            for (String payload : list) {
                JsonObject o = Json.createReader(new StringReader(payload)).readObject();
                int previous = lastByEmitter.getOrDefault(o.getString("from"), -1);
                assertThat(o.getInt("i")).as("per-emitter order").isEqualTo(previous + 1);
                lastByEmitter.put(o.getString("from"), o.getInt("i"));
            }
            assertThat(lastByEmitter).hasSize(3).allSatisfy((k, v) -> assertThat(v).isEqualTo(999));
        }
    }
}
