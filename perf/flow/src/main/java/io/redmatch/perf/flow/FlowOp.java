package io.redmatch.perf.flow;

/**
 * Operation codes of an {@link OrderFlow}: the order operations that both our matching core and exchange-core's
 * order book have. Plain bytes rather than an enum so a replay loop switches on a primitive read from an array.
 */
public final class FlowOp
{
    /** A good-till-cancelled limit order; trades what crosses, the rest rests. */
    public static final byte PLACE_GTC = 0;
    /** An immediate-or-cancel limit order; trades what crosses, the rest is cancelled. */
    public static final byte PLACE_IOC = 1;
    /** Cancels a resting order. */
    public static final byte CANCEL = 2;
    /** Moves a resting order to a new price (to the back of the new level; trades at once if it crosses). */
    public static final byte MOVE = 3;
    /** Reduces a resting order's open quantity by an amount below it (keeps time priority). */
    public static final byte REDUCE = 4;

    /** Number of operation codes, for arrays indexed by code. */
    public static final int COUNT = 5;

    private static final String[] NAMES = { "PLACE_GTC", "PLACE_IOC", "CANCEL", "MOVE", "REDUCE" };

    private FlowOp()
    {
    }

    /** @return the name of an operation code, as printed in results. */
    public static String name(final int op)
    {
        return NAMES[op];
    }
}
