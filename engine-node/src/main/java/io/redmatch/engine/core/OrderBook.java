package io.redmatch.engine.core;

import java.util.function.Consumer;

/**
 * The matching state of one pair: resting limit orders in strict price-time priority and pending stop orders.
 * <p>
 * Deterministic: given the same calls with the same arguments, every implementation produces the same trades, in
 * the same order, with the same fill sequence numbers, and the same resulting state. Single-threaded; everything
 * it does is reported to the {@link BookListener} given at construction, synchronously, in order.
 * <p>
 * Semantics (SPEC §2): a taker trades at the maker's price; limit GTC/IOC/FOK; post-only is rejected if it would
 * take; market orders by quantity or (buys) by quote budget; stop-limit and stop-market orders trigger on the last
 * trade price (a buy stop when it rises to ≥ trigger, a sell stop when it falls to ≤ trigger), in the order the
 * price move reaches their triggers, then in placement order, all within the command that moved the price; amend
 * keeps priority only when it reduces the open quantity at the same price; self-trade prevention by the taker's
 * mode.
 */
public interface OrderBook
{
    /** @return the pair this book matches. */
    PairSpec spec();

    /**
     * Applies a new order. The caller has set, and validated against the pair's tick, lot, minimum and notional
     * bound: {@code orderId, accountId, side, type, price, stopPrice, qty} (or {@code quoteBudget} with qty 0 for a
     * market buy by quote), {@code tif, postOnly, stp, ts}; {@code status} is NEW and the counters are zero.
     * On return the order's status, reason, filled and open quantities describe the outcome; if it is terminal,
     * {@link BookListener#onOrderClosed} has been called for it too.
     *
     * @return {@link PlaceResult#OK}, or {@link PlaceResult#STOP_ALREADY_TRIGGERED} (nothing changed).
     */
    PlaceResult place(Order order);

    /**
     * Cancels an open order (resting or pending stop) with reason {@code USER_CANCEL}.
     *
     * @param order an order this book holds open, as returned by {@link #openOrder(long)}.
     */
    void cancel(Order order, long ts);

    /**
     * Amends an open resting order. {@code newOpenQty} is the new open quantity (0 keeps it); {@code newPrice}
     * the new price ({@link Order#NO_PRICE} keeps it). Reducing the open quantity at the same price keeps time
     * priority; raising it or changing the price moves the order to the back of its new level; a new price that
     * crosses trades at once as a taker, keeping the order id.
     *
     * @return OK, or NOT_AMENDABLE (pending stop), POST_ONLY_WOULD_TAKE; nothing changed unless OK.
     */
    PlaceResult amend(Order order, long newOpenQty, long newPrice, long ts);

    /** @return the open (resting or pending) order with this id, or null. */
    Order openOrder(long orderId);

    /** Cancels every open order of the account, resting and pending, with reason USER_CANCEL; returns how many. */
    int cancelAll(int accountId, long ts);

    /** Visits the account's open orders, resting and pending, oldest (lowest order id) first. */
    void forEachOpenOrder(int accountId, Consumer<Order> consumer);

    /** Visits resting orders of one side in priority order (best price first, then time). */
    void forEachRestingOrder(Side side, Consumer<Order> consumer);

    /** Visits pending stops of one side in trigger order (the order a price move would reach them). */
    void forEachPendingStop(Side side, Consumer<Order> consumer);

    /**
     * Visits up to {@code maxLevels} price levels of one side, best first.
     *
     * @return the number of levels visited.
     */
    int forEachLevel(Side side, int maxLevels, LevelConsumer consumer);

    /** @return best price of a side, or {@link Order#NO_PRICE} when it is empty. */
    long bestPrice(Side side);

    /** @return total open quantity at the best price of a side, or 0. */
    long bestQty(Side side);

    /** @return price of the last trade, or {@link Order#NO_PRICE} before the first. */
    long lastTradePrice();

    /** @return the last fill sequence assigned (0 before the first trade). */
    long lastFillSeq();

    /** @return the number of open orders (resting plus pending). */
    int openOrderCount();

    /** Receives one aggregated price level. */
    @FunctionalInterface
    interface LevelConsumer
    {
        /** Ignores the levels, for counting them with the return value of {@link #forEachLevel}. */
        LevelConsumer COUNT_ONLY = (price, qty, orderCount) ->
        {
        };

        void onLevel(long price, long qty, int orderCount);
    }
}
