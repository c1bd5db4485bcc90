package io.redmatch.engine.snapshot;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes a snapshot into heap chunks of a fixed size: the header's space first, then sections of little-endian
 * primitives and length-prefixed byte strings. The checksums are left as zeros here and filled by
 * {@link SnapshotFile#seal}, so the copy on the matching thread does no checksumming; the writer thread does it.
 * <p>
 * Chunks rather than one array: a snapshot of a large state (hundreds of MB with a day of retained fills) would
 * otherwise need one contiguous allocation of its whole size, plus a copy of everything each time it doubles, on a
 * heap that is busy holding that state; with the garbage collector's large-object rules that fails long before the
 * heap is full. Chunks below the collector's large-object size are ordinary allocations, growing costs no copy, and
 * {@link #reset()} lets the next snapshot reuse them. Agrona's expandable buffers are contiguous, hence this class.
 */
public final class SnapshotWriter
{
    /** Default chunk size: below G1's humongous-object threshold for heaps from 1 GB (half a 1 MB region). */
    public static final int DEFAULT_CHUNK_SIZE = 256 * 1024;

    private static final int NULL_LENGTH = -1;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int chunkShift;
    private final int chunkMask;
    private final List<byte[]> chunks = new ArrayList<>();
    private int position = SnapshotFile.HEADER_LENGTH;
    private int sectionStart = -1;
    private int sectionCount;

    /** @param initialCapacity bytes to have ready at once; more chunks are added as needed. */
    public SnapshotWriter(final int initialCapacity)
    {
        this(initialCapacity, DEFAULT_CHUNK_SIZE);
    }

    /**
     * @param initialCapacity bytes to have ready at once; more chunks are added as needed.
     * @param chunkSize       a power of two of at least 4096 bytes.
     */
    public SnapshotWriter(final int initialCapacity, final int chunkSize)
    {
        if (chunkSize < 4096 || Integer.bitCount(chunkSize) != 1)
        {
            throw new IllegalArgumentException("chunk size must be a power of two >= 4096: " + chunkSize);
        }
        chunkShift = Integer.numberOfTrailingZeros(chunkSize);
        chunkMask = chunkSize - 1;
        ensureCapacity(Math.max(initialCapacity, SnapshotFile.HEADER_LENGTH + 64));
    }

    /** Starts again from an empty snapshot, keeping the chunks for reuse. */
    public void reset()
    {
        position = SnapshotFile.HEADER_LENGTH;
        sectionStart = -1;
        sectionCount = 0;
    }

    /**
     * Keeps at most the chunks needed for {@code bytes}, so a state that shrank does not pin its old size.
     *
     * @param bytes bytes to keep room for.
     */
    public void trimTo(final long bytes)
    {
        final long keep = Math.max(1, (bytes + chunkMask) >>> chunkShift);
        while (chunks.size() > keep && chunks.size() > (position + chunkMask) >>> chunkShift)
        {
            chunks.remove(chunks.size() - 1);
        }
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
        putInt(type);
        putInt(0);
        putLong(0);
    }

    /** Ends the current section: writes its length. */
    public void endSection()
    {
        if (sectionStart < 0)
        {
            throw new IllegalStateException("no section to end");
        }
        putLongAt(sectionStart + 8, position - sectionStart - SnapshotFile.SECTION_HEADER_LENGTH);
        sectionStart = -1;
        sectionCount++;
    }

    /** Writes a long. */
    public SnapshotWriter putLong(final long value)
    {
        putLongAt(position, value);
        position += 8;
        return this;
    }

    /** Writes an int. */
    public SnapshotWriter putInt(final int value)
    {
        putIntAt(position, value);
        position += 4;
        return this;
    }

    /** Writes the low byte of an int. */
    public SnapshotWriter putByte(final int value)
    {
        ensureCapacity(position + 1L);
        chunks.get(position >>> chunkShift)[position & chunkMask] = (byte)value;
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
        putBytesAt(position, bytes, 0, bytes.length);
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
        for (int i = 0; i < length; i++)
        {
            putByte(value.charAt(i));
        }
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
        putIntAt(at, value);
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

    /** Writes a little-endian int at an absolute position already reserved or written. */
    void putIntAt(final int at, final int value)
    {
        ensureCapacity(at + 4L);
        final int offset = at & chunkMask;
        final byte[] chunk = chunks.get(at >>> chunkShift);
        if (offset + 4 <= chunk.length)
        {
            INT.set(chunk, offset, value);
        }
        else
        {
            for (int i = 0; i < 4; i++)
            {
                putByteAt(at + i, (byte)(value >>> (8 * i)));
            }
        }
    }

    /** Writes a little-endian long at an absolute position. */
    void putLongAt(final int at, final long value)
    {
        ensureCapacity(at + 8L);
        final int offset = at & chunkMask;
        final byte[] chunk = chunks.get(at >>> chunkShift);
        if (offset + 8 <= chunk.length)
        {
            LONG.set(chunk, offset, value);
        }
        else
        {
            putIntAt(at, (int)value);
            putIntAt(at + 4, (int)(value >>> 32));
        }
    }

    /** Copies bytes to an absolute position, across chunks as needed. */
    void putBytesAt(final int at, final byte[] source, final int offset, final int length)
    {
        ensureCapacity((long)at + length);
        int done = 0;
        while (done < length)
        {
            final int index = at + done;
            final int within = index & chunkMask;
            final int count = Math.min(length - done, chunkMask + 1 - within);
            System.arraycopy(source, offset + done, chunks.get(index >>> chunkShift), within, count);
            done += count;
        }
    }

    /** @return the little-endian int at an absolute position. */
    int getIntAt(final int at)
    {
        int value = 0;
        for (int i = 3; i >= 0; i--)
        {
            value = (value << 8) | (byteAt(at + i) & 0xFF);
        }
        return value;
    }

    /** @return the little-endian long at an absolute position. */
    long getLongAt(final int at)
    {
        return (getIntAt(at) & 0xFFFF_FFFFL) | ((long)getIntAt(at + 4) << 32);
    }

    /** Adds {@code length} bytes from an absolute position to a checksum. */
    void updateChecksum(final CRC32C crc, final int at, final int length)
    {
        int done = 0;
        while (done < length)
        {
            final int index = at + done;
            final int within = index & chunkMask;
            final int count = Math.min(length - done, chunkMask + 1 - within);
            crc.update(chunks.get(index >>> chunkShift), within, count);
            done += count;
        }
    }

    /** Writes the first {@code length} bytes to a channel from its current position. */
    void writeTo(final FileChannel channel, final int length) throws IOException
    {
        int done = 0;
        while (done < length)
        {
            final int count = Math.min(length - done, chunkMask + 1);
            final ByteBuffer source = ByteBuffer.wrap(chunks.get(done >>> chunkShift), 0, count);
            while (source.hasRemaining())
            {
                channel.write(source);
            }
            done += count;
        }
    }

    /** @return a copy of the first {@code length} bytes, e.g. to read back what was written. */
    public byte[] toByteArray(final int length)
    {
        final byte[] copy = new byte[length];
        int done = 0;
        while (done < length)
        {
            final int count = Math.min(length - done, chunkMask + 1);
            System.arraycopy(chunks.get(done >>> chunkShift), 0, copy, done, count);
            done += count;
        }
        return copy;
    }

    private byte byteAt(final int at)
    {
        return chunks.get(at >>> chunkShift)[at & chunkMask];
    }

    private void putByteAt(final int at, final byte value)
    {
        chunks.get(at >>> chunkShift)[at & chunkMask] = value;
    }

    private void ensureCapacity(final long bytes)
    {
        if (bytes > Integer.MAX_VALUE)
        {
            throw new IllegalStateException("a snapshot is limited to 2 GB; the state needs more");
        }
        while (((long)chunks.size() << chunkShift) < bytes)
        {
            chunks.add(new byte[chunkMask + 1]);
        }
    }

    static String ascii(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
