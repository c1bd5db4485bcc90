package io.redmatch.engine.resp;

import io.redmatch.engine.core.Decimal;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AsciiDigitsTest
{
    private static final long SEED = System.nanoTime();

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

    @Test
    void eightDigitsOfEveryFourDigitHalf()
    {
        // the two 4-digit halves are computed in independent lanes, so every half in both lanes covers all values
        for (long half = 0; half < 10_000; half++)
        {
            assertPutsNatural(half);
            assertPutsNatural(half * 10_000);
            assertPutsNatural(half * 10_000 + 9_999 - half);
        }
    }

    @Test
    void naturalAndSignedLongsAtEveryPowerOfTenAndEdge()
    {
        for (int exponent = 0; exponent <= 18; exponent++)
        {
            final long power = Decimal.pow10(exponent);
            for (final long value : new long[] {power - 1, power, power + 1, 9 * power, 2 * power - 1})
            {
                assertPutsNatural(value);
                assertPutsLong(value);
                assertPutsLong(-value);
            }
        }
        for (final long value : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE,
            Long.MIN_VALUE + 1, 99_999_999, 100_000_000, 9_999_999_999_999_999L, 10_000_000_000_000_000L})
        {
            assertPutsLong(value);
        }
    }

    @Test
    void randomLongsOfEveryLength()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 2_000_000; i++)
        {
            final long value = random.nextLong() >> random.nextInt(64);
            assertPutsLong(value);
            if (value >= 0)
            {
                assertPutsNatural(value);
            }
        }
    }

    @Test
    void fractionsOfEveryScale()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int scale = 1; scale <= AsciiDigits.MAX_FRACTION_SCALE; scale++)
        {
            final long unit = Decimal.pow10(scale);
            for (int zeros = 0; zeros < scale; zeros++)
            {
                final long step = Decimal.pow10(zeros);
                assertPutsFraction(step, scale);
                assertPutsFraction(unit - step, scale);
                assertPutsFraction((unit / step - 1) / 2 * step + step, scale);
            }
            for (int i = 0; i < 100_000; i++)
            {
                final long step = Decimal.pow10(random.nextInt(scale));
                final long fraction = Math.max(1, random.nextLong(unit) / step * step);
                assertPutsFraction(fraction, scale);
            }
        }
    }

    private void assertPutsNatural(final long value)
    {
        clear();
        final int length = AsciiDigits.putNatural(buffer, 3, value);
        assertEquals(Long.toString(value), written(3, length), () -> "value " + value + ", seed " + SEED);
        if (value < 100_000_000L)
        {
            assertEquals(length, AsciiDigits.digitCount8(value));
        }
    }

    private void assertPutsLong(final long value)
    {
        clear();
        final int length = AsciiDigits.putLong(buffer, 5, value);
        assertEquals(Long.toString(value), written(5, length), () -> "value " + value + ", seed " + SEED);
    }

    private void assertPutsFraction(final long fraction, final int scale)
    {
        clear();
        final int digits = AsciiDigits.fractionDigits(fraction, scale);
        AsciiDigits.putFraction(buffer, 2, fraction, scale);
        final String expected = BigDecimal.valueOf(fraction, scale).stripTrailingZeros().toPlainString().substring(2);
        assertEquals(expected, written(2, digits),
            () -> "fraction " + fraction + " scale " + scale + ", seed " + SEED);
    }

    private void clear()
    {
        buffer.setMemory(0, buffer.capacity(), (byte)'#');
    }

    private String written(final int index, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(index, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
