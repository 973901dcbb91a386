package io.memsync.bench.compare;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;

import io.memsync.it.CommandLoop;
import io.memsync.it.RoundTrips;

/**
 * A Hazelcast 5 member scripted over the {@link CommandLoop} protocol, running the same benchmark steps as
 * memsync's {@code Peer}, on a {@code ReplicatedMap} or an {@code IMap} named {@code bench}. The member binds to
 * 127.0.0.1 only, joins by TCP/IP with every member listed one by one, multicast and auto-detection off,
 * phone-home off, logging through JUL (silenced by the launcher).
 *
 * <p>Commands: {@code start <replicated|imap> <label> <port> <port,port,…>}, {@code awaitMembers <n>},
 * {@code ponger}, {@code pinger <rounds> <from>}, {@code rpcbench <rounds> <from> <label>}, {@code writes <key>
 * <count> <window>}, {@code awaitValue <key> <value>}, {@code fill <entries>}, {@code awaitSize <entries>},
 * {@code awaitSafe}, {@code heap}; for the failover stall {@code ownedKey <label>} (a key whose partition the member
 * labelled so owns), {@code owner <key>} (the label of the member owning the key's partition) and {@code incloop
 * <key>} (writes {@code 1, 2, …} one at a time until the process ends, printing {@code ! sent <key> <n>} before
 * each and {@code ! ack <key> <n>} when it returned, {@code ! failed <key> <n> <exception>} when it threw).
 */
public final class HazelcastPeer {

    private final CommandLoop loop;
    private HazelcastInstance hz;
    private ReplicatedMap<String, Object> replicated;
    private IMap<String, Object> imap;
    private long nextPing = 1;

    private HazelcastPeer(CommandLoop loop) {
        this.loop = loop;
    }

    /**
     * Runs the command loop.
     *
     * @param args ignored
     * @throws Exception on an I/O failure
     */
    public static void main(String[] args) throws Exception {
        HazelcastPeer peer = new HazelcastPeer(CommandLoop.onStdout());
        peer.loop.run(peer::execute, t -> t.getClass().getSimpleName());
    }

    private String execute(String cmd, String rest) throws Exception {
        String[] a = rest.isBlank() ? new String[0] : rest.trim().split(" ");
        return switch (cmd) {
            case "start" -> start(a[0], a[1], Integer.parseInt(a[2]), List.of(a[3].split(",")));
            case "awaitMembers" -> {
                while (hz.getCluster().getMembers().size() < Integer.parseInt(a[0])) {
                    Thread.sleep(10); // benchmark setup, not timed
                }
                yield "{}";
            }
            case "ponger" -> {
                listen("ping", v -> put("pong", v, true));
                yield "{}";
            }
            case "pinger" -> pinger(Integer.parseInt(a[0]), Integer.parseInt(a[1]));
            case "rpcbench" -> rpcbench(Integer.parseInt(a[0]), Integer.parseInt(a[1]), a[2]);
            case "writes" -> writes(a[0], Integer.parseInt(a[1]), Integer.parseInt(a[2]));
            case "awaitValue" -> awaitValue(a[0], Long.parseLong(a[1]));
            case "fill" -> fill(Integer.parseInt(a[0]));
            case "awaitSize" -> {
                long t0 = System.nanoTime();
                while (size() < Integer.parseInt(a[0])) {
                    Thread.sleep(1); // polls the local replica: the figure is when it is complete
                }
                yield "{\"micros\":" + (System.nanoTime() - t0) / 1000 + "}";
            }
            case "awaitSafe" -> {
                long t0 = System.nanoTime();
                while (!hz.getPartitionService().isClusterSafe()) {
                    Thread.sleep(1);
                }
                yield "{\"micros\":" + (System.nanoTime() - t0) / 1000 + "}";
            }
            case "heap" -> "{\"bytes\":" + RoundTrips.heapAfterGc() + "}";
            case "ownedKey" -> ownedKey(a[0]);
            case "owner" -> "{\"label\":\"" + hz.getPartitionService().getPartition(a[0]).getOwner().getAttribute("label")
                    + "\"}";
            case "incloop" -> incloop(a[0]);
            default -> throw new IllegalArgumentException("unknown command " + cmd);
        };
    }

    private String start(String kind, String label, int port, List<String> ports) {
        Config cfg = new Config();
        cfg.setClusterName("memsync-bench");
        cfg.setProperty("hazelcast.phone.home.enabled", "false");
        cfg.setProperty("hazelcast.logging.type", "jdk");
        cfg.setProperty("hazelcast.socket.bind.any", "false");
        cfg.getJetConfig().setEnabled(false);
        cfg.getMemberAttributeConfig().setAttribute("label", label);
        NetworkConfig net = cfg.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(false);
        net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true);
        for (String p : ports) {
            tcp.addMember("127.0.0.1:" + p); // one by one: a port range in addMember fails
        }
        long t0 = System.nanoTime();
        hz = Hazelcast.newHazelcastInstance(cfg);
        if (kind.equals("replicated")) {
            replicated = hz.getReplicatedMap("bench");
        } else {
            imap = hz.getMap("bench");
        }
        return "{\"micros\":" + (System.nanoTime() - t0) / 1000 + ",\"members\":" + hz.getCluster().getMembers().size() + "}";
    }

    private void put(String key, Object value, boolean fromListener) {
        if (replicated != null) {
            replicated.put(key, value);
        } else if (fromListener) {
            imap.setAsync(key, value); // a listener should not block Hazelcast's event thread
        } else {
            imap.set(key, value);
        }
    }

    private Object get(String key) {
        return replicated != null ? replicated.get(key) : imap.get(key);
    }

    private int size() {
        return replicated != null ? replicated.size() : imap.size();
    }

    /** Calls {@code onValue} with the value of every add or update of {@code key}. */
    private java.util.UUID listen(String key, java.util.function.Consumer<Object> onValue) {
        EntryListener<String, Object> l = new EntryListener<>() {
            @Override
            public void entryAdded(EntryEvent<String, Object> e) {
                onValue.accept(e.getValue());
            }

            @Override
            public void entryUpdated(EntryEvent<String, Object> e) {
                onValue.accept(e.getValue());
            }

            @Override
            public void entryRemoved(EntryEvent<String, Object> e) {
            }

            @Override
            public void entryEvicted(EntryEvent<String, Object> e) {
            }

            @Override
            public void entryExpired(EntryEvent<String, Object> e) {
            }

            @Override
            public void mapCleared(MapEvent e) {
            }

            @Override
            public void mapEvicted(MapEvent e) {
            }
        };
        return replicated != null ? replicated.addEntryListener(l, key) : imap.addEntryListener(l, key, true);
    }

    private void unlisten(java.util.UUID id) {
        if (replicated != null) {
            replicated.removeEntryListener(id);
        } else {
            imap.removeEntryListener(id);
        }
    }

    private String pinger(int rounds, int from) throws Exception {
        BlockingQueue<Long> pongs = new LinkedBlockingQueue<>();
        java.util.UUID id = listen("pong", v -> pongs.add((Long) v));
        try {
            long first = nextPing;
            nextPing += rounds;
            long[] rtt = RoundTrips.pingPong(rounds, first, v -> put("ping", v, false), pongs);
            return RoundTrips.percentiles(rtt, from);
        } finally {
            unlisten(id);
        }
    }

    /** The task of the RPC benchmark: runs on the chosen member and returns its argument. */
    private record Echo(long value) implements Callable<Long>, Serializable {
        @Override
        public Long call() {
            return value;
        }
    }

    private String rpcbench(int rounds, int from, String label) throws Exception {
        Member target = hz.getCluster().getMembers().stream()
                .filter(m -> label.equals(m.getAttribute("label"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no member " + label));
        var exec = hz.getExecutorService("rpc");
        long[] rtt = RoundTrips.calls(rounds, i -> exec.submitToMember(new Echo(i), target).get());
        return RoundTrips.percentiles(rtt, from);
    }

    /**
     * {@code count} writes of {@code n = 1, 2, …}: on an IMap asynchronous {@code setAsync} with at most
     * {@code window} outstanding; a ReplicatedMap has no asynchronous put: {@code put} is made one at a time (it
     * goes through the member owning the key's partition; the other replicas are updated in the background).
     */
    private String writes(String key, int count, int window) throws Exception {
        if (replicated != null) {
            for (int i = 1; i <= count; i++) {
                replicated.put(key, (long) i);
            }
            return "{}";
        }
        Semaphore permits = new Semaphore(window);
        AtomicLong failed = new AtomicLong();
        CountDownLatch all = new CountDownLatch(count);
        for (int i = 1; i <= count; i++) {
            permits.acquire();
            imap.setAsync(key, (long) i).whenComplete((r, e) -> {
                if (e != null) {
                    failed.incrementAndGet();
                }
                permits.release();
                all.countDown();
            });
        }
        all.await();
        return "{\"failed\":" + failed.get() + "}";
    }

    private String awaitValue(String key, long expected) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        java.util.UUID id = listen(key, v -> {
            if (v instanceof Long l && l == expected) {
                done.countDown();
            }
        });
        try {
            Object now = get(key);
            if (!(now instanceof Long l && l == expected) && !done.await(20, TimeUnit.MINUTES)) {
                throw new IllegalStateException(key + " did not reach " + expected + ", it is " + get(key));
            }
        } finally {
            unlisten(id);
        }
        return "{}";
    }

    private String ownedKey(String label) {
        for (int i = 0; i < 100_000; i++) {
            Member owner = hz.getPartitionService().getPartition("n" + i).getOwner();
            if (owner != null && label.equals(owner.getAttribute("label"))) {
                return "{\"key\":\"n" + i + "\"}";
            }
        }
        throw new IllegalStateException("member " + label + " owns no partition");
    }

    /** One write at a time, as memsync's failover writer does; the stall shows in the gap between acknowledgements. */
    private String incloop(String key) {
        for (long n = 1; ; n++) {
            loop.say("! sent " + key + " " + n);
            try {
                put(key, n, false);
                loop.say("! ack " + key + " " + n);
            } catch (RuntimeException e) {
                loop.say("! failed " + key + " " + n + " " + e.getClass().getSimpleName());
            }
        }
    }

    /**
     * Puts {@code entries} JSON values {@code {"i":<i>,"s":"<i>x…x" (480 x)}} under {@code k<i>}: the members of memsync's
     * {@code bigdoc}, as Hazelcast holds JSON ({@link HazelcastJsonValue}).
     */
    private String fill(int entries) {
        String filler = "x".repeat(480);
        long t0 = System.nanoTime();
        long bytes = 0;
        for (int i = 0; i < entries; i++) {
            String json = "{\"i\":" + i + ",\"s\":\"" + i + filler + "\"}";
            bytes += json.length() + ("k" + i).length() + 4;
            put("k" + i, new HazelcastJsonValue(json), false);
        }
        return "{\"micros\":" + (System.nanoTime() - t0) / 1000 + ",\"length\":" + bytes + "}";
    }
}
