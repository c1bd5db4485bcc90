package io.redmatch.router;

import io.netty.buffer.ByteBuf;

/**
 * Finds where one reply ends in the bytes a shard sent, without decoding it: the router passes replies through
 * byte for byte, so it only needs frame boundaries. Understands every RESP2 and RESP3 type, nested to any depth
 * (counting the values still expected instead of recursing, so a hostile depth costs no stack).
 * <p>
 * Stateless: a reply that is not complete yet is scanned again from its start when more bytes arrive. Replies of the
 * node are small, and a large one (a long {@code XRANGE}) arrives in few reads, so the rescan is cheap.
 */
final class ReplyScanner
{
    /** Returned when the bytes hold no complete reply yet. */
    static final int NEED_MORE = -1;
    /** Returned when the bytes are not RESP. */
    static final int MALFORMED = -2;

    private static final int MAX_LENGTH_DIGITS = 18;

    private ReplyScanner()
    {
    }

    /**
     * @param in    the bytes.
     * @param from  index of the reply's first byte.
     * @param to    index after the last readable byte.
     * @return the index after the reply's last byte, {@link #NEED_MORE} or {@link #MALFORMED}.
     */
    static int scan(final ByteBuf in, final int from, final int to)
    {
        long expected = 1;
        int position = from;
        while (expected > 0)
        {
            if (position >= to)
            {
                return NEED_MORE;
            }
            final byte type = in.getByte(position);
            final int lineFeed = in.indexOf(position + 1, to, (byte)'\n');
            if (lineFeed < 0)
            {
                return NEED_MORE;
            }
            if (in.getByte(lineFeed - 1) != '\r')
            {
                return MALFORMED;
            }
            expected--;
            switch (type)
            {
                case '+', '-', ':', ',', '#', '(', '_' -> position = lineFeed + 1;
                case '$', '!', '=' ->
                {
                    final long length = length(in, position + 1, lineFeed - 1);
                    if (length == Long.MIN_VALUE || length < -1)
                    {
                        return MALFORMED;
                    }
                    if (length == -1)
                    {
                        position = lineFeed + 1;
                    }
                    else
                    {
                        final long end = lineFeed + 1 + length + 2;
                        if (end > to)
                        {
                            return NEED_MORE;
                        }
                        position = (int)end;
                    }
                }
                case '*', '~', '>' ->
                {
                    final long count = length(in, position + 1, lineFeed - 1);
                    if (count == Long.MIN_VALUE || count < -1)
                    {
                        return MALFORMED;
                    }
                    expected += Math.max(0, count);
                    position = lineFeed + 1;
                }
                case '%', '|' ->
                {
                    final long count = length(in, position + 1, lineFeed - 1);
                    if (count == Long.MIN_VALUE || count < 0)
                    {
                        return MALFORMED;
                    }
                    // an attribute is followed by the value it annotates
                    expected += 2 * count + (type == '|' ? 1 : 0);
                    position = lineFeed + 1;
                }
                default ->
                {
                    return MALFORMED;
                }
            }
        }
        return position;
    }

    /**
     * Reads the count of an aggregate header or the length of a blob that starts at {@code from}.
     *
     * @return the count, or {@code Long.MIN_VALUE} when the digits are not a number.
     */
    static long length(final ByteBuf in, final int from, final int end)
    {
        int index = from;
        final boolean negative = index < end && in.getByte(index) == '-';
        if (negative)
        {
            index++;
        }
        if (end - index <= 0 || end - index > MAX_LENGTH_DIGITS)
        {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (; index < end; index++)
        {
            final int digit = in.getByte(index) - '0';
            if (digit < 0 || digit > 9)
            {
                return Long.MIN_VALUE;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }
}
