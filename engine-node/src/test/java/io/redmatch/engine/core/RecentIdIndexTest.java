package io.redmatch.engine.core;

import org.agrona.collections.Long2LongHashMap;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecentIdIndexTest
{
    @Test
    void mapsAscendingIdsAndForgetsRemovedOnes()
    {
        final RecentIdIndex index = new RecentIdIndex(-1);
        for (long id = 1; id <= 5_000; id++)
        {
            index.put(id, id * 10);
        }
        assertEquals(5_000, index.size());
        assertEquals(10, index.get(1));
        assertEquals(50_000, index.get(5_000));
        assertEquals(-1, index.get(5_001));
        assertEquals(10, index.remove(1));
        assertEquals(-1, index.get(1));
        assertEquals(-1, index.remove(1));
        assertEquals(4_999, index.size());
    }

    @Test
    void keepsAnOldIdThatCollidesWithNewOnes()
    {
        final RecentIdIndex index = new RecentIdIndex(-1);
        index.put(7, 70);
        // 7 + 1024 * k share 7's slot while the window is small: they go to the overflow map
        for (long k = 1; k <= 3; k++)
        {
            index.put(7 + 1024 * k, k);
        }
        assertEquals(70, index.get(7));
        assertEquals(2, index.get(7 + 2048));
        assertEquals(70, index.remove(7));
        // the slot is free again; the ids in the overflow map are still found there and removed from there
        assertEquals(1, index.get(7 + 1024));
        assertEquals(1, index.remove(7 + 1024));
        assertEquals(-1, index.get(7 + 1024));
        index.put(7 + 4096, 4);
        assertEquals(4, index.get(7 + 4096));
        assertEquals(3, index.size());
    }

    @Test
    void rejectsIdsThatAreNotPositive()
    {
        final RecentIdIndex index = new RecentIdIndex(-1);
        assertThrows(IllegalArgumentException.class, () -> index.put(0, 1));
        assertThrows(IllegalArgumentException.class, () -> index.put(-5, 1));
    }

    /**
     * The closed-order pattern of several pairs sharing one id counter, plus late closes of old ids and random
     * lookups, against Agrona's map as the reference.
     */
    @Test
    void agreesWithAHashMapOnARandomClosedOrderFlow()
    {
        final long seed = System.nanoTime();
        try
        {
            runRandomFlow(seed, 400_000);
        }
        catch (final AssertionError e)
        {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    private static void runRandomFlow(final long seed, final int steps)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final RecentIdIndex index = new RecentIdIndex(-1);
        final Long2LongHashMap reference = new Long2LongHashMap(-1);
        final ArrayDeque<Long> retained = new ArrayDeque<>();
        final List<Long> resting = new ArrayList<>();
        final int limit = 1 + random.nextInt(50_000);
        long nextId = 1;
        for (int step = 0; step < steps; step++)
        {
            final int op = random.nextInt(100);
            if (op < 55)
            {
                // a new order: most close at once (this pair's share of the id counter), some rest for a while
                final long id = nextId;
                nextId += 1 + random.nextInt(3);
                if (random.nextInt(10) == 0)
                {
                    resting.add(id);
                }
                else
                {
                    close(index, reference, retained, id, step);
                }
            }
            else if (op < 62 && !resting.isEmpty())
            {
                final long id = resting.remove(random.nextInt(resting.size()));
                close(index, reference, retained, id, step);
            }
            else if (op < 85)
            {
                final long probe = 1 + random.nextLong(nextId + 10);
                assertEquals(reference.get(probe), index.get(probe), "get " + probe);
            }
            else if (!retained.isEmpty())
            {
                final long oldest = retained.pollFirst();
                assertEquals(reference.remove(oldest), index.remove(oldest), "remove " + oldest);
            }
            while (retained.size() > limit)
            {
                final long oldest = retained.pollFirst();
                assertEquals(reference.remove(oldest), index.remove(oldest), "remove " + oldest);
            }
            assertEquals(reference.size(), index.size(), "size");
        }
        for (final long id : retained)
        {
            assertEquals(reference.get(id), index.get(id), "get " + id);
        }
    }

    private static void close(
        final RecentIdIndex index,
        final Long2LongHashMap reference,
        final ArrayDeque<Long> retained,
        final long id,
        final long value)
    {
        index.put(id, value);
        reference.put(id, value);
        retained.addLast(id);
    }
}
