package io.redmatch.router;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Pair name → shard, looked up straight from the bytes of a RESP argument so routing a command allocates nothing.
 * Immutable: built once per shard map, open addressing with linear probing.
 */
final class PairTable
{
    private final byte[][] keys;
    private final ShardState[] values;
    private final int mask;

    PairTable(final Map<String, ShardState> pairs)
    {
        final int capacity = Integer.highestOneBit(Math.max(8, pairs.size()) * 4 - 1);
        keys = new byte[capacity][];
        values = new ShardState[capacity];
        mask = capacity - 1;
        for (final Map.Entry<String, ShardState> entry : pairs.entrySet())
        {
            final byte[] key = entry.getKey().getBytes(StandardCharsets.US_ASCII);
            int slot = hash(key, 0, key.length) & mask;
            while (keys[slot] != null)
            {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = entry.getValue();
        }
    }

    /**
     * @return the shard owning the pair named by {@code length} bytes of {@code buffer} at {@code offset}, or null.
     */
    ShardState find(final ByteBuf buffer, final int offset, final int length)
    {
        int slot = hash(buffer, offset, length) & mask;
        while (true)
        {
            final byte[] key = keys[slot];
            if (key == null)
            {
                return null;
            }
            if (key.length == length && equals(key, buffer, offset))
            {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    private static boolean equals(final byte[] key, final ByteBuf buffer, final int offset)
    {
        for (int i = 0; i < key.length; i++)
        {
            if (key[i] != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    private static int hash(final ByteBuf buffer, final int offset, final int length)
    {
        int h = 0x811C9DC5;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ buffer.getByte(offset + i)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    private static int hash(final byte[] key, final int offset, final int length)
    {
        int h = 0x811C9DC5;
        for (int i = offset; i < offset + length; i++)
        {
            h = (h ^ key[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    @Override
    public String toString()
    {
        return "PairTable" + Arrays.toString(values);
    }
}
