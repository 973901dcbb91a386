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
            description = "Lists the shared objects of the rendezvous folder: host pid, term, version and peer count "
                    + "as the host last recorded them (--live: as each network says now).")
    static final class Ls implements Callable<Integer> {
        @ParentCommand
        MemSyncCli root;
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Option(names = "--live", description = "Join each hosted network (as a reader) for its current term, version and peers.")
        boolean live;

        @Override
        public Integer call() throws IOException {
            Path base = base(root);
            List<String> names = new ArrayList<>();
            if (Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, Files::isDirectory)) {
                    ds.forEach(p -> names.add(p.getFileName().toString()));
                }
            }
            names.sort(null);
            PrintWriter out = spec.commandLine().getOut();
            if (!root.json) {
                out.printf("%-24s %-8s %8s %10s %6s%n", "NAME", "HOST", "TERM", "VERSION", "PEERS");
            }
            for (String name : names) {
                FileRendezvous rv;
                boolean held;
                HostRecord rec;
                try {
                    rv = new FileRendezvous(name, base);
                    held = rv.isHeld();
                    rec = rv.read();
                } catch (MemSyncException | IOException e) {
                    continue; // not a rendezvous folder of ours
                }
                boolean hosted = held && rec != null && rec.handoverVersion() < 0 && !rec.members().isEmpty();
                long hostPid = hosted ? rec.members().get(0).pid() : -1;
                long term = rec == null ? -1 : rec.term();
                long version = rec == null ? -1 : rec.version();
                int peers = hosted ? rec.members().size() : 0;
                if (hosted && live) {
                    try (SharedObject<JsonObject> so = root.join(name, false)) {
                        Status st = so.status();
                        term = st.term();
                        version = st.version();
                        peers = st.peers().size() - 1; // not this command
                    } catch (MemSyncException e) {
                        hosted = false; // the host went away meanwhile
                        peers = 0;
                    }
                }
                if (root.json) {
                    JsonObjectBuilder b = Json.createObjectBuilder().add("name", name).add("hosted", hosted);
                    if (rec != null) {
                        b.add("term", term).add("version", version).add("peers", peers);
                    }
                    if (hosted) {
                        b.add("hostPid", hostPid);
                    }
                    out.println(b.build());
                } else {
                    out.printf("%-24s %-8s %8s %10s %6s%n", name, hosted ? Long.toString(hostPid) : "-",
                            rec == null ? "-" : Long.toString(term), rec == null ? "-" : Long.toString(version), Integer.toString(peers));
                }
            }
            out.flush();
            return 0;
        }
    }

    /** {@code memsync status NAME}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows the network of NAME: term, version, host, the writer cap in force, the peers (pid, role, writer or reader), inspector URLs.")
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
                    peers.add(Json.createObjectBuilder().add("pid", m.pid()).add("peerId", m.peerId())
                            .add("role", host ? "host" : "client").add("writer", m.writer()));
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
                    out.printf("  pid %-8d %-6s %-6s %s%n", o.getJsonNumber("pid").longValue(), o.getString("role"),
                            o.getBoolean("writer") ? "writer" : "reader", o.getString("peerId"));
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
