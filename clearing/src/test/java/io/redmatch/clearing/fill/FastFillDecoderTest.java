package io.redmatch.clearing.fill;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The fixed-point fast path of {@link FillDecoder#decode} against the reference decoding ({@link BigDecimal}, regular
 * expressions): on random well-formed fills and on random corruptions of them, both must accept with equal fills
 * (equal scales included) or both refuse with the same message. Randomized; the seed is printed, and
 * {@code -Dredmatch.test.seed=<seed>} replays a run.
 */
class FastFillDecoderTest
{
    private static final String PAIR = "BTC-USDT";
    private static final int ROUNDS = 20_000;

    @Test
    void agreesWithTheReferenceDecoding()
    {
        final long seed = seed();
        System.out.println("FastFillDecoderTest seed " + seed);
        final Random random = new Random(seed);
        int fastAccepted = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            final long seq = 1 + random.nextInt(1_000_000);
            final List<String> fields = TestFills.flat(randomFill(random, seq));
            String entryId = seq + "-0";
            final int mutation = random.nextInt(4);
            if (mutation == 1)
            {
                mutateValue(random, fields);
            }
            else if (mutation == 2 && random.nextBoolean())
            {
                entryId = random.nextBoolean() ? seq + "-1" : (seq + 1) + "-0";
            }
            else if (mutation == 2)
            {
                swapFields(random, fields);
            }
            else if (mutation == 3)
            {
                mutateValue(random, fields);
                mutateValue(random, fields);
            }
            if (FastFillDecoder.decode(PAIR, entryId, fields) != null)
            {
                fastAccepted++;
            }
            compare(entryId, fields, "seed " + seed + ", round " + round + ": " + entryId + " " + fields);
        }
        // the fast path must take the well-formed fills (about a quarter of the rounds are left untouched)
        assertEquals(true, fastAccepted > ROUNDS / 10, "fast path accepted only " + fastAccepted + " (seed " +
            seed + ")");
    }

    @Test
    void comparesFixedPointValuesExactly()
    {
        final long seed = seed();
        System.out.println("FastFillDecoderTest fixed-point seed " + seed);
        final Random random = new Random(seed);
        for (int round = 0; round < 100_000; round++)
        {
            final long a = random.nextInt(3) == 0 ? random.nextLong() >>> 1 : random.nextInt(1_000_000);
            final long b = random.nextInt(3) == 0 ? random.nextLong() >>> 1 : random.nextInt(1_000_000);
            final int aScale = random.nextInt(25);
            final int bScale = random.nextInt(25);
            final int expected = BigDecimal.valueOf(a, aScale).compareTo(BigDecimal.valueOf(b, bScale));
            try
            {
                assertEquals(expected, FastFillDecoder.compare(a, aScale, b, bScale),
                    "seed " + seed + ": " + a + "e-" + aScale + " vs " + b + "e-" + bScale);
            }
            catch (final ArithmeticException ex)
            {
                // overflow is detected, never wrapped: the rescaled value really does not fit in a long
                final BigInteger rescaled = aScale < bScale ?
                    BigInteger.valueOf(a).multiply(BigInteger.TEN.pow(bScale - aScale)) :
                    BigInteger.valueOf(b).multiply(BigInteger.TEN.pow(aScale - bScale));
                assertEquals(true, rescaled.bitLength() > 63 || Math.abs(aScale - bScale) > 18,
                    "seed " + seed + ": overflow claimed for " + a + "e-" + aScale + " vs " + b + "e-" + bScale);
            }
        }
    }

    @Test
    void leavesWhatALongCannotHoldToTheReference() throws BadFillException
    {
        final Map<String, String> fields = TestFills.fields(PAIR, 7, "BUY", "bob", "alice");
        // 19 digits and a product beyond a long: decoded exactly by the reference decoding
        fields.put("price", "1234567890.123456789");
        fields.put("qty", "1000000000");
        fields.put("quote_qty", "1234567890123456789");
        fields.put("maker_fee", "0");
        final List<String> flat = TestFills.flat(fields);
        assertNull(FastFillDecoder.decode(PAIR, "7-0", flat));
        final Fill fill = FillDecoder.decode(PAIR, "7-0", flat);
        assertEquals(new BigDecimal("1234567890123456789"), fill.quoteQty());
        fields.put("quote_qty", "1234567890123456790");
        assertThrows(BadFillException.class, () -> FillDecoder.decode(PAIR, "7-0", TestFills.flat(fields)));
    }

    @Test
    void takesTheEnginesFills()
    {
        assertNotNull(FastFillDecoder.decode(PAIR, "7-0", TestFills.flat(TestFills.fields(PAIR, 7, "SELL", "s1",
            "b_2.x:y-z"))));
    }

    private static void compare(final String entryId, final List<String> fields, final String what)
    {
        Fill reference = null;
        String refusal = null;
        try
        {
            reference = FillDecoder.decodeGeneral(PAIR, entryId, fields);
        }
        catch (final BadFillException ex)
        {
            refusal = ex.getMessage();
        }
        final Fill fast = FastFillDecoder.decode(PAIR, entryId, fields);
        if (refusal != null)
        {
            assertNull(fast, "fast path accepted what the reference refuses (" + refusal + "): " + what);
        }
        else if (fast != null)
        {
            assertEquals(reference, fast, what);
        }
        Fill decoded = null;
        String decodedRefusal = null;
        try
        {
            decoded = FillDecoder.decode(PAIR, entryId, fields);
        }
        catch (final BadFillException ex)
        {
            decodedRefusal = ex.getMessage();
        }
        assertEquals(refusal, decodedRefusal, what);
        assertEquals(reference, decoded, what);
    }

    private static Map<String, String> randomFill(final Random random, final long seq)
    {
        final boolean takerBuys = random.nextBoolean();
        final Map<String, String> fields = TestFills.fields(PAIR, seq, takerBuys ? "BUY" : "SELL",
            account(random), account(random));
        final int priceScale = random.nextInt(random.nextInt(10) == 0 ? 12 : 5);
        final int qtyScale = random.nextInt(random.nextInt(10) == 0 ? 12 : 9);
        final BigDecimal price = BigDecimal.valueOf(magnitude(random), priceScale);
        final BigDecimal qty = BigDecimal.valueOf(magnitude(random), qtyScale);
        final BigDecimal quoteQty = price.multiply(qty);
        fields.put("price", price.toPlainString());
        fields.put("qty", qty.toPlainString());
        fields.put("quote_qty", random.nextInt(5) == 0 ? quoteQty.stripTrailingZeros().toPlainString() :
            quoteQty.toPlainString());
        final BigDecimal baseFee = fee(random, qty);
        final BigDecimal quoteFee = fee(random, quoteQty);
        fields.put("taker_fee", (takerBuys ? baseFee : quoteFee).toPlainString());
        fields.put("maker_fee", (takerBuys ? quoteFee : baseFee).toPlainString());
        return fields;
    }

    /** Mostly what trades carry, sometimes up to a long's range (then products overflow). */
    private static long magnitude(final Random random)
    {
        return 1 + (random.nextInt(8) == 0 ? random.nextLong() >>> (1 + random.nextInt(62)) :
            random.nextInt(10_000_000));
    }

    private static BigDecimal fee(final Random random, final BigDecimal received)
    {
        return switch (random.nextInt(4))
        {
            case 0 -> BigDecimal.ZERO;
            case 1 -> received;
            case 2 -> received.add(BigDecimal.ONE.movePointLeft(received.scale() + 1));
            default -> received.multiply(new BigDecimal("0.001"));
        };
    }

    private static String account(final Random random)
    {
        final String chars = "abcXYZ019_.:-";
        final StringBuilder name = new StringBuilder();
        final int length = 1 + random.nextInt(random.nextInt(20) == 0 ? 70 : 8);
        for (int i = 0; i < length; i++)
        {
            name.append(chars.charAt(random.nextInt(chars.length())));
        }
        return name.toString();
    }

    private static void mutateValue(final Random random, final List<String> fields)
    {
        final int index = 2 * random.nextInt(fields.size() / 2) + (random.nextInt(8) == 0 ? 0 : 1);
        final String value = fields.get(index) == null ? "" : fields.get(index);
        final String[] odd = { "", "-1", "1e3", "0", "0.0", ".5", "5.", "1..2", "é", "99999999999999999999",
            "9223372036854775807", "BUY", "SELL", "a b", PAIR, "ETH-USDT", "00", "0001.10" };
        final String mutated = switch (random.nextInt(5))
        {
            case 0 -> odd[random.nextInt(odd.length)];
            case 1 -> value.isEmpty() ? "x" : value.substring(0, random.nextInt(value.length()));
            case 2 -> value + "0";
            case 3 -> value.isEmpty() ? "1" : value.substring(0, random.nextInt(value.length())) +
                (char)(' ' + random.nextInt(95)) + value.substring(random.nextInt(value.length()));
            default -> random.nextBoolean() ? null : value + "1";
        };
        fields.set(index, mutated);
    }

    private static void swapFields(final Random random, final List<String> fields)
    {
        final int a = random.nextInt(fields.size() / 2);
        final int b = random.nextInt(fields.size() / 2);
        Collections.swap(fields, 2 * a, 2 * b);
        Collections.swap(fields, 2 * a + 1, 2 * b + 1);
        if (random.nextInt(4) == 0)
        {
            final List<String> extra = new ArrayList<>(fields.subList(0, 2));
            fields.addAll(extra);
        }
    }

    private static long seed()
    {
        final String given = System.getProperty("redmatch.test.seed");
        return given == null ? System.nanoTime() : Long.parseLong(given);
    }
}
