package io.redmatch.engine.snapshot;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Decodes the sections of a snapshot whose checksums {@link SnapshotFile#read} has verified. Every read is bounds
 * checked against the current section, so a value that does not fit fails with a {@link SnapshotFormatException}
 * rather than reading the next section's bytes.
 */
public final class SnapshotReader
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final UnsafeBuffer buffer;
    private final int end;
    private int position;
    private int sectionEnd;
    private int sectionType;

    SnapshotReader(final byte[] bytes, final int start, final int end)
    {
        this.buffer = new UnsafeBuffer(bytes);
        this.position = start;
        this.end = end;
        this.sectionEnd = start;
    }

    /**
     * Moves to the next section, which must follow the whole current one.
     *
     * @return its type, one of {@link SnapshotSection}.
     */
    public int nextSection()
    {
        if (position != sectionEnd)
        {
            throw new SnapshotFormatException("section " + SnapshotSection.name(sectionType) + " has " +
                (sectionEnd - position) + " bytes left unread");
        }
        if (end - position < SnapshotFile.SECTION_HEADER_LENGTH)
        {
            throw new SnapshotFormatException("no section header at offset " + position);
        }
        sectionType = buffer.getInt(position, ORDER);
        final long length = buffer.getLong(position + 8, ORDER);
        position += SnapshotFile.SECTION_HEADER_LENGTH;
        sectionEnd = position + (int)length;
        return sectionType;
    }

    /** @return the type of the current section. */
    public int sectionType()
    {
        return sectionType;
    }

    /** @return bytes of the current section not read yet. */
    public int remaining()
    {
        return sectionEnd - position;
    }

    /** @return the next value: a long. */
    public long getLong()
    {
        check(8);
        final long value = buffer.getLong(position, ORDER);
        position += 8;
        return value;
    }

    /** @return the next value: an int. */
    public int getInt()
    {
        check(4);
        final int value = buffer.getInt(position, ORDER);
        position += 4;
        return value;
    }

    /** @return the next value: a byte. */
    public byte getByte()
    {
        check(1);
        return buffer.getByte(position++);
    }

    /** @return the next value: a boolean. */
    public boolean getBoolean()
    {
        return getByte() != 0;
    }

    /** @return a byte string written by {@link SnapshotWriter#putBytes}, or null. */
    public byte[] getBytes()
    {
        final int length = getInt();
        if (length < 0)
        {
            return null;
        }
        check(length);
        final byte[] bytes = new byte[length];
        buffer.getBytes(position, bytes);
        position += length;
        return bytes;
    }

    /** @return a string written by {@link SnapshotWriter#putAscii}, or null. */
    public String getAscii()
    {
        final byte[] bytes = getBytes();
        return bytes == null ? null : SnapshotWriter.ascii(bytes);
    }

    /**
     * Reads a count and checks it is plausible: each element takes at least {@code minElementBytes}.
     *
     * @return the count.
     */
    public int getCount(final int minElementBytes)
    {
        final int count = getInt();
        if (count < 0 || (long)count * minElementBytes > remaining())
        {
            throw new SnapshotFormatException("count " + count + " does not fit in section " +
                SnapshotSection.name(sectionType));
        }
        return count;
    }

    private void check(final int length)
    {
        if (length < 0 || position + length > sectionEnd)
        {
            throw new SnapshotFormatException("section " + SnapshotSection.name(sectionType) + " ends before a value");
        }
    }
}
