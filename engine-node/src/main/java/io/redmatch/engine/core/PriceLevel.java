package io.redmatch.engine.core;

/**
 * Orders at one price in time priority, as an intrusive doubly linked FIFO through {@link Order#prev}/
 * {@link Order#next}, with the aggregate open quantity. Pooled by its {@link PriceLadder}.
 */
final class PriceLevel
{
    long price;
    long totalQty;
    int orderCount;
    Order head;
    Order tail;
    final PriceLadder ladder;

    PriceLevel(final PriceLadder ladder)
    {
        this.ladder = ladder;
    }

    void append(final Order order)
    {
        order.level = this;
        order.next = null;
        order.prev = tail;
        if (tail == null)
        {
            head = order;
        }
        else
        {
            tail.next = order;
        }
        tail = order;
        totalQty += order.openQty;
        orderCount++;
    }

    /** Unlinks the order; the caller removes the level from its ladder when it becomes empty. */
    void unlink(final Order order)
    {
        final Order prev = order.prev;
        final Order next = order.next;
        if (prev == null)
        {
            head = next;
        }
        else
        {
            prev.next = next;
        }
        if (next == null)
        {
            tail = prev;
        }
        else
        {
            next.prev = prev;
        }
        order.prev = null;
        order.next = null;
        order.level = null;
        totalQty -= order.openQty;
        orderCount--;
    }

    boolean isEmpty()
    {
        return head == null;
    }
}
