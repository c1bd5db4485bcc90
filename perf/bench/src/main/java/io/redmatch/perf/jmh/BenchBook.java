package io.redmatch.perf.jmh;

import io.redmatch.engine.core.BookListener;
import io.redmatch.engine.core.Order;
import io.redmatch.engine.core.OrderBook;
import io.redmatch.engine.core.OrderType;
import io.redmatch.engine.core.PlaceResult;
import io.redmatch.engine.core.SelfTradePrevention;
import io.redmatch.engine.core.Side;
import io.redmatch.engine.core.TimeInForce;
import io.redmatch.perf.bench.BookChoice;
import io.redmatch.perf.bench.CoreReplayer;
import io.redmatch.perf.bench.OrderPool;

/**
 * A book of the benchmark pair with pooled orders, pre-filled with a background of resting orders on both sides,
 * for the JMH benchmarks. Prices are in ticks around {@link #MID}: bids at {@code MID - 1 - level}, asks at
 * {@code MID + 1 + level}.
 */
final class BenchBook implements BookListener
{
    /** The middle of the spread, in ticks (30000.00). */
    static final long MID = 3_000_000;
    /** Price levels of background orders on each side. */
    static final int BACKGROUND_LEVELS = 50;
    /** Background orders per level: 1000 resting orders in all. */
    static final int BACKGROUND_ORDERS_PER_LEVEL = 10;
    /** Quantity of a background order, in lots. */
    static final long BACKGROUND_QTY = 100;

    private final OrderBook book;
    private final OrderPool pool = new OrderPool(64 * 1024);
    private long nextOrderId = 1;
    private long ts = 1;
    private long fills;

    BenchBook(final String bookName)
    {
        book = BookChoice.parse(bookName).create(CoreReplayer.PAIR, this);
        for (int level = 0; level < BACKGROUND_LEVELS; level++)
        {
            for (int i = 0; i < BACKGROUND_ORDERS_PER_LEVEL; i++)
            {
                place(Side.BUY, MID - 1 - level, BACKGROUND_QTY, TimeInForce.GTC);
                place(Side.SELL, MID + 1 + level, BACKGROUND_QTY, TimeInForce.GTC);
            }
        }
    }

    OrderBook book()
    {
        return book;
    }

    /** Places a limit order of a fresh id and returns that id. */
    long place(final Side side, final long price, final long qty, final TimeInForce tif)
    {
        final Order order = pool.acquire();
        final long orderId = nextOrderId++;
        order.orderId = orderId;
        order.accountId = (int)(orderId % 3000) + 1;
        order.side = side;
        order.type = OrderType.LIMIT;
        order.price = price;
        order.qty = qty;
        order.tif = tif;
        order.stp = SelfTradePrevention.NONE;
        order.ts = ts++;
        if (book.place(order) != PlaceResult.OK)
        {
            throw new IllegalStateException("place refused: " + order);
        }
        return orderId;
    }

    void cancel(final long orderId)
    {
        book.cancel(openOrder(orderId), ts++);
    }

    void amend(final Order order, final long newOpenQty, final long newPrice)
    {
        if (book.amend(order, newOpenQty, newPrice, ts++) != PlaceResult.OK)
        {
            throw new IllegalStateException("amend refused: " + order);
        }
    }

    Order openOrder(final long orderId)
    {
        final Order order = book.openOrder(orderId);
        if (order == null)
        {
            throw new IllegalStateException("not open: " + orderId);
        }
        return order;
    }

    long fills()
    {
        return fills;
    }

    public void onTrade(
        final long fillSeq, final Order taker, final Order maker, final long price, final long qty,
        final long quoteQty, final long takerFee, final long makerFee, final long ts)
    {
        fills++;
    }

    public void onOrderClosed(final Order order)
    {
        pool.release(order);
    }
}
