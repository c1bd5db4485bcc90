package io.redmatch.engine.core;

/**
 * Receives what an {@link OrderBook} does while it applies a command, in order. Called on the matching thread;
 * implementations must not call back into the book.
 */
public interface BookListener
{
    /**
     * A trade between the taker (the order being matched) and a resting maker, at the maker's price.
     *
     * @param fillSeq   the pair's gapless fill sequence, from 1.
     * @param quoteQty  {@code price × qty} in quote units.
     * @param takerFee  in the asset the taker receives (base for a buy, quote for a sell).
     * @param makerFee  in the asset the maker receives.
     */
    void onTrade(
        long fillSeq, Order taker, Order maker, long price, long qty, long quoteQty, long takerFee, long makerFee,
        long ts);

    /** An order reached a terminal state (filled, cancelled, rejected); the book no longer holds it. */
    void onOrderClosed(Order order);

    /** The aggregate of a price level changed; {@code qty == 0} means the level is gone. */
    default void onLevelChanged(final Side side, final long price, final long qty, final int orderCount)
    {
    }

    /** A listener that ignores everything. */
    BookListener NONE = new BookListener()
    {
        public void onTrade(
            final long fillSeq, final Order taker, final Order maker, final long price, final long qty,
            final long quoteQty, final long takerFee, final long makerFee, final long ts)
        {
        }

        public void onOrderClosed(final Order order)
        {
        }
    };
}
