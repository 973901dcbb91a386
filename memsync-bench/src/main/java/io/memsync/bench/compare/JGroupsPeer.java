package io.memsync.bench.compare;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.View;
import org.jgroups.blocks.ReplicatedHashMap;
import org.jgroups.protocols.pbcast.GMS;

import io.memsync.it.CommandLoop;
import io.memsync.it.RoundTrips;

/**
 * A JGroups 5.4 member holding a {@link ReplicatedHashMap} named {@code bench}, scripted over the
 * {@link CommandLoop} protocol with the same benchmark steps as {@link HazelcastPeer}. The channel uses JGroups'
 * stock {@code tcp.xml} stack as shipped (TCP transport, TCPPING discovery, state transfer), with its documented
 * system properties set inside this process: bind address 127.0.0.1, the member's port, every member's port as
 * initial hosts with no port range; the GMS banner on standard output is turned off (this process's standard
 * output carries the protocol). The map's updates are JGroups' default, non-blocking: {@code put} multicasts the
 * update and returns; every member (the writer included) applies it when the multicast is delivered.
 *
 * <p>Commands: {@code start <label> <port> <port,port,…>} (connects and fetches the state: the reply's
 * {@code micros} is the join time), {@code awaitMembers <n>}, {@code ponger}, {@code pinger <rounds> <from>},
 * {@code writes <key> <count> <window>} (the window is ignored: puts do not wait), {@code awaitValue <key>
 * <value>}, {@code fill <entries>}, {@code awaitSize <entries>}, {@code heap}.
 */
public final class JGroupsPeer {

    private final CommandLoop loop;
    private final List<BiConsumer<String, Object>> listeners = new CopyOnWriteArrayList<>();
    private JChannel channel;
    private ReplicatedHashMap<String, Object> map;
    private long nextPing = 1;

    private JGroupsPeer(CommandLoop loop) {
        this.loop = loop;
    }

    /**
     * Runs the command loop.
     *
     * @param args ignored
     * @throws Exception on an I/O failure
     */
    public static void main(String[] args) throws Exception {
        JGroupsPeer peer = new JGroupsPeer(CommandLoop.onStdout());
        peer.loop.run(peer::execute, t -> t.getClass().getSimpleName());
    }

    private String execute(String cmd, String rest) throws Exception {
        String[] a = rest.isBlank() ? new String[0] : rest.trim().split(" ");
        return switch (cmd) {
            case "start" -> start(a[0], Integer.parseInt(a[1]), List.of(a[2].split(",")));
            case "awaitMembers" -> {
                while (channel.getView().size() < Integer.parseInt(a[0])) {
                    Thread.sleep(10); // benchmark setup, not timed
                }
                yield "{}";
            }
            case "ponger" -> {
                listeners.add((k, v) -> {
                    if (k.equals("ping")) {
                        map.put("pong", v);
                    }
                });
                yield "{}";
            }
            case "pinger" -> pinger(Integer.parseInt(a[0]), Integer.parseInt(a[1]));
            case "writes" -> {
                String key = a[0];
                int count = Integer.parseInt(a[1]);
                for (int i = 1; i <= count; i++) {
                    map.put(key, (long) i);
                }
                yield "{}";
            }
            case "awaitValue" -> awaitValue(a[0], Long.parseLong(a[1]));
            case "fill" -> fill(Integer.parseInt(a[0]));
            case "awaitSize" -> {
                long t0 = System.nanoTime();
                while (map.size() < Integer.parseInt(a[0])) {
                    Thread.sleep(1); // polls the local replica: the figure is when it is complete
                }
                yield "{\"micros\":" + (System.nanoTime() - t0) / 1000 + "}";
            }
            case "heap" -> "{\"bytes\":" + RoundTrips.heapAfterGc() + "}";
            default -> throw new IllegalArgumentException("unknown command " + cmd);
        };
    }

    private String start(String label, int port, List<String> ports) throws Exception {
        // tcp.xml reads these when the stack is built; they are this process's own, not JVM options
        System.setProperty("jgroups.bind_addr", "127.0.0.1");
        System.setProperty("jgroups.bind_port", String.valueOf(port));
        System.setProperty("jgroups.tcpping.initial_hosts",
                ports.stream().map(p -> "127.0.0.1[" + p + "]").collect(Collectors.joining(",")));
        System.setProperty("jgroups.tcp.port_range", "0");
        long t0 = System.nanoTime();
        channel = new JChannel("tcp.xml").name(label);
        ((GMS) channel.getProtocolStack().findProtocol(GMS.class)).printLocalAddress(false);
        map = new ReplicatedHashMap<>(new ConcurrentHashMap<>(), channel);
        map.addNotifier(new ReplicatedHashMap.Notification<Object, Object>() {
            @Override
            public void entrySet(Object key, Object value) {
                listeners.forEach(l -> l.accept((String) key, value));
            }

            @Override
            public void entryRemoved(Object key) {
            }

            @Override
            public void viewChange(View view, List<Address> joined, List<Address> left) {
            }

            @Override
            public void contentsSet(java.util.Map<Object, Object> entries) {
            }

            @Override
            public void contentsCleared() {
            }
        });
        channel.connect("memsync-bench");
        map.start(600_000); // fetches the state from the coordinator (nothing when this is the first member)
        return "{\"micros\":" + (System.nanoTime() - t0) / 1000 + ",\"members\":" + channel.getView().size() + "}";
    }

    private String pinger(int rounds, int from) throws Exception {
        BlockingQueue<Long> pongs = new LinkedBlockingQueue<>();
        BiConsumer<String, Object> l = (k, v) -> {
            if (k.equals("pong")) {
                pongs.add((Long) v);
            }
        };
        listeners.add(l);
        try {
            long first = nextPing;
            nextPing += rounds;
            long[] rtt = RoundTrips.pingPong(rounds, first, v -> map.put("ping", v), pongs);
            return RoundTrips.percentiles(rtt, from);
        } finally {
            listeners.remove(l);
        }
    }

    private String awaitValue(String key, long expected) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        BiConsumer<String, Object> l = (k, v) -> {
            if (k.equals(key) && v instanceof Long n && n == expected) {
                done.countDown();
            }
        };
        listeners.add(l);
        try {
            Object now = map.get(key);
            if (!(now instanceof Long n && n == expected) && !done.await(20, TimeUnit.MINUTES)) {
                throw new IllegalStateException(key + " did not reach " + expected + ", it is " + map.get(key));
            }
        } finally {
            listeners.remove(l);
        }
        return "{}";
    }

    /**
     * Puts {@code entries} JSON texts {@code {"i":<i>,"s":"<i>x…x" (480 x)}} under {@code k<i>}: the members of
     * memsync's {@code bigdoc} (a ReplicatedHashMap holds any serializable value; JSON as a string here).
     */
    private String fill(int entries) throws InterruptedException {
        String filler = "x".repeat(480);
        long t0 = System.nanoTime();
        long bytes = 0;
        for (int i = 0; i < entries; i++) {
            String json = "{\"i\":" + i + ",\"s\":\"" + i + filler + "\"}";
            bytes += json.length() + ("k" + i).length() + 4;
            map.put("k" + i, json);
        }
        while (map.size() < entries) {
            Thread.sleep(1); // the last multicasts reach this member's own copy asynchronously
        }
        return "{\"micros\":" + (System.nanoTime() - t0) / 1000 + ",\"length\":" + bytes + "}";
    }
}
