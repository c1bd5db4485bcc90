package io.redmatch.perf.bench;

import io.redmatch.engine.core.Order;

import java.util.Arrays;

/**
 * A stack of reusable {@link Order}s, as the engine keeps them: taken for a new order, given back when the book
 * reports the order closed. Grows (allocating) only while more orders are open at once than ever before.
 */
public final class OrderPool
{
    private Order[] orders;
    private int size;

    /** @param initialCapacity orders created up front. */
    public OrderPool(final int initialCapacity)
    {
        orders = new Order[Math.max(16, initialCapacity)];
        for (int i = 0; i < initialCapacity; i++)
        {
            orders[size++] = new Order();
        }
    }

    /** @return a reset order, reused when one is free. */
    public Order acquire()
    {
        if (size == 0)
        {
            return new Order().reset();
        }
        final Order order = orders[--size];
        orders[size] = null;
        return order.reset();
    }

    /** Gives an order back; the caller no longer reads it. */
    public void release(final Order order)
    {
        if (size == orders.length)
        {
            orders = Arrays.copyOf(orders, size * 2);
        }
        orders[size++] = order;
    }

    /** @return orders free in the pool. */
    public int available()
    {
        return size;
    }
}
