package io.redmatch.clearing.fill;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AmountsTest
{
    @Test
    void parsesOnlyTheEnginesDecimals()
    {
        assertEquals(new BigDecimal("30000.5"), Amounts.parse("30000.5"));
        assertEquals(new BigDecimal("0.00000001"), Amounts.parse("0.00000001"));
        assertEquals(new BigDecimal("7"), Amounts.parse("007"));
        for (final String bad : new String[] { "", "-1", "+1", "1e3", "1.", ".5", "1,5", " 1", "1 ", "NaN",
            "Infinity", "0x10", "1.2.3", "١" })
        {
            assertNull(Amounts.parse(bad), bad);
        }
        assertNull(Amounts.parse(null));
        assertNull(Amounts.parse("1".repeat(50)));
        assertNull(Amounts.parse("0." + "1".repeat(35)));
    }

    @Test
    void arithmeticIsExactWhereDoubleIsNot()
    {
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < 1000; i++)
        {
            sum = sum.add(Amounts.parse("0.1"));
        }
        assertEquals("100", Amounts.format(sum));
        assertArrayEquals(Amounts.encode(new BigDecimal("100")), Amounts.encode(sum));
        assertEquals("0.3", Amounts.format(Amounts.parse("0.1").add(Amounts.parse("0.2"))));
        assertEquals("6000.1", Amounts.format(Amounts.parse("30000.5").multiply(Amounts.parse("0.2"))));
    }

    @Test
    void formatsWithoutTrailingZerosOrExponent()
    {
        assertEquals("0", Amounts.format(new BigDecimal("0.000")));
        assertEquals("1200", Amounts.format(new BigDecimal("1.2E3")));
        assertEquals("-0.5", Amounts.format(new BigDecimal("-0.50")));
        assertEquals("0.00000001", Amounts.format(new BigDecimal("1E-8")));
    }

    @Test
    void encodesRoundTripIncludingLargeAndNegativeAmounts()
    {
        final Random random = new Random(42);
        for (int i = 0; i < 10_000; i++)
        {
            final BigDecimal amount = new BigDecimal(new BigInteger(1 + random.nextInt(120), random)
                .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)), random.nextInt(19));
            final byte[] encoded = Amounts.encode(amount);
            assertEquals(Amounts.ENCODED_LENGTH, encoded.length);
            assertEquals(0, amount.compareTo(Amounts.decode(encoded)), amount.toPlainString());
        }
        assertArrayEquals(Amounts.encode(new BigDecimal("1.50")), Amounts.encode(new BigDecimal("1.5")));
        assertEquals(0, BigDecimal.ZERO.compareTo(Amounts.decode(Amounts.encode(new BigDecimal("0E-12")))));
    }

    @Test
    void refusesWhatDoesNotFitInsteadOfWrapping()
    {
        assertThrows(ArithmeticException.class, () -> Amounts.encode(new BigDecimal(BigInteger.ONE.shiftLeft(130))));
        assertThrows(IllegalArgumentException.class, () -> Amounts.decode(new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> Amounts.decode(new byte[Amounts.ENCODED_LENGTH]));
    }
}
