package io.redmatch.engine.core;

/** Runs the shared order-book behaviour against the engine's fast book. */
class FastOrderBookTest extends OrderBookBehaviourTest
{
    protected OrderBook newBook(final PairSpec spec, final BookListener listener)
    {
        return new FastOrderBook(spec, listener);
    }
}
