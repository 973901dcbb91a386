package io.memsync.replication;

import jakarta.json.JsonArray;
import java.util.List;

/**
 * One ordered log entry: an accepted update (with its effect) or a rejection (with a code), both consuming a version.
 * Its wire form is {@link FrameCodec}'s alone ({@link FrameCodec#writeEntry}, {@link FrameCodec#readEntry}).
 */
record Entry(long term, long version, String peer, long seq, long hlc, JsonArray effect, String code, String message,
             List<String> paths, boolean commutative) {

    /** Code of an entry that issues a writer grant to {@link #peer()} (message: {@code pid:startTime:cap}). */
    static final String GRANT = "GRANT";
    /** Code of an entry that frees {@link #peer()}'s writer grant. */
    static final String REVOKE = "REVOKE";

    boolean accepted() {
        return effect != null;
    }

    /**
     * An entry issuing a writer grant; its version becomes the grant's fencing number.
     *
     * @param term      the host's term
     * @param version   the entry's version
     * @param holder    the replica granted a slot
     * @param pid       its process id
     * @param startTime its process start time
     * @param cap       the writer cap in force when it was issued
     * @param hlc       the host's clock reading
     * @return the entry
     */
    static Entry grant(long term, long version, String holder, long pid, long startTime, int cap, long hlc) {
        return new Entry(term, version, holder, 0, hlc, null, GRANT, pid + ":" + startTime + ":" + cap, List.of(), false);
    }

    /**
     * An entry freeing a writer grant.
     *
     * @param term    the host's term
     * @param version the entry's version
     * @param holder  the replica whose grant is freed
     * @param why     why, for logs
     * @param hlc     the host's clock reading
     * @return the entry
     */
    static Entry revoke(long term, long version, String holder, String why, long hlc) {
        return new Entry(term, version, holder, 0, hlc, null, REVOKE, why, List.of(), false);
    }

    /** @return whether this entry issues a writer grant */
    boolean isGrant() {
        return effect == null && GRANT.equals(code);
    }

    /** @return whether this entry frees a writer grant */
    boolean isRevoke() {
        return effect == null && REVOKE.equals(code);
    }

    /** @return whether this entry changes the writer grants (it answers no update) */
    boolean isGrantChange() {
        return isGrant() || isRevoke();
    }

    /** @return the process id of a grant's holder */
    long grantPid() {
        return Long.parseLong(message.substring(0, message.indexOf(':')));
    }

    /** @return the process start time of a grant's holder */
    long grantStartTime() {
        return Long.parseLong(message.split(":")[1]);
    }

    /** @return the writer cap in force when a grant was issued */
    int grantCap() {
        return Integer.parseInt(message.split(":")[2]);
    }
}
