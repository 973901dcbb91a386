package io.memsync.replication;

import io.memsync.document.Effects;
import io.memsync.document.PersistentJson;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A replica's confirmed state: the document, its {@code (term, version)}, the retained entries, the exactly-once
 * table and the writer grants, as the ordered log made them (DESIGN.md §4). No threads, no I/O: every method runs
 * under the owning {@link Replica}'s lock, which guards all of this state.
 *
 * <p>The retained entries are versions {@code base() + 1 .. version()} in order; entries at or below {@link #base()}
 * were compacted away (their effects are in the document, their outcomes in the exactly-once table).
 */
final class ReplicatedLog {
    /** Entries kept in the log at least, even below the low-water mark, for stale checks after failover. */
    static final int MIN_RETAINED = 1024;
    /**
     * Most bytes of effects those {@link #MIN_RETAINED} entries below the low-water mark may hold: beyond it the oldest
     * are dropped even so (1,024 large entries would otherwise stay in memory; a client that needs them gets a
     * snapshot, a stale check finds the base older than the log).
     */
    static final long MAX_RETAINED_BYTES = 16L << 20;

    /** Whether {@link #doc} is a real state of the network (else this replica has not received one yet). */
    private boolean haveDoc;
    private JsonObject doc = JsonValue.EMPTY_JSON_OBJECT;
    /** The highest term this replica has seen (its own term while it hosts). */
    private long term;
    private long version;
    /** The term of the last applied entry. */
    private long lastTerm;
    private final List<Entry> entries = new ArrayList<>();
    private long logBase;
    private long logBaseTerm;
    /** The exactly-once table: the highest sequence number ordered per peer id. */
    private final Map<String, Long> table = new HashMap<>();
    /** Version of the last accepted entry of each peer still in the retained log (for {@link ConflictRule}). */
    private final Map<String, Long> lastAccepted = new HashMap<>();
    /** The writer grants the log holds (issued and freed only while a writer cap applies). */
    private final WriterGrants grants = new WriterGrants();

    /** @return whether this replica holds a state of the network (initial data, a snapshot or entries after one) */
    boolean hasDocument() {
        return haveDoc;
    }

    /** @return the confirmed document at {@link #version()} */
    JsonObject document() {
        return doc;
    }

    /** @return the highest term seen */
    long term() {
        return term;
    }

    /** @return the version of the last applied entry ({@code 0} before the first) */
    long version() {
        return version;
    }

    /** @return the term of the last applied entry ({@code 0} before the first) */
    long lastTerm() {
        return lastTerm;
    }

    /** @return the version just below the first retained entry */
    long base() {
        return logBase;
    }

    /** @return the term of the entry at {@link #base()} ({@code 0} when the base is 0) */
    long baseTerm() {
        return logBaseTerm;
    }

    /** @return the writer grants at {@link #version()} */
    WriterGrants grants() {
        return grants;
    }

    /**
     * The exactly-once table's row for a peer.
     *
     * @param peer a peer id
     * @return the highest sequence number of that peer ordered so far, or {@code null} when none was
     */
    Long lastSeq(String peer) {
        return table.get(peer);
    }

    /**
     * Raises the term seen (never lowers it).
     *
     * @param seen a term seen from a peer or the rendezvous
     */
    void observeTerm(long seen) {
        term = Math.max(term, seen);
    }

    /**
     * Starts a new term of this replica as host.
     *
     * @param newTerm the new term, higher than every term seen
     */
    void beginTerm(long newTerm) {
        term = newTerm;
    }

    /**
     * The document an entry leads to from the current one.
     *
     * @param e the next entry
     * @return the document after it (the current one for an entry without an effect)
     */
    JsonObject after(Entry e) {
        return e.accepted() ? PersistentJson.object(Effects.apply(doc, e.effect())) : doc;
    }

    /**
     * Appends the next ordered entry: the document becomes {@code after}, the version advances, the exactly-once
     * table and the grants follow the entry. A grant change moves only the version and the grants.
     *
     * @param e     the entry, with version {@code version() + 1}
     * @param after the document after it (see {@link #after})
     */
    void apply(Entry e, JsonObject after) {
        version = e.version();
        lastTerm = e.term();
        term = Math.max(term, e.term());
        entries.add(e);
        if (e.isGrantChange()) {
            // answers no update and changes no document: only the grants
            grants.apply(e);
            return;
        }
        doc = after;
        table.merge(e.peer(), e.seq(), Math::max);
        if (e.accepted()) {
            lastAccepted.put(e.peer(), e.version());
        }
    }

    /**
     * Drops retained entries at or below a low-water mark, keeping at least {@link #MIN_RETAINED} while they hold
     * at most {@link #MAX_RETAINED_BYTES}.
     *
     * @param lowWater the lowest version every live replica has
     */
    void compact(long lowWater) {
        int k = 0;
        while (entries.size() - k > MIN_RETAINED && entries.get(k).version() <= lowWater) {
            k++;
        }
        if (k < entries.size() && entries.get(k).version() <= lowWater) {
            long retained = 0;
            for (int i = k; i < entries.size(); i++) {
                retained = Math.min(Long.MAX_VALUE / 2, retained + bytes(entries.get(i)));
            }
            while (retained > MAX_RETAINED_BYTES && k < entries.size() && entries.get(k).version() <= lowWater) {
                retained -= bytes(entries.get(k));
                k++;
            }
        }
        if (k > 0) {
            Entry last = entries.get(k - 1);
            logBase = last.version();
            logBaseTerm = last.term();
            entries.subList(0, k).clear();
            lastAccepted.values().removeIf(v -> v <= logBase);
        }
    }

    /** What an entry holds, about: the length of its effect's text, or of its rejection. */
    private static long bytes(Entry e) {
        return 64 + (e.effect() != null ? Math.min(Long.MAX_VALUE / 4, io.memsync.document.JsonSize.bytes(e.effect()))
                : e.message() != null ? e.message().length() : 0);
    }

    /**
     * The term of the entry at a version, where this log still knows it.
     *
     * @param v a version
     * @return its entry's term, {@link #baseTerm()} at the base, or {@code -1} when the version is not retained
     */
    long termAt(long v) {
        if (v == logBase) {
            return logBaseTerm;
        }
        if (v > logBase && v <= version) {
            return entries.get((int) (v - logBase - 1)).term();
        }
        return -1;
    }

    /**
     * The retained entries after a version, in order.
     *
     * @param v a version
     * @return the retained entries with a higher version
     */
    List<Entry> entriesAfter(long v) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.version() > v) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The retained entry that answered one update.
     *
     * @param peer the updating peer
     * @param seq  its sequence number
     * @return the entry, or {@code null} when it is not retained
     */
    Entry entryOf(String peer, long seq) {
        return entries.stream().filter(x -> x.peer().equals(peer) && x.seq() == seq).findFirst().orElse(null);
    }

    /**
     * The first retained entry an update conflicts with ({@link ConflictRule#conflict}).
     *
     * @param peer        the updating peer
     * @param base        the update's base version
     * @param hlc         the update's clock reading
     * @param paths       the paths it writes
     * @param commutative whether it is commutative
     * @return the conflicting entry or {@code null}
     */
    Entry conflict(String peer, long base, long hlc, List<String> paths, boolean commutative) {
        return ConflictRule.conflict(entries, logBase, lastAccepted, peer, base, hlc, paths, commutative);
    }

    /** @return the confirmed state as it travels to another replica */
    Snapshot snapshot() {
        return new Snapshot(lastTerm, version, doc, table, logBase, logBaseTerm, entries, List.copyOf(grants.all()),
                grants.cap());
    }

    /**
     * Replaces the confirmed state with a snapshot (with its log tail, exactly-once table and grants); the term seen
     * rises to the snapshot's last term.
     *
     * @param s the snapshot
     */
    void install(Snapshot s) {
        doc = PersistentJson.object(s.document());
        version = s.version();
        lastTerm = s.lastTerm();
        term = Math.max(term, lastTerm);
        logBase = s.logBase();
        logBaseTerm = s.logBaseTerm();
        entries.clear();
        entries.addAll(SharedEffects.withDocument(s.log(), doc)); // one copy of a value in both, as on the sender
        lastAccepted.clear();
        for (Entry e : entries) {
            if (e.accepted()) {
                lastAccepted.put(e.peer(), e.version());
            }
        }
        table.clear();
        table.putAll(s.table());
        Map<String, WriterGrants.Grant> g = new LinkedHashMap<>();
        s.grants().forEach(x -> g.put(x.peerId(), x));
        grants.replace(g, s.writerCap());
        haveDoc = true;
    }

    /** Forgets the state (a new run): no document until one is received or the initial data is installed. */
    void clear() {
        empty(JsonValue.EMPTY_JSON_OBJECT);
        haveDoc = false;
    }

    /**
     * Starts a fresh document from initial data at version 0 (the term seen is kept).
     *
     * @param data the initial data
     */
    void resetTo(JsonObject data) {
        empty(PersistentJson.object(data));
        haveDoc = true;
    }

    private void empty(JsonObject d) {
        doc = d;
        version = 0;
        lastTerm = 0;
        entries.clear();
        logBase = 0;
        logBaseTerm = 0;
        table.clear();
        lastAccepted.clear();
        grants.clear();
    }
}
