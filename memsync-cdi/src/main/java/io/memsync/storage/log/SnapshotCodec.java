package io.memsync.storage.log;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

import io.memsync.storage.SnapshotRecord;

/**
 * Snapshot blobs (a file or an object each).
 * <pre>
 * "MSYNCSNP" (ASCII) | format u32 = 1 | crc32c u32 | term u64 | version u64 | state length u32 | state
 * </pre>
 * Big-endian; the CRC32C covers everything after itself.
 */
public final class SnapshotCodec {
    private static final byte[] MAGIC = "MSYNCSNP".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 8 + 4 + 4 + 8 + 8 + 4;

    private SnapshotCodec() {
    }

    /**
     * Encodes a snapshot.
     *
     * @param snapshot the snapshot
     * @return the blob
     */
    public static byte[] encode(SnapshotRecord snapshot) {
        byte[] state = snapshot.state();
        ByteBuffer b = ByteBuffer.allocate(HEADER + state.length).order(ByteOrder.BIG_ENDIAN);
        b.put(MAGIC).putInt(RecordCodec.FORMAT).putInt(0).putLong(snapshot.term()).putLong(snapshot.version())
                .putInt(state.length).put(state);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 16, b.capacity() - 16);
        b.putInt(12, (int) crc.getValue());
        return b.array();
    }

    /**
     * The outcome of decoding: a snapshot, or why there is none.
     *
     * @param snapshot the snapshot, or {@code null}
     * @param problem  what was wrong, or {@code null}
     */
    public record Decoded(SnapshotRecord snapshot, String problem) {
    }

    /**
     * Decodes and checks the blob of a snapshot file or object, and that it holds what its name says.
     *
     * @param blob the blob
     * @param name its parsed name
     * @return the snapshot or the problem
     */
    public static Decoded decode(byte[] blob, StoreNames.SnapshotName name) {
        Decoded d = decode(blob);
        if (d.problem() == null && (d.snapshot().version() != name.version() || d.snapshot().term() != name.term())) {
            return new Decoded(null, "holds (term " + d.snapshot().term() + ", version " + d.snapshot().version()
                    + "), not what its name says");
        }
        return d;
    }

    /**
     * Decodes and checks a blob.
     *
     * @param blob the blob
     * @return the snapshot or the problem
     */
    public static Decoded decode(byte[] blob) {
        if (blob.length < HEADER) {
            return new Decoded(null, "torn snapshot (" + blob.length + " bytes)");
        }
        if (!Arrays.equals(blob, 0, 8, MAGIC, 0, 8)) {
            return new Decoded(null, "not a memsync snapshot (bad magic)");
        }
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN);
        if (b.getInt(8) != RecordCodec.FORMAT) {
            return new Decoded(null, "unknown snapshot format " + b.getInt(8));
        }
        CRC32C crc = new CRC32C();
        crc.update(blob, 16, blob.length - 16);
        if ((int) crc.getValue() != b.getInt(12)) {
            return new Decoded(null, "snapshot checksum mismatch");
        }
        long term = b.getLong(16);
        long version = b.getLong(24);
        int length = b.getInt(32);
        if (length != blob.length - HEADER || term < 0 || version < 0) {
            return new Decoded(null, "snapshot length or position does not fit (" + length + " bytes of state in " + blob.length + ")");
        }
        return new Decoded(new SnapshotRecord(term, version, Arrays.copyOfRange(blob, HEADER, blob.length)), null);
    }
}
