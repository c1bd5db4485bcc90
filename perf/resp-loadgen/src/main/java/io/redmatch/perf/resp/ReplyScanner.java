package io.redmatch.perf.resp;

import io.netty.buffer.ByteBuf;

/**
 * Finds where one complete RESP reply ends, without building it: the load generator only needs to know that a reply
 * arrived and whether it is an error. Covers RESP2 and the RESP3 types, nested to any depth, without recursion: it
 * counts the values still owed by the aggregates opened so far.
 */
final class ReplyScanner
{
    /** Returned when the buffer does not hold a whole reply yet. */
    static final int INCOMPLETE = -1;

    private ReplyScanner()
    {
    }

    /**
     * Scans one reply.
     *
     * @param in    received bytes.
     * @param start index of the reply's first byte.
     * @return the index just past the reply, or {@link #INCOMPLETE}.
     * @throws IllegalStateException when the bytes are not RESP.
     */
    static int replyEnd(final ByteBuf in, final int start)
    {
        final int end = in.writerIndex();
        int position = start;
        long owed = 1;
        while (owed > 0)
        {
            if (position >= end)
            {
                return INCOMPLETE;
            }
            final byte type = in.getByte(position);
            final int lineFeed = in.indexOf(position + 1, end, (byte)'\n');
            if (lineFeed < 0)
            {
                return INCOMPLETE;
            }
            final int next = lineFeed + 1;
            switch (type)
            {
                case '+':
                case '-':
                case ':':
                case '_':
                case ',':
                case '#':
                case '(':
                    position = next;
                    owed--;
                    break;

                case '$':
                case '!':
                case '=':
                {
                    final long length = parseLength(in, position + 1, lineFeed);
                    if (length < 0)
                    {
                        position = next;
                    }
                    else
                    {
                        final long contentEnd = next + length + 2;
                        if (contentEnd > end)
                        {
                            return INCOMPLETE;
                        }
                        position = (int)contentEnd;
                    }
                    owed--;
                    break;
                }

                case '*':
                case '~':
                case '>':
                    owed += Math.max(0, parseLength(in, position + 1, lineFeed)) - 1;
                    position = next;
                    break;

                case '%':
                    owed += 2 * Math.max(0, parseLength(in, position + 1, lineFeed)) - 1;
                    position = next;
                    break;

                case '|':
                    // attributes come before the value they describe and do not count as it
                    owed += 2 * Math.max(0, parseLength(in, position + 1, lineFeed));
                    position = next;
                    break;

                default:
                    throw new IllegalStateException("not RESP: unexpected type byte " + (type & 0xFF) +
                        " at offset " + (position - start) + " of a reply");
            }
        }
        return position;
    }

    private static long parseLength(final ByteBuf in, final int from, final int lineFeed)
    {
        final int lineEnd = lineFeed - 1;
        if (lineEnd < from || in.getByte(lineEnd) != '\r')
        {
            throw new IllegalStateException("not RESP: a length line does not end in CRLF");
        }
        int index = from;
        final boolean negative = in.getByte(index) == '-';
        if (negative)
        {
            index++;
        }
        long value = 0;
        for (; index < lineEnd; index++)
        {
            final int digit = in.getByte(index) - '0';
            if (digit < 0 || digit > 9)
            {
                throw new IllegalStateException("not RESP: a length is not a number");
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }
}
