package io.redmatch.engine.stream;

import org.agrona.DirectBuffer;

/**
 * Byte-string helpers for names held as {@code byte[]} and looked up by the bytes of a request argument, so lookups
 * need no key object.
 */
final class ByteKeys
{
    private ByteKeys()
    {
    }

    static boolean equals(final byte[] key, final DirectBuffer buffer, final int offset, final int length)
    {
        if (key.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (key[i] != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares a key with bytes of a buffer as unsigned bytes, shorter first on a common prefix: the order Redis
     * lists groups and consumers in.
     */
    static int compare(final byte[] key, final DirectBuffer buffer, final int offset, final int length)
    {
        final int common = Math.min(key.length, length);
        for (int i = 0; i < common; i++)
        {
            final int diff = (key[i] & 0xFF) - (buffer.getByte(offset + i) & 0xFF);
            if (diff != 0)
            {
                return diff;
            }
        }
        return key.length - length;
    }

    static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        int h = 0x811C9DC5;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ (buffer.getByte(offset + i) & 0xFF)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    static int hash(final byte[] key)
    {
        int h = 0x811C9DC5;
        for (final byte b : key)
        {
            h = (h ^ (b & 0xFF)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
