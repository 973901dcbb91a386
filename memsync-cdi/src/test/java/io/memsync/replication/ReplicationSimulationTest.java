package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.memsync.MemSyncChange;
import io.memsync.MemSyncException;
import io.memsync.Precondition;
import io.memsync.Update;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Deterministic simulation of the replication core (the FoundationDB / TigerBeetle way): several replicas on the
 * in-memory network, all on one thread under a simulated clock, driven by a seeded schedule of updates of every kind,
 * host and client crashes, pauses ({@code SIGSTOP}), dropped connections, graceful stops, joins and message delays.
 * After each run every invariant of DESIGN.md §4 that the run can observe is checked. A failing seed is printed
 * and replays identically with {@code -Dmemsync.sim.seed=N}; {@code -Dmemsync.sim.seeds=N} runs more (the
 * {@code soak} profile runs many more).
 */
class ReplicationSimulationTest {
    static final int SEEDS = Integer.getInteger("memsync.sim.seeds", 600);
    static final long ONE_SEED = Long.getLong("memsync.sim.seed", 0);
    static final long MS = 1_000_000L;

    @Test
    void invariantsHoldUnderRandomFaultSchedules() {
        List<String> failures = new ArrayList<>();
        long first = ONE_SEED != 0 ? ONE_SEED : 1;
        long last = ONE_SEED != 0 ? ONE_SEED : SEEDS;
        long events = 0;
        long persistent = 0;
        long killAlls = 0;
        long appends = 0;
        long refused = 0;
        long t0 = System.nanoTime();
        try (LogWatch watch = new LogWatch()) {
            for (long seed = first; seed <= last && failures.size() < 5; seed++) {
                World w = new World(seed, watch);
                try {
                    w.run();
                } catch (AssertionError | RuntimeException e) {
                    failures.add("seed " + seed + ": " + e.getMessage() + " (replay: -Dmemsync.sim.seed=" + seed + ")");
                    if (ONE_SEED != 0) {
                        throw e;
                    }
                }
                events += w.sim.executed();
                persistent += w.persistent ? 1 : 0;
                killAlls += w.killAlls;
                appends += w.store.appends;
                refused += w.store.refusedOpens;
            }
        }
        System.out.printf("simulated %d seeds, %d events, in %d ms; %d seeds with a store (%d entries appended, %d kills"
                + " of every process, %d opens refused while another process held the store)%n", last - first + 1, events,
                (System.nanoTime() - t0) / 1_000_000, persistent, appends, killAlls, refused);
        assertThat(failures).as("failing seeds").isEmpty();
    }

    /** Collects ERROR and WARNING records of the replica while a seed runs (an ERROR is a failed event: a bug). */
    static final class LogWatch extends Handler implements AutoCloseable {
        final Logger logger = Logger.getLogger(Replica.class.getName());
        final List<String> errors = new ArrayList<>();
        /** Warnings of a host whose store failed (then acknowledgements stop waiting for it). */
        final List<String> persistenceFailures = new ArrayList<>();
        private final boolean useParent;

        /** The simulation whose time prefixes the trace, when replaying one seed (then everything is printed). */
        Simulation traced;

        LogWatch() {
            useParent = logger.getUseParentHandlers();
            logger.setUseParentHandlers(false);
            logger.addHandler(this);
            if (ONE_SEED != 0) {
                logger.setLevel(Level.FINE);
                setLevel(Level.FINE);
            }
        }

        @Override
        public void publish(LogRecord r) {
            if (traced != null) {
                System.out.printf("%9.3f ms %s%n", traced.now() / 1e6, r.getMessage());
            }
            if (r.getMessage() != null && r.getMessage().contains("persistence failing")) {
                persistenceFailures.add(r.getMessage());
            }
            if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(r.getMessage() + (r.getThrown() == null ? "" : ": " + r.getThrown()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(useParent);
        }
    }

    /** One seeded run. */
    static final class World {
        final long seed;
        final Simulation sim;
        final InMemoryNetwork net;
        final SplittableRandom plan;
        final LogWatch watch;
        final List<Member> members = new ArrayList<>();
        /** The writer cap every process declares in this run (a third of the seeds), else none. */
        final int cap;
        /**
         * Whether the processes of this run persist into one {@link SimStore} (a third of the seeds; decided by a
         * random of its own, so the schedules of the other seeds stay as they were). Such a run also kills every
         * process at once now and then, and then every acknowledged update must be there after the restart.
         */
        final boolean persistent;
        final SplittableRandom storePlan;
        final SimStore store;
        int killAlls;

        World(long seed, LogWatch watch) {
            this.seed = seed;
            this.watch = watch;
            sim = new Simulation(seed);
            net = new InMemoryNetwork(sim, seed);
            plan = new SplittableRandom(seed * 31 + 7);
            cap = plan.nextInt(3) == 0 ? plan.nextInt(1, 3) : Integer.MAX_VALUE;
            storePlan = new SplittableRandom(seed * 131 + 3);
            persistent = storePlan.nextInt(3) == 0;
            store = new SimStore(sim, seed);
            watch.errors.clear();
            watch.persistenceFailures.clear();
            if (ONE_SEED != 0) {
                watch.traced = sim;
            }
        }

        void run() {
            net.maxDelay(Duration.ofNanos(plan.nextLong(50, 3000) * 1000));
            int initial = plan.nextInt(2, 5);
            for (int i = 0; i < initial; i++) {
                add(true);
                sim.runFor(plan.nextLong(0, 30) * MS);
            }
            long busy = plan.nextLong(1000, 3000) * MS;
            long end = sim.now() + busy;
            while (sim.now() < end) {
                act();
                checkGrants();
                sim.runFor(plan.nextLong(1, 12) * MS);
            }
            // heal: everyone paused resumes, then the network must converge
            for (Member m : members) {
                if (m.node.proc.paused()) {
                    m.node.proc.resume();
                }
            }
            boolean quiet = sim.runUntil(this::converged, 60_000 * MS);
            check(quiet);
        }

        /**
         * A new process. The first ones (started together, any may become the first host) bring the starting data;
         * later ones a marker that must never replace the live document.
         */
        Member add(boolean first) {
            InMemoryNetwork.Node node = net.node();
            JsonObject data = first ? obj("{\"c\":{},\"s\":{},\"arr\":[]}") : obj("{\"fresh\":" + node.pid + "}");
            ReplicaOptions options = ReplicaOptions.builder(Cluster.NAME).data(data).process(node.pid, 1)
                    .heartbeatInterval(Duration.ofMillis(20)).timeout(Duration.ofSeconds(2))
                    .recoveryWait(Duration.ofMillis(300)).clock(sim.wallClock()).maxWriters(cap)
                    .writerSlotWait(Duration.ofMillis(cap == Integer.MAX_VALUE ? 0 : 1500)).build();
            Member m = new Member(this, node);
            trace("start " + m + (first ? " with the starting data" : ""));
            m.replica = new Replica(options, node.transport(), node.election(), net.liveness(), m, node.proc);
            if (persistent) {
                m.handle = store.handle(m.key(), () -> m.crashed);
                m.replica.persistence(m.handle, false);
            }
            members.add(m);
            m.start = m.replica.startAsync();
            // as start() does: a replica whose start failed is stopped
            m.start.whenComplete((v, e) -> {
                if (e != null && !m.crashed) {
                    trace("start of " + m + " failed: " + e);
                    m.stopped = true;
                    m.stopping = m.replica.stopAsync();
                }
            });
            return m;
        }

        private static JsonObject obj(String json) {
            return io.memsync.document.JsonText.parseObject(json);
        }

        List<Member> live() {
            return members.stream().filter(m -> !m.crashed && !m.stopped).toList();
        }

        /** Live members that have the document (a crash of the last of them may legitimately lose data). */
        long holders() {
            return live().stream().filter(m -> m.start.isDone() && !m.start.isCompletedExceptionally()).count();
        }

        void act() {
            if (persistent && storePlan.nextInt(100) < 2 && storeSound()) {
                killAll();
                return;
            }
            List<Member> live = live();
            List<Member> running = live.stream().filter(m -> !m.node.proc.paused() && m.start.isDone()
                    && !m.start.isCompletedExceptionally()).toList();
            int roll = plan.nextInt(100);
            if (roll < 55 && !running.isEmpty()) {
                pick(running).inc();
            } else if (roll < 72 && !running.isEmpty()) {
                pick(running).other();
            } else if (roll < 76) {
                live.stream().filter(m -> m.replica.status().role() == ReplicaStatus.Role.HOST).findFirst()
                        .filter(m -> holders() > 1).ifPresent(m -> {
                            crash(m);
                            add(false);
                        });
            } else if (roll < 79 && live.size() > 1 && holders() > 1) {
                crash(pick(live));
                add(false);
            } else if (roll < 84 && !live.isEmpty()) {
                Member m = pick(live);
                if (!m.node.proc.paused()) {
                    m.node.proc.pause();
                    long d = plan.nextLong(20, 1500) * MS;
                    trace("pause " + m + " for " + d / MS + " ms");
                    sim.schedule(() -> {
                        if (!m.crashed) {
                            trace("resume " + m);
                            m.node.proc.resume();
                        }
                    }, d);
                }
            } else if (roll < 87 && !live.isEmpty()) {
                Member m = pick(live);
                trace("disconnect " + m);
                net.disconnect(m.node);
            } else if (roll < 88 && !running.isEmpty() && holders() > 1) {
                Member m = pick(running);
                trace("stop " + m);
                m.stopped = true;
                m.stopping = m.replica.stopAsync();
                add(false);
            } else if (roll < 90 && live.size() < 6) {
                add(false);
            }
        }

        void trace(String what) {
            if (watch.traced != null) {
                System.out.printf("%9.3f ms ## %s%n", sim.now() / 1e6, what);
            }
        }

        /** At most {@code cap} writers hold a grant, on every replica, at every moment the schedule looks. */
        void checkGrants() {
            for (Member m : live()) {
                assertThat(m.replica.writerGrants()).as("%s: writer grants under cap %d", m, cap).isLessThanOrEqualTo(cap);
            }
        }

        void crash(Member m) {
            trace("crash " + m + " " + m.replica.status());
            m.crashed = true;
            net.crash(m.node);
            m.replica.kill();
            if (m.handle != null) {
                store.crashed(m.handle);
            }
        }

        /** Whether the store worked throughout (then nothing acknowledged may be lost, whoever crashed). */
        boolean storeSound() {
            return store.violations.isEmpty() && store.refusedOpens == 0 && watch.persistenceFailures.isEmpty();
        }

        /** Every process dies at once (like {@code kill -9} of all), then two fresh ones start on the store. */
        void killAll() {
            killAlls++;
            trace("kill every process");
            for (Member m : live()) {
                crash(m);
            }
            add(false);
            add(false);
        }

        <T> T pick(List<T> list) {
            return list.get(plan.nextInt(list.size()));
        }

        boolean converged() {
            List<Member> live = live();
            if (live.isEmpty()) {
                return true;
            }
            Member ref = null;
            int hosts = 0;
            for (Member m : live) {
                ReplicaStatus s = m.replica.status();
                if (!m.start.isDone()) {
                    return false;
                }
                if (m.start.isCompletedExceptionally()) {
                    continue;
                }
                if (s.pendingCount() != 0 || (s.role() != ReplicaStatus.Role.HOST && s.role() != ReplicaStatus.Role.CLIENT)) {
                    return false;
                }
                hosts += s.role() == ReplicaStatus.Role.HOST ? 1 : 0;
                if (ref == null) {
                    ref = m;
                } else if (ref.replica.status().version() != s.version() || !ref.replica.view().equals(m.replica.view())) {
                    return false;
                }
            }
            return hosts == 1;
        }

        void check(boolean quiet) {
            assertThat(watch.errors).as("replica errors").isEmpty();
            assertThat(store.violations).as("store version rule").isEmpty();
            List<String> state = new ArrayList<>();
            for (Member m : live()) {
                ReplicaStatus st = m.replica.status();
                state.add(m + " " + st.role() + " (" + st.term() + ", " + st.version() + ") pending " + st.pendingCount()
                        + (m.start.isDone() ? "" : " starting"));
            }
            assertThat(quiet).as("converged after quiet (cap %d): %s", cap, state).isTrue();
            checkGrants();
            List<Member> live = live().stream().filter(m -> !m.start.isCompletedExceptionally()).toList();
            assertThat(live).as("a live member with the document").isNotEmpty();
            JsonObject doc = live.get(0).replica.view();
            assertThat(doc.containsKey("fresh")).as("a starting process's data replaced the live document: %s", doc)
                    .isFalse();
            JsonObject counters = doc.getJsonObject("c");
            for (Member m : members) {
                m.checkOrder();
                long count = counters.containsKey(m.key()) ? counters.getJsonNumber(m.key()).longValue() : 0;
                long upper = m.attempted - m.definitelyFailed;
                assertThat(count).as("%s: applied increments (attempted %d, definitely failed %d)", m, m.attempted,
                        m.definitelyFailed).isLessThanOrEqualTo(upper);
                if (!m.crashed && !m.stopped) {
                    assertThat(count).as("%s: applied increments vs acknowledged", m).isGreaterThanOrEqualTo(m.acked);
                } else if (persistent && storeSound()) {
                    assertThat(count).as("%s: applied increments vs acknowledged, persisted (%d kills of all)", m, killAlls)
                            .isGreaterThanOrEqualTo(m.acked);
                }
            }
        }
    }

    /** One simulated process running one replica, with what it attempted and what it was told. */
    static final class Member implements ReplicaListener {
        final World world;
        final InMemoryNetwork.Node node;
        Replica replica;
        /** Its handle on the run's store, when the run persists. */
        SimStore.Handle handle;
        CompletableFuture<Void> start;
        CompletableFuture<Void> stopping;
        boolean crashed;
        boolean stopped;
        long attempted;
        long acked;
        long definitelyFailed;
        long lastConfirmedVersion;
        long lastConfirmedTerm;
        /** Versions of acknowledged updates in submission order (per-writer order). */
        final List<long[]> ackedAt = new ArrayList<>();

        Member(World world, InMemoryNetwork.Node node) {
            this.world = world;
            this.node = node;
        }

        String key() {
            return "p" + node.pid;
        }

        void inc() {
            long n = ++attempted;
            CompletableFuture<Outcome> f = replica.submit(Update.of(obj("{\"$inc\":{\"c." + key() + "\":1}}")), null);
            f.whenComplete((o, e) -> {
                if (e == null) {
                    acked++;
                    ackedAt.add(new long[] {n, o.term(), o.version()});
                } else if (definite(e)) {
                    definitelyFailed++;
                }
            });
        }

        /** A write that is not counted: conflicting sets, array and patch kinds, preconditions. */
        void other() {
            SplittableRandom r = world.plan;
            String k = "k" + r.nextInt(4);
            Update u = switch (r.nextInt(6)) {
                case 0, 1 -> Update.of(obj("{\"$set\":{\"s." + k + "\":" + r.nextInt(1000) + "}}"));
                case 2 -> Update.of(obj("{\"$push\":{\"arr\":{\"$each\":[" + r.nextInt(10) + "],\"$slice\":-5}}}"));
                case 3 -> Update.jsonPatch("[{\"op\":\"add\",\"path\":\"/s/" + k + "\",\"value\":" + r.nextInt(9) + "}]");
                case 4 -> Update.mergePatch("{\"s\":{\"" + k + "\":null}}");
                default -> Update.of(obj("{\"$max\":{\"s.max\":" + r.nextInt(1000) + "}}"));
            };
            Precondition pre = r.nextInt(4) == 0 ? Precondition.version(replica.status().version()) : null;
            replica.submit(u, pre);
        }

        private static boolean definite(Throwable e) {
            Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return c instanceof MemSyncException m && !MemSyncException.ERR_TIMEOUT.equals(m.code());
        }

        private static JsonObject obj(String json) {
            return io.memsync.document.JsonText.parseObject(json);
        }

        void checkOrder() {
            long lastVersion = 0;
            List<long[]> bySeq = new ArrayList<>(ackedAt);
            bySeq.sort(java.util.Comparator.comparingLong(a -> a[0]));
            for (long[] a : bySeq) {
                assertThat(a[2]).as("%s: acknowledged update %d at version %d after one at %d", this, a[0], a[2],
                        lastVersion).isGreaterThan(lastVersion);
                lastVersion = a[2];
            }
        }

        @Override
        public void viewChanged(ViewChange c) {
            if (c.state() == MemSyncChange.State.CONFIRMED) {
                if (c.version() < lastConfirmedVersion || c.term() < lastConfirmedTerm) {
                    throw new AssertionError(this + ": confirmed (term, version) went back from (" + lastConfirmedTerm
                            + ", " + lastConfirmedVersion + ") to (" + c.term() + ", " + c.version() + ")");
                }
                lastConfirmedVersion = c.version();
                lastConfirmedTerm = c.term();
            }
        }

        @Override
        public String toString() {
            return key() + (crashed ? " (crashed)" : stopped ? " (stopped)" : "");
        }
    }
}
