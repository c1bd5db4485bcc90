package io.redmatch.engine.core;

import java.util.Arrays;

/**
 * The price levels of one side, sorted so the best level is last: inserting or removing near the best price, where
 * nearly all activity happens, moves only a few array slots, and finding a level is a binary search. No allocation
 * in steady state: levels are pooled and the arrays only grow.
 * <p>
 * "Best" is the highest price when {@code highestFirst} (bids, sell stops) and the lowest otherwise (asks, buy
 * stops); keys are stored negated for the latter so both sort ascending.
 */
final class PriceLadder
{
    private static final int INITIAL_CAPACITY = 64;

    private final boolean highestFirst;
    private long[] keys = new long[INITIAL_CAPACITY];
    private PriceLevel[] levels = new PriceLevel[INITIAL_CAPACITY];
    private int size;
    private PriceLevel[] pool = new PriceLevel[INITIAL_CAPACITY];
    private int pooled;

    PriceLadder(final boolean highestFirst)
    {
        this.highestFirst = highestFirst;
    }

    private long key(final long price)
    {
        return highestFirst ? price : -price;
    }

    int size()
    {
        return size;
    }

    /** @return the best level, or null when empty. */
    PriceLevel best()
    {
        return size == 0 ? null : levels[size - 1];
    }

    /** @return the level at {@code rank} from the best (0 = best). */
    PriceLevel fromBest(final int rank)
    {
        return levels[size - 1 - rank];
    }

    /** @return true when {@code price} is at least as good as {@code reference} for this side. */
    boolean isAtLeastAsGood(final long price, final long reference)
    {
        return key(price) >= key(reference);
    }

    PriceLevel find(final long price)
    {
        final int index = Arrays.binarySearch(keys, 0, size, key(price));
        return index >= 0 ? levels[index] : null;
    }

    PriceLevel getOrCreate(final long price)
    {
        final long key = key(price);
        final int index = Arrays.binarySearch(keys, 0, size, key);
        if (index >= 0)
        {
            return levels[index];
        }
        final int insertAt = -index - 1;
        if (size == keys.length)
        {
            keys = Arrays.copyOf(keys, size * 2);
            levels = Arrays.copyOf(levels, size * 2);
        }
        System.arraycopy(keys, insertAt, keys, insertAt + 1, size - insertAt);
        System.arraycopy(levels, insertAt, levels, insertAt + 1, size - insertAt);
        final PriceLevel level = pooled > 0 ? pool[--pooled] : new PriceLevel(this);
        pool[pooled] = null;
        level.price = price;
        level.totalQty = 0;
        level.orderCount = 0;
        level.head = null;
        level.tail = null;
        keys[insertAt] = key;
        levels[insertAt] = level;
        size++;
        return level;
    }

    void remove(final PriceLevel level)
    {
        int index = size - 1;
        if (levels[index] != level)
        {
            index = Arrays.binarySearch(keys, 0, size, key(level.price));
        }
        System.arraycopy(keys, index + 1, keys, index, size - index - 1);
        System.arraycopy(levels, index + 1, levels, index, size - index - 1);
        size--;
        levels[size] = null;
        if (pooled == pool.length)
        {
            pool = Arrays.copyOf(pool, pooled * 2);
        }
        pool[pooled++] = level;
    }
}
