package io.redmatch.engine.core;

/** Runs the shared order-book behaviour against the naive reference implementation. */
class ReferenceOrderBookTest extends OrderBookBehaviourTest
{
    protected OrderBook newBook(final PairSpec spec, final BookListener listener)
    {
        return new ReferenceOrderBook(spec, listener);
    }
}
