package io.redmatch.engine.stream;

import org.agrona.DirectBuffer;

/**
 * Parses stream IDs as Redis accepts them in stream commands ({@code <ms>-<seq>} or {@code <ms>} with two unsigned
 * 64-bit numbers, {@code -}, {@code +}, an exclusive {@code (} prefix where ranges allow it) and maps them onto fill
 * sequences, since the entry of fill {@code n} has the ID {@code n-0}. A plain number {@code n} is {@code n-0}
 * everywhere, so {@code XRANGE fills:P 1001 +} and {@code XRANGE fills:P - (1001} read naturally; this differs from
 * Redis only for an exclusive end without a sequence part, which Redis reads as {@code (n-18446744073709551615}.
 * <p>
 * Results are fill sequences ({@code >= 0}) or one of the negative error codes, which are apart from the small
 * negative markers callers use for {@code $} and {@code >}. Sequences beyond what a {@code long}
 * holds clamp to {@link #MAX_SEQ}, past any fill. Allocation free; one instance per command handler.
 */
final class StreamIds
{
    /** Not a valid ID: {@code -ERR Invalid stream ID specified as stream command argument}. */
    static final long INVALID = -10;
    /** An exclusive start past the largest ID: {@code -ERR invalid start ID for the interval}. */
    static final long INVALID_START = -11;
    /** An exclusive end before the smallest ID: {@code -ERR invalid end ID for the interval}. */
    static final long INVALID_END = -12;
    /** An ID that names no fill entry, such as {@code 5-1}; for {@link #exactSeq}. */
    static final long NO_ENTRY = -13;

    /** The sequence every ID beyond the range of fills maps to; one more still fits a long. */
    static final long MAX_SEQ = Long.MAX_VALUE - 1;

    private static final long UNSIGNED_MAX_DIV_10 = Long.divideUnsigned(-1L, 10);
    private static final long UNSIGNED_MAX_MOD_10 = Long.remainderUnsigned(-1L, 10);

    private long ms;
    private long seqPart;
    private boolean seqGiven;
    private long parsed;

    /**
     * First fill sequence of a range start: {@code -}, an ID, or {@code (} and an ID for an exclusive start.
     *
     * @return the first sequence in range, or {@link #INVALID}, {@link #INVALID_START}.
     */
    long rangeStart(final DirectBuffer buffer, final int offset, final int length)
    {
        if (isSingle(buffer, offset, length, '-'))
        {
            return 0;
        }
        if (isSingle(buffer, offset, length, '+'))
        {
            return MAX_SEQ;
        }
        final boolean exclusive = length > 0 && buffer.getByte(offset) == '(';
        final int skip = exclusive ? 1 : 0;
        if (!parse(buffer, offset + skip, length - skip))
        {
            return INVALID;
        }
        if (exclusive)
        {
            if (ms == -1L && seqPart == -1L)
            {
                return INVALID_START;
            }
            return clampedMs() == MAX_SEQ ? MAX_SEQ : clampedMs() + 1;
        }
        if (seqPart == 0)
        {
            return clampedMs();
        }
        return clampedMs() == MAX_SEQ ? MAX_SEQ : clampedMs() + 1;
    }

    /**
     * Last fill sequence of a range end: {@code +}, an ID, or {@code (} and an ID for an exclusive end.
     *
     * @return the last sequence in range, or {@link #INVALID}, {@link #INVALID_END}.
     */
    long rangeEnd(final DirectBuffer buffer, final int offset, final int length)
    {
        if (isSingle(buffer, offset, length, '+'))
        {
            return MAX_SEQ;
        }
        if (isSingle(buffer, offset, length, '-'))
        {
            return 0;
        }
        final boolean exclusive = length > 0 && buffer.getByte(offset) == '(';
        final int skip = exclusive ? 1 : 0;
        if (!parse(buffer, offset + skip, length - skip))
        {
            return INVALID;
        }
        if (exclusive)
        {
            if (ms == 0 && seqPart == 0)
            {
                // Redis refuses (0-0 but reads a plain (0 as (0-18446744073709551615: an empty range either way
                return seqGiven ? INVALID_END : 0;
            }
            return seqPart != 0 ? clampedMs() : clampedMs() - 1;
        }
        return clampedMs();
    }

    /**
     * The ID after which to read, for {@code XREAD} and for the history read of {@code XREADGROUP}: entries with a
     * greater ID follow it. No {@code -}, {@code +} or {@code (}, as in Redis.
     *
     * @return the sequence after which entries are read, or {@link #INVALID}.
     */
    long afterSeq(final DirectBuffer buffer, final int offset, final int length)
    {
        return parse(buffer, offset, length) ? clampedMs() : INVALID;
    }

    /**
     * The last delivered sequence an ID sets for {@code XGROUP CREATE} and {@code SETID}: entries up to it count as
     * delivered.
     *
     * @return the sequence, or {@link #INVALID}.
     */
    long lastDeliveredSeq(final DirectBuffer buffer, final int offset, final int length)
    {
        return afterSeq(buffer, offset, length);
    }

    /**
     * The fill an ID names exactly, for {@code XACK}.
     *
     * @return its sequence, {@link #NO_ENTRY} when no fill has that ID, or {@link #INVALID}.
     */
    long exactSeq(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!parse(buffer, offset, length))
        {
            return INVALID;
        }
        return seqPart != 0 || clampedMs() == MAX_SEQ || ms == 0 ? NO_ENTRY : ms;
    }

    /**
     * Parses {@code <ms>[-<seq>]}, both unsigned decimal 64-bit numbers; a missing sequence part is 0.
     *
     * @return true when valid.
     */
    boolean parse(final DirectBuffer buffer, final int offset, final int length)
    {
        int dash = -1;
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) == '-')
            {
                dash = i;
                break;
            }
        }
        if (!parseUnsigned(buffer, offset, dash < 0 ? length : dash))
        {
            return false;
        }
        final long parsedMs = parsed;
        long parsedSeq = 0;
        if (dash >= 0)
        {
            if (!parseUnsigned(buffer, offset + dash + 1, length - dash - 1))
            {
                return false;
            }
            parsedSeq = parsed;
        }
        ms = parsedMs;
        seqPart = parsedSeq;
        seqGiven = dash >= 0;
        return true;
    }

    /** @return the first number of the last ID parsed, unsigned. */
    long ms()
    {
        return ms;
    }

    /** @return the second number of the last ID parsed, unsigned; 0 when it had none. */
    long seqPart()
    {
        return seqPart;
    }

    /** @return true when the last ID parsed had a sequence part. */
    boolean seqGiven()
    {
        return seqGiven;
    }

    private long clampedMs()
    {
        return ms < 0 || ms > MAX_SEQ ? MAX_SEQ : ms;
    }

    /** Parses an unsigned decimal of at least one digit into {@link #parsed}; false when it is not one. */
    private boolean parseUnsigned(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return false;
        }
        long value = 0;
        for (int i = 0; i < length; i++)
        {
            final int digit = buffer.getByte(offset + i) - '0';
            if (digit < 0 || digit > 9)
            {
                return false;
            }
            final int cmp = Long.compareUnsigned(value, UNSIGNED_MAX_DIV_10);
            if (cmp > 0 || (cmp == 0 && digit > UNSIGNED_MAX_MOD_10))
            {
                return false;
            }
            value = value * 10 + digit;
        }
        parsed = value;
        return true;
    }

    private static boolean isSingle(final DirectBuffer buffer, final int offset, final int length, final char c)
    {
        return length == 1 && buffer.getByte(offset) == c;
    }
}
