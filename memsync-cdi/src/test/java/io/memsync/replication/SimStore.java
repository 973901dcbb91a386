package io.memsync.replication;

import io.memsync.MemSyncException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * One shared object's store in the deterministic simulation: kept in memory across the crashes of the processes
 * that write it, following {@link io.memsync.storage.Store}'s version rule (a violation is recorded: the host must
 * never write a different entry under a version already stored), with each append becoming durable after a random
 * delay, in order (like {@code ALWAYS} on a disk). A crash of the process holding it loses the records not yet
 * durable. One process holds it at a time; {@link #handle} gives each replica its own {@link Persistence}.
 */
final class SimStore {
    private record Rec(long term, long version, byte[] bytes) {
    }

    private final Simulation sim;
    private final SplittableRandom random;
    private byte[] snapshot;
    private long snapTerm;
    private long snapVersion;
    private final List<Rec> records = new ArrayList<>();
    /** How many of {@link #records} are durable (a prefix). */
    private int durable;
    private Handle holder;
    /** When the last append becomes durable (appends become durable in order). */
    private long lastDurableAt;
    private int generation;
    /** Broken version rules, refused opens: what the simulation reports. */
    final List<String> violations = new ArrayList<>();
    int refusedOpens;
    int appends;

    SimStore(Simulation sim, long seed) {
        this.sim = sim;
        this.random = new SplittableRandom(seed * 17 + 5);
    }

    /**
     * A persistence for one replica.
     *
     * @param who     its name, for messages
     * @param crashed whether its process crashed (its hold on the store is then gone)
     * @return the handle
     */
    Handle handle(String who, BooleanSupplier crashed) {
        return new Handle(who, crashed);
    }

    /** The process of {@code h} crashed: what was not durable yet is lost, and the store is free. */
    void crashed(Handle h) {
        if (holder == h) {
            while (records.size() > durable) {
                records.remove(records.size() - 1);
            }
            holder = null;
            generation++;
        }
    }

    private long lastVersion() {
        return records.isEmpty() ? snapVersion : records.get(records.size() - 1).version();
    }

    private long lastTerm() {
        return records.isEmpty() ? snapTerm : records.get(records.size() - 1).term();
    }

    private long termAt(long v) {
        if (v == snapVersion) {
            return snapTerm;
        }
        int i = (int) (v - snapVersion - 1);
        return i >= 0 && i < records.size() ? records.get(i).term() : -1;
    }

    final class Handle implements Persistence {
        private final String who;
        private final BooleanSupplier crashed;

        Handle(String who, BooleanSupplier crashed) {
            this.who = who;
            this.crashed = crashed;
        }

        private void own(String what) {
            if (holder != this) {
                violations.add(who + " " + what + " without holding the store");
                throw new MemSyncException(MemSyncException.ERR_STOPPED, "not open");
            }
        }

        @Override
        public Stored open() {
            if (holder != null && holder != this && !holder.crashed.getAsBoolean()) {
                refusedOpens++;
                throw new MemSyncException(MemSyncException.ERR_IO, "store held by " + holder.who);
            }
            if (holder != null && holder != this) {
                crashed(holder);
            }
            holder = this;
            List<byte[]> tail = new ArrayList<>();
            records.forEach(r -> tail.add(r.bytes()));
            return new Stored(snapshot, tail);
        }

        @Override
        public CompletableFuture<Void> append(long term, long version, byte[] entry) {
            own("appended " + version);
            long v = lastVersion();
            if (version == v + 1 && term >= lastTerm()) {
                records.add(new Rec(term, version, entry));
            } else if (version > snapVersion && version <= v && term > termAt(version) && term >= termAt(version - 1)) {
                while (records.size() > 0 && records.get(records.size() - 1).version() >= version) {
                    records.remove(records.size() - 1);
                }
                durable = Math.min(durable, records.size());
                records.add(new Rec(term, version, entry));
            } else {
                String m = who + " appended (" + term + ", " + version + ") to a store at (" + lastTerm() + ", " + v
                        + "), snapshot at " + snapVersion;
                violations.add(m);
                return CompletableFuture.failedFuture(new MemSyncException(MemSyncException.ERR_PROTOCOL, m));
            }
            appends++;
            CompletableFuture<Void> f = new CompletableFuture<>();
            int gen = generation;
            int index = records.size();
            long at = Math.max(lastDurableAt, sim.now() + random.nextLong(0, 2_000_000));
            lastDurableAt = at;
            sim.schedule(() -> {
                if (generation == gen) {
                    durable = Math.max(durable, Math.min(index, records.size()));
                    f.complete(null);
                }
            }, at - sim.now());
            return f;
        }

        @Override
        public CompletableFuture<Void> snapshot(long term, long version, byte[] state) {
            own("wrote a snapshot at " + version);
            long v = lastVersion();
            if (version < snapVersion || (version <= v && version > snapVersion && termAt(version) != term)
                    || (version == snapVersion && term != snapTerm && !(version == 0 && snapshot == null))) {
                String m = who + " wrote a snapshot at (" + term + ", " + version + ") into a store at (" + lastTerm() + ", "
                        + v + "), snapshot at (" + snapTerm + ", " + snapVersion + ")";
                violations.add(m);
                return CompletableFuture.failedFuture(new MemSyncException(MemSyncException.ERR_PROTOCOL, m));
            }
            // a snapshot is durable at once, and with it everything before it
            int keepFrom = 0;
            while (keepFrom < records.size() && records.get(keepFrom).version() <= version) {
                keepFrom++;
            }
            if (version > v) {
                keepFrom = records.size();
            }
            durable = Math.max(0, Math.max(durable, keepFrom) - keepFrom);
            records.subList(0, keepFrom).clear();
            snapshot = state;
            snapTerm = term;
            snapVersion = version;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean snapshotDue() {
            return records.size() >= 50;
        }

        @Override
        public void flush() {
            own("flushed");
            durable = records.size();
        }

        @Override
        public void close() {
            if (holder == this) {
                durable = records.size();
                holder = null;
            }
        }

        @Override
        public String describe() {
            return "sim-store";
        }
    }
}
