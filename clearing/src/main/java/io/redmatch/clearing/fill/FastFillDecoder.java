package io.redmatch.clearing.fill;

import net.openhft.chronicle.algo.hashing.LongHashFunction;

import java.math.BigDecimal;
import java.util.List;

/**
 * The hot path of {@link FillDecoder#decode}: an entry whose fields come in the engine's order
 * ({@link FillDecoder#FIELDS}) and whose numbers fit in a {@code long} is checked and decoded here without regular
 * expressions, maps or decimal parsing: amounts are read as fixed-point {@code long}s (unscaled value, scale), and
 * {@code quote_qty == price × qty} and the fee limits are compared exactly in {@code long} arithmetic, every product
 * and rescaling checked for overflow ({@link Math#multiplyExact}).
 * <p>
 * It accepts an entry only when every check passes; for anything else (a check fails, another field order, more than
 * 18 digits, an overflow, a non-ASCII character) it returns null and {@link FillDecoder#decodeGeneral}, the reference
 * decoding, decides and words the refusal. So the fast path can only ever accept what the reference accepts, with the
 * same result (FastFillDecoderTest compares them on random and mutated entries).
 */
final class FastFillDecoder
{
    private static final int FIELD_COUNT = FillDecoder.FIELDS.size();
    private static final String[] NAMES = FillDecoder.FIELDS.toArray(new String[0]);
    private static final int MAX_LONG_DIGITS = 18;
    private static final int MAX_SCALE = 30;
    private static final int MAX_DECIMAL_LENGTH = 41;
    private static final int MAX_ACCOUNT_LENGTH = 64;
    private static final long[] POW10 = new long[MAX_LONG_DIGITS + 1];
    private static final LongHashFunction HASH = LongHashFunction.xx_r39();

    static
    {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++)
        {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private FastFillDecoder()
    {
    }

    /**
     * @param pair    the pair whose stream the entry came from.
     * @param entryId the entry's ID.
     * @param fields  the entry's field/value list, flat.
     * @return the fill, or null when the reference decoding must decide.
     */
    static Fill decode(final String pair, final String entryId, final List<String> fields)
    {
        if (entryId == null || fields == null || fields.size() != 2 * FIELD_COUNT)
        {
            return null;
        }
        for (int i = 0; i < FIELD_COUNT; i++)
        {
            final String name = fields.get(2 * i);
            if (name == null || fields.get(2 * i + 1) == null || !name.equals(NAMES[i]))
            {
                return null;
            }
        }
        final String seqText = fields.get(1);
        final long seq = number(seqText);
        if (seq < 1 || entryId.length() != seqText.length() + 2 || !entryId.startsWith(seqText) ||
            entryId.charAt(seqText.length()) != '-' || entryId.charAt(seqText.length() + 1) != '0')
        {
            return null;
        }
        if (!pair.equals(fields.get(3)))
        {
            return null;
        }
        final long price = unscaled(fields.get(5));
        final int priceScale = scale(fields.get(5));
        final long qty = unscaled(fields.get(7));
        final int qtyScale = scale(fields.get(7));
        final long quoteQty = unscaled(fields.get(9));
        final int quoteScale = scale(fields.get(9));
        if (price <= 0 || qty <= 0 || quoteQty < 0)
        {
            return null;
        }
        final String side = fields.get(11);
        final boolean takerBuys = "BUY".equals(side);
        if (!takerBuys && !"SELL".equals(side))
        {
            return null;
        }
        if (number(fields.get(13)) < 0 || number(fields.get(15)) < 0 || !isAccount(fields.get(17)) ||
            !isAccount(fields.get(19)))
        {
            return null;
        }
        final long takerFee = unscaled(fields.get(21));
        final int takerFeeScale = scale(fields.get(21));
        final long makerFee = unscaled(fields.get(23));
        final int makerFeeScale = scale(fields.get(23));
        final long ts = number(fields.get(25));
        if (takerFee < 0 || makerFee < 0 || ts < 0)
        {
            return null;
        }
        try
        {
            if (compare(Math.multiplyExact(price, qty), priceScale + qtyScale, quoteQty, quoteScale) != 0)
            {
                return null;
            }
            // a fee is charged in the asset its side receives and cannot exceed it
            final boolean baseFeeTooLarge = takerBuys ?
                compare(takerFee, takerFeeScale, qty, qtyScale) > 0 :
                compare(makerFee, makerFeeScale, qty, qtyScale) > 0;
            final boolean quoteFeeTooLarge = takerBuys ?
                compare(makerFee, makerFeeScale, quoteQty, quoteScale) > 0 :
                compare(takerFee, takerFeeScale, quoteQty, quoteScale) > 0;
            if (baseFeeTooLarge || quoteFeeTooLarge)
            {
                return null;
            }
        }
        catch (final ArithmeticException ex)
        {
            // beyond a long: the reference decoding compares in BigDecimal
            return null;
        }
        final long hash = contentHash(fields);
        if (hash == 0 && !hashable(fields))
        {
            return null;
        }
        return new Fill(pair, seq, BigDecimal.valueOf(price, priceScale), BigDecimal.valueOf(qty, qtyScale),
            BigDecimal.valueOf(quoteQty, quoteScale), takerBuys, fields.get(17), fields.get(19),
            BigDecimal.valueOf(takerFee, takerFeeScale), BigDecimal.valueOf(makerFee, makerFeeScale), ts, hash);
    }

    /**
     * @return a whole number of 1..18 ASCII digits, or -1.
     */
    static long number(final String text)
    {
        final int length = text.length();
        if (length < 1 || length > MAX_LONG_DIGITS)
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length; i++)
        {
            final int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * @return the unscaled value of a decimal {@code [0-9]+(\.[0-9]+)?} of at most 18 digits and 30 decimals, or -1.
     */
    static long unscaled(final String text)
    {
        final int length = text.length();
        if (length < 1 || length > MAX_DECIMAL_LENGTH)
        {
            return -1;
        }
        long value = 0;
        int digits = 0;
        int dot = -1;
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c == '.')
            {
                if (dot >= 0 || i == 0 || i == length - 1)
                {
                    return -1;
                }
                dot = i;
                continue;
            }
            final int digit = c - '0';
            if (digit < 0 || digit > 9 || ++digits > MAX_LONG_DIGITS)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return dot >= 0 && length - dot - 1 > MAX_SCALE ? -1 : value;
    }

    /**
     * @return the number of decimals of a text {@link #unscaled} accepted.
     */
    static int scale(final String text)
    {
        final int dot = text.indexOf('.');
        return dot < 0 ? 0 : text.length() - dot - 1;
    }

    /**
     * Compares two fixed-point values exactly.
     *
     * @throws ArithmeticException when rescaling one to the other's scale overflows a long.
     */
    static int compare(final long a, final int aScale, final long b, final int bScale)
    {
        if (aScale == bScale)
        {
            return Long.compare(a, b);
        }
        if (aScale < bScale)
        {
            return Long.compare(Math.multiplyExact(a, pow10(bScale - aScale)), b);
        }
        return Long.compare(a, Math.multiplyExact(b, pow10(aScale - bScale)));
    }

    private static long pow10(final int exponent)
    {
        if (exponent >= POW10.length)
        {
            throw new ArithmeticException("10^" + exponent + " exceeds a long");
        }
        return POW10[exponent];
    }

    private static boolean isAccount(final String text)
    {
        final int length = text.length();
        if (length < 1 || length > MAX_ACCOUNT_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' ||
                c == ':' || c == '-'))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean hashable(final List<String> fields)
    {
        for (final String text : fields)
        {
            for (int i = 0; i < text.length(); i++)
            {
                if (text.charAt(i) >= 0x80)
                {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The same bytes as {@link FillDecoder#contentHash} (field, 0, value, 0, in the engine's order, UTF-8), written
     * directly; 0 when a character is not ASCII (then the caller checks with {@link #hashable}).
     */
    private static long contentHash(final List<String> fields)
    {
        int length = 0;
        for (final String text : fields)
        {
            length += text.length() + 1;
        }
        final byte[] bytes = new byte[length];
        int at = 0;
        for (final String text : fields)
        {
            final int size = text.length();
            for (int i = 0; i < size; i++)
            {
                final char c = text.charAt(i);
                if (c >= 0x80)
                {
                    return 0;
                }
                bytes[at++] = (byte)c;
            }
            bytes[at++] = 0;
        }
        return HASH.hashBytes(bytes);
    }
}
