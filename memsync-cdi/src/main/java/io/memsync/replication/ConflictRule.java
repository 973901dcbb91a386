package io.memsync.replication;

import io.memsync.Update;
import io.memsync.document.Paths;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The host's conflict check of DESIGN.md §4 "Concurrency control", as pure functions of the retained log.
 *
 * <p>An already-ordered entry X <em>conflicts</em> with an incoming update u when X.version &gt; u.baseVersion, X
 * was accepted (rejections have no effect and never conflict), X comes from another peer,
 * {@code (X.hlc, X.peer) > (u.hlc, u.peer)}, and their paths overlap ({@link Paths#overlap}: equal, or one an
 * ancestor of the other) — unless both are commutative, which merge. No state of its own: the caller passes the
 * retained entries and the index it keeps of them.
 */
final class ConflictRule {
    private ConflictRule() {
    }

    /**
     * Finds the first retained entry the update conflicts with.
     *
     * @param log          the retained entries, in version order; {@code log.get(i)} has version {@code logBase + 1 + i}
     * @param logBase      the version just below the first retained entry
     * @param lastAccepted version of the last accepted entry of each peer in {@code log}; lets the scan be skipped
     *                     when no other peer wrote after {@code base} (it must not miss any peer of {@code log})
     * @param peer         the updating peer
     * @param base         the update's base version (the writer's confirmed version when it sent it)
     * @param hlc          the update's hybrid logical clock reading
     * @param paths        the dotted paths the update writes
     * @param commutative  whether the update is commutative (merges with another commutative change)
     * @return the conflicting entry, or {@code null} when the update may be ordered
     */
    static Entry conflict(List<Entry> log, long logBase, Map<String, Long> lastAccepted, String peer, long base,
                          long hlc, List<String> paths, boolean commutative) {
        // most updates have no change of another peer after their base: skip the scan (a pipelining writer's base
        // lags by its whole window, and scanning it for every update would cost O(window) each)
        long othersLast = 0;
        for (Map.Entry<String, Long> e : lastAccepted.entrySet()) {
            if (e.getValue() > othersLast && !e.getKey().equals(peer)) {
                othersLast = e.getValue();
            }
        }
        if (othersLast <= base) {
            return null;
        }
        int from = (int) Math.max(0, Math.min(log.size(), base - logBase));
        for (Entry x : log.subList(from, log.size())) {
            if (x.version() <= base || !x.accepted() || x.peer().equals(peer)) {
                continue;
            }
            int c = Long.compare(x.hlc(), hlc);
            if (c < 0 || (c == 0 && x.peer().compareTo(peer) <= 0)) {
                continue;
            }
            if (commutative && x.commutative()) {
                continue;
            }
            for (String a : x.paths()) {
                for (String b : paths) {
                    if (Paths.overlap(a, b)) {
                        return x;
                    }
                }
            }
        }
        return null;
    }

    /**
     * The paths an update names, without evaluating it: used when the update fails to evaluate, to tell a failure
     * caused by an unseen change ({@code ERR_STALE_PATCH}) from an invalid update.
     *
     * @param u the update
     * @return the dotted paths it names (operator fields, merge-patch keys, JSON Patch paths); {@code [""]} (the whole
     *         document) when it names none, and {@code ""} for a malformed pointer
     */
    static List<String> declaredPaths(Update u) {
        List<String> out = new ArrayList<>();
        JsonStructure j = u.json();
        switch (u.kind()) {
            case OPERATORS -> j.asJsonObject().values().forEach(v -> {
                if (v instanceof JsonObject o) {
                    out.addAll(o.keySet());
                }
            });
            case MERGE_PATCH -> out.addAll(j.asJsonObject().keySet());
            case JSON_PATCH -> j.asJsonArray().forEach(v -> {
                String p = v instanceof JsonObject o ? o.getString("path", "") : "";
                try {
                    out.add(Paths.dotted(p));
                } catch (IllegalArgumentException e) {
                    out.add(""); // a malformed pointer: counts as a write of the whole document
                }
            });
        }
        return out.isEmpty() ? List.of("") : out;
    }
}
