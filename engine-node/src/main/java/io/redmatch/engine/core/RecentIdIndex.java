package io.redmatch.engine.core;

import org.agrona.collections.Long2LongHashMap;

/**
 * Order id to a long value for ids that arrive roughly in ascending order, such as the open or the closed orders of
 * one pair: the node numbers every order from one counter, so the ids a pair holds fill a window of recent ids
 * densely. The table is indexed by {@code id & mask} directly, key and value side by side in one array, so adding the
 * next id and dropping the oldest touch neighbouring memory instead of a random probe chain. An id whose slot still
 * holds another retained id (a late close of an old order, or ids further apart than the table) goes to an overflow
 * {@link Long2LongHashMap}.
 * <p>
 * Agrona's {@link Long2LongHashMap} alone was measured at a fifth of the event loop's samples with a million retained
 * closed orders per pair (puts, and removals that compact long probe chains), which is why this window exists; it is
 * still what holds the ids that do not fit the window.
 * <p>
 * Ids must be positive; an id is added once until it is removed (see {@link #put}). Matching thread only.
 */
public final class RecentIdIndex
{
    private static final int INITIAL_CAPACITY = 1024;
    private static final long FREE = 0;

    private final long missingValue;
    private final Long2LongHashMap overflow;
    /** key at 2 * slot, value at 2 * slot + 1. */
    private long[] entries;
    private int mask;
    private int windowSize;

    public RecentIdIndex(final long missingValue)
    {
        this.missingValue = missingValue;
        this.overflow = new Long2LongHashMap(missingValue);
        this.entries = new long[2 * INITIAL_CAPACITY];
        this.mask = INITIAL_CAPACITY - 1;
    }

    public int size()
    {
        return windowSize + overflow.size();
    }

    /** @return the value of {@code id}, or the missing value. */
    public long get(final long id)
    {
        final int at = (int)(id & mask) << 1;
        if (entries[at] == id)
        {
            return entries[at + 1];
        }
        return overflow.isEmpty() ? missingValue : overflow.get(id);
    }

    /**
     * Adds an id that is not held, or replaces the value of one held in its window slot. Replacing the value of an id
     * held in the overflow map is not supported (remove it first): the callers add an id once until they remove it,
     * and checking the overflow on every add would cost a hash probe per order.
     */
    public void put(final long id, final long value)
    {
        if (id <= FREE)
        {
            throw new IllegalArgumentException("order ids are positive: " + id);
        }
        final int at = (int)(id & mask) << 1;
        final long held = entries[at];
        if (held == id)
        {
            entries[at + 1] = value;
        }
        else if (held == FREE)
        {
            entries[at] = id;
            entries[at + 1] = value;
            windowSize++;
        }
        else
        {
            overflow.put(id, value);
            if (shouldGrow())
            {
                grow();
            }
        }
    }

    /** @return the value {@code id} had, or the missing value. */
    public long remove(final long id)
    {
        final int at = (int)(id & mask) << 1;
        if (entries[at] == id)
        {
            entries[at] = FREE;
            windowSize--;
            return entries[at + 1];
        }
        return overflow.isEmpty() ? missingValue : overflow.remove(id);
    }

    /**
     * Doubles the window when many ids collide in it, but only while it stays within four slots per id held, so a
     * few ids far apart (an order resting for days among millions) stay in the overflow map instead of blowing the
     * window up.
     */
    private boolean shouldGrow()
    {
        final int capacity = mask + 1;
        return overflow.size() > capacity >>> 3 && capacity <= 2 * size() && capacity < 1 << 29;
    }

    private void grow()
    {
        final long[] old = entries;
        final int capacity = (mask + 1) << 1;
        entries = new long[2 * capacity];
        mask = capacity - 1;
        windowSize = 0;
        final long[] spilled = new long[2 * overflow.size()];
        int spilledCount = 0;
        final Long2LongHashMap.EntryIterator it = overflow.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            spilled[spilledCount++] = it.getLongKey();
            spilled[spilledCount++] = it.getLongValue();
        }
        overflow.clear();
        for (int i = 0; i < old.length; i += 2)
        {
            if (old[i] != FREE)
            {
                put(old[i], old[i + 1]);
            }
        }
        for (int i = 0; i < spilledCount; i += 2)
        {
            put(spilled[i], spilled[i + 1]);
        }
    }
}
