package io.redmatch.replicator;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A standby's acknowledgement, sent to its primary over Aeron: the epoch it knows, the log sequence and log position
 * it has recorded (durable in its own archive), and the RESP address it serves on (so the primary can list it in
 * {@code ROLE}). Little-endian layout, version {@link #VERSION}:
 * <pre>
 *   0  int   magic "RMAK"
 *   4  int   version
 *   8  long  epoch
 *   16 long  recorded log sequence
 *   24 long  recorded log position
 *   32 int   RESP port
 *   36 short host length, then the host's ASCII bytes
 * </pre>
 * A primary ignores a message with another magic or version.
 *
 * @param epoch       the highest epoch the standby knows.
 * @param logSeq      the log sequence of the last entry it recorded.
 * @param position    the log position after that entry.
 * @param host        the host the standby serves RESP on.
 * @param port        its RESP port.
 */
public record StandbyAck(long epoch, long logSeq, long position, String host, int port)
{
    /** Marks an acknowledgement. */
    public static final int MAGIC = 0x4B414D52;
    /** Version of the layout. */
    public static final int VERSION = 1;
    /** Length without the host. */
    public static final int FIXED_LENGTH = 38;
    /** Longest host accepted. */
    public static final int MAX_HOST_LENGTH = 255;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    /**
     * Encodes an acknowledgement.
     *
     * @param buffer   where.
     * @param offset   at which index.
     * @param epoch    the standby's epoch.
     * @param logSeq   its recorded log sequence.
     * @param position its recorded log position.
     * @param host     its RESP host, as ASCII bytes.
     * @param port     its RESP port.
     * @return the encoded length.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final long epoch,
        final long logSeq,
        final long position,
        final byte[] host,
        final int port)
    {
        buffer.putInt(offset, MAGIC, ORDER);
        buffer.putInt(offset + 4, VERSION, ORDER);
        buffer.putLong(offset + 8, epoch, ORDER);
        buffer.putLong(offset + 16, logSeq, ORDER);
        buffer.putLong(offset + 24, position, ORDER);
        buffer.putInt(offset + 32, port, ORDER);
        buffer.putShort(offset + 36, (short)host.length, ORDER);
        buffer.putBytes(offset + FIXED_LENGTH, host);
        return FIXED_LENGTH + host.length;
    }

    /**
     * Decodes an acknowledgement.
     *
     * @param buffer holds it.
     * @param offset where it starts.
     * @param length its length.
     * @return the acknowledgement, or null when it is not one this version reads.
     */
    public static StandbyAck decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < FIXED_LENGTH || buffer.getInt(offset, ORDER) != MAGIC || buffer.getInt(offset + 4, ORDER) != VERSION)
        {
            return null;
        }
        final int hostLength = buffer.getShort(offset + 36, ORDER);
        if (hostLength < 0 || hostLength > MAX_HOST_LENGTH || FIXED_LENGTH + hostLength > length)
        {
            return null;
        }
        final byte[] host = new byte[hostLength];
        buffer.getBytes(offset + FIXED_LENGTH, host);
        return new StandbyAck(buffer.getLong(offset + 8, ORDER), buffer.getLong(offset + 16, ORDER),
            buffer.getLong(offset + 24, ORDER), new String(host, StandardCharsets.US_ASCII),
            buffer.getInt(offset + 32, ORDER));
    }
}
