package io.redmatch.engine.core;

/** Lifecycle state of an order. */
public enum OrderStatus
{
    NEW, PARTIALLY_FILLED, FILLED, CANCELLED, REJECTED, PENDING_TRIGGER;

    /** @return true when the order can no longer trade or be amended. */
    public boolean isTerminal()
    {
        return this == FILLED || this == CANCELLED || this == REJECTED;
    }
}
