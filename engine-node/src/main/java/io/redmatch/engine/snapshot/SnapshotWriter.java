package io.redmatch.engine.snapshot;

import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a snapshot into one growing heap buffer: the header's space first, then sections of little-endian
 * primitives and length-prefixed byte strings. The checksums are left as zeros here and filled by
 * {@link SnapshotFile#seal}, so the copy on the matching thread does no checksumming; the writer thread does it.
 */
public final class SnapshotWriter
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int NULL_LENGTH = -1;

    private final ExpandableArrayBuffer buffer;
    private int position = SnapshotFile.HEADER_LENGTH;
    private int sectionStart = -1;
    private int sectionCount;

    /** @param initialCapacity bytes to start with; the buffer doubles as needed. */
    public SnapshotWriter(final int initialCapacity)
    {
        buffer = new ExpandableArrayBuffer(Math.max(initialCapacity, SnapshotFile.HEADER_LENGTH + 64));
    }

    /**
     * Starts a section; every value up to {@link #endSection()} belongs to it.
     *
     * @param type one of the {@link SnapshotSection} types.
     */
    public void beginSection(final int type)
    {
        if (sectionStart >= 0)
        {
            throw new IllegalStateException("section " + type + " begun inside another");
        }
        sectionStart = position;
        buffer.putInt(position, type, ORDER);
        buffer.putInt(position + 4, 0, ORDER);
        buffer.putLong(position + 8, 0, ORDER);
        position += SnapshotFile.SECTION_HEADER_LENGTH;
    }

    /** Ends the current section: writes its length. */
    public void endSection()
    {
        if (sectionStart < 0)
        {
            throw new IllegalStateException("no section to end");
        }
        buffer.putLong(sectionStart + 8, position - sectionStart - SnapshotFile.SECTION_HEADER_LENGTH, ORDER);
        sectionStart = -1;
        sectionCount++;
    }

    /** Writes a long. */
    public SnapshotWriter putLong(final long value)
    {
        buffer.putLong(position, value, ORDER);
        position += 8;
        return this;
    }

    /** Writes an int. */
    public SnapshotWriter putInt(final int value)
    {
        buffer.putInt(position, value, ORDER);
        position += 4;
        return this;
    }

    /** Writes the low byte of an int. */
    public SnapshotWriter putByte(final int value)
    {
        buffer.putByte(position, (byte)value);
        position++;
        return this;
    }

    /** Writes a boolean as one byte. */
    public SnapshotWriter putBoolean(final boolean value)
    {
        return putByte(value ? 1 : 0);
    }

    /** Writes a byte string with its length; null is written as length -1. */
    public SnapshotWriter putBytes(final byte[] bytes)
    {
        if (bytes == null)
        {
            return putInt(NULL_LENGTH);
        }
        putInt(bytes.length);
        buffer.putBytes(position, bytes);
        position += bytes.length;
        return this;
    }

    /** Writes an ASCII string with its length; null is written as length -1. */
    public SnapshotWriter putAscii(final String value)
    {
        if (value == null)
        {
            return putInt(NULL_LENGTH);
        }
        final int length = value.length();
        putInt(length);
        buffer.checkLimit(position + length);
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(position + i, (byte)value.charAt(i));
        }
        position += length;
        return this;
    }

    /**
     * Reserves an int to be written later with {@link #patchInt(int, int)}, e.g. a count known only afterwards.
     *
     * @return where it is.
     */
    public int reserveInt()
    {
        final int at = position;
        putInt(0);
        return at;
    }

    /** Writes an int reserved by {@link #reserveInt()}. */
    public void patchInt(final int at, final int value)
    {
        buffer.putInt(at, value, ORDER);
    }

    /** @return bytes written so far, the header's space included. */
    public int length()
    {
        return position;
    }

    /** @return how many sections were ended. */
    public int sectionCount()
    {
        return sectionCount;
    }

    /** @return the buffer; valid up to {@link #length()}. */
    public byte[] array()
    {
        return buffer.byteArray();
    }

    static String ascii(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
