package io.memsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A join never succeeds with an empty document (issue 8): two legal patches, each well inside the wire parser's
 * nesting limit (1,000 levels), build a document nested deeper than that limit. Either the host refuses the patch
 * that would cross the limit ({@code ERR_TOO_LARGE} or {@code ERR_INVALID_PATCH}), or a joining process receives the
 * whole document, or its {@code start()} fails with a {@code MemSyncException} that says why; never does
 * {@code start()} return with {@code {}} at version 0.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DeepSnapshotJoinProcessTest {
    static final String NAME = "it-deep";
    /** Each patch's value is nested this deep: its frame stays far below the parser's limit. */
    static final int LEVELS = 600;
    /** Segments of the second patch's path into the first one's value (its dotted path stays below 1,000 characters). */
    static final int PATH_SEGMENTS = 450;
    static final Set<String> CODES = Set.of("ERR_TOO_LARGE", "ERR_INVALID_PATCH", "ERR_PROTOCOL", "ERR_IO", "ERR_TIMEOUT");

    @RegisterExtension
    final Peers peers = new Peers();

    @Test
    void aJoiningProcessGetsTheDeepDocumentOrAClearFailureNeverAnEmptyOne() throws Exception {
        PeerProcess host = peers.launch("H");
        PeerProcess joiner = peers.launch("J");
        host.call("start " + NAME + " data={\"kept\":true}");
        assertThat(host.send("deepset deep " + LEVELS).get(30, TimeUnit.SECONDS)).as("the first patch (" + LEVELS
                + " levels)").startsWith("ok ");
        // the second one sets a value as deep inside the first one's: the document is nested ~1,050 levels
        String inside = "deep" + ".n".repeat(PATH_SEGMENTS);
        String second = host.send("deepset " + inside + " " + LEVELS).get(30, TimeUnit.SECONDS);
        System.out.println("second patch (" + (1 + PATH_SEGMENTS + LEVELS) + " levels in all): " + second);
        if (!second.startsWith("ok ")) {
            assertThat(second).as("the host refuses the patch that crosses the nesting limit")
                    .matches("err (ERR_TOO_LARGE|ERR_INVALID_PATCH) .*");
        }
        JsonObject hostDigest = host.call("digest");

        String start = joiner.send("start " + NAME + " timeout=15000").get(60, TimeUnit.SECONDS);
        System.out.println("join: " + start);
        if (start.startsWith("ok ")) {
            JsonObject joined = joiner.call("digest");
            assertThat(joined).as("the joiner's document (start answered " + start + ") equals the host's " + hostDigest)
                    .isEqualTo(hostDigest);
        } else {
            String code = start.split(" ")[1];
            assertThat(code).as("a failed join says why with a MemSyncException code: " + start).isIn(CODES);
            assertThat(start).as("the failure says it was the document's nesting").matches("(?is).*(nest|deep|depth).*");
        }
    }
}
