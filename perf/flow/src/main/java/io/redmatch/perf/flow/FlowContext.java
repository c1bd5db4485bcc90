package io.redmatch.perf.flow;

import java.util.Set;

/**
 * Configuration of a generated {@link OrderFlow}. The operation mix is given in weights per thousand draws; the
 * generator steers the book size towards {@link #targetOpenOrders()} by turning a resting placement into a cancel
 * when the book is too large and a cancel into a resting placement when it is too small, so the realised mix
 * (printed by {@link OrderFlow#describe()}) differs a little from the weights.
 */
public final class FlowContext
{
    public static final long SEED_DEFAULT = 42;
    public static final int OP_COUNT_DEFAULT = 1_000_000;
    public static final int ACCOUNT_COUNT_DEFAULT = 3_000;
    public static final int TARGET_OPEN_ORDERS_DEFAULT = 2_000;
    /** 30000.00 at a tick of 0.01. */
    public static final long START_PRICE_DEFAULT = 3_000_000;
    /** Largest quantity of a resting order, in lots (1.000 at a lot of 0.001). */
    public static final int MAX_ORDER_LOTS_DEFAULT = 1_000;
    /** Mean distance of a resting order from the drifting mid, in ticks. */
    public static final double MEAN_DEPTH_TICKS_DEFAULT = 12.0;

    public static final int RESTING_GTC_WEIGHT_DEFAULT = 450;
    public static final int CROSSING_GTC_WEIGHT_DEFAULT = 50;
    public static final int IOC_WEIGHT_DEFAULT = 100;
    public static final int CANCEL_WEIGHT_DEFAULT = 250;
    public static final int MOVE_WEIGHT_DEFAULT = 100;
    public static final int REDUCE_WEIGHT_DEFAULT = 50;

    private long seed = SEED_DEFAULT;
    private int opCount = OP_COUNT_DEFAULT;
    private int accountCount = ACCOUNT_COUNT_DEFAULT;
    private int targetOpenOrders = TARGET_OPEN_ORDERS_DEFAULT;
    private long startPrice = START_PRICE_DEFAULT;
    private int maxOrderLots = MAX_ORDER_LOTS_DEFAULT;
    private double meanDepthTicks = MEAN_DEPTH_TICKS_DEFAULT;
    private int restingGtcWeight = RESTING_GTC_WEIGHT_DEFAULT;
    private int crossingGtcWeight = CROSSING_GTC_WEIGHT_DEFAULT;
    private int iocWeight = IOC_WEIGHT_DEFAULT;
    private int cancelWeight = CANCEL_WEIGHT_DEFAULT;
    private int moveWeight = MOVE_WEIGHT_DEFAULT;
    private int reduceWeight = REDUCE_WEIGHT_DEFAULT;

    /** Option names {@link #fromOptions} reads. */
    public static final Set<String> OPTIONS = Set.of("seed", "ops", "accounts", "book-size");

    /** Usage lines of {@link #OPTIONS}. */
    public static final String OPTIONS_USAGE =
        "  --seed <n>               flow seed (default " + SEED_DEFAULT + ")\n" +
        "  --ops <n>                operations in the flow (default " + OP_COUNT_DEFAULT + ")\n" +
        "  --accounts <n>           accounts (default " + ACCOUNT_COUNT_DEFAULT + ")\n" +
        "  --book-size <n>          open orders to hover around (default " + TARGET_OPEN_ORDERS_DEFAULT + ")\n";

    /** Builds a context from {@code --seed --ops --accounts --book-size}, defaults for the rest. */
    public static FlowContext fromOptions(final CommandOptions options)
    {
        return new FlowContext()
            .seed(options.longValue("seed", SEED_DEFAULT))
            .opCount(options.intValue("ops", OP_COUNT_DEFAULT))
            .accountCount(options.intValue("accounts", ACCOUNT_COUNT_DEFAULT))
            .targetOpenOrders(options.intValue("book-size", TARGET_OPEN_ORDERS_DEFAULT));
    }

    /** Checks the values once, before generating. */
    public FlowContext conclude()
    {
        requirePositive("opCount", opCount);
        requirePositive("accountCount", accountCount);
        requirePositive("targetOpenOrders", targetOpenOrders);
        requirePositive("maxOrderLots", maxOrderLots);
        if (startPrice < 1_000 || startPrice > 1_000_000_000_000L)
        {
            throw new IllegalArgumentException("startPrice out of range: " + startPrice);
        }
        if (!(meanDepthTicks > 0))
        {
            throw new IllegalArgumentException("meanDepthTicks must be positive: " + meanDepthTicks);
        }
        if (restingGtcWeight < 0 || crossingGtcWeight < 0 || iocWeight < 0 || cancelWeight < 0 || moveWeight < 0 ||
            reduceWeight < 0 || totalWeight() == 0)
        {
            throw new IllegalArgumentException("weights must be non-negative with a positive sum");
        }
        return this;
    }

    private static void requirePositive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    int totalWeight()
    {
        return restingGtcWeight + crossingGtcWeight + iocWeight + cancelWeight + moveWeight + reduceWeight;
    }

    public FlowContext seed(final long seed)
    {
        this.seed = seed;
        return this;
    }

    public long seed()
    {
        return seed;
    }

    public FlowContext opCount(final int opCount)
    {
        this.opCount = opCount;
        return this;
    }

    public int opCount()
    {
        return opCount;
    }

    public FlowContext accountCount(final int accountCount)
    {
        this.accountCount = accountCount;
        return this;
    }

    public int accountCount()
    {
        return accountCount;
    }

    public FlowContext targetOpenOrders(final int targetOpenOrders)
    {
        this.targetOpenOrders = targetOpenOrders;
        return this;
    }

    public int targetOpenOrders()
    {
        return targetOpenOrders;
    }

    public FlowContext startPrice(final long startPrice)
    {
        this.startPrice = startPrice;
        return this;
    }

    public long startPrice()
    {
        return startPrice;
    }

    public FlowContext maxOrderLots(final int maxOrderLots)
    {
        this.maxOrderLots = maxOrderLots;
        return this;
    }

    public int maxOrderLots()
    {
        return maxOrderLots;
    }

    public FlowContext meanDepthTicks(final double meanDepthTicks)
    {
        this.meanDepthTicks = meanDepthTicks;
        return this;
    }

    public double meanDepthTicks()
    {
        return meanDepthTicks;
    }

    /** Sets the mix weights (per thousand): resting GTC, crossing GTC, IOC, cancel, move, reduce. */
    public FlowContext mix(
        final int restingGtc, final int crossingGtc, final int ioc, final int cancel, final int move, final int reduce)
    {
        this.restingGtcWeight = restingGtc;
        this.crossingGtcWeight = crossingGtc;
        this.iocWeight = ioc;
        this.cancelWeight = cancel;
        this.moveWeight = move;
        this.reduceWeight = reduce;
        return this;
    }

    public int restingGtcWeight()
    {
        return restingGtcWeight;
    }

    public int crossingGtcWeight()
    {
        return crossingGtcWeight;
    }

    public int iocWeight()
    {
        return iocWeight;
    }

    public int cancelWeight()
    {
        return cancelWeight;
    }

    public int moveWeight()
    {
        return moveWeight;
    }

    public int reduceWeight()
    {
        return reduceWeight;
    }

    @Override
    public String toString()
    {
        return "FlowContext{seed=" + seed + " opCount=" + opCount + " accountCount=" + accountCount +
            " targetOpenOrders=" + targetOpenOrders + " startPrice=" + startPrice + " maxOrderLots=" + maxOrderLots +
            " meanDepthTicks=" + meanDepthTicks + " weights(restingGtc/crossingGtc/ioc/cancel/move/reduce)=" +
            restingGtcWeight + "/" + crossingGtcWeight + "/" + iocWeight + "/" + cancelWeight + "/" + moveWeight +
            "/" + reduceWeight + '}';
    }
}
