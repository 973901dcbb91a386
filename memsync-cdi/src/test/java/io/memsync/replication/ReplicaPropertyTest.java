package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memsync.MemSyncChange;
import io.memsync.MemSyncException;
import io.memsync.Update;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random schedules of delays, dropped connections, host and client crashes, joins and a $inc/$set workload; after
 * quiet the invariants of DESIGN.md §4 must hold.
 */
class ReplicaPropertyTest {

    enum Kind { INC, SET, CRASH_HOST, CRASH_CLIENT, DISCONNECT, JOIN, PAUSE }

    record Action(Kind kind, int who, int value) {
    }

    @Provide
    Arbitrary<Action> action() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(12, Kind.INC), net.jqwik.api.Tuple.of(6, Kind.SET),
                net.jqwik.api.Tuple.of(1, Kind.CRASH_HOST), net.jqwik.api.Tuple.of(1, Kind.CRASH_CLIENT),
                net.jqwik.api.Tuple.of(1, Kind.DISCONNECT), net.jqwik.api.Tuple.of(1, Kind.JOIN),
                net.jqwik.api.Tuple.of(3, Kind.PAUSE));
        return net.jqwik.api.Combinators.combine(kinds, Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 100)).as(Action::new);
    }

    /** One writer's submissions, in submission order. */
    static final class Writer {
        final Cluster.Member member;
        final String key;
        final List<CompletableFuture<Outcome>> incs = new ArrayList<>();
        final List<CompletableFuture<Outcome>> all = new ArrayList<>();

        Writer(Cluster.Member member, String key) {
            this.member = member;
            this.key = key;
        }
    }

    @Property(tries = 30, shrinking = ShrinkingMode.OFF)
    void invariantsHoldUnderRandomSchedules(@ForAll @Size(min = 5, max = 40) List<@net.jqwik.api.From("action") Action> actions,
                                            @ForAll @IntRange(min = 0, max = 4) int maxDelayMs,
                                            @ForAll long seed) throws Exception {
        try (Cluster cluster = new Cluster(seed)) {
            cluster.net.maxDelay(Duration.ofMillis(maxDelayMs));
            List<Writer> writers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                writers.add(join(cluster, writers));
            }
            for (Action a : actions) {
                List<Writer> live = writers.stream().filter(w -> !w.member.crashed).toList();
                Writer w = live.get(a.who() % live.size());
                switch (a.kind()) {
                    case INC -> {
                        CompletableFuture<Outcome> f = w.member.replica.submit(
                                Update.of(Json.createObjectBuilder().add("$inc", Json.createObjectBuilder()
                                        .add("n", 1).add("c." + w.key, 1)).build()), null);
                        w.incs.add(f);
                        w.all.add(f);
                    }
                    case SET -> w.all.add(w.member.replica.submit(Update.of(Json.createObjectBuilder()
                            .add("$set", Json.createObjectBuilder().add("s", a.value())).build()), null));
                    case CRASH_HOST -> {
                        if (live.size() > 1) {
                            live.stream().filter(x -> x.member.replica.status().role() == ReplicaStatus.Role.HOST)
                                    .findFirst().ifPresent(x -> cluster.crash(x.member));
                        }
                    }
                    case CRASH_CLIENT -> {
                        if (live.size() > 1 && w.member.replica.status().role() != ReplicaStatus.Role.HOST) {
                            cluster.crash(w.member);
                        }
                    }
                    case DISCONNECT -> cluster.net.disconnect(w.member.node);
                    case JOIN -> {
                        if (writers.size() < 6) {
                            writers.add(join(cluster, writers));
                        }
                    }
                    case PAUSE -> Thread.sleep(a.value() % 20); // part of the schedule, not synchronisation
                }
            }
            List<Writer> live = writers.stream().filter(w -> !w.member.crashed).toList();
            // quiet: every update of a live writer gets a definite outcome (re-sent after failover if needed)
            for (Writer w : live) {
                for (CompletableFuture<Outcome> f : w.all) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        MemSyncException m = (MemSyncException) e.getCause();
                        assertThat(m.code()).isIn(MemSyncException.ERR_STALE_PATCH, MemSyncException.ERR_TIMEOUT);
                    }
                }
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonObject first = live.get(0).member.replica.view();
                for (Writer w : live) {
                    ReplicaStatus st = w.member.replica.status();
                    assertThat(st.pendingCount()).isZero();
                    assertThat(st.role()).isIn(ReplicaStatus.Role.HOST, ReplicaStatus.Role.CLIENT);
                    assertThat(w.member.replica.view()).isEqualTo(first);
                    assertThat(st.version()).isEqualTo(live.get(0).member.replica.status().version());
                }
            });
            JsonObject finalDoc = live.get(0).member.replica.view();
            assertThat(live.stream().filter(w -> w.member.replica.status().role() == ReplicaStatus.Role.HOST)).hasSize(1);
            long sum = 0;
            JsonObject counters = finalDoc.containsKey("c") ? finalDoc.getJsonObject("c") : JsonValue.EMPTY_JSON_OBJECT;
            for (Writer w : writers) {
                long value = counters.containsKey(w.key) ? counters.getJsonNumber(w.key).longValue() : 0;
                sum += value;
                long acked = w.incs.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
                if (!w.member.crashed) {
                    // exactly once and nothing lost: every $inc of a live writer applied exactly once
                    // (unknown-outcome ones were re-sent and have resolved by now)
                    long applied = w.incs.stream().filter(f -> {
                        try {
                            f.getNow(null);
                            return true;
                        } catch (Exception e) {
                            return false;
                        }
                    }).count();
                    long timedOut = w.incs.size() - applied;
                    assertThat(value).as("counter of live writer %s", w.key).isBetween(acked, acked + timedOut);
                    if (timedOut == 0) {
                        assertThat(value).isEqualTo(acked);
                    }
                } else {
                    assertThat(value).as("counter of crashed writer %s", w.key).isLessThanOrEqualTo(w.incs.size());
                }
                // per-writer order: acknowledged updates were ordered in submission order
                long last = -1;
                for (CompletableFuture<Outcome> f : w.all) {
                    if (f.isDone() && !f.isCompletedExceptionally()) {
                        Outcome o = f.getNow(null);
                        assertThat(o.version()).as("per-writer order of %s", w.key).isGreaterThan(last);
                        last = o.version();
                    }
                }
                // versions never go backwards on a replica
                long seen = -1;
                for (ViewChange c : w.member.events.changes) {
                    if (c.state() == MemSyncChange.State.CONFIRMED) {
                        assertThat(c.version()).isGreaterThanOrEqualTo(seen);
                        seen = c.version();
                    }
                }
                assertThat(w.member.events.overlapped).isFalse();
            }
            long n = finalDoc.containsKey("n") ? ((JsonNumber) finalDoc.get("n")).longValue() : 0;
            assertThat(n).as("n is the sum of the per-writer counters (no partial application)").isEqualTo(sum);
        }
    }

    private static Writer join(Cluster cluster, List<Writer> writers) {
        Cluster.Member m = cluster.add(JsonValue.EMPTY_JSON_OBJECT, b -> b.timeout(Duration.ofSeconds(3)));
        m.replica.start();
        return new Writer(m, "w" + writers.size());
    }
}
