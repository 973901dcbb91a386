package io.memsync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every command of the real {@code ./memsync} launcher (and so the shaded jar, in its own JVM) against a host JVM:
 * outputs, and the exit codes 0 (done), 1 (refused, {@code ERR_…} on stderr) and 2 (usage).
 */
class CliEndToEndTest {
    @RegisterExtension
    final Processes procs = new Processes();

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text.trim())).readObject();
    }

    @Test
    void lsListsTheNamesWithHostPidTermVersionAndPeers() throws Exception {
        Processes.Host host = procs.host("alpha", "{\"n\":1}");
        var plain = procs.cli("ls");
        assertThat(plain.exit()).as(plain.toString()).isZero();
        assertThat(plain.out()).contains("NAME").containsPattern("alpha\\s+" + host.pid() + "\\s+1\\s+0\\s+1");
        var js = procs.cli("--json", "ls");
        JsonObject row = json(js.out());
        assertThat(row.getString("name")).isEqualTo("alpha");
        assertThat(row.getJsonNumber("hostPid").longValue()).isEqualTo(host.pid());
        assertThat(row.getInt("term")).isEqualTo(1);
        assertThat(row.getInt("peers")).isEqualTo(1);

        host.send("patch {\"$inc\":{\"n\":1}}");
        host.send("patch {\"$inc\":{\"n\":1}}");
        // first the recorded view: a joining ls is a member coming and going, which the host records
        JsonObject recorded = json(procs.cli("--json", "ls", "--recorded").out());
        assertThat(recorded.getInt("version")).as("--recorded: the host record, written when members came or went")
                .isZero();
        assertThat(recorded.getString("source")).isEqualTo("record");
        assertThat(procs.cli("ls", "--recorded").out()).containsPattern("alpha\\s+" + host.pid() + "\\s+1\\s+0\\s+1");
        JsonObject current = json(procs.cli("--json", "ls").out());
        assertThat(current.getInt("version")).as("ls asks the network: " + current).isEqualTo(2);
        assertThat(current.getInt("peers")).as("the host, not the ls itself").isEqualTo(1);
        assertThat(current.getString("source")).isEqualTo("network");
        host.send("patch {\"$inc\":{\"n\":1}}");
        assertThat(procs.cli("ls").out()).containsPattern("alpha\\s+" + host.pid() + "\\s+1\\s+3\\s+1\\n");
        assertThat(json(procs.cli("--json", "ls", "--live").out()).getInt("version")).as("--live: still accepted")
                .isEqualTo(3);
    }

    @Test
    void lsAsksSeveralNetworksAtOnceAndKeepsTheRecordedFiguresOfOneThatDoesNotAnswerInTime() throws Exception {
        int n = NetworkCommands.Ls.MAX_JOINS + 1;
        List<Processes.Host> hosts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Processes.Host h = procs.host("many-" + i, "{\"n\":0}");
            for (int k = 0; k < i; k++) {
                h.send("patch {\"$inc\":{\"n\":1}}");
            }
            hosts.add(h);
        }
        // one of the first joined: asked one after the other, the networks after it would get no time left
        int p = 1;
        Processes.Host paused = hosts.get(p);
        new ProcessBuilder("kill", "-STOP", Long.toString(paused.pid())).start().waitFor(); // holds its lock, answers nothing
        try {
            var ls = procs.cli("--json", "--timeout", "5s", "ls");
            assertThat(ls.exit()).as(ls.toString()).isZero();
            List<JsonObject> rows = ls.out().lines().map(CliEndToEndTest::json).toList();
            assertThat(rows).hasSize(n);
            for (int i = 0; i < n; i++) {
                JsonObject row = rows.get(i);
                assertThat(row.getString("name")).isEqualTo("many-" + i);
                if (i != p) {
                    assertThat(row.getInt("version")).as(row.toString()).isEqualTo(i);
                    assertThat(row.getString("source")).as(row.toString()).isEqualTo("network");
                    assertThat(row.getJsonNumber("hostPid").longValue()).isEqualTo(hosts.get(i).pid());
                }
            }
            JsonObject stale = rows.get(p);
            assertThat(stale.getBoolean("hosted")).as("its lock is held: " + stale).isTrue();
            assertThat(stale.getString("source")).isEqualTo("record");
            assertThat(stale.getInt("version")).as("as recorded, not its current " + p).isZero();
            assertThat(stale.getString("note")).isNotBlank();
            assertThat(procs.cli("--timeout", "5s", "ls").out()).contains("(recorded figures: ");
        } finally {
            new ProcessBuilder("kill", "-CONT", Long.toString(paused.pid())).start().waitFor();
        }
    }

    @Test
    void getPrintsTheDocumentPrettyRawOrAPathAndRefusesWhatIsNotThere() throws Exception {
        procs.host("doc", "{\"n\":1,\"list\":[\"a\",\"b\"],\"o\":{\"k\":true}}");
        var pretty = procs.cli("get", "doc");
        assertThat(pretty.exit()).as(pretty.toString()).isZero();
        assertThat(pretty.out()).isEqualTo("{\n  \"n\": 1,\n  \"list\": [\n    \"a\",\n    \"b\"\n  ],\n  \"o\": {\n    \"k\": true\n  }\n}\n");
        assertThat(procs.cli("get", "doc", "--raw").out()).isEqualTo("{\"n\":1,\"list\":[\"a\",\"b\"],\"o\":{\"k\":true}}\n");
        assertThat(procs.cli("get", "doc", "list.1").out()).isEqualTo("\"b\"\n");
        assertThat(procs.cli("get", "doc", "o").out()).isEqualTo("{\n  \"k\": true\n}\n");

        var missing = procs.cli("get", "doc", "nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("ERR_NOT_FOUND: ").contains("nope");
        var noHost = procs.cli("get", "nobody");
        assertThat(noHost.exit()).isEqualTo(1);
        assertThat(noHost.err()).startsWith("ERR_NO_HOST: ").contains("nobody");
        // the failed join took no lease: ls shows no host for it
        assertThat(procs.cli("ls").out()).containsPattern("nobody\\s+-\\s");
    }

    @Test
    void patchAppliesOperatorsJsonPatchMergePatchFromArgumentFileOrStdinWithPreconditions() throws Exception {
        Processes.Host host = procs.host("p", "{\"n\":1,\"state\":\"idle\"}");
        var inc = procs.cli("patch", "p", "{\"$inc\":{\"n\":2}}");
        assertThat(inc.exit()).as(inc.toString()).isZero();
        assertThat(inc.out()).isEqualTo("(1, 1)\n");
        var jp = procs.cli("--json", "patch", "p", "[{\"op\":\"add\",\"path\":\"/tags\",\"value\":[\"x\"]}]");
        assertThat(json(jp.out()).getInt("version")).isEqualTo(2);
        assertThat(json(jp.out()).getJsonArray("effect").toString()).isEqualTo("[{\"op\":\"add\",\"path\":\"/tags\",\"value\":[\"x\"]}]");
        Path file = procs.rendezvous().resolve("merge.json");
        Files.writeString(file, "{\"state\":null,\"m\":{\"a\":1}}");
        assertThat(procs.cli("patch", "p", "--merge", "@" + file).out()).isEqualTo("(1, 3)\n");
        assertThat(procs.cliWithInput("{\"$push\":{\"tags\":\"y\"}}", "patch", "p", "-").out()).isEqualTo("(1, 4)\n");

        var stale = procs.cli("patch", "p", "--if-version", "3", "{\"$set\":{\"n\":0}}");
        assertThat(stale.exit()).isEqualTo(1);
        assertThat(stale.err()).startsWith("ERR_PRECONDITION: ");
        // a refusal is ordered too (exactly-once), so it may take a version: ask for the current one
        int at = json(procs.cli("--json", "status", "p").out()).getInt("version");
        assertThat(procs.cli("patch", "p", "--if-version", Integer.toString(at), "{\"$set\":{\"n\":10}}").out())
                .isEqualTo("(1, " + (at + 1) + ")\n");
        var noMatch = procs.cli("patch", "p", "--if-match", "{\"n\":{\"$lt\":5}}", "{\"$set\":{\"n\":0}}");
        assertThat(noMatch.exit()).isEqualTo(1);
        assertThat(noMatch.err()).startsWith("ERR_PRECONDITION: ");
        assertThat(procs.cli("patch", "p", "--if-match", "{\"n\":10}", "{\"$inc\":{\"n\":1}}").exit()).isZero();
        var invalid = procs.cli("patch", "p", "{\"$inc\":{\"tags\":1}}");
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).startsWith("ERR_INVALID_PATCH: ");
        var notJson = procs.cli("patch", "p", "{nope");
        assertThat(notJson.exit()).isEqualTo(1);
        assertThat(notJson.err()).startsWith("ERR_INVALID_PATCH: ");
        var both = procs.cli("patch", "p", "--if-version", "1", "--if-match", "{}", "{\"$inc\":{\"n\":1}}");
        assertThat(both.exit()).as("--if-version and --if-match together").isEqualTo(2);

        String data = host.send("data");
        assertThat(json(data.substring(5))).isEqualTo(json("{\"n\":11,\"tags\":[\"x\",\"y\"],\"m\":{\"a\":1}}"));
    }

    @Test
    void aFullWriterCapRefusesPatchWithErrMaxWritersWhileReadersStillJoin() throws Exception {
        procs.host("cap", "{\"n\":1}", "maxWriters=1");
        var patch = procs.cli("patch", "cap", "{\"$inc\":{\"n\":1}}");
        assertThat(patch.exit()).isEqualTo(1);
        assertThat(patch.err()).startsWith("ERR_MAX_WRITERS: ");
        assertThat(procs.cli("get", "cap", "n").out()).isEqualTo("1\n");
    }

    @Test
    void watchPrintsOneJsonLinePerChangeWithVersionPathValueEffectAndOrigin() throws Exception {
        Processes.Host host = procs.host("w", "{\"a\":{\"x\":1},\"b\":0}");
        Process watch = procs.startCli("watch", "w", "a", "--count", "2");
        BlockingQueue<String> out = Processes.lines(watch.getInputStream());
        BlockingQueue<String> err = Processes.lines(watch.getErrorStream());
        assertThat(err.poll(60, TimeUnit.SECONDS)).startsWith("watching 'w' at a from version 0");
        host.send("patch {\"$inc\":{\"b\":1}}"); // not under a: not shown
        host.send("patch {\"$set\":{\"a.x\":2}}");
        host.send("patch {\"$set\":{\"a.y\":true}}");
        JsonObject first = json(out.poll(60, TimeUnit.SECONDS));
        assertThat(first.getInt("version")).isEqualTo(2);
        assertThat(first.getInt("term")).isEqualTo(1);
        assertThat(first.getString("path")).isEqualTo("a");
        assertThat(first.get("value")).isEqualTo(json("{\"x\":2}"));
        assertThat(first.getJsonArray("effect").toString()).isEqualTo("[{\"op\":\"replace\",\"path\":\"/a/x\",\"value\":2}]");
        assertThat(first.getString("origin")).isEqualTo("remote");
        assertThat(first.getString("state")).isEqualTo("confirmed");
        JsonObject second = json(out.poll(60, TimeUnit.SECONDS));
        assertThat(second.getInt("version")).isEqualTo(3);
        assertThat(watch.waitFor(60, TimeUnit.SECONDS)).as("watch --count 2 exits").isTrue();
        assertThat(watch.exitValue()).isZero();
    }

    @Test
    void watchFollowsAFailoverWithoutEverHosting() throws Exception {
        Processes.Host first = procs.host("fo", "{\"n\":0}");
        Processes.Host second = procs.host("fo", "{}"); // joins the first as a client, a writer
        Process watch = procs.startCli("watch", "fo", "n", "--count", "2");
        BlockingQueue<String> out = Processes.lines(watch.getInputStream());
        assertThat(Processes.lines(watch.getErrorStream()).poll(60, TimeUnit.SECONDS)).startsWith("watching 'fo'");
        second.send("patch {\"$inc\":{\"n\":1}}");
        assertThat(json(out.poll(60, TimeUnit.SECONDS)).getInt("term")).isEqualTo(1);

        first.process.destroyForcibly(); // kill -9 of the host: the writer takes over, the watcher only reconnects
        assertThat(first.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.send("patch {\"$inc\":{\"n\":1}}")).isEqualTo("OK");
        JsonObject after = json(out.poll(60, TimeUnit.SECONDS));
        assertThat(after.getInt("term")).isEqualTo(2);
        assertThat(after.get("value").toString()).isEqualTo("2");
        assertThat(json(procs.cli("--json", "ls").out()).getJsonNumber("hostPid").longValue())
                .as("the new host is the writer, not the watching command").isEqualTo(second.pid());
        assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void watchRunsUntilInterrupted() throws Exception {
        procs.host("w2", "{\"a\":1}");
        Process watch = procs.startCli("watch", "w2");
        BlockingQueue<String> err = Processes.lines(watch.getErrorStream());
        assertThat(err.poll(60, TimeUnit.SECONDS)).startsWith("watching 'w2'");
        new ProcessBuilder("kill", "-INT", Long.toString(watch.toHandle().descendants().findFirst()
                .map(ProcessHandle::pid).orElse(watch.pid()))).start().waitFor();
        assertThat(watch.waitFor(60, TimeUnit.SECONDS)).as("watch ends on Ctrl-C").isTrue();
    }

    @Test
    void callPrintsTheResultAndRefusesAnUnknownMethod() throws Exception {
        procs.host("rpc", "{}");
        assertThat(procs.cli("call", "rpc", "add", "2", "3").out()).isEqualTo("5\n");
        assertThat(procs.cli("--json", "call", "rpc", "echo", "hello", "{\"a\":1}", "[1]").out())
                .isEqualTo("[\"hello\",{\"a\":1},[1]]\n");
        var missing = procs.cli("call", "rpc", "nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("ERR_RPC_NOT_FOUND: ").contains("nope");
        var failing = procs.cli("call", "rpc", "add", "\"x\"", "1");
        assertThat(failing.exit()).isEqualTo(1);
        assertThat(failing.err()).startsWith("ERR_RPC_FAILED: ");
    }

    @Test
    void emitReachesTheOtherProcessesAndOnPrintsTheirEvents() throws Exception {
        Processes.Host host = procs.host("ev", "{}");
        assertThat(host.send("on ping")).isEqualTo("OK");
        var emit = procs.cli("emit", "ev", "ping", "{\"x\":1}");
        assertThat(emit.exit()).as(emit.toString()).isZero();
        assertThat(host.next(Duration.ofSeconds(60))).isEqualTo("EVENT ping {\"x\":1}");
        var badPayload = procs.cli("emit", "ev", "ping", "{x");
        assertThat(badPayload.exit()).isEqualTo(1);
        assertThat(badPayload.err()).startsWith("ERR_INVALID_JSON: ");

        Process on = procs.startCli("on", "ev", "pong", "--count", "1");
        BlockingQueue<String> out = Processes.lines(on.getInputStream());
        assertThat(Processes.lines(on.getErrorStream()).poll(60, TimeUnit.SECONDS)).startsWith("listening to 'pong'");
        host.send("emit other 1");
        host.send("emit pong [1,2]");
        assertThat(out.poll(60, TimeUnit.SECONDS)).isEqualTo("[1,2]");
        assertThat(on.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(on.exitValue()).isZero();
    }

    @Test
    void statusShowsTermVersionHostAndPeersWithTheirRoles() throws Exception {
        Processes.Host host = procs.host("st", "{\"n\":1}");
        host.send("patch {\"$inc\":{\"n\":1}}");
        var st = procs.cli("--json", "status", "st");
        assertThat(st.exit()).as(st.toString()).isZero();
        JsonObject s = json(st.out());
        assertThat(s.getInt("term")).isEqualTo(1);
        assertThat(s.getInt("version")).isEqualTo(1);
        assertThat(s.getJsonNumber("hostPid").longValue()).isEqualTo(host.pid());
        assertThat(s.getInt("writers")).isEqualTo(1);
        JsonObject peer = s.getJsonArray("peers").getJsonObject(0);
        assertThat(peer.getJsonNumber("pid").longValue()).isEqualTo(host.pid());
        assertThat(peer.getString("role")).isEqualTo("host");
        assertThat(peer.getBoolean("writer")).isTrue();
        assertThat(s.isNull("maxWriters")).as("no writer cap: " + s).isTrue();
        assertThat(procs.cli("status", "st").out()).startsWith("st: term 1, version 1, host pid " + host.pid())
                .contains("no writer cap").contains("host   writer");

        procs.host("st-cap", "{\"n\":1}", "maxWriters=2");
        var capped = procs.cli("--json", "status", "st-cap");
        assertThat(capped.exit()).as(capped.toString()).isZero();
        assertThat(json(capped.out()).getInt("maxWriters")).isEqualTo(2);
        assertThat(procs.cli("status", "st-cap").out()).contains("writer cap 2");
    }

    @Test
    void statusShowsTheUpdatesEachPeerHasPendingAsItLastReportedThem() throws Exception {
        Processes.Host host = procs.host("pend", "{\"n\":0}");
        Processes.Host writer = procs.host("pend", "{}"); // joins as a client, a writer
        JsonObject quiet = json(procs.cli("--json", "status", "pend").out());
        assertThat(pending(quiet, host.pid())).as("at rest: " + quiet).isZero();
        assertThat(pending(quiet, writer.pid())).as("at rest: " + quiet).isZero();
        assertThat(procs.cli("status", "pend").out()).containsPattern("pid " + writer.pid() + "\\s+client\\s+writer\\s+pending 0\\s");

        // the writer keeps 500 increments in flight: each acknowledgement it sends the host says how many wait there
        assertThat(writer.send("pipeline 500")).isEqualTo("OK");
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            JsonObject s = json(procs.cli("--json", "status", "pend").out());
            return pending(s, writer.pid()) > 0;
        });
        assertThat(procs.cli("status", "pend").out()).containsPattern("pid " + writer.pid() + "\\s+client\\s+writer\\s+pending \\d+");
        assertThat(writer.send("drain")).isEqualTo("OK");
        await().atMost(Duration.ofSeconds(120)).until(() -> pending(json(procs.cli("--json", "status", "pend").out()),
                writer.pid()) == 0);
        JsonObject after = json(procs.cli("--json", "status", "pend").out());
        assertThat(pending(after, host.pid())).isZero();
    }

    /** The {@code pending} of the peer with {@code pid} in a {@code status --json} answer. */
    private static int pending(JsonObject status, long pid) {
        for (JsonValue v : status.getJsonArray("peers")) {
            JsonObject p = v.asJsonObject();
            if (p.getJsonNumber("pid").longValue() == pid) {
                return p.getInt("pending");
            }
        }
        throw new AssertionError("no peer with pid " + pid + " in " + status);
    }

    @Test
    void exportAndImportRoundTripTheDocumentWithAProgressBarOnLargeOnes() throws Exception {
        Processes.Host host = procs.host("ex", "{\"keep\":1,\"drop\":2}");
        Path file = procs.rendezvous().resolve("ex.json");
        var export = procs.cli("export", "ex", file.toString());
        assertThat(export.exit()).as(export.toString()).isZero();
        assertThat(json(Files.readString(file))).isEqualTo(json("{\"keep\":1,\"drop\":2}"));

        Files.writeString(file, "{\"keep\":3,\"new\":[1]}");
        var imp = procs.cli("import", "ex", file.toString());
        assertThat(imp.exit()).as(imp.toString()).isZero();
        assertThat(json(host.send("data").substring(5))).isEqualTo(json("{\"keep\":3,\"new\":[1]}"));

        StringBuilder big = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 60_000; i++) {
            big.append(i == 0 ? "" : ",").append("\"item-").append(i).append("-0123456789\"");
        }
        big.append("]}");
        Path bigFile = procs.rendezvous().resolve("big.json");
        Files.writeString(bigFile, big, StandardCharsets.UTF_8);
        var bigImport = procs.cli("import", "ex", bigFile.toString());
        assertThat(bigImport.exit()).as(bigImport.toString()).isZero();
        assertThat(bigImport.err()).contains("import [####################] 100%");
        var bigExport = procs.cli("export", "ex", procs.rendezvous().resolve("big-out.json").toString());
        assertThat(bigExport.err()).contains("export [####################] 100%");
        assertThat(json(Files.readString(procs.rendezvous().resolve("big-out.json")))).isEqualTo(json(big.toString()));

        Files.writeString(file, "[1]");
        var notObject = procs.cli("import", "ex", file.toString());
        assertThat(notObject.exit()).isEqualTo(1);
        assertThat(notObject.err()).startsWith("ERR_INVALID_JSON: ");
    }

    @Test
    void usageErrorsExitWith2AndCompletionIsGenerated() throws Exception {
        var unknown = procs.cli("frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("frobnicate");
        assertThat(procs.cli("get").exit()).as("missing NAME").isEqualTo(2);
        assertThat(procs.cli("--timeout", "soon", "get", "x").exit()).isEqualTo(2);
        assertThat(procs.cli().exit()).as("no command").isEqualTo(2);
        var help = procs.cli("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("patch", "watch", "generate-completion");
        var completion = procs.cli("generate-completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("memsync");
        assertThat(JsonValue.NULL).isNotNull();
    }
}
