package io.memsync.storage.log;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Log segments and their records.
 *
 * <p>A segment is a header followed by records; its first record is a {@link #BASE} record: the log position
 * {@code (term, version)} just before the segment's first entry. Both stores write a segment in one piece or
 * append to it only at its end, so a crash can only tear its last record.
 * <pre>
 * segment header (12 bytes): "MSYNCLOG" (ASCII) | format u32 = 1
 * record:  length u32 | crc32c u32 | kind u8 | term u64 | version u64 | payload (length - 17 bytes)
 *          length counts kind..payload; the CRC32C covers the length field and kind..payload
 * </pre>
 * All integers are big-endian. {@link #ENTRY} records carry a log entry's bytes; {@link #BASE} records carry no
 * payload.
 */
public final class RecordCodec {
    /** The segment magic. */
    private static final byte[] MAGIC = "MSYNCLOG".getBytes(StandardCharsets.US_ASCII);
    /** The format version this code writes and reads. */
    public static final int FORMAT = 1;
    /** Size of the segment header. */
    public static final int SEGMENT_HEADER_BYTES = 12;
    /** Size of length and checksum. */
    public static final int RECORD_HEADER_BYTES = 8;
    /** Size of kind, term and version. */
    public static final int RECORD_FIXED_BYTES = 17;
    /** The largest payload accepted: 256 MiB. */
    public static final int MAX_PAYLOAD = 256 << 20;
    /** Kind of a record carrying an entry. */
    public static final byte ENTRY = 1;
    /** Kind of a record stating the position before the segment's first entry. */
    public static final byte BASE = 2;

    private RecordCodec() {
    }

    /**
     * The segment header.
     *
     * @return 12 bytes, ready to write
     */
    public static ByteBuffer segmentHeader() {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        b.put(MAGIC).putInt(FORMAT).flip();
        return b;
    }

    /**
     * The encoded size of a record.
     *
     * @param payloadLength the payload's length
     * @return the bytes it takes
     */
    public static int recordBytes(int payloadLength) {
        return RECORD_HEADER_BYTES + RECORD_FIXED_BYTES + payloadLength;
    }

    /**
     * Encodes a record.
     *
     * @param kind    {@link #ENTRY} or {@link #BASE}
     * @param term    the term
     * @param version the version
     * @param payload the payload (empty for {@link #BASE})
     * @return the record, ready to write
     * @throws IllegalArgumentException when the payload is larger than {@link #MAX_PAYLOAD}
     */
    public static ByteBuffer encode(byte kind, long term, long version, byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a log record payload of " + payload.length + " bytes is above the limit of " + MAX_PAYLOAD);
        }
        ByteBuffer b = ByteBuffer.allocate(recordBytes(payload.length)).order(ByteOrder.BIG_ENDIAN);
        int length = RECORD_FIXED_BYTES + payload.length;
        b.putInt(length).putInt(0).put(kind).putLong(term).putLong(version).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 4);
        crc.update(b.array(), RECORD_HEADER_BYTES, length);
        b.putInt(4, (int) crc.getValue());
        b.flip();
        return b;
    }

    /**
     * One decoded record.
     *
     * @param kind    {@link #ENTRY} or {@link #BASE}
     * @param term    the term
     * @param version the version
     * @param payload the payload
     * @param offset  where the record starts in its segment
     * @param size    how many bytes it takes
     */
    public record Decoded(byte kind, long term, long version, byte[] payload, long offset, int size) {
    }

    /**
     * Reads the records of one segment held in memory, checking every length and checksum. {@link #next()} returns
     * records until the end or the first bad byte; then {@link #problem()} says what was wrong (or is {@code null}
     * at a clean end) and {@link #validLength()} is where the good part ends.
     */
    public static final class Reader {
        private final byte[] bytes;
        private final ByteBuffer buf;
        private long valid;
        private String problem;

        /**
         * Starts reading a segment, checking its header.
         *
         * @param bytes the whole segment
         */
        public Reader(byte[] bytes) {
            this.bytes = bytes;
            this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
            if (bytes.length < SEGMENT_HEADER_BYTES) {
                problem = "torn segment header (" + bytes.length + " of " + SEGMENT_HEADER_BYTES + " bytes)";
            } else if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                problem = "not a memsync log segment (bad magic)";
            } else if (buf.getInt(MAGIC.length) != FORMAT) {
                problem = "unknown log segment format " + buf.getInt(MAGIC.length);
            } else {
                valid = SEGMENT_HEADER_BYTES;
                buf.position(SEGMENT_HEADER_BYTES);
            }
        }

        /**
         * The next record.
         *
         * @return the record, or {@code null} at the end or at the first bad byte (see {@link #problem()})
         */
        public Decoded next() {
            if (problem != null || buf.remaining() == 0) {
                return null;
            }
            long offset = buf.position();
            if (buf.remaining() < RECORD_HEADER_BYTES + RECORD_FIXED_BYTES) {
                problem = "torn record header at offset " + offset + " (" + buf.remaining() + " bytes left)";
                return null;
            }
            int length = buf.getInt(buf.position());
            if (length < RECORD_FIXED_BYTES || length > RECORD_FIXED_BYTES + MAX_PAYLOAD) {
                problem = "bad record length " + length + " at offset " + offset;
                return null;
            }
            if (buf.remaining() < RECORD_HEADER_BYTES + length) {
                problem = "torn record at offset " + offset + " (" + (RECORD_HEADER_BYTES + length) + " bytes, "
                        + buf.remaining() + " left)";
                return null;
            }
            int start = buf.position();
            CRC32C crc = new CRC32C();
            crc.update(bytes, start, 4);
            crc.update(bytes, start + RECORD_HEADER_BYTES, length);
            if ((int) crc.getValue() != buf.getInt(start + 4)) {
                problem = "checksum mismatch at offset " + offset;
                return null;
            }
            byte kind = buf.get(start + RECORD_HEADER_BYTES);
            if (kind != ENTRY && kind != BASE) {
                problem = "unknown record kind " + kind + " at offset " + offset;
                return null;
            }
            long term = buf.getLong(start + RECORD_HEADER_BYTES + 1);
            long version = buf.getLong(start + RECORD_HEADER_BYTES + 9);
            byte[] payload = Arrays.copyOfRange(bytes, start + RECORD_HEADER_BYTES + RECORD_FIXED_BYTES, start + RECORD_HEADER_BYTES + length);
            buf.position(start + RECORD_HEADER_BYTES + length);
            valid = buf.position();
            return new Decoded(kind, term, version, payload, offset, RECORD_HEADER_BYTES + length);
        }

        /**
         * Marks the record just returned as unusable (it broke the version rule), so the good part ends before it.
         *
         * @param record the record last returned by {@link #next()}
         * @param why    what was wrong
         */
        public void reject(Decoded record, String why) {
            problem = why + " (record at offset " + record.offset() + ")";
            valid = record.offset();
        }

        /**
         * What stopped the reading, or {@code null} when the segment ended cleanly (or is not read to its end).
         *
         * @return the problem
         */
        public String problem() {
            return problem;
        }

        /**
         * The length of the good part: the header and every whole record read.
         *
         * @return the length in bytes
         */
        public long validLength() {
            return valid;
        }
    }
}
