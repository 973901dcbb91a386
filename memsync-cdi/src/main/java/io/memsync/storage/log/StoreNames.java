package io.memsync.storage.log;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of segments and snapshots, the same in a folder and in a bucket. Numbers are zero-padded to 20 digits so
 * names sort like their numbers.
 * <ul>
 *   <li>segment: {@code wal-<sequence>-<base version>.log}: the sequence number orders segments; the base version
 *       is the version of the segment's {@link RecordCodec#BASE} record, so compaction and recovery can tell
 *       which segments a snapshot makes unnecessary without reading them;</li>
 *   <li>snapshot: {@code snapshot-<version>-<term>.snap}.</li>
 * </ul>
 */
public final class StoreNames {
    private static final Pattern SEGMENT = Pattern.compile("wal-(\\d{20})-(\\d{20})\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{20})-(\\d{20})\\.snap");

    private StoreNames() {
    }

    /**
     * A segment's name.
     *
     * @param sequence    its sequence number
     * @param baseVersion the version of its base record
     * @return the name
     */
    public static String segment(long sequence, long baseVersion) {
        return String.format("wal-%020d-%020d.log", sequence, baseVersion);
    }

    /**
     * A snapshot's name.
     *
     * @param version its version
     * @param term    its term
     * @return the name
     */
    public static String snapshot(long version, long term) {
        return String.format("snapshot-%020d-%020d.snap", version, term);
    }

    /**
     * A parsed segment name.
     *
     * @param name        the name
     * @param sequence    the sequence number
     * @param baseVersion the base version
     */
    public record SegmentName(String name, long sequence, long baseVersion) {
    }

    /**
     * A parsed snapshot name.
     *
     * @param name    the name
     * @param version the version
     * @param term    the term
     */
    public record SnapshotName(String name, long version, long term) {
    }

    /**
     * Parses a segment name.
     *
     * @param name a file or key name (without folder)
     * @return the parsed name, or {@code null} when it is not a segment's
     */
    public static SegmentName parseSegment(String name) {
        Matcher m = SEGMENT.matcher(name);
        return m.matches() ? new SegmentName(name, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))) : null;
    }

    /**
     * Parses a snapshot name.
     *
     * @param name a file or key name (without folder)
     * @return the parsed name, or {@code null} when it is not a snapshot's
     */
    public static SnapshotName parseSnapshot(String name) {
        Matcher m = SNAPSHOT.matcher(name);
        return m.matches() ? new SnapshotName(name, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))) : null;
    }
}
