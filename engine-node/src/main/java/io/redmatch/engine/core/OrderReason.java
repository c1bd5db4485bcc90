package io.redmatch.engine.core;

/** Why an order was rejected or cancelled; {@link #NONE} is written as nil. */
public enum OrderReason
{
    NONE, POST_ONLY_WOULD_TAKE, FOK_NOT_FILLABLE, IOC_REMAINDER, NO_LIQUIDITY, SELF_TRADE, USER_CANCEL
}
