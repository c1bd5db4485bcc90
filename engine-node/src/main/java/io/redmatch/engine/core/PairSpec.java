package io.redmatch.engine.core;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Immutable configuration of one trading pair: its fixed-point scales, tick, lot, minimum quantity and fees.
 * <p>
 * Prices are held in units of {@code 10^-priceScale}, quantities in units of {@code 10^-qtyScale}, and quote
 * amounts ({@code price × qty}) exactly in units of {@code 10^-(priceScale + qtyScale)}. Fee rates are held in
 * units of {@code 10^-8} ({@link #RATE_SCALE}); fees are charged in the asset the side receives, rounded up to
 * that asset's precision.
 */
public final class PairSpec
{
    /** Decimals of a fee rate. */
    public static final int RATE_SCALE = 8;
    /** {@code 10^RATE_SCALE} as a constant, so the JIT turns the division of every fee into a multiplication. */
    private static final long RATE_UNIT = 100_000_000L;

    static
    {
        if (RATE_UNIT != Decimal.pow10(RATE_SCALE))
        {
            throw new AssertionError("RATE_UNIT must be 10^RATE_SCALE");
        }
    }
    /** Precision of every asset unless configured otherwise. */
    public static final int ASSET_PRECISION_DEFAULT = 8;
    /** Upper bound of {@code price × qty} of one order in quote units, so sums of many trades stay in range. */
    public static final long MAX_NOTIONAL_UNITS = Long.MAX_VALUE >> 8;

    private static final Pattern PAIR_NAME = Pattern.compile("[A-Z0-9]{1,16}-[A-Z0-9]{1,16}");

    private final String name;
    private final String base;
    private final String quote;
    private final int priceScale;
    private final long tickUnits;
    private final int qtyScale;
    private final long lotUnits;
    private final long minQtyUnits;
    private final long makerFeeRate;
    private final long takerFeeRate;
    private final int baseScale;
    private final int quoteScale;
    private final long baseFeeFactor;
    private final long quoteFeeFactor;
    private final long maxOrderQtyUnits;
    private final long maxOrderNotionalUnits;

    private PairSpec(
        final String name,
        final int priceScale,
        final long tickUnits,
        final int qtyScale,
        final long lotUnits,
        final long minQtyUnits,
        final long makerFeeRate,
        final long takerFeeRate,
        final int basePrecision,
        final int quotePrecision)
    {
        this.name = name;
        final int dash = name.indexOf('-');
        this.base = name.substring(0, dash);
        this.quote = name.substring(dash + 1);
        this.priceScale = priceScale;
        this.tickUnits = tickUnits;
        this.qtyScale = qtyScale;
        this.lotUnits = lotUnits;
        this.minQtyUnits = minQtyUnits;
        this.makerFeeRate = makerFeeRate;
        this.takerFeeRate = takerFeeRate;
        this.baseScale = basePrecision;
        this.quoteScale = quotePrecision;
        this.baseFeeFactor = Decimal.pow10(basePrecision - qtyScale);
        this.quoteFeeFactor = Decimal.pow10(quotePrecision - (priceScale + qtyScale));
        // a fee never exceeds its amount at the asset's precision, so amounts that fit there keep every fee a long
        this.maxOrderQtyUnits = Long.MAX_VALUE / baseFeeFactor;
        this.maxOrderNotionalUnits = Math.min(MAX_NOTIONAL_UNITS, Long.MAX_VALUE / quoteFeeFactor);
    }

    /**
     * Rebuilds a spec from the units and scales another spec reported (e.g. one read back from a snapshot), without
     * the decimal parsing of {@code PAIR.ADD}: the same values give an equal spec.
     *
     * @throws InvalidFieldException when the name is not a pair name.
     * @throws IllegalArgumentException when a value is out of range.
     */
    public static PairSpec restore(
        final String name, final int priceScale, final long tickUnits, final int qtyScale, final long lotUnits,
        final long minQtyUnits, final long makerFeeRate, final long takerFeeRate, final int basePrecision,
        final int quotePrecision)
    {
        if (name == null || !PAIR_NAME.matcher(name).matches())
        {
            throw new InvalidFieldException("PAIR", "must be BASE-QUOTE in upper case letters and digits");
        }
        if (priceScale < 0 || qtyScale < 0 || tickUnits <= 0 || lotUnits <= 0 || minQtyUnits <= 0 ||
            qtyScale > basePrecision || priceScale + qtyScale > quotePrecision || basePrecision > 18 ||
            quotePrecision > 18)
        {
            throw new IllegalArgumentException("pair " + name + " has values out of range");
        }
        return new PairSpec(name, priceScale, tickUnits, qtyScale, lotUnits, minQtyUnits, makerFeeRate, takerFeeRate,
            basePrecision, quotePrecision);
    }

    /** Validates a pair definition with every asset at the default precision. */
    public static PairSpec of(
        final String name, final String tick, final String lot, final String minQty, final String makerFee,
        final String takerFee)
    {
        return of(name, tick, lot, minQty, makerFee, takerFee, ASSET_PRECISION_DEFAULT, ASSET_PRECISION_DEFAULT);
    }

    /**
     * Validates a pair definition as {@code PAIR.ADD} gives it.
     *
     * @param minQty   minimum order quantity, or null for one lot.
     * @param makerFee maker fee rate, or null for zero.
     * @param takerFee taker fee rate, or null for zero.
     * @throws InvalidFieldException naming the first field that breaks a rule.
     */
    public static PairSpec of(
        final String name, final String tick, final String lot, final String minQty, final String makerFee,
        final String takerFee, final int basePrecision, final int quotePrecision)
    {
        if (!PAIR_NAME.matcher(name).matches())
        {
            throw new InvalidFieldException("PAIR", "must be BASE-QUOTE in upper case letters and digits");
        }
        final int priceScale = positiveScale("TICK", tick);
        final long tickUnits = Decimal.parse(tick, priceScale);
        final int qtyScale = positiveScale("LOT", lot);
        final long lotUnits = Decimal.parse(lot, qtyScale);
        if (qtyScale > basePrecision)
        {
            throw new InvalidFieldException("LOT", "finer than the base asset's precision of " + basePrecision);
        }
        if (priceScale + qtyScale > quotePrecision)
        {
            throw new InvalidFieldException(
                "TICK", "price x qty would be finer than the quote asset's precision of " + quotePrecision);
        }
        long minQtyUnits = lotUnits;
        if (minQty != null)
        {
            minQtyUnits = Decimal.parse(minQty, qtyScale);
            if (minQtyUnits == Decimal.TOO_PRECISE || (minQtyUnits > 0 && minQtyUnits % lotUnits != 0))
            {
                throw new InvalidFieldException("MIN_QTY", "not a multiple of the lot " + lot);
            }
            if (Decimal.isError(minQtyUnits) || minQtyUnits == 0)
            {
                throw new InvalidFieldException("MIN_QTY", "must be a positive decimal");
            }
        }
        final long makerRate = rate("MAKER_FEE", makerFee);
        final long takerRate = rate("TAKER_FEE", takerFee);
        return new PairSpec(
            name, priceScale, tickUnits, qtyScale, lotUnits, minQtyUnits, makerRate, takerRate, basePrecision,
            quotePrecision);
    }

    private static int positiveScale(final String field, final String value)
    {
        final int scale = Decimal.significantScale(value);
        if (scale < 0)
        {
            throw new InvalidFieldException(field, "must be a positive decimal");
        }
        if (scale > 12)
        {
            throw new InvalidFieldException(field, "more than 12 decimals");
        }
        final long units = Decimal.parse(value, scale);
        if (Decimal.isError(units) || units == 0)
        {
            throw new InvalidFieldException(field, "must be a positive decimal");
        }
        if (units > 1_000_000_000L)
        {
            throw new InvalidFieldException(field, "too large");
        }
        return scale;
    }

    private static long rate(final String field, final String value)
    {
        if (value == null)
        {
            return 0;
        }
        final long units = Decimal.parse(value, RATE_SCALE);
        if (units == Decimal.TOO_PRECISE)
        {
            throw new InvalidFieldException(field, "more than " + RATE_SCALE + " decimals");
        }
        if (Decimal.isError(units) || units >= Decimal.pow10(RATE_SCALE))
        {
            throw new InvalidFieldException(field, "must be a decimal rate below 1");
        }
        return units;
    }

    public String name()
    {
        return name;
    }

    public String base()
    {
        return base;
    }

    public String quote()
    {
        return quote;
    }

    public int priceScale()
    {
        return priceScale;
    }

    public long tickUnits()
    {
        return tickUnits;
    }

    public int qtyScale()
    {
        return qtyScale;
    }

    public long lotUnits()
    {
        return lotUnits;
    }

    public long minQtyUnits()
    {
        return minQtyUnits;
    }

    /** Scale of quote amounts ({@code price × qty}). */
    public int notionalScale()
    {
        return priceScale + qtyScale;
    }

    public long makerFeeRate()
    {
        return makerFeeRate;
    }

    public long takerFeeRate()
    {
        return takerFeeRate;
    }

    /** Precision (decimals) of the base asset, the scale of fees charged in base. */
    public int baseScale()
    {
        return baseScale;
    }

    /** Precision (decimals) of the quote asset, the scale of fees charged in quote. */
    public int quoteScale()
    {
        return quoteScale;
    }

    /** Exact {@code price × qty} in quote units; callers have already bounded both so it cannot overflow. */
    public long notional(final long price, final long qty)
    {
        return price * qty;
    }

    /** @return true when {@code price × qty} is within {@link #MAX_NOTIONAL_UNITS}. */
    public static boolean notionalInRange(final long price, final long qty)
    {
        return Math.multiplyHigh(price, qty) == 0 && price * qty >= 0 && price * qty <= MAX_NOTIONAL_UNITS;
    }

    /**
     * Checks the size of a limit order (or of a stop-market order at its trigger), as placed or amended: its quote
     * amount must be within {@link #MAX_NOTIONAL_UNITS}, and its quantity and quote amount must fit in a long at their
     * assets' precision, so the fees of every trade it makes, as maker or taker, do too. Every trade has a resting
     * maker checked this way, which bounds market orders as well.
     *
     * @return true when an order of {@code qty} at {@code price} is within this pair's bounds.
     */
    public boolean orderInRange(final long price, final long qty)
    {
        return notionalInRange(price, qty) && qty <= maxOrderQtyUnits && price * qty <= maxOrderNotionalUnits;
    }

    /** Fee charged in base units (the buyer's), rounded up to the base asset's precision. */
    public long baseFee(final long qty, final long rate)
    {
        return fee(qty, baseFeeFactor, rate);
    }

    /** Fee charged in quote units (the seller's), rounded up to the quote asset's precision. */
    public long quoteFee(final long quoteAmount, final long rate)
    {
        return fee(quoteAmount, quoteFeeFactor, rate);
    }

    private static long fee(final long amount, final long factor, final long rate)
    {
        if (rate == 0 || amount == 0)
        {
            return 0;
        }
        final long scaled = amount * factor;
        if (Math.multiplyHigh(amount, factor) == 0 && scaled >= 0 &&
            Math.multiplyHigh(scaled, rate) == 0 && scaled * rate >= 0)
        {
            final long product = scaled * rate;
            final long quotient = product / RATE_UNIT;
            return product == quotient * RATE_UNIT ? quotient : quotient + 1;
        }
        // Rare: amounts near the top of the range need 128-bit arithmetic, which the JDK offers only as BigInteger.
        final BigInteger[] qr = BigInteger.valueOf(amount).multiply(BigInteger.valueOf(factor))
            .multiply(BigInteger.valueOf(rate)).divideAndRemainder(BigInteger.valueOf(RATE_UNIT));
        return qr[0].longValueExact() + (qr[1].signum() == 0 ? 0 : 1);
    }

    @Override
    public String toString()
    {
        return "PairSpec{" + name + " tick=" + Decimal.toString(tickUnits, priceScale) +
            " lot=" + Decimal.toString(lotUnits, qtyScale) + '}';
    }
}
