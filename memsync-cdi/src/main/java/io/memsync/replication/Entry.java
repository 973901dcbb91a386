package io.memsync.replication;

import io.memsync.document.JsonProviders;
import io.memsync.document.JsonWriting;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import java.util.List;

/**
 * One ordered log entry: an accepted update (with its effect) or a rejection (with a code), both consuming a version.
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

    JsonObject toJson() {
        JsonObjectBuilder b = JsonProviders.JSON.createObjectBuilder().add("t", term).add("v", version).add("p", peer).add("s", seq)
                .add("h", hlc).add("cm", commutative);
        if (effect != null) {
            b.add("e", effect);
        } else {
            b.add("c", code).add("m", message == null ? "" : message);
        }
        JsonArrayBuilder pa = JsonProviders.JSON.createArrayBuilder();
        paths.forEach(pa::add);
        return b.add("ps", pa).build();
    }

    /** Appends exactly the text of {@link #toJson()}, without building the object first. */
    void writeJson(StringBuilder sb) {
        sb.append("{\"t\":").append(term).append(",\"v\":").append(version).append(",\"p\":");
        JsonWriting.quote(peer, sb);
        sb.append(",\"s\":").append(seq).append(",\"h\":").append(hlc).append(",\"cm\":").append(commutative);
        if (effect != null) {
            sb.append(",\"e\":");
            JsonWriting.write(effect, sb);
        } else {
            sb.append(",\"c\":");
            JsonWriting.quote(code, sb);
            sb.append(",\"m\":");
            JsonWriting.quote(message == null ? "" : message, sb);
        }
        sb.append(",\"ps\":[");
        for (int i = 0; i < paths.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            JsonWriting.quote(paths.get(i), sb);
        }
        sb.append("]}");
    }

    private static List<String> strings(JsonArray a) {
        String[] out = new String[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((JsonString) a.get(i)).getString();
        }
        return List.of(out);
    }

    /** Reads the form of {@link #toJson()}; also the shorter form of {@link FrameCodec#writeEntry} (no empty "ps"). */
    static Entry fromJson(JsonObject o) {
        return new Entry(o.getJsonNumber("t").longValue(), o.getJsonNumber("v").longValue(), o.getString("p"),
                o.getJsonNumber("s").longValue(), o.getJsonNumber("h").longValue(),
                o.containsKey("e") ? o.getJsonArray("e") : null, o.getString("c", null), o.getString("m", null),
                o.containsKey("ps") ? strings(o.getJsonArray("ps")) : List.of(),
                o.getBoolean("cm", false));
    }
}
