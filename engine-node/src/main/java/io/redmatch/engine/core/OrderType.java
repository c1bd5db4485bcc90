package io.redmatch.engine.core;

/** Type of an order as reported in its record. */
public enum OrderType
{
    LIMIT, MARKET, STOP_LIMIT, STOP_MARKET;

    public boolean isStop()
    {
        return this == STOP_LIMIT || this == STOP_MARKET;
    }

    public boolean hasLimitPrice()
    {
        return this == LIMIT || this == STOP_LIMIT;
    }
}
