package io.memsync.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Cutting snapshots into chunks and putting them back together, and the assembler's refusals. */
class SnapshotChunksTest {

    /** A snapshot whose encoded text has exactly {@code length} characters (at least the text of an empty one). */
    private static Snapshot snapshotOfLength(int length) {
        String empty = FrameCodec.encodeSnapshot(withPad(""));
        int pad = length - empty.length();
        if (pad < 0) {
            throw new IllegalArgumentException("too short: " + length);
        }
        Snapshot s = withPad("x".repeat(pad));
        assertThat(FrameCodec.encodeSnapshot(s)).hasSize(length);
        return s;
    }

    /** A small snapshot whose document holds the given string. */
    private static Snapshot withPad(String pad) {
        JsonObject doc = FrameSamples.object("{\"pad\":\"" + pad + "\"}");
        return new Snapshot(1, 3, doc, Map.of("p", 3L), 0, 0, List.of(FrameSamples.emptyEffect()));
    }

    /** Sends each chunk through the codec, as a frame, and assembles them. */
    private static Snapshot throughTheWire(List<Frame.SnapChunk> chunks) {
        SnapshotChunks.Assembler a = new SnapshotChunks.Assembler(Long.MAX_VALUE);
        Optional<Snapshot> out = Optional.empty();
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(out).isEmpty();
            Frame.SnapChunk back = (Frame.SnapChunk) FrameCodec.decode(FrameCodec.encode(chunks.get(i)));
            out = a.accept(back);
            assertThat(a.inProgress()).isEqualTo(i < chunks.size() - 1);
        }
        return out.orElseThrow();
    }

    @Test
    void textIsCutIntoChunksOfAtMostTheSizeAroundEveryBoundary() {
        int max = 16;
        for (int length : new int[] {0, 1, 15, 16, 17, 31, 32, 33, 48, 49}) {
            String text = "abcdefghijklmnopqrstuvwxyz".repeat(2).substring(0, Math.min(length, 52)) + "-".repeat(Math.max(0, length - 52));
            List<Frame.SnapChunk> chunks = SnapshotChunks.split(text, max);
            assertThat(chunks).as("length %d", length).hasSize(Math.max(1, (length + max - 1) / max));
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < chunks.size(); i++) {
                Frame.SnapChunk c = chunks.get(i);
                assertThat(c.index()).isEqualTo(i);
                assertThat(c.count()).isEqualTo(chunks.size());
                assertThat(c.data().length()).isLessThanOrEqualTo(max);
                joined.append(c.data());
            }
            assertThat(joined.toString()).isEqualTo(text);
        }
    }

    @Test
    void snapshotsAroundChunkBoundariesSurviveTheWire() {
        int max = 64;
        int smallest = FrameCodec.encodeSnapshot(withPad("")).length();
        for (int k = 2; k <= 4; k++) {
            for (int delta = -1; delta <= 1; delta++) {
                int length = k * max + delta;
                assertThat(length).isGreaterThan(smallest);
                Snapshot s = snapshotOfLength(length);
                List<Frame.SnapChunk> chunks = SnapshotChunks.split(s, max);
                assertThat(chunks).hasSize(delta > 0 ? k + 1 : k);
                assertThat(throughTheWire(chunks)).isEqualTo(s);
            }
        }
    }

    @Test
    void aMultiChunkSnapshotAtTheDefaultChunkSizeSurvivesTheWire() {
        int length = 2 * SnapshotChunks.CHUNK_CHARS + 1234;
        Snapshot s = snapshotOfLength(length);
        List<Frame.SnapChunk> chunks = SnapshotChunks.split(s, SnapshotChunks.CHUNK_CHARS);
        assertThat(chunks).hasSize(3);
        assertThat(chunks).allSatisfy(c -> assertThat(c.data().length()).isLessThanOrEqualTo(SnapshotChunks.CHUNK_CHARS));
        assertThat(throughTheWire(chunks)).isEqualTo(s);
    }

    @Test
    void theSampleSnapshotSurvivesTheWireInTinyChunks() {
        Snapshot s = FrameSamples.snapshot();
        for (int max : new int[] {2, 3, 7, 100, 100_000}) {
            assertThat(throughTheWire(SnapshotChunks.split(s, max))).as("max %d", max).isEqualTo(s);
        }
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String smiley = "\uD83D\uDE00";
        String text = "a".repeat(15) + smiley + "b".repeat(14) + smiley + smiley;
        List<Frame.SnapChunk> chunks = SnapshotChunks.split(text, 16);
        assertThat(chunks.get(0).data()).isEqualTo("a".repeat(15));
        StringBuilder joined = new StringBuilder();
        for (Frame.SnapChunk c : chunks) {
            String d = c.data();
            assertThat(d.length()).isBetween(1, 16);
            assertThat(Character.isLowSurrogate(d.charAt(0))).as(d).isFalse();
            assertThat(Character.isHighSurrogate(d.charAt(d.length() - 1))).as(d).isFalse();
            joined.append(d);
        }
        assertThat(joined.toString()).isEqualTo(text);
        String pairs = smiley.repeat(5);
        assertThat(SnapshotChunks.split(pairs, 3)).extracting(Frame.SnapChunk::data).containsOnly(smiley);
    }

    @Test
    void chunksMustHoldAtLeastTwoCharacters() {
        assertThatThrownBy(() -> SnapshotChunks.split("abc", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The chunks of a snapshot of exactly three chunks of 64 characters. */
    private static List<Frame.SnapChunk> threeChunks() {
        List<Frame.SnapChunk> chunks = SnapshotChunks.split(snapshotOfLength(3 * 64), 64);
        assertThat(chunks).hasSize(3);
        return chunks;
    }

    /** Checks that the assembler refuses the chunk, naming the field and the problem, and is then idle. */
    private static void refused(SnapshotChunks.Assembler a, Frame.SnapChunk c, String field, String message) {
        assertThatThrownBy(() -> a.accept(c)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.frameType()).isEqualTo("snap");
            assertThat(e.field()).isEqualTo(field);
            assertThat(e).hasMessageContaining(message);
        });
        assertThat(a.inProgress()).isFalse();
    }

    @Test
    void aChunkWithoutTheFirstOneIsRefused() {
        SnapshotChunks.Assembler a = new SnapshotChunks.Assembler(Long.MAX_VALUE);
        refused(a, threeChunks().get(1), "i", "chunk 1 of 3 without the chunks before it");
    }

    @Test
    void aDuplicateChunkIsRefused() {
        List<Frame.SnapChunk> c = threeChunks();
        SnapshotChunks.Assembler a = new SnapshotChunks.Assembler(Long.MAX_VALUE);
        a.accept(c.get(0));
        a.accept(c.get(1));
        refused(a, c.get(1), "i", "chunk 1 of 3 again (duplicate)");
        a.accept(c.get(0));
        refused(a, c.get(0), "i", "chunk 0 of 3 again (duplicate)");
    }

    @Test
    void aSkippedChunkIsRefused() {
        List<Frame.SnapChunk> c = threeChunks();
        SnapshotChunks.Assembler a = new SnapshotChunks.Assembler(Long.MAX_VALUE);
        a.accept(c.get(0));
        refused(a, c.get(2), "i", "chunk 2 of 3 where chunk 1 was due");
    }

    @Test
    void aChunkWithAnotherCountIsRefused() {
        List<Frame.SnapChunk> c = threeChunks();
        SnapshotChunks.Assembler a = new SnapshotChunks.Assembler(Long.MAX_VALUE);
        a.accept(c.get(0));
        refused(a, new Frame.SnapChunk(1, 4, c.get(1).data()), "n", "chunk 1 says 4 chunks, the first said 3");
    }

    @Test
    void aSnapshotBeyondTheLimitIsRefusedAtTheChunkThatCrossesIt() {
        List<Frame.SnapChunk> c = threeChunks();
        SnapshotChunks.Assembler a = new SnapshotChunks.Assembler(3 * 64 - 1);
        a.accept(c.get(0));
        a.accept(c.get(1));
        refused(a, c.get(2), "d", "larger than the limit of 191 characters (at chunk 2 of 3)");
        SnapshotChunks.Assembler exact = new SnapshotChunks.Assembler(3 * 64);
        c.forEach(exact::accept);
        SnapshotChunks.Assembler none = new SnapshotChunks.Assembler(0);
        refused(none, c.get(0), "d", "larger than the limit of 0 characters");
    }

    @Test
    void chunksThatDoNotMakeASnapshotAreRefused() {
        SnapshotChunks.Assembler a = new SnapshotChunks.Assembler(Long.MAX_VALUE);
        List<Frame.SnapChunk> c = SnapshotChunks.split("{\"lt\":1,\"v\":2}", 4);
        for (int i = 0; i < c.size() - 1; i++) {
            assertThat(a.accept(c.get(i))).isEmpty();
        }
        refused(a, c.get(c.size() - 1), "doc", "missing");
        refused(a, new Frame.SnapChunk(0, 1, "{\"lt\":1"), "", "not a JSON object");
    }

    @Test
    void theAssemblerStartsAfreshAfterARefusalAndAfterACompleteSnapshot() {
        List<Frame.SnapChunk> c = threeChunks();
        Snapshot expected = FrameCodec.decodeSnapshot(c.get(0).data() + c.get(1).data() + c.get(2).data());
        SnapshotChunks.Assembler a = new SnapshotChunks.Assembler(Long.MAX_VALUE);
        a.accept(c.get(0));
        refused(a, c.get(2), "i", "where chunk 1 was due");
        refused(a, c.get(1), "i", "without the chunks before it");
        for (int round = 0; round < 2; round++) {
            assertThat(a.accept(c.get(0))).isEmpty();
            assertThat(a.accept(c.get(1))).isEmpty();
            assertThat(a.accept(c.get(2))).contains(expected);
            assertThat(a.inProgress()).isFalse();
        }
        a.accept(c.get(0));
        a.reset();
        assertThat(a.inProgress()).isFalse();
        refused(a, c.get(1), "i", "without the chunks before it");
    }
}
