package io.redmatch.engine.core;

/**
 * One order's state. Mutable and pooled: the engine owns it, an {@link OrderBook} holds it while it is open
 * (resting or pending a stop trigger) and hands it back through {@link BookListener#onOrderClosed(Order)}.
 * <p>
 * Amounts are fixed-point units of the pair (see {@link PairSpec}). {@code quoteBudget} is set only for a market
 * buy by {@code QUOTE_QTY}; then {@code qty} grows with what it bought.
 */
public final class Order
{
    /** Marks an absent price or stop price. */
    public static final long NO_PRICE = 0;

    public long orderId;
    public int accountId;
    public Side side;
    public OrderType type;
    public long price;
    public long stopPrice;
    public long qty;
    public long filledQty;
    public long openQty;
    public long quoteFilled;
    public long quoteBudget;
    public TimeInForce tif;
    public boolean postOnly;
    public SelfTradePrevention stp;
    public OrderStatus status;
    public OrderReason reason;
    /** Engine time of placement, in microseconds. */
    public long ts;
    /** Client id, or null; the book never reads it. */
    public String clientId;
    /** Engine time at which the order closed; 0 while open. */
    public long closedTs;

    /** True while a book holds the order open (resting or pending); books use it for their own bookkeeping. */
    public boolean held;
    /** Where the book that holds the order keeps it, while {@link #held}; the book's own bookkeeping. */
    public int bookSlot;

    // Intrusive links, owned by whichever structure currently holds the order.
    public Order prev;
    public Order next;
    public Object level;
    public Order accountPrev;
    public Order accountNext;

    /** Resets every field so a pooled instance can be reused. */
    public Order reset()
    {
        orderId = 0;
        accountId = 0;
        side = null;
        type = null;
        price = NO_PRICE;
        stopPrice = NO_PRICE;
        qty = 0;
        filledQty = 0;
        openQty = 0;
        quoteFilled = 0;
        quoteBudget = 0;
        tif = TimeInForce.GTC;
        postOnly = false;
        stp = SelfTradePrevention.CANCEL_TAKER;
        status = OrderStatus.NEW;
        reason = OrderReason.NONE;
        ts = 0;
        clientId = null;
        closedTs = 0;
        held = false;
        bookSlot = 0;
        prev = null;
        next = null;
        level = null;
        accountPrev = null;
        accountNext = null;
        return this;
    }

    /** Copies the reportable fields (not the links) from another order. */
    public Order copyFrom(final Order other)
    {
        orderId = other.orderId;
        accountId = other.accountId;
        side = other.side;
        type = other.type;
        price = other.price;
        stopPrice = other.stopPrice;
        qty = other.qty;
        filledQty = other.filledQty;
        openQty = other.openQty;
        quoteFilled = other.quoteFilled;
        quoteBudget = other.quoteBudget;
        tif = other.tif;
        postOnly = other.postOnly;
        stp = other.stp;
        status = other.status;
        reason = other.reason;
        ts = other.ts;
        clientId = other.clientId;
        closedTs = other.closedTs;
        return this;
    }

    @Override
    public String toString()
    {
        return "Order{id=" + orderId + " acct=" + accountId + " " + side + " " + type + " price=" + price +
            " stop=" + stopPrice + " qty=" + qty + " filled=" + filledQty + " open=" + openQty +
            " quoteFilled=" + quoteFilled + " budget=" + quoteBudget + " " + tif + (postOnly ? " POST_ONLY" : "") +
            " stp=" + stp + " " + status + "/" + reason + '}';
    }
}
