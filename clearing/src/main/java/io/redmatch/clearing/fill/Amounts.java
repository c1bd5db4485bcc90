package io.redmatch.clearing.fill;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Exact decimal amounts of the ledger. Amounts are {@link BigDecimal}s: a balance accumulates without bound over the
 * life of an account, so a {@code long} at a fixed scale could overflow where a trade never would; BigDecimal is exact
 * and never rounds in addition or subtraction, which is all the ledger does. No {@code double} anywhere.
 * <p>
 * In the ledger an amount is stored in {@link #ENCODED_LENGTH} bytes: its scale, the length of its unscaled value and
 * the unscaled value in two's complement (at most 128 bits, far beyond any real balance; beyond it a write fails
 * loudly instead of wrapping).
 */
public final class Amounts
{
    /** Bytes of an encoded amount. */
    public static final int ENCODED_LENGTH = 18;

    private static final int MAX_UNSCALED_BYTES = 16;
    private static final int MAX_SCALE = 30;
    private static final int MAX_DIGITS = 40;
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    private Amounts()
    {
    }

    /**
     * Parses an amount as the engine writes it: {@code ^[0-9]+(\.[0-9]+)?$}, no sign, no exponent.
     *
     * @param text the decimal.
     * @return the amount, or null when the text is not such a decimal (or absurdly long).
     */
    public static BigDecimal parse(final String text)
    {
        if (text == null || text.isEmpty() || text.length() > MAX_DIGITS + 1 || !DECIMAL.matcher(text).matches())
        {
            return null;
        }
        final BigDecimal value = new BigDecimal(text);
        return value.scale() > MAX_SCALE ? null : value;
    }

    /**
     * Formats an amount as the engine does: plain digits without trailing zeros, {@code 0} for zero.
     *
     * @param amount the amount.
     * @return its text.
     */
    public static String format(final BigDecimal amount)
    {
        if (amount.signum() == 0)
        {
            return "0";
        }
        return amount.stripTrailingZeros().toPlainString();
    }

    /**
     * Encodes an amount into {@link #ENCODED_LENGTH} bytes.
     *
     * @param amount the amount.
     * @return its bytes.
     * @throws ArithmeticException when it does not fit in 128 bits at its scale.
     */
    public static byte[] encode(final BigDecimal amount)
    {
        final BigDecimal canonical = amount.signum() == 0 ? BigDecimal.ZERO : amount.stripTrailingZeros();
        BigDecimal stored = canonical.scale() < 0 ? canonical.setScale(0) : canonical;
        if (stored.scale() > MAX_SCALE)
        {
            throw new ArithmeticException("amount " + amount + " has more than " + MAX_SCALE + " decimals");
        }
        final byte[] unscaled = stored.unscaledValue().toByteArray();
        if (unscaled.length > MAX_UNSCALED_BYTES)
        {
            throw new ArithmeticException("amount " + amount + " exceeds the ledger's 128-bit range");
        }
        final byte[] out = new byte[ENCODED_LENGTH];
        out[0] = (byte)stored.scale();
        out[1] = (byte)unscaled.length;
        System.arraycopy(unscaled, 0, out, 2, unscaled.length);
        return out;
    }

    /**
     * Decodes what {@link #encode} wrote.
     *
     * @param bytes the encoded amount.
     * @return the amount.
     * @throws IllegalArgumentException when the bytes are not an encoded amount.
     */
    public static BigDecimal decode(final byte[] bytes)
    {
        if (bytes == null || bytes.length != ENCODED_LENGTH || bytes[1] < 1 || bytes[1] > MAX_UNSCALED_BYTES ||
            bytes[0] < 0 || bytes[0] > MAX_SCALE)
        {
            throw new IllegalArgumentException("not an encoded amount");
        }
        final byte[] unscaled = new byte[bytes[1]];
        System.arraycopy(bytes, 2, unscaled, 0, unscaled.length);
        return new BigDecimal(new BigInteger(unscaled), bytes[0]);
    }
}
