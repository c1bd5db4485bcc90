package io.redmatch.engine.node;

import org.agrona.DirectBuffer;

import java.util.Arrays;

import static org.agrona.UnsafeAccess.UNSAFE;

/**
 * Open-addressing map from short byte strings to {@code long}, looked up straight from a byte range of a buffer.
 * <p>
 * Hand-written because the hot path looks up account names and client ids by the bytes of a RESP argument: Agrona's
 * and the JDK's maps need a key object per lookup, which would allocate on every command. Linear probing with
 * backward-shift deletion; a key is copied once, when it is inserted.
 */
final class AsciiKeyIndex
{
    /** Returned by {@link #get} when the key is absent. */
    static final long MISSING = Long.MIN_VALUE;

    private byte[][] keys;
    private long[] values;
    private int[] hashes;
    private int size;
    private int mask;

    AsciiKeyIndex(final int initialCapacity)
    {
        final int capacity = Integer.highestOneBit(Math.max(16, initialCapacity) * 2 - 1);
        keys = new byte[capacity][];
        values = new long[capacity];
        hashes = new int[capacity];
        mask = capacity - 1;
    }

    int size()
    {
        return size;
    }

    static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        // one bounds check for the key, then plain reads (see equals)
        buffer.boundsCheck(offset, length);
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset() + offset;
        int h = 0x9E3779B9;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ UNSAFE.getByte(array, address + i)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    private static int hash(final byte[] key)
    {
        int h = 0x9E3779B9;
        for (final byte b : key)
        {
            h = (h ^ b) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    long get(final DirectBuffer buffer, final int offset, final int length)
    {
        final int hash = hash(buffer, offset, length);
        for (int slot = hash & mask; keys[slot] != null; slot = (slot + 1) & mask)
        {
            if (hashes[slot] == hash && equals(keys[slot], buffer, offset, length))
            {
                return values[slot];
            }
        }
        return MISSING;
    }

    long get(final byte[] key)
    {
        final int hash = hash(key);
        for (int slot = hash & mask; keys[slot] != null; slot = (slot + 1) & mask)
        {
            if (hashes[slot] == hash && Arrays.equals(keys[slot], key))
            {
                return values[slot];
            }
        }
        return MISSING;
    }

    /** Inserts or replaces; the key bytes are copied. */
    void put(final DirectBuffer buffer, final int offset, final int length, final long value)
    {
        final byte[] key = new byte[length];
        buffer.getBytes(offset, key);
        put(key, value);
    }

    /** Inserts or replaces; the array is kept, so the caller must not change it afterwards. */
    void put(final byte[] key, final long value)
    {
        final int hash = hash(key);
        int slot = hash & mask;
        for (; keys[slot] != null; slot = (slot + 1) & mask)
        {
            if (hashes[slot] == hash && Arrays.equals(keys[slot], key))
            {
                values[slot] = value;
                return;
            }
        }
        keys[slot] = key;
        hashes[slot] = hash;
        values[slot] = value;
        if (++size * 2 > keys.length)
        {
            grow();
        }
    }

    /** Removes the key if it maps to {@code expectedValue}. */
    boolean remove(final byte[] key, final long expectedValue)
    {
        final int hash = hash(key);
        for (int slot = hash & mask; keys[slot] != null; slot = (slot + 1) & mask)
        {
            if (hashes[slot] == hash && Arrays.equals(keys[slot], key))
            {
                if (values[slot] != expectedValue)
                {
                    return false;
                }
                deleteAt(slot);
                return true;
            }
        }
        return false;
    }

    private void deleteAt(final int deleted)
    {
        int hole = deleted;
        keys[hole] = null;
        size--;
        for (int slot = (hole + 1) & mask; keys[slot] != null; slot = (slot + 1) & mask)
        {
            final int home = hashes[slot] & mask;
            final boolean movable = hole <= slot ? (home <= hole || home > slot) : (home <= hole && home > slot);
            if (movable)
            {
                keys[hole] = keys[slot];
                hashes[hole] = hashes[slot];
                values[hole] = values[slot];
                keys[slot] = null;
                hole = slot;
            }
        }
    }

    private void grow()
    {
        final byte[][] oldKeys = keys;
        final long[] oldValues = values;
        final int[] oldHashes = hashes;
        final int capacity = oldKeys.length * 2;
        keys = new byte[capacity][];
        values = new long[capacity];
        hashes = new int[capacity];
        mask = capacity - 1;
        for (int i = 0; i < oldKeys.length; i++)
        {
            if (oldKeys[i] != null)
            {
                int slot = oldHashes[i] & mask;
                while (keys[slot] != null)
                {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                hashes[slot] = oldHashes[i];
                values[slot] = oldValues[i];
            }
        }
    }

    /** Called only after {@link #hash} checked the bounds of the same range, so it reads without checks. */
    private static boolean equals(final byte[] key, final DirectBuffer buffer, final int offset, final int length)
    {
        if (key.length != length)
        {
            return false;
        }
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset() + offset;
        for (int i = 0; i < length; i++)
        {
            if (key[i] != UNSAFE.getByte(array, address + i))
            {
                return false;
            }
        }
        return true;
    }
}
