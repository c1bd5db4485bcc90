package io.redmatch.engine.core;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

import static org.agrona.UnsafeAccess.UNSAFE;

/**
 * Exact fixed-point decimals held in a {@code long} of units of {@code 10^-scale}.
 * <p>
 * Input must match {@code ^[0-9]+(\.[0-9]+)?$}: no sign, no exponent, leading zeros allowed. Trailing
 * zeros beyond the scale are accepted ({@code "1.500"} at scale 1); any non-zero digit beyond it is
 * {@link #TOO_PRECISE}. Parsing never allocates; failures are negative result codes, never exceptions.
 */
public final class Decimal
{
    /** Not a decimal of the accepted form. */
    public static final long MALFORMED = -1;
    /** Has a non-zero digit finer than the scale. */
    public static final long TOO_PRECISE = -2;
    /** Does not fit in a long at the scale. */
    public static final long OVERFLOW = -3;

    /** The largest scale supported: 10^18 still fits in a long. */
    public static final int MAX_SCALE = 18;

    private static final long[] POWERS_OF_TEN = new long[MAX_SCALE + 1];

    static
    {
        long p = 1;
        for (int i = 0; i <= MAX_SCALE; i++)
        {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private Decimal()
    {
    }

    /** @return 10 to the power {@code exponent}, for 0 ≤ exponent ≤ 18. */
    public static long pow10(final int exponent)
    {
        return POWERS_OF_TEN[exponent];
    }

    /** @return true when the value is an error code of {@link #parse}. */
    public static boolean isError(final long value)
    {
        return value < 0;
    }

    /**
     * Parses {@code length} bytes at {@code offset} as a decimal at {@code scale}.
     *
     * @return the value in units of 10^-scale, or {@link #MALFORMED}, {@link #TOO_PRECISE}, {@link #OVERFLOW}.
     */
    public static long parse(final DirectBuffer buffer, final int offset, final int length, final int scale)
    {
        if (length <= 0)
        {
            return MALFORMED;
        }
        // one bounds check for the range, then plain reads: a checked getByte per digit was a third of the parse
        buffer.boundsCheck(offset, length);
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset();
        long value = 0;
        int i = offset;
        final int end = offset + length;
        boolean overflow = false;
        int intDigits = 0;
        for (; i < end; i++)
        {
            final byte b = UNSAFE.getByte(array, address + i);
            if (b == '.')
            {
                break;
            }
            if (b < '0' || b > '9')
            {
                return MALFORMED;
            }
            intDigits++;
            if (!overflow)
            {
                final long next = value * 10 + (b - '0');
                if (value > (Long.MAX_VALUE - 9) / 10 || next < 0)
                {
                    overflow = true;
                }
                value = next;
            }
        }
        if (intDigits == 0)
        {
            return MALFORMED;
        }
        int fractionDigits = 0;
        boolean tooPrecise = false;
        if (i < end)
        {
            i++; // the point
            if (i == end)
            {
                return MALFORMED;
            }
            for (; i < end; i++)
            {
                final byte b = UNSAFE.getByte(array, address + i);
                if (b < '0' || b > '9')
                {
                    return MALFORMED;
                }
                fractionDigits++;
                if (fractionDigits > scale)
                {
                    if (b != '0')
                    {
                        tooPrecise = true;
                    }
                    continue;
                }
                if (!overflow)
                {
                    final long next = value * 10 + (b - '0');
                    if (value > (Long.MAX_VALUE - 9) / 10 || next < 0)
                    {
                        overflow = true;
                    }
                    value = next;
                }
            }
        }
        if (tooPrecise)
        {
            return TOO_PRECISE;
        }
        if (overflow)
        {
            return OVERFLOW;
        }
        final int missing = scale - Math.min(fractionDigits, scale);
        if (missing > 0)
        {
            final long factor = POWERS_OF_TEN[missing];
            if (value > Long.MAX_VALUE / factor)
            {
                return OVERFLOW;
            }
            value *= factor;
        }
        return value;
    }

    /** Parses a Java string; for configuration and tests, not the hot path. */
    public static long parse(final String text, final int scale)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return parse(new UnsafeBuffer(bytes), 0, bytes.length, scale);
    }

    /**
     * The number of decimals a decimal string needs, ignoring trailing zeros ({@code "0.0100"} → 2),
     * or -1 when it is malformed.
     */
    public static int significantScale(final String text)
    {
        if (!text.matches("[0-9]+(\\.[0-9]+)?"))
        {
            return -1;
        }
        final int point = text.indexOf('.');
        if (point < 0)
        {
            return 0;
        }
        int last = text.length() - 1;
        while (last > point && text.charAt(last) == '0')
        {
            last--;
        }
        return last - point;
    }

    /**
     * Writes a non-negative value at {@code scale} without trailing zeros ({@code 150} at scale 2 → {@code "1.5"}).
     *
     * @return the number of bytes written.
     */
    public static int format(final long value, final int scale, final MutableDirectBuffer buffer, final int offset)
    {
        if (value < 0)
        {
            buffer.putByte(offset, (byte)'-');
            if (value == Long.MIN_VALUE)
            {
                throw new IllegalArgumentException("cannot format Long.MIN_VALUE");
            }
            return 1 + format(-value, scale, buffer, offset + 1);
        }
        final long unit = POWERS_OF_TEN[scale];
        final long integerPart = value / unit;
        long fraction = value % unit;
        int length = buffer.putLongAscii(offset, integerPart);
        if (fraction != 0)
        {
            int digits = scale;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }
            buffer.putByte(offset + length, (byte)'.');
            length++;
            for (int d = digits - 1; d >= 0; d--)
            {
                buffer.putByte(offset + length + d, (byte)('0' + fraction % 10));
                fraction /= 10;
            }
            length += digits;
        }
        return length;
    }

    /** Formats to a string; for tests, tools and slow paths. */
    public static String toString(final long value, final int scale)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[48]);
        final int length = format(value, scale, buffer, 0);
        return buffer.getStringWithoutLengthAscii(0, length);
    }
}
