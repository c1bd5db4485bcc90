package io.redmatch.engine.core;

/** Result code of {@link OrderBook#place} and {@link OrderBook#amend}; anything but OK leaves the book unchanged. */
public enum PlaceResult
{
    /** Applied; the order's status and reason say what happened. */
    OK,
    /** A stop whose trigger is already reached, or no trade yet: {@code -INVALID STOP}. */
    STOP_ALREADY_TRIGGERED,
    /** Amend of an order that is not open: {@code -NOORDER}. */
    NO_ORDER,
    /** Amend of a post-only order to a price that would take: {@code -INVALID PRICE: would take}. */
    POST_ONLY_WOULD_TAKE,
    /** Amend of a pending stop order: {@code -INVALID ORDER}. */
    NOT_AMENDABLE,
    /** Amend whose new price and quantity exceed the notional bound: {@code -INVALID QTY}. */
    NOTIONAL_TOO_LARGE
}
