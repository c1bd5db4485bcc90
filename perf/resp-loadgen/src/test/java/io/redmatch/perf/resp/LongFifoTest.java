package io.redmatch.perf.resp;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LongFifoTest
{
    @Test
    void keepsOrderAcrossWrapsAndGrowth()
    {
        final LongFifo fifo = new LongFifo(2);
        final ArrayDeque<Long> model = new ArrayDeque<>();
        final SplittableRandom random = new SplittableRandom(11);
        long next = 0;
        for (int step = 0; step < 100_000; step++)
        {
            if (model.isEmpty() || random.nextInt(3) != 0)
            {
                fifo.add(next);
                model.add(next++);
            }
            else
            {
                assertEquals(model.remove().longValue(), fifo.remove(), "step " + step);
            }
            assertEquals(model.size(), fifo.size());
        }
    }

    @Test
    void refusesToRemoveFromEmpty()
    {
        assertThrows(NoSuchElementException.class, () -> new LongFifo(4).remove());
    }
}
