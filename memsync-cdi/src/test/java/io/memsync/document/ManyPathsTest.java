package io.memsync.document;

import static io.memsync.document.Fixture.fails;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import io.memsync.Update;

import org.junit.jupiter.api.Test;

/**
 * An update with many paths costs about linearly in their number: the check of its own paths against each
 * other ({@link PathClaims}) is counted in steps, not timed, and agrees with the pairwise definition.
 */
class ManyPathsTest {

    /** The pairwise rule the claims replace: overlap, or parting with {@code $[]} on one side. */
    private static boolean clashPairwise(String a, String b) {
        if (Paths.overlap(a, b)) {
            return true;
        }
        String[] sa = Paths.split(a);
        String[] sb = Paths.split(b);
        for (int i = 0; i < Math.min(sa.length, sb.length); i++) {
            if (!sa[i].equals(sb[i])) {
                return sa[i].equals(Paths.ALL) || sb[i].equals(Paths.ALL);
            }
        }
        return false;
    }

    private static String randomPath(Random rnd) {
        String[] segs = {"a", "b", "c", "0", "1", Paths.ALL};
        int n = 1 + rnd.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ".").append(segs[rnd.nextInt(i == 0 ? 3 : segs.length)]);
        }
        return sb.toString();
    }

    @Test
    void claimsAgreeWithThePairwiseRule() {
        Random rnd = new Random(7);
        for (int round = 0; round < 5_000; round++) {
            PathClaims claims = new PathClaims();
            List<String> accepted = new ArrayList<>();
            int n = 1 + rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                String p = randomPath(rnd);
                String[] clash = claims.claim(p, "$set");
                String expected = accepted.stream().filter(q -> clashPairwise(q, p)).findFirst().orElse(null);
                if (expected == null) {
                    assertThat(clash).as("claims %s then %s", accepted, p).isNull();
                    accepted.add(p);
                } else {
                    assertThat(clash).as("claims %s then %s", accepted, p).isNotNull();
                    assertThat(clashPairwise(clash[0], p)).as("named clash %s with %s", clash[0], p).isTrue();
                    assertThat(accepted).contains(clash[0]);
                }
            }
        }
    }

    private static Update setOf(int fields, boolean nested) {
        JsonObjectBuilder set = Json.createObjectBuilder();
        for (int i = 0; i < fields; i++) {
            set.add(nested ? "g" + (i % 50) + ".f" + i : "f" + i, i);
        }
        return Update.of(Json.createObjectBuilder().add("$set", set).build());
    }

    @Test
    void theOwnPathCheckOfAWideSetGrowsLinearly() {
        JsonObject doc = PersistentJson.object(Json.createObjectBuilder().add("keep", 1).build());
        for (boolean nested : new boolean[] {false, true}) {
            long[] steps = new long[2];
            int[] widths = {2_000, 8_000};
            for (int k = 0; k < 2; k++) {
                PathClaims claims = new PathClaims();
                UpdateEvaluator.Evaluation ev = UpdateEvaluator.evaluate(doc, setOf(widths[k], nested), claims);
                assertThat(ev.paths()).hasSize(widths[k]).doesNotHaveDuplicates();
                assertThat(ev.document().size()).isEqualTo(nested ? 51 : widths[k] + 1);
                steps[k] = claims.steps();
                // each path is walked twice (check, then insert): 2 steps per segment; pairwise: n²/2 compares
                int segments = nested ? 2 : 1;
                assertThat(steps[k]).isLessThanOrEqualTo(2L * segments * widths[k]);
            }
            assertThat(steps[1]).as("steps for 8,000 paths vs 2,000: %s", java.util.Arrays.toString(steps))
                    .isLessThanOrEqualTo(steps[0] * 41 / 10); // four times the paths, four times the steps
        }
    }

    @Test
    void clashesNameBothPathsAndOperators() {
        fails("{}", "{'$set':{'a.b':1},'$unset':{'a':''}}", "$unset", "'a'", "'a.b'", "($set)");
        fails("{'x':[1]}", "{'$set':{'x.$[]':1},'$inc':{'x.0':1}}", "$inc", "'x.0'", "'x.$[]'", "($set)");
        fails("{'x':[1]}", "{'$set':{'x.0':1,'x.1':1},'$inc':{'x.$[]':1}}", "$inc", "'x.$[]'", "'x.0'");
        fails("{'a':1}", "{'$rename':{'a':'b'},'$set':{'b.c':1}}", "$set", "'b.c'", "'b'", "($rename)");
        Fixture.ok("{'x':[{'a':1,'b':1}]}", "{'$set':{'x.$[].a':2,'x.$[].b':3}}", "{'x':[{'a':2,'b':3}]}");
    }
}
