package io.redmatch.engine.core;

/** Side of an order. */
public enum Side
{
    BUY, SELL;

    private static final Side[] VALUES = values();

    public Side opposite()
    {
        return this == BUY ? SELL : BUY;
    }

    public static Side get(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
