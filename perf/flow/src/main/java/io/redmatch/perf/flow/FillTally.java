package io.redmatch.perf.flow;

/**
 * Running summary of the trades a replay produced: count, base volume and an order-sensitive hash of every fill's
 * taker id, maker id, price and quantity. The flow generator's model computes the expected tally; each engine's
 * replay computes its own with this same class, so equal tallies show both engines did the same matching.
 */
public final class FillTally
{
    private long fills;
    private long volume;
    private long hash;

    /** Records one fill, in the order the engine reported it. */
    public void onFill(final long takerOrderId, final long makerOrderId, final long price, final long qty)
    {
        fills++;
        volume += qty;
        long h = hash;
        h = 31 * h + takerOrderId;
        h = 31 * h + makerOrderId;
        h = 31 * h + price;
        h = 31 * h + qty;
        hash = h;
    }

    /** Forgets every fill. */
    public void reset()
    {
        fills = 0;
        volume = 0;
        hash = 0;
    }

    /** @return number of fills. */
    public long fills()
    {
        return fills;
    }

    /** @return sum of filled quantities, in lots. */
    public long volume()
    {
        return volume;
    }

    /** @return order-sensitive hash over every fill. */
    public long hash()
    {
        return hash;
    }

    /** @return true when both tallies saw the same fills in the same order (to the hash's certainty). */
    public boolean matches(final long fills, final long volume, final long hash)
    {
        return this.fills == fills && this.volume == volume && this.hash == hash;
    }

    @Override
    public String toString()
    {
        return "fills=" + fills + " volume=" + volume + " hash=" + Long.toHexString(hash);
    }
}
