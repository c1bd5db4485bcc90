package io.redmatch.perf.resp;

import java.util.NoSuchElementException;

/**
 * A first-in first-out queue of {@code long}s in a ring that doubles when full: the intended send times of one
 * connection's requests still waiting for their replies, which arrive in request order. Not thread safe.
 */
final class LongFifo
{
    private long[] values;
    private int head;
    private int size;

    LongFifo(final int initialCapacity)
    {
        values = new long[Integer.highestOneBit(Math.max(2, initialCapacity - 1)) << 1];
    }

    int size()
    {
        return size;
    }

    void add(final long value)
    {
        if (size == values.length)
        {
            grow();
        }
        values[(head + size) & (values.length - 1)] = value;
        size++;
    }

    long remove()
    {
        if (size == 0)
        {
            throw new NoSuchElementException("empty");
        }
        final long value = values[head];
        head = (head + 1) & (values.length - 1);
        size--;
        return value;
    }

    private void grow()
    {
        final long[] larger = new long[values.length << 1];
        for (int i = 0; i < size; i++)
        {
            larger[i] = values[(head + i) & (values.length - 1)];
        }
        values = larger;
        head = 0;
    }
}
