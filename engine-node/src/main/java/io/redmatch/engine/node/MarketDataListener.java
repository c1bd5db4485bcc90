package io.redmatch.engine.node;

import io.redmatch.engine.core.Side;

/** What a pair's command did that market-data subscribers may want, in order. Matching thread only. */
public interface MarketDataListener
{
    void onCommandStart(PairEngine pair);

    void onTrade(PairEngine pair, long fillSeq, long price, long qty, long quoteQty, Side takerSide, long ts);

    void onLevelChanged(PairEngine pair, Side side, long price, long qty, int orderCount);

    /** @param levelsChanged whether any price level changed, in which case the book sequence moved on. */
    void onCommandEnd(PairEngine pair, boolean levelsChanged);

    /** Publishes nothing. */
    MarketDataListener NONE = new MarketDataListener()
    {
        public void onCommandStart(final PairEngine pair)
        {
        }

        public void onTrade(
            final PairEngine pair, final long fillSeq, final long price, final long qty, final long quoteQty,
            final Side takerSide, final long ts)
        {
        }

        public void onLevelChanged(
            final PairEngine pair, final Side side, final long price, final long qty, final int orderCount)
        {
        }

        public void onCommandEnd(final PairEngine pair, final boolean levelsChanged)
        {
        }
    };
}
