package io.memsync.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.memsync.MemSyncException;
import io.memsync.SharedObject;
import io.memsync.Status;
import io.memsync.discovery.FileRendezvous;
import io.memsync.replication.HostRecord;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The commands on the networks: ls, status, inspect. */
final class NetworkCommands {
    private NetworkCommands() {
    }

    static Path base(MemSyncCli root) {
        return root.rendezvous != null ? root.rendezvous : FileRendezvous.defaultBase();
    }

    /** {@code memsync ls}. */
    @Command(name = "ls", mixinStandardHelpOptions = true,
            description = "Lists the shared objects of the rendezvous folder with host pid, term, version and peer count: "
                    + "as each network says now (it joins each hosted one briefly as a reader, up to "
                    + Ls.MAX_JOINS + " at a time, all within --timeout), or with --recorded as the host last recorded them.")
    static final class Ls implements Callable<Integer> {
        /** How many networks {@code ls} joins at once. */
        static final int MAX_JOINS = 4;
        @ParentCommand
        MemSyncCli root;
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Option(names = "--recorded", description = "Do not join: show term, version and peers as "
                + "each host last recorded them in its host record (fast, but possibly stale: a host records them when "
                + "members come or go, not on every change).")
        boolean recorded;
        @picocli.CommandLine.Option(names = "--live", hidden = true,
                description = "Ask each network (the default now; kept so that existing scripts keep working).")
        boolean live;

        /** One line of the listing. */
        private static final class Row {
            final String name;
            final HostRecord rec;
            boolean hosted;
            long hostPid = -1;
            long term;
            long version;
            int peers;
            /** Where the figures come from: {@code network} or {@code record}. */
            String source = "record";
            /** Why a hosted network's figures are the recorded ones although the network was asked, or {@code null}. */
            String note;

            Row(String name, HostRecord rec, boolean held) {
                this.name = name;
                this.rec = rec;
                hosted = held && rec != null && rec.handoverVersion() < 0 && !rec.members().isEmpty();
                hostPid = hosted ? rec.members().get(0).pid() : -1;
                term = rec == null ? -1 : rec.term();
                version = rec == null ? -1 : rec.version();
                peers = hosted ? rec.members().size() : 0;
            }
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            Path base = base(root);
            List<String> names = new ArrayList<>();
            if (Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, Files::isDirectory)) {
                    ds.forEach(p -> names.add(p.getFileName().toString()));
                }
            }
            names.sort(null);
            List<Row> rows = new ArrayList<>();
            for (String name : names) {
                try {
                    FileRendezvous rv = new FileRendezvous(name, base);
                    boolean held = rv.isHeld();
                    rows.add(new Row(name, rv.read(), held));
                } catch (MemSyncException | IOException e) {
                    // not a rendezvous folder of ours
                }
            }
            if (!recorded) {
                askNetworks(rows);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (!root.json) {
                out.printf("%-24s %-8s %8s %10s %6s%n", "NAME", "HOST", "TERM", "VERSION", "PEERS");
            }
            for (Row r : rows) {
                if (root.json) {
                    JsonObjectBuilder b = Json.createObjectBuilder().add("name", r.name).add("hosted", r.hosted);
                    if (r.rec != null) {
                        b.add("term", r.term).add("version", r.version).add("peers", r.peers).add("source", r.source);
                    }
                    if (r.hosted) {
                        b.add("hostPid", r.hostPid);
                    }
                    if (r.note != null) {
                        b.add("note", r.note);
                    }
                    out.println(b.build());
                } else {
                    out.printf("%-24s %-8s %8s %10s %6s%s%n", r.name, r.hosted ? Long.toString(r.hostPid) : "-",
                            r.rec == null ? "-" : Long.toString(r.term), r.rec == null ? "-" : Long.toString(r.version),
                            Integer.toString(r.peers), r.note == null ? "" : "   (recorded figures: " + r.note + ")");
                }
            }
            out.flush();
            return 0;
        }

        /**
         * Joins each hosted network as a reader, {@link #MAX_JOINS} at a time, for its current term, version and peers;
         * a network that does not answer within {@code --timeout} (counted for all together) keeps its recorded figures.
         */
        private void askNetworks(List<Row> rows) throws InterruptedException {
            List<Row> hosted = rows.stream().filter(r -> r.hosted).toList();
            if (hosted.isEmpty()) {
                return;
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                    Math.min(MAX_JOINS, hosted.size()), r -> {
                        Thread t = new Thread(r, "memsync-ls");
                        t.setDaemon(true);
                        return t;
                    });
            try {
                List<java.util.concurrent.Future<Status>> asked = new ArrayList<>();
                for (Row r : hosted) {
                    asked.add(pool.submit(() -> {
                        try (SharedObject<JsonObject> so = root.join(r.name, false)) {
                            return so.status();
                        }
                    }));
                }
                long deadline = System.nanoTime() + root.timeout.toNanos();
                for (int i = 0; i < hosted.size(); i++) {
                    Row r = hosted.get(i);
                    try {
                        Status st = asked.get(i).get(Math.max(0, deadline - System.nanoTime()),
                                java.util.concurrent.TimeUnit.NANOSECONDS);
                        r.term = st.term();
                        r.version = st.version();
                        r.peers = st.peers().size() - 1; // not this command
                        r.source = "network";
                    } catch (java.util.concurrent.TimeoutException e) {
                        r.note = "no answer within " + root.timeout.toMillis() + " ms";
                    } catch (java.util.concurrent.ExecutionException e) {
                        Throwable t = MemSyncCli.unwrap(e.getCause());
                        if (t instanceof MemSyncException m && MemSyncException.ERR_NO_HOST.equals(m.code())) {
                            r.hosted = false; // the host went away meanwhile
                            r.peers = 0;
                        } else {
                            r.note = t instanceof MemSyncException m ? m.code() : String.valueOf(t);
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** {@code memsync status NAME}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows the network of NAME: term, version, host, the writer cap in force, the peers (pid, role, "
                    + "writer or reader, pending: its updates not confirmed yet, as it last reported them to the host, "
                    + "at most about two heartbeats old), inspector URLs.")
    static final class StatusCommand implements Callable<Integer> {
        @ParentCommand
        MemSyncCli root;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "The shared object.")
        String name;

        @Override
        public Integer call() throws IOException {
            Status s;
            HostRecord rec;
            Path base = base(root);
            try (SharedObject<JsonObject> so = root.join(name, false)) {
                s = so.status();
                rec = new FileRendezvous(name, base).read();
            }
            java.util.Map<String, Integer> pending = new java.util.HashMap<>();
            s.peers().forEach(p -> pending.put(p.peerId(), p.pending()));
            JsonArrayBuilder peers = Json.createArrayBuilder();
            int writers = 0;
            long hostPid = -1;
            int cap = rec == null ? Integer.MAX_VALUE : rec.maxWriters();
            if (rec != null) {
                for (int i = 0; i < rec.members().size(); i++) {
                    HostRecord.Member m = rec.members().get(i);
                    boolean host = i == 0 && rec.handoverVersion() < 0;
                    if (host) {
                        hostPid = m.pid();
                    }
                    if (m.peerId().equals(s.peerId())) {
                        continue; // this command itself
                    }
                    writers += m.writer() ? 1 : 0;
                    JsonObjectBuilder peer = Json.createObjectBuilder().add("pid", m.pid()).add("peerId", m.peerId())
                            .add("role", host ? "host" : "client").add("writer", m.writer());
                    int n = pending.getOrDefault(m.peerId(), -1);
                    if (n >= 0) {
                        peer.add("pending", n);
                    } else {
                        peer.addNull("pending"); // not known (yet): a member that has not reported to this host
                    }
                    peers.add(peer);
                }
            }
            var builder = Json.createObjectBuilder().add("name", name).add("term", s.term()).add("version", s.version())
                    .add("hostPid", hostPid).add("writers", writers);
            if (cap == Integer.MAX_VALUE) {
                builder.addNull("maxWriters"); // no writer cap in force
            } else {
                builder.add("maxWriters", cap);
            }
            JsonObject status = builder.add("peers", peers).add("inspectors", Inspect.inspectors(base, name)).build();
            PrintWriter out = spec.commandLine().getOut();
            if (root.json) {
                out.println(status);
            } else {
                out.println(name + ": term " + s.term() + ", version " + s.version() + ", host pid " + hostPid
                        + ", " + writers + " writer(s)" + (cap == Integer.MAX_VALUE ? ", no writer cap" : ", writer cap " + cap));
                status.getJsonArray("peers").forEach(p -> {
                    JsonObject o = p.asJsonObject();
                    out.printf("  pid %-8d %-6s %-6s pending %-6s %s%n", o.getJsonNumber("pid").longValue(), o.getString("role"),
                            o.getBoolean("writer") ? "writer" : "reader",
                            o.isNull("pending") ? "?" : Integer.toString(o.getInt("pending")), o.getString("peerId"));
                });
                status.getJsonArray("inspectors").forEach(i -> out.println("  inspector " + i.asJsonObject().getString("url")));
            }
            out.flush();
            return 0;
        }
    }

    /** {@code memsync inspect NAME}. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Prints the URL of the web inspector of each process serving NAME over HTTP (with its write token "
                    + "in the fragment, which the browser never sends).")
    static final class Inspect implements Callable<Integer> {
        @ParentCommand
        MemSyncCli root;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "The shared object.")
        String name;

        @Override
        public Integer call() throws IOException {
            var list = inspectors(base(root), name);
            if (list.isEmpty()) {
                throw new MemSyncCli.Refusal("ERR_NOT_FOUND", "no process serves '" + name
                        + "' over HTTP (start one with server(port) or memsync." + name + ".server.port)");
            }
            PrintWriter out = spec.commandLine().getOut();
            list.forEach(i -> out.println(root.json ? i.toString() : i.asJsonObject().getString("url")));
            out.flush();
            return 0;
        }

        /** The {@code http-<pid>.json} files of live processes in the rendezvous folder of {@code name}. */
        static jakarta.json.JsonArray inspectors(Path base, String name) throws IOException {
            JsonArrayBuilder b = Json.createArrayBuilder();
            Path dir = new FileRendezvous(name, base).dir();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "http-*.json")) {
                List<Path> files = new ArrayList<>();
                ds.forEach(files::add);
                files.sort(null);
                for (Path f : files) {
                    JsonObject o;
                    try (JsonReader r = Json.createReader(new StringReader(Files.readString(f)))) {
                        o = r.readObject();
                    } catch (RuntimeException | IOException e) {
                        continue;
                    }
                    long pid = o.getJsonNumber("pid").longValue();
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        String url = o.getString("inspector") + (o.containsKey("token") ? "#token=" + o.getString("token") : "");
                        b.add(Json.createObjectBuilder().add("pid", pid).add("url", url).add("writable", o.getBoolean("writable", false)));
                    }
                }
            }
            return b.build();
        }
    }
}
