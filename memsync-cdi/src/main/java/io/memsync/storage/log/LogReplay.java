package io.memsync.storage.log;

import java.util.ArrayList;
import java.util.List;

import io.memsync.storage.LoadedState;
import io.memsync.storage.LogRecord;
import io.memsync.storage.SnapshotRecord;

/**
 * Recovers a log from its segments: reads them in order, checks every record (length, checksum, version rule),
 * and says where each segment's good part ends and which segments cannot be used, so the store can cut them.
 *
 * <p>Rules: inside a segment, reading stops at the first torn or corrupt record or at a record breaking the version
 * rule; the rest of that segment is cut. The next segment's {@link RecordCodec#BASE base record} then decides: it
 * continues the log when it equals the last position read, or jumps forward when the snapshot covers the jump (the
 * records in between are in the snapshot); otherwise it and every later segment are set aside, since the log
 * after the gap cannot be applied. The records after the snapshot are the tail.
 */
public final class LogReplay {

    private LogReplay() {
    }

    /**
     * A segment to replay.
     *
     * @param name  its file or object name
     * @param bytes its content
     */
    public record Segment(String name, byte[] bytes) {
    }

    /**
     * A segment whose end must be cut.
     *
     * @param segment     its index in the replayed list
     * @param validLength the length of its good part (a segment whose good part is at most the header holds nothing)
     * @param reason      why
     */
    public record Truncation(int segment, long validLength, String reason) {
    }

    /**
     * The outcome.
     *
     * @param tail        the records after the snapshot, in order
     * @param sequence    the positions after the snapshot (based at the snapshot, or the start), ready for appends
     * @param truncations the segments to cut
     * @param discardFrom the index of the first segment to set aside with every later one (the list size when none)
     * @param entries     the number of entries read from each segment
     * @param cuts        every cut, for {@link LoadedState#cuts()}
     */
    public record Result(List<LogRecord> tail, LogSequence sequence, List<Truncation> truncations, int discardFrom,
                         int[] entries, List<LoadedState.Cut> cuts) {
    }

    /**
     * Replays segments after a snapshot, if any.
     *
     * @param segments the segments, in sequence order
     * @param snapshot the snapshot, or {@code null}
     * @return the outcome
     * @throws IllegalStateException when the log disagrees with the snapshot about the term at the snapshot's version
     */
    public static Result replay(List<Segment> segments, SnapshotRecord snapshot) {
        return snapshot == null ? replay(segments, false, 0, 0) : replay(segments, true, snapshot.term(), snapshot.version());
    }

    /**
     * Replays segments after a snapshot.
     *
     * @param segments        the segments, in sequence order
     * @param hasSnapshot     whether there is a snapshot
     * @param snapshotTerm    its term (ignored without one)
     * @param snapshotVersion its version (ignored without one)
     * @return the outcome
     * @throws IllegalStateException when the log disagrees with the snapshot about the term at the snapshot's version
     */
    public static Result replay(List<Segment> segments, boolean hasSnapshot, long snapshotTerm, long snapshotVersion) {
        long sv = hasSnapshot ? snapshotVersion : 0;
        long st = hasSnapshot ? snapshotTerm : 0;
        LogSequence seq = new LogSequence(0, 0);
        List<LogRecord> records = new ArrayList<>();
        List<Truncation> truncations = new ArrayList<>();
        List<LoadedState.Cut> cuts = new ArrayList<>();
        int[] entries = new int[segments.size()];
        int discardFrom = segments.size();
        outer:
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            RecordCodec.Reader reader = new RecordCodec.Reader(segment.bytes());
            boolean first = true;
            RecordCodec.Decoded d;
            while ((d = reader.next()) != null) {
                if (d.kind() == RecordCodec.BASE) {
                    String why = null;
                    if (d.version() == seq.lastVersion()) {
                        if (d.term() != seq.lastTerm()) {
                            why = "base (term " + d.term() + ", version " + d.version() + ") disagrees with term " + seq.lastTerm()
                                    + " of that version in the log";
                        }
                    } else if (d.version() > seq.lastVersion() && d.version() <= sv) {
                        seq = new LogSequence(d.term(), d.version());
                        records.clear();
                    } else if (d.version() > seq.lastVersion()) {
                        why = "the log jumps from version " + seq.lastVersion() + " to " + d.version() + ", beyond "
                                + (hasSnapshot ? "the snapshot at version " + sv : "any snapshot")
                                + " (the snapshot that covered the jump is missing or corrupt)";
                    } else {
                        why = "the segment starts at version " + d.version() + ", behind the log's last version " + seq.lastVersion();
                    }
                    if (why != null) {
                        if (first) {
                            discardFrom = i;
                            for (int j = i; j < segments.size(); j++) {
                                cuts.add(new LoadedState.Cut(segments.get(j).name(), 0, -1,
                                        (j == i ? why : "follows " + segment.name() + ", which was set aside") + "; segment set aside"));
                            }
                            break outer;
                        }
                        reader.reject(d, why);
                        break;
                    }
                } else {
                    String why = first ? "the segment does not start with a base record" : seq.refusal(d.term(), d.version());
                    if (why != null) {
                        reader.reject(d, why);
                        break;
                    }
                    seq.accept(d.term(), d.version(), d.size());
                    int keep = (int) (d.version() - seq.baseVersion() - 1);
                    if (keep < records.size()) {
                        records.subList(keep, records.size()).clear();
                    }
                    records.add(new LogRecord(d.term(), d.version(), d.payload()));
                    entries[i]++;
                }
                first = false;
            }
            if (reader.problem() != null) {
                long valid = reader.validLength();
                truncations.add(new Truncation(i, valid, reader.problem()));
                cuts.add(new LoadedState.Cut(segment.name(), valid, segment.bytes().length - valid, reader.problem()));
            }
        }
        List<LogRecord> tail;
        if (!hasSnapshot) {
            tail = records;
        } else if (sv >= seq.lastVersion()) {
            if (sv == seq.lastVersion() && seq.termAt(sv) != st) {
                throw new IllegalStateException("the log holds version " + sv + " with term " + seq.termAt(sv)
                        + " but the snapshot has term " + st);
            }
            tail = List.of();
            seq = new LogSequence(st, sv);
        } else {
            if (seq.termAt(sv) != st) {
                throw new IllegalStateException("the log holds version " + sv + " with term " + seq.termAt(sv)
                        + " but the snapshot has term " + st);
            }
            tail = new ArrayList<>(records.subList((int) (sv - seq.baseVersion()), records.size()));
            seq.rebase(st, sv);
        }
        return new Result(tail, seq, truncations, discardFrom, entries, cuts);
    }
}
