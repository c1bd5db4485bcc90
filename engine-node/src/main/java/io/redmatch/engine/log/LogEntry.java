package io.redmatch.engine.log;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Layout of one command-log entry: a 40-byte header followed by the command's exact RESP bytes. One entry is one
 * Aeron message (fragmented by Aeron when longer than a frame). All fields are little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    CRC32C of bytes 4..end                     |  0
 *  +-------------------------------+-------------------------------+
 *  |        format version         |          entry type           |  4
 *  +-------------------------------+-------------------------------+
 *  |                   log sequence number (long)                  |  8
 *  +---------------------------------------------------------------+
 *  |            engine time, µs since the epoch (long)             | 16
 *  +---------------------------------------------------------------+
 *  |                         epoch (long)                          | 24
 *  +---------------------------------------------------------------+
 *  |                  RESP frame length (int)                      | 32
 *  +---------------------------------------------------------------+
 *  |                        reserved, 0                            | 36
 *  +---------------------------------------------------------------+
 *  |                  RESP frame bytes ...                         | 40
 * </pre>
 * The checksum lets recovery tell a whole entry from one torn by a crash mid-write, or damaged on disk; the length
 * is checked against the message's; log sequence numbers run from 1 without a gap. The format version changes with
 * any change of this layout, and a node refuses a log whose version it does not know.
 */
public final class LogEntry
{
    /** The format version this node writes and reads. */
    public static final short FORMAT_VERSION = 1;

    /** Entry type of a state-changing command. */
    public static final short TYPE_COMMAND = 1;

    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 0;
    /** Offset of the format version. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the entry type. */
    public static final int TYPE_OFFSET = 6;
    /** Offset of the log sequence number. */
    public static final int LOG_SEQ_OFFSET = 8;
    /** Offset of the engine time. */
    public static final int ENGINE_TIME_OFFSET = 16;
    /** Offset of the epoch. */
    public static final int EPOCH_OFFSET = 24;
    /** Offset of the RESP frame's length. */
    public static final int FRAME_LENGTH_OFFSET = 32;
    /** Offset of the reserved word. */
    public static final int RESERVED_OFFSET = 36;
    /** Length of the header; the RESP frame follows it. */
    public static final int HEADER_LENGTH = 40;
    /** Where the checksummed bytes start. */
    public static final int CHECKSUMMED_OFFSET = VERSION_OFFSET;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private LogEntry()
    {
    }

    /**
     * Writes a command entry's header, without its checksum, which covers the frame too: see
     * {@link #putChecksum(MutableDirectBuffer, int, int)}.
     *
     * @param buffer      where the entry goes.
     * @param offset      where it starts.
     * @param logSeq      its log sequence number.
     * @param engineTime  its engine time.
     * @param epoch       the primary term it was sequenced in.
     * @param frameLength the RESP frame's length.
     */
    public static void putHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final long logSeq,
        final long engineTime,
        final long epoch,
        final int frameLength)
    {
        buffer.putShort(offset + VERSION_OFFSET, FORMAT_VERSION, ORDER);
        buffer.putShort(offset + TYPE_OFFSET, TYPE_COMMAND, ORDER);
        buffer.putLong(offset + LOG_SEQ_OFFSET, logSeq, ORDER);
        buffer.putLong(offset + ENGINE_TIME_OFFSET, engineTime, ORDER);
        buffer.putLong(offset + EPOCH_OFFSET, epoch, ORDER);
        buffer.putInt(offset + FRAME_LENGTH_OFFSET, frameLength, ORDER);
        buffer.putInt(offset + RESERVED_OFFSET, 0, ORDER);
    }

    /**
     * Computes and writes the checksum of a whole entry held in a heap array.
     *
     * @param buffer a buffer over a byte array, holding the entry.
     * @param offset where the entry starts.
     * @param length the entry's length, header included.
     * @param crc    a checksum to reuse.
     */
    public static void putChecksum(final MutableDirectBuffer buffer, final int offset, final int length, final CRC32C crc)
    {
        buffer.putInt(offset + CHECKSUM_OFFSET, checksum(buffer, offset, length, crc), ORDER);
    }

    /**
     * Same as {@link #putChecksum(MutableDirectBuffer, int, int, CRC32C)} with a new checksum object, off the hot path.
     *
     * @param buffer a buffer over a byte array, holding the entry.
     * @param offset where the entry starts.
     * @param length the entry's length.
     */
    public static void putChecksum(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        putChecksum(buffer, offset, length, new CRC32C());
    }

    /**
     * Computes an entry's checksum.
     *
     * @param buffer a buffer over a byte array (not off-heap memory), holding the entry.
     * @param offset where the entry starts.
     * @param length the entry's length, header included.
     * @param crc    a checksum to reuse.
     * @return the CRC32C of its bytes after the checksum field.
     */
    public static int checksum(final DirectBuffer buffer, final int offset, final int length, final CRC32C crc)
    {
        final byte[] array = buffer.byteArray();
        if (array == null)
        {
            throw new IllegalArgumentException("checksums are computed over heap buffers");
        }
        final int arrayOffset = (int)(buffer.addressOffset() - org.agrona.BufferUtil.ARRAY_BASE_OFFSET);
        crc.reset();
        crc.update(array, arrayOffset + offset + CHECKSUMMED_OFFSET, length - CHECKSUMMED_OFFSET);
        return (int)crc.getValue();
    }

    /**
     * Checks an entry read back: long enough, a known version and type, its frame length matching, its checksum
     * right.
     *
     * @param buffer a buffer over a byte array, holding the entry.
     * @param offset where the entry starts.
     * @param length the message's length.
     * @param crc    a checksum to reuse.
     * @return null when whole and valid, else why not.
     */
    public static String validate(final DirectBuffer buffer, final int offset, final int length, final CRC32C crc)
    {
        if (length < HEADER_LENGTH)
        {
            return "entry of " + length + " bytes is shorter than its header";
        }
        final short version = buffer.getShort(offset + VERSION_OFFSET, ORDER);
        final int frameLength = buffer.getInt(offset + FRAME_LENGTH_OFFSET, ORDER);
        if (frameLength != length - HEADER_LENGTH)
        {
            return "frame length " + frameLength + " does not match the entry's " + (length - HEADER_LENGTH);
        }
        final int stored = buffer.getInt(offset + CHECKSUM_OFFSET, ORDER);
        final int computed = checksum(buffer, offset, length, crc);
        if (stored != computed)
        {
            return "checksum mismatch";
        }
        if (version != FORMAT_VERSION)
        {
            return "unknown entry format version " + version + " (this node reads " + FORMAT_VERSION + ")";
        }
        final short type = buffer.getShort(offset + TYPE_OFFSET, ORDER);
        if (type != TYPE_COMMAND)
        {
            return "unknown entry type " + type;
        }
        return null;
    }

    /**
     * @param buffer holds the entry.
     * @param offset where it starts.
     * @return its log sequence number.
     */
    public static long logSeq(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + LOG_SEQ_OFFSET, ORDER);
    }

    /**
     * @param buffer holds the entry.
     * @param offset where it starts.
     * @return its engine time.
     */
    public static long engineTime(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + ENGINE_TIME_OFFSET, ORDER);
    }

    /**
     * @param buffer holds the entry.
     * @param offset where it starts.
     * @return its epoch.
     */
    public static long epoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + EPOCH_OFFSET, ORDER);
    }

    /**
     * @param buffer holds the entry.
     * @param offset where it starts.
     * @return its RESP frame's length.
     */
    public static int frameLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + FRAME_LENGTH_OFFSET, ORDER);
    }
}
