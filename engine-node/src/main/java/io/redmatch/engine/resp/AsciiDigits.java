package io.redmatch.engine.resp;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Formats non-negative numbers and the digits of fixed-point fractions in decimal ASCII eight digits at a time: the
 * digits of a number below 10^8 are computed in the eight bytes of one {@code long} (SWAR: two 4-digit halves, split
 * into 2-digit and 1-digit lanes by multiply-and-shift) and stored with one 8-byte write. A digit count falls out of
 * the same word (its zero bytes), so no digit-count table or per-digit division is needed.
 * <p>
 * The order record reply formats about a dozen numbers (an order id, a 16-digit timestamp, prices and quantities);
 * Agrona's {@code putLongAscii} and a digit-by-digit fraction loop were a fifth of the event loop's time on it.
 * <p>
 * Every {@code put} method may write up to {@link #SLACK} bytes past the digits it reports; the caller reserves room
 * for them and writes over them (the CRLF and the next element do), so they never reach the wire.
 */
public final class AsciiDigits
{
    /** Bytes past the reported end a {@code put} may write: room for one 8-byte store at the last digit. */
    public static final int SLACK = 8;

    /** The most digits a positive {@code long} has. */
    public static final int MAX_LONG_DIGITS = 19;

    /** The most fraction digits {@link #fractionDigits(long, int)} handles; larger scales are not accepted. */
    public static final int MAX_FRACTION_SCALE = 16;

    private static final long EIGHT_DIGITS = 100_000_000L;
    private static final long SIXTEEN_DIGITS = EIGHT_DIGITS * EIGHT_DIGITS;
    private static final long ASCII_ZEROS = 0x3030303030303030L;
    /** A digit value of 1 in the last byte: makes a word of eight zero digits count as one digit. */
    private static final long LAST_DIGIT_ONE = 1L << 56;

    private AsciiDigits()
    {
    }

    /**
     * The digits of {@code value}, zero-padded to eight, as the byte values 0 to 9 of a little-endian {@code long}:
     * the most significant digit in the lowest byte, so one little-endian store writes them in reading order.
     *
     * @param value 0 to 99,999,999.
     * @return the eight digit values, not yet ASCII.
     */
    public static long eightDigits(final long value)
    {
        // 4-digit halves in 32-bit lanes, the high half first (in the low lane)
        final long quads = value / 10_000 | (value % 10_000) << 32;
        // x / 100 = x * 10486 >>> 20 for x < 10^4; each lane's product stays below 2^27
        final long hundreds = (quads * 10486 >>> 20) & 0x0000007F0000007FL;
        final long pairs = (quads - 100 * hundreds) << 16 | hundreds;
        // y / 10 = y * 103 >>> 10 for y < 100; each lane's product stays below 2^14
        final long tens = (pairs * 103 >>> 10) & 0x000F000F000F000FL;
        return (pairs - 10 * tens) << 8 | tens;
    }

    /**
     * @param value 0 to 99,999,999.
     * @return the number of digits of {@code value}, 1 for zero.
     */
    public static int digitCount8(final long value)
    {
        return 8 - (Long.numberOfTrailingZeros(eightDigits(value) | LAST_DIGIT_ONE) >>> 3);
    }

    /**
     * Writes a non-negative number in decimal ASCII, without leading zeros ({@code "0"} for zero); see
     * {@link #SLACK}.
     *
     * @param buffer to write to.
     * @param index  where the first digit goes.
     * @param value  zero or more.
     * @return the number of digits written.
     */
    public static int putNatural(final UnsafeBuffer buffer, final int index, final long value)
    {
        if (value < EIGHT_DIGITS)
        {
            return putLeading(buffer, index, value);
        }
        if (value < SIXTEEN_DIGITS)
        {
            final long high = value / EIGHT_DIGITS;
            final int highDigits = putLeading(buffer, index, high);
            putEight(buffer, index + highDigits, value - high * EIGHT_DIGITS);
            return highDigits + 8;
        }
        final long top = value / SIXTEEN_DIGITS;
        final long rest = value - top * SIXTEEN_DIGITS;
        final long middle = rest / EIGHT_DIGITS;
        final int topDigits = putLeading(buffer, index, top);
        putEight(buffer, index + topDigits, middle);
        putEight(buffer, index + topDigits + 8, rest - middle * EIGHT_DIGITS);
        return topDigits + 16;
    }

    /**
     * Writes a number in decimal ASCII, with a minus sign when negative; see {@link #SLACK}.
     *
     * @param buffer to write to.
     * @param index  where the first character goes.
     * @param value  any value.
     * @return the number of characters written.
     */
    public static int putLong(final UnsafeBuffer buffer, final int index, final long value)
    {
        if (value >= 0)
        {
            return putNatural(buffer, index, value);
        }
        if (value == Long.MIN_VALUE)
        {
            return buffer.putLongAscii(index, value);
        }
        buffer.putByte(index, (byte)'-');
        return 1 + putNatural(buffer, index + 1, -value);
    }

    /**
     * The significant fraction digits of a fixed-point value's fraction: {@code fraction} holds {@code scale}
     * digits, zero-padded on the left, and the digits that count end at its last non-zero one ({@code 500} at scale
     * 4, i.e. {@code .0500}, has 2: {@code "05"}).
     *
     * @param fraction 1 to 10^scale - 1.
     * @param scale    1 to {@link #MAX_FRACTION_SCALE}.
     * @return the number of digits {@link #putFraction} writes for it.
     */
    public static int fractionDigits(final long fraction, final int scale)
    {
        if (scale <= 8)
        {
            return significantDigits(eightDigits(fraction) >>> ((8 - scale) << 3));
        }
        final long high = fraction / EIGHT_DIGITS;
        final long low = fraction - high * EIGHT_DIGITS;
        if (low != 0)
        {
            return scale - (Long.numberOfLeadingZeros(eightDigits(low)) >>> 3);
        }
        return significantDigits(eightDigits(high) >>> ((16 - scale) << 3));
    }

    /**
     * Writes the {@code scale} digits of a fraction zero-padded on the left; the caller keeps as many as
     * {@link #fractionDigits} says and writes over the rest. See {@link #SLACK}.
     *
     * @param buffer   to write to.
     * @param index    where the first digit goes.
     * @param fraction 0 to 10^scale - 1.
     * @param scale    1 to {@link #MAX_FRACTION_SCALE}.
     */
    public static void putFraction(final UnsafeBuffer buffer, final int index, final long fraction, final int scale)
    {
        if (scale <= 8)
        {
            buffer.putLong(index, (eightDigits(fraction) >>> ((8 - scale) << 3)) + ASCII_ZEROS,
                ByteOrder.LITTLE_ENDIAN);
            return;
        }
        final long high = fraction / EIGHT_DIGITS;
        buffer.putLong(index, (eightDigits(high) >>> ((16 - scale) << 3)) + ASCII_ZEROS, ByteOrder.LITTLE_ENDIAN);
        putEight(buffer, index + scale - 8, fraction - high * EIGHT_DIGITS);
    }

    /** The digits of a number below 10^8 without leading zeros. */
    private static int putLeading(final UnsafeBuffer buffer, final int index, final long value)
    {
        final long digits = eightDigits(value);
        final int leadingZeros = Long.numberOfTrailingZeros(digits | LAST_DIGIT_ONE) >>> 3;
        buffer.putLong(index, (digits + ASCII_ZEROS) >>> (leadingZeros << 3), ByteOrder.LITTLE_ENDIAN);
        return 8 - leadingZeros;
    }

    private static void putEight(final UnsafeBuffer buffer, final int index, final long value)
    {
        buffer.putLong(index, eightDigits(value) + ASCII_ZEROS, ByteOrder.LITTLE_ENDIAN);
    }

    /** Digits up to the last non-zero one, of a non-zero word of digit values. */
    private static int significantDigits(final long digits)
    {
        return 8 - (Long.numberOfLeadingZeros(digits) >>> 3);
    }
}
