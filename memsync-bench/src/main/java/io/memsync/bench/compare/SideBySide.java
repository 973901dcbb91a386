package io.memsync.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import io.memsync.it.Peer;
import io.memsync.it.PeerProcess;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * memsync, Hazelcast's {@code ReplicatedMap} and {@code IMap} and JGroups' {@code ReplicatedHashMap} measured side by
 * side in one run, as a
 * user would measure them: every JVM of every system started with the same options (the JVM's defaults plus the
 * module flags Hazelcast asks for, unless {@code -Dbench.jvmOptions} adds some), every latency timed on the thread
 * that made the request. Run with {@code ./bench.sh compare [quick] [scenario…]}; scenarios: {@code pingpong}
 * (cold: rounds 500–3,500 of fresh JVMs; warm: 10,000 rounds after 20,000 more), {@code rpc}, {@code throughput}
 * (one writer pipelining, until every replica has the last value), {@code join} (a new replica of a 10 MB
 * document: time and heap), {@code failover} (stall after {@code kill -9} of memsync's host, of the Hazelcast member
 * owning the written key's partition, the writer a client or becoming host; not for JGroups, which has no owner).
 * {@code -Dbench.systems=a,b} runs only the systems named. Writes a table, JSON and a PNG chart to {@code -Dbench.out} ({@code memsync-bench/results}).
 *
 * <p>Not a test: it asserts nothing, and its figures depend on the machine and on what else runs on it (the load
 * average before and after each scenario is recorded with the figures).
 */
public final class SideBySide {

    /** Module flags Hazelcast 5 asks for on JDK 17+; every JVM gets them, so every JVM has the same options. */
    static final List<String> HAZELCAST_FLAGS = List.of(
            "--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private static final List<String> SYSTEMS = List.of("memsync", "hazelcast-replicatedmap", "hazelcast-imap",
            "jgroups-replicatedhashmap");
    /** The systems with a remote call to measure (a ReplicatedHashMap has none). */
    private static final List<String> RPC_SYSTEMS = List.of("memsync", "hazelcast-replicatedmap", "hazelcast-imap");
    private static final List<String> SCENARIOS = List.of("pingpong", "rpc", "throughput", "join", "failover");
    private static final Duration LONG = Duration.ofMinutes(10);

    /** Started peers of one system, with their rendezvous folder (memsync) and member ports (Hazelcast). */
    private record Group(Path dir, List<String> ports, List<PeerProcess> peers) implements AutoCloseable {
        PeerProcess get(int i) {
            return peers.get(i);
        }

        @Override
        public void close() {
            peers.forEach(PeerProcess::close);
        }
    }

    /** One measured figure. */
    private record Figure(String scenario, String system, String metric, double value, String unit) {
    }

    private final List<String> jvmOptions;
    private final boolean quick;
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> systems = new ArrayList<>(SYSTEMS);
    private final Map<String, String> loads = new LinkedHashMap<>();
    private int nextPort = 5901;

    private SideBySide(List<String> jvmOptions, boolean quick) {
        this.jvmOptions = jvmOptions;
        this.quick = quick;
    }

    /**
     * Runs the comparison.
     *
     * @param args {@code quick} for fewer rounds, then the scenarios to run (all by default)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<String> a = new ArrayList<>(List.of(args));
        if (!a.isEmpty() && a.get(0).equals("render")) {
            render(Path.of(System.getProperty("bench.out", "memsync-bench/results")));
            return;
        }
        boolean quick = a.remove("quick");
        List<String> scenarios = a.isEmpty() ? SCENARIOS : a;
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("unknown scenario " + s + "; known: " + SCENARIOS);
            }
        }
        List<String> options = new ArrayList<>();
        String extra = System.getProperty("bench.jvmOptions", "").trim();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        options.addAll(HAZELCAST_FLAGS);
        SideBySide run = new SideBySide(options, quick);
        String only = System.getProperty("bench.systems", "").trim();
        if (!only.isEmpty()) {
            run.systems.retainAll(List.of(only.split(",")));
        }
        Instant started = Instant.now();
        for (String s : scenarios) {
            String before = load();
            switch (s) {
                case "pingpong" -> run.systems.forEach(run.each(run::pingPong));
                case "rpc" -> run.systems.stream().filter(RPC_SYSTEMS::contains).forEach(run.each(run::rpc));
                case "throughput" -> run.systems.forEach(run.each(run::throughput));
                case "join" -> run.systems.forEach(run.each(run::join));
                case "failover" -> run.failover();
                default -> throw new IllegalStateException(s);
            }
            run.loads.put(s, "load average before " + before + ", after " + load());
        }
        run.write(Path.of(System.getProperty("bench.out", "memsync-bench/results")), started);
        System.exit(0);
    }

    /** A scenario for one system. */
    @FunctionalInterface
    private interface Scenario {
        void run(String system) throws Exception;
    }

    private java.util.function.Consumer<String> each(Scenario s) {
        return system -> {
            try {
                s.run(system);
            } catch (Exception e) {
                throw new IllegalStateException(system + ": " + e, e);
            }
        };
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private void add(String scenario, String system, String metric, double value, String unit) {
        figures.add(new Figure(scenario, system, metric, value, unit));
        System.out.printf("%-10s %-24s %-22s %12.1f %s%n", scenario, system, metric, value, unit);
    }

    // ------------------------------------------------------------------ peers

    /** CPU time (user and system) the peers' JVMs have used so far, summed; 0 for one the OS does not report. */
    private static long cpuNanos(List<PeerProcess> peers) {
        long sum = 0;
        for (PeerProcess p : peers) {
            sum += ProcessHandle.of(p.pid()).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
        }
        return sum;
    }

    private static Path rendezvous() throws IOException {
        return Files.createTempDirectory("memsync-compare-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    /**
     * Launches {@code n} started peers of one system. memsync: the first is the host (started with {@code data}),
     * the others clients started in order, {@code startArgs.get(i)} appended to peer i's start command; Hazelcast:
     * {@code n} members joined into one cluster, listing {@code spare} more ports for members launched later.
     */
    private Group group(String system, String name, int n, String data, Map<Integer, String> startArgs, int spare)
            throws Exception {
        Path dir = rendezvous();
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < n + spare; i++) {
            ports.add(String.valueOf(nextPort + i));
        }
        nextPort += 10; // a fresh range per cluster: no member of an earlier one can be found
        Group g = new Group(dir, ports, new ArrayList<>());
        try {
            if (system.equals("memsync")) {
                for (int i = 0; i < n; i++) {
                    PeerProcess p = PeerProcess.launchMain(label(i), dir, Peer.class.getName(), jvmOptions);
                    g.peers.add(p);
                    p.call("start " + name + (i == 0 && data != null ? " data=" + data : "")
                            + (startArgs.containsKey(i) ? " " + startArgs.get(i) : ""));
                }
                return g;
            }
            List<CompletableFuture<String>> starts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                PeerProcess p = PeerProcess.launchMain(label(i), dir, peerClass(system), jvmOptions);
                g.peers.add(p);
                starts.add(p.send(startCommand(system, label(i), ports.get(i), ports)));
                if (system.startsWith("jgroups")) {
                    // one after the other: members started together may each found a cluster, merged only later
                    starts.get(i).get(2, TimeUnit.MINUTES);
                }
            }
            for (CompletableFuture<String> st : starts) {
                String reply = st.get(2, TimeUnit.MINUTES);
                if (!reply.startsWith("ok")) {
                    throw new IllegalStateException("Hazelcast member did not start: " + reply);
                }
            }
            for (PeerProcess p : g.peers) {
                p.call("awaitMembers " + n, Duration.ofMinutes(2));
            }
            return g;
        } catch (Exception e) {
            g.close();
            throw e;
        }
    }

    private Group group(String system, String name, int n, String data, Map<Integer, String> startArgs) throws Exception {
        return group(system, name, n, data, startArgs, 0);
    }

    private static String peerClass(String system) {
        return system.startsWith("jgroups") ? JGroupsPeer.class.getName() : HazelcastPeer.class.getName();
    }

    private static String startCommand(String system, String label, String port, List<String> ports) {
        String kind = system.startsWith("jgroups") ? "" : system.equals("hazelcast-imap") ? "imap " : "replicated ";
        return "start " + kind + label + " " + port + " " + String.join(",", ports);
    }

    private static String label(int i) {
        return i == 0 ? "H" : String.valueOf((char) ('A' + i - 1));
    }

    private static double num(JsonObject o, String key) {
        return o.getJsonNumber(key).doubleValue();
    }

    // ------------------------------------------------------------------ scenarios

    /** Host (or third member) H idle, A pings, B's observer answers; A's thread stops the clock. */
    private void pingPong(String system) throws Exception {
        try (Group g = group(system, "pingpong", 3, "{\"ping\":0,\"pong\":0}", Map.of())) {
            PeerProcess a = g.get(1);
            g.get(2).call("ponger");
            JsonObject cold = a.call("pinger 3500 500", LONG);
            add("pingpong", system, "cold p50", num(cold, "p50us"), "µs");
            add("pingpong", system, "cold p99", num(cold, "p99us"), "µs");
            int warmUp = quick ? 5_000 : 20_000;
            int measured = quick ? 5_000 : 10_000;
            a.call("pinger " + warmUp + " 0", LONG);
            JsonObject warm = a.call("pinger " + measured + " 0", LONG);
            add("pingpong", system, "warm p50", num(warm, "p50us"), "µs");
            add("pingpong", system, "warm p99", num(warm, "p99us"), "µs");
        }
    }

    /**
     * A calls a handler in B and waits for the result: memsync {@code call} (routed by the host), Hazelcast an
     * executor task submitted to B.
     */
    private void rpc(String system) throws Exception {
        try (Group g = group(system, "rpcbench", 3, null, Map.of(2, "rpc"))) {
            PeerProcess a = g.get(1);
            String target = system.equals("memsync") ? "" : " B";
            a.call("rpcbench " + (quick ? 5_000 : 20_000) + " 0" + target, LONG);
            JsonObject r = a.call("rpcbench " + (quick ? 5_000 : 10_000) + " 0" + target, LONG);
            add("rpc", system, "warm p50", num(r, "p50us"), "µs");
            add("rpc", system, "warm p99", num(r, "p99us"), "µs");
        }
    }

    /**
     * Writer A pipelines writes of one field (4,096 in flight where the API is asynchronous: memsync's patch,
     * {@code IMap.setAsync}; a ReplicatedMap's put is synchronous); the clock runs until all four replicas (H, A, B,
     * C) have the last value.
     */
    private void throughput(String system) throws Exception {
        try (Group g = group(system, "throughput", 4, "{\"n\":0,\"warm\":0}", Map.of())) {
            boolean memsync = system.equals("memsync");
            PeerProcess w = g.get(1);
            int warm = quick ? 100_000 : 500_000;
            int count = quick ? 200_000 : 1_000_000;
            w.call(memsync ? "incs warm " + warm + " 4096 quiet" : "writes warm " + warm + " 4096", LONG);
            for (PeerProcess p : g.peers) {
                p.call("awaitValue warm " + warm, LONG);
            }
            List<CompletableFuture<String>> waits = new ArrayList<>();
            for (PeerProcess p : g.peers) {
                waits.add(p.send("awaitValue n " + count));
            }
            long cpu0 = cpuNanos(g.peers);
            long t0 = System.nanoTime();
            CompletableFuture<String> run = w.send(memsync ? "incs n " + count + " 4096 quiet" : "writes n " + count + " 4096");
            for (CompletableFuture<String> f : waits) {
                String reply = f.get(25, TimeUnit.MINUTES);
                if (!reply.startsWith("ok")) {
                    throw new IllegalStateException("a replica did not converge: " + reply);
                }
            }
            long t1 = System.nanoTime();
            long cpu1 = cpuNanos(g.peers);
            run.get(25, TimeUnit.MINUTES);
            add("throughput", system, "writes/s to converge", count / ((t1 - t0) / 1e9), "1/s");
            // CPU time of every JVM of the system over the timed part, per write: steadier than the rate on two
            // shared cores, and what the rate is made of
            add("throughput", system, "CPU per write, all JVMs", (cpu1 - cpu0) / 1e3 / count, "µs");
        }
    }

    /**
     * H holds a 10 MB document (20,000 members {@code {"i":…,"s":"<480 x>"}}); a new replica J joins. Join time:
     * memsync's {@code start()} of J (it returns with the document); Hazelcast: the new member's start plus, for a
     * ReplicatedMap, until its local replica has every entry, for an IMap, until the cluster is safe (partitions
     * migrated). Heap: used after a full collection, in H and in J.
     */
    private void join(String system) throws Exception {
        int entries = 20_000;
        boolean memsync = system.equals("memsync");
        try (Group g = group(system, "join", 1, "{}", Map.of(), 1)) {
            PeerProcess h = g.get(0);
            double length = num(h.call((memsync ? "bigdoc " : "fill ") + entries, LONG), "length");
            double joinMicros;
            PeerProcess j;
            if (memsync) {
                j = PeerProcess.launchMain("J", g.dir, Peer.class.getName(), jvmOptions);
                g.peers.add(j);
                joinMicros = num(j.call("start join", LONG), "startMicros");
                double hostLength = num(h.call("digest"), "length");
                double joinedLength = num(j.call("digest"), "length");
                if (hostLength != joinedLength) {
                    throw new IllegalStateException("joined replica differs: " + joinedLength + " vs " + hostLength);
                }
            } else {
                j = PeerProcess.launchMain("J", g.dir, peerClass(system), jvmOptions);
                g.peers.add(j);
                joinMicros = num(j.call(startCommand(system, "J", g.ports.get(1), g.ports), LONG), "micros");
                joinMicros += num(j.call(system.equals("hazelcast-imap") ? "awaitSafe" : "awaitSize " + entries, LONG),
                        "micros");
            }
            add("join", system, "document size", length / 1e6, "MB");
            add("join", system, "join of a replica", joinMicros / 1000, "ms");
            add("join", system, "heap, first replica", num(h.call("heap"), "bytes") / 1e6, "MB");
            add("join", system, "heap, joined replica", num(j.call("heap"), "bytes") / 1e6, "MB");
        }
    }

    /**
     * memsync's failover stall: a writer applies {@code $inc}s one at a time; {@code kill -9} of the host; the stall
     * is the time from the kill to the writer's first patch acknowledged in the new term. "Writer is a client": the
     * host, the writer and a third process, rounds in which the third became host; "writer becomes host": the host
     * and the writer only.
     */
    private void failover() throws Exception {
        int rounds = quick ? 3 : 10;
        List<Double> asClient = new ArrayList<>();
        List<Double> asHost = new ArrayList<>();
        int attempts = 0;
        while (systems.contains("memsync") && asClient.size() < rounds && attempts++ < 4 * rounds) {
            double[] r = failoverRound(3);
            (r[1] == 0 ? asClient : asHost).add(r[0]);
        }
        while (systems.contains("memsync") && asHost.size() < rounds) {
            asHost.add(failoverRound(2)[0]);
        }
        addStall("memsync", "writer is a client", asClient);
        addStall("memsync", "writer becomes host", asHost);
        for (String system : systems.stream().filter(s -> s.startsWith("hazelcast")).toList()) {
            List<Double> other = new ArrayList<>();
            List<Double> owner = new ArrayList<>();
            attempts = 0;
            while (other.size() < rounds && attempts++ < 4 * rounds) {
                double[] r = hazelcastFailoverRound(system, 3);
                (r[1] == 0 ? other : owner).add(r[0]);
            }
            while (owner.size() < rounds) {
                owner.add(hazelcastFailoverRound(system, 2)[0]);
            }
            addStall(system, "writer is a client", other);
            addStall(system, "writer becomes host", owner);
        }
    }

    private void addStall(String system, String position, List<Double> millis) {
        if (millis.isEmpty()) {
            return;
        }
        List<Double> sorted = new ArrayList<>(millis);
        sorted.sort(null);
        add("failover", system, position + ", median", sorted.get(sorted.size() / 2), "ms");
        add("failover", system, position + ", max", sorted.get(sorted.size() - 1), "ms");
    }

    /** One round with {@code n} processes; returns {stall ms, 1 if the writer became host else 0}. */
    private double[] failoverRound(int n) throws Exception {
        try (Group g = group("memsync", "failover", n, "{\"n\":0}", Map.of())) {
            PeerProcess host = g.get(0);
            PeerProcess writer = g.get(1);
            long oldTerm = host.call("status").getJsonNumber("term").longValue();
            AtomicLong killedAt = new AtomicLong();
            CompletableFuture<Long> firstAck = new CompletableFuture<>();
            writer.onLine(l -> {
                if (l.startsWith("! ack") && killedAt.get() != 0
                        && Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)) > oldTerm) {
                    firstAck.complete(System.nanoTime());
                }
            });
            CompletableFuture<String> run = writer.send("incs n 100000000 1");
            while (writer.acks() < 2000) {
                Thread.sleep(1); // benchmark pacing: let the writer warm up
            }
            killedAt.set(System.nanoTime());
            host.kill9();
            long acked = firstAck.get(2, TimeUnit.MINUTES);
            String role = writer.call("status").getString("role");
            run.cancel(true);
            return new double[] {(acked - killedAt.get()) / 1e6, role.equals("HOST") ? 1 : 0};
        }
    }

    /**
     * One Hazelcast round with {@code n} members: writer A {@code put}s a key owned by member H one write at a time
     * (the counterpart of memsync's host: every write of that key goes through H); {@code kill -9} of H; the stall
     * is the time from the kill to the acknowledgement of the first write A started after H was gone (so no write H
     * itself answered counts). Returns {stall ms, 1 if A owns the key's partition afterwards else 0}: with three
     * members, "writer is a client" are the rounds in which the third member took the partition over.
     */
    private double[] hazelcastFailoverRound(String system, int n) throws Exception {
        try (Group g = group(system, "failover", n, null, Map.of())) {
            PeerProcess h = g.get(0);
            PeerProcess writer = g.get(1);
            String key = h.call("ownedKey H").getString("key");
            AtomicLong goneAt = new AtomicLong();
            AtomicLong sentAfter = new AtomicLong(Long.MAX_VALUE);
            CompletableFuture<Long> firstAck = new CompletableFuture<>();
            writer.onLine(l -> {
                String[] f = l.split(" ");
                if (f.length < 4) {
                    return;
                }
                long seq = Long.parseLong(f[3]);
                if (f[1].equals("sent") && goneAt.get() != 0 && sentAfter.get() == Long.MAX_VALUE) {
                    sentAfter.set(seq);
                } else if (f[1].equals("ack") && seq >= sentAfter.get()) {
                    firstAck.complete(System.nanoTime());
                }
            });
            CompletableFuture<String> run = writer.send("incloop " + key);
            while (writer.acks() < 2000) {
                Thread.sleep(1); // benchmark pacing: let the writer warm up
            }
            long killedAt = System.nanoTime();
            h.kill9();
            goneAt.set(System.nanoTime());
            long acked = firstAck.get(5, TimeUnit.MINUTES);
            String owner = writer.call("owner " + key).getString("label");
            run.cancel(true);
            return new double[] {(acked - killedAt) / 1e6, owner.equals("A") ? 1 : 0};
        }
    }

    // ------------------------------------------------------------------ output

    /** Re-renders the table and chart from {@code side-by-side.json} in {@code out}. */
    private static void render(Path out) throws IOException {
        JsonObject doc;
        try (var r = Json.createReader(Files.newBufferedReader(out.resolve("side-by-side.json")))) {
            doc = r.readObject();
        }
        List<String> options = doc.getJsonArray("jvmOptions").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList();
        SideBySide run = new SideBySide(options, doc.getBoolean("quick"));
        for (JsonObject f : doc.getJsonArray("figures").getValuesAs(JsonObject.class)) {
            run.figures.add(new Figure(f.getString("scenario"), f.getString("system"), f.getString("metric"),
                    num(f, "value"), f.getString("unit")));
        }
        doc.getJsonObject("load").forEach((k, v) -> run.loads.put(k, ((jakarta.json.JsonString) v).getString()));
        Instant started = Instant.parse(doc.getString("started"));
        Files.writeString(out.resolve("side-by-side.md"), run.table(started, doc.getString("java"), doc.getInt("cpus")));
        run.chart(out.resolve("side-by-side.png"));
    }

    private void write(Path out, Instant started) throws IOException {
        Files.createDirectories(out);
        JsonArrayBuilder fs = Json.createArrayBuilder();
        for (Figure f : figures) {
            fs.add(Json.createObjectBuilder().add("scenario", f.scenario).add("system", f.system)
                    .add("metric", f.metric).add("value", Math.round(f.value * 10) / 10.0).add("unit", f.unit));
        }
        JsonObjectBuilder loadJson = Json.createObjectBuilder();
        loads.forEach(loadJson::add);
        JsonArrayBuilder opts = Json.createArrayBuilder();
        jvmOptions.forEach(opts::add);
        JsonObject doc = Json.createObjectBuilder()
                .add("started", started.toString()).add("finished", Instant.now().toString())
                .add("quick", quick)
                .add("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
                .add("cpus", Runtime.getRuntime().availableProcessors())
                .add("jvmOptions", opts).add("load", loadJson).add("figures", fs).build();
        Files.writeString(out.resolve("side-by-side.json"), pretty(doc));
        String table = table(started, System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors());
        Files.writeString(out.resolve("side-by-side.md"), table);
        System.out.println();
        System.out.println(table);
        chart(out.resolve("side-by-side.png"));
        System.out.println("wrote " + out.resolve("side-by-side.json") + ", .md and .png");
    }

    private static String pretty(JsonObject doc) {
        java.io.StringWriter sw = new java.io.StringWriter();
        Json.createWriterFactory(Map.of(jakarta.json.stream.JsonGenerator.PRETTY_PRINTING, true))
                .createWriter(sw).write(doc);
        return sw + "\n";
    }

    /** A markdown table: one row per (scenario, metric), one column per system. */
    private String table(Instant started, String java, int cpus) {
        Set<String> systems = new LinkedHashSet<>();
        Map<String, Map<String, Figure>> rows = new LinkedHashMap<>();
        for (Figure f : figures) {
            systems.add(f.system);
            rows.computeIfAbsent(f.scenario + " " + f.metric + " (" + f.unit + ")", k -> new LinkedHashMap<>())
                    .put(f.system, f);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| figure |");
        systems.forEach(s -> sb.append(' ').append(s).append(" |"));
        sb.append("\n|---|");
        systems.forEach(s -> sb.append("---:|"));
        sb.append('\n');
        rows.forEach((row, bySystem) -> {
            sb.append("| ").append(row).append(" |");
            for (String s : systems) {
                Figure f = bySystem.get(s);
                sb.append(' ').append(f == null ? "–" : format(f.value)).append(" |");
            }
            sb.append('\n');
        });
        sb.append("\nTaken ").append(started).append(quick ? " (quick run: fewer rounds)" : "").append(" on ")
                .append(cpus).append(" CPUs, ").append(java).append("; every JVM: ").append(String.join(" ", jvmOptions)).append('\n');
        loads.forEach((s, l) -> sb.append("- ").append(s).append(": ").append(l).append('\n'));
        return sb.toString();
    }

    private static String format(double v) {
        return v >= 1000 ? String.format("%,.0f", v) : String.format("%.1f", v);
    }

    private void chart(Path png) throws IOException {
        List<CategoryChart> charts = new ArrayList<>();
        CategoryChart latency = new CategoryChartBuilder().width(900).height(420)
                .title("Latency, timed on the caller's thread (µs, log scale; lower is better)").yAxisTitle("µs").build();
        latency.getStyler().setYAxisLogarithmic(true).setYAxisMin(10.0).setYAxisDecimalPattern("#,###").setLegendPosition(Styler.LegendPosition.InsideNW);
        CategoryChart throughput = new CategoryChartBuilder().width(900).height(300)
                .title("Pipelined writes until all replicas converge (writes/s; higher is better)").build();
        throughput.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        Set<String> systems = new LinkedHashSet<>();
        figures.forEach(f -> systems.add(f.system));
        for (String s : systems) {
            List<String> lx = new ArrayList<>();
            List<Double> ly = new ArrayList<>();
            List<String> tx = new ArrayList<>();
            List<Double> ty = new ArrayList<>();
            for (Figure f : figures) {
                if (!f.system.equals(s)) {
                    continue;
                }
                if (f.unit.equals("µs") && !f.scenario.equals("throughput")) {
                    lx.add(f.scenario + " " + f.metric);
                    ly.add(f.value);
                } else if (f.scenario.equals("throughput") && f.unit.equals("1/s")) {
                    tx.add(f.metric);
                    ty.add(f.value);
                }
            }
            if (!lx.isEmpty()) {
                latency.addSeries(s, lx, ly);
            }
            if (!tx.isEmpty()) {
                throughput.addSeries(s, tx, ty);
            }
        }
        if (!latency.getSeriesMap().isEmpty()) {
            charts.add(latency);
        }
        if (!throughput.getSeriesMap().isEmpty()) {
            charts.add(throughput);
        }
        if (charts.isEmpty()) {
            return;
        }
        BitmapEncoder.saveBitmap(charts, charts.size(), 1, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

}
