package io.redmatch.engine.node;

import io.redmatch.engine.core.Order;

import java.util.Arrays;

/** Recycles {@link Order} instances so steady-state matching allocates none. Matching thread only. */
public final class OrderPool
{
    private Order[] free = new Order[1024];
    private int size;

    public Order acquire()
    {
        return size == 0 ? new Order().reset() : free[--size].reset();
    }

    public void release(final Order order)
    {
        if (size == free.length)
        {
            free = Arrays.copyOf(free, size * 2);
        }
        free[size++] = order;
    }
}
