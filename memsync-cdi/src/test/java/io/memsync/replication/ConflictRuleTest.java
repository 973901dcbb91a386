package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.memsync.Update;
import jakarta.json.JsonValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The conflict rule of DESIGN.md §4 "Concurrency control", one row per case. */
class ConflictRuleTest {

    /** An accepted entry of {@code peer} at {@code version} writing {@code path}. */
    private static Entry accepted(long version, String peer, long hlc, String path, boolean commutative) {
        return new Entry(1, version, peer, version, hlc, JsonValue.EMPTY_JSON_ARRAY, null, null, List.of(path), commutative);
    }

    private static Entry rejected(long version, String peer, long hlc, String path) {
        return new Entry(1, version, peer, version, hlc, null, "ERR_STALE_PATCH", "no", List.of(path), false);
    }

    /** The check for update (peer "b", base, hlc, path) against a log holding only {@code x} at version 5. */
    private static boolean conflicts(Entry x, long base, String peer, long hlc, String path, boolean commutative) {
        List<Entry> log = List.of(x);
        Map<String, Long> lastAccepted = new HashMap<>();
        if (x.accepted()) {
            lastAccepted.put(x.peer(), x.version());
        }
        return ConflictRule.conflict(log, x.version() - 1, lastAccepted, peer, base, hlc, List.of(path), commutative)
                != null;
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // name, entry X (version 5), update base, update peer, update hlc, update path, commutative, conflict?
                Arguments.of("newer write of another peer to the same path", accepted(5, "a", 20, "x", false), 4L, "b", 10L, "x", false, true),
                Arguments.of("same peer never conflicts", accepted(5, "b", 20, "x", false), 4L, "b", 10L, "x", false, false),
                Arguments.of("older hlc of the entry loses", accepted(5, "a", 5, "x", false), 4L, "b", 10L, "x", false, false),
                Arguments.of("equal hlc: higher peer id of the entry wins", accepted(5, "c", 10, "x", false), 4L, "b", 10L, "x", false, true),
                Arguments.of("equal hlc: lower peer id of the entry loses", accepted(5, "a", 10, "x", false), 4L, "b", 10L, "x", false, false),
                Arguments.of("commutative pair merges", accepted(5, "a", 20, "x", true), 4L, "b", 10L, "x", true, false),
                Arguments.of("commutative entry, non-commutative update", accepted(5, "a", 20, "x", true), 4L, "b", 10L, "x", false, true),
                Arguments.of("non-commutative entry, commutative update", accepted(5, "a", 20, "x", false), 4L, "b", 10L, "x", true, true),
                Arguments.of("entry wrote an ancestor", accepted(5, "a", 20, "x", false), 4L, "b", 10L, "x.y", false, true),
                Arguments.of("entry wrote a descendant", accepted(5, "a", 20, "x.y.z", false), 4L, "b", 10L, "x", false, true),
                Arguments.of("siblings do not overlap", accepted(5, "a", 20, "x.y", false), 4L, "b", 10L, "x.z", false, false),
                Arguments.of("common prefix is not an ancestor", accepted(5, "a", 20, "xy", false), 4L, "b", 10L, "x", false, false),
                Arguments.of("entry at the base is seen", accepted(5, "a", 20, "x", false), 5L, "b", 10L, "x", false, false),
                Arguments.of("entry below the base is seen", accepted(5, "a", 20, "x", false), 7L, "b", 10L, "x", false, false),
                Arguments.of("rejected entries are ignored", rejected(5, "a", 20, "x"), 4L, "b", 10L, "x", false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decidesEachCase(String name, Entry x, long base, String peer, long hlc, String path, boolean commutative,
                         boolean expected) {
        assertThat(conflicts(x, base, peer, hlc, path, commutative)).as(name).isEqualTo(expected);
    }

    @Test
    void scansOnlyAfterTheBaseAndReturnsTheFirstConflict() {
        List<Entry> log = List.of(accepted(11, "a", 50, "x", false), accepted(12, "a", 50, "y", false),
                accepted(13, "c", 60, "y", false));
        Map<String, Long> lastAccepted = Map.of("a", 12L, "c", 13L);

        Entry found = ConflictRule.conflict(log, 10, lastAccepted, "b", 11, 10, List.of("x", "y"), false);

        assertThat(found).isSameAs(log.get(1));
    }

    @Test
    void skipsTheScanWhenNoOtherPeerWroteAfterTheBase() {
        // only the updating peer wrote after the base: no conflict whatever the paths
        List<Entry> log = List.of(accepted(11, "a", 50, "x", false), accepted(12, "b", 50, "x", false));

        assertThat(ConflictRule.conflict(log, 10, Map.of("a", 11L, "b", 12L), "b", 11, 10, List.of("x"), false))
                .isNull();
    }

    /** {@code ""} is the whole document (a JSON Patch on the root, an empty merge patch): it overlaps every path. */
    @Test
    void aWholeDocumentWriteOverlapsEveryPath() {
        assertThat(conflicts(accepted(5, "a", 20, "", false), 4L, "b", 10L, "x.y", false)).isTrue();
    }

    @Test
    void declaredPathsNameWhatAnUpdateWrites() {
        assertThat(ConflictRule.declaredPaths(Update.of("{\"$set\":{\"a.b\":1},\"$inc\":{\"c\":1}}")))
                .containsExactlyInAnyOrder("a.b", "c");
        assertThat(ConflictRule.declaredPaths(Update.mergePatch("{\"k\":1,\"m\":null}")))
                .containsExactlyInAnyOrder("k", "m");
        assertThat(ConflictRule.declaredPaths(Update.jsonPatch("[{\"op\":\"add\",\"path\":\"/a~1b/c\",\"value\":1}]")))
                .containsExactly("a/b.c");
        assertThat(ConflictRule.declaredPaths(Update.jsonPatch("[{\"op\":\"add\",\"path\":\"nope\",\"value\":1}]")))
                .containsExactly("");
        assertThat(ConflictRule.declaredPaths(Update.mergePatch("{}"))).containsExactly("");
    }
}
