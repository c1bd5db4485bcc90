package io.redmatch.perf.bench;

import io.redmatch.engine.core.BookListener;
import io.redmatch.engine.core.Order;
import io.redmatch.engine.core.OrderBook;
import io.redmatch.engine.core.OrderType;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.core.PlaceResult;
import io.redmatch.engine.core.SelfTradePrevention;
import io.redmatch.engine.core.Side;
import io.redmatch.engine.core.TimeInForce;
import io.redmatch.perf.flow.FillTally;
import io.redmatch.perf.flow.FlowOp;
import io.redmatch.perf.flow.OrderFlow;
import io.redmatch.perf.replay.FlowReplayer;

/**
 * Replays an {@link OrderFlow} into one of our {@link OrderBook}s, the way the engine drives it: orders come from an
 * {@link OrderPool} and go back to it when the book reports them closed; a cancel, move or reduce looks the order up
 * with {@link OrderBook#openOrder(long)} first.
 * <p>
 * The pair has a tick of 0.01 and a lot of 0.001 and no fees, so the flow's ticks and lots are the book's units and
 * neither side computes fees (exchange-core's order book leaves fees to its risk engine). Self-trade prevention is
 * {@code NONE}, as exchange-core's order book has none, so both produce the same trades.
 */
public final class CoreReplayer implements FlowReplayer, BookListener
{
    /** The benchmark pair: units of 0.01 for prices and 0.001 for quantities, no fees. */
    public static final PairSpec PAIR = PairSpec.of("BTC-USDT", "0.01", "0.001", null, null, null);

    private final OrderFlow flow;
    private final BookChoice bookChoice;
    private final boolean reuseBook;
    private final OrderPool pool;
    private final FillTally tally = new FillTally();
    private OrderBook book;
    private long failedOps;

    /**
     * @param reuseBook false for a new book every pass; true to drain and reuse one book, so that a pass allocates
     *                  nothing once the book's own structures have grown (for JMH {@code -prof gc}).
     */
    public CoreReplayer(final OrderFlow flow, final BookChoice bookChoice, final boolean reuseBook)
    {
        this.flow = flow;
        this.bookChoice = bookChoice;
        this.reuseBook = reuseBook;
        this.pool = new OrderPool(2 * flow.targetOpenOrders() + 1024);
    }

    public String engine()
    {
        return "redmatch";
    }

    public String implementation()
    {
        return bookChoice == BookChoice.FAST ? "FastOrderBook" : "ReferenceOrderBook";
    }

    public void beginPass()
    {
        if (book == null)
        {
            book = bookChoice.create(PAIR, this);
        }
        tally.reset();
        failedOps = 0;
    }

    public void apply(final int index)
    {
        final OrderFlow flow = this.flow;
        switch (flow.op(index))
        {
            case FlowOp.PLACE_GTC:
                place(index, TimeInForce.GTC);
                break;
            case FlowOp.PLACE_IOC:
                place(index, TimeInForce.IOC);
                break;
            case FlowOp.CANCEL:
                cancel(index);
                break;
            case FlowOp.MOVE:
                amend(index, 0, flow.price(index));
                break;
            default:
                reduce(index);
                break;
        }
    }

    private void place(final int index, final TimeInForce tif)
    {
        final OrderFlow flow = this.flow;
        final Order order = pool.acquire();
        order.orderId = flow.orderId(index);
        order.accountId = flow.accountId(index);
        order.side = flow.side(index) == OrderFlow.BUY ? Side.BUY : Side.SELL;
        order.type = OrderType.LIMIT;
        order.price = flow.price(index);
        order.qty = flow.qty(index);
        order.tif = tif;
        order.stp = SelfTradePrevention.NONE;
        order.ts = index;
        if (book.place(order) != PlaceResult.OK)
        {
            failedOps++;
        }
    }

    private void cancel(final int index)
    {
        final Order order = book.openOrder(flow.orderId(index));
        if (order == null)
        {
            failedOps++;
            return;
        }
        book.cancel(order, index);
    }

    private void amend(final int index, final long newOpenQty, final long newPrice)
    {
        final Order order = book.openOrder(flow.orderId(index));
        if (order == null || book.amend(order, newOpenQty, newPrice, index) != PlaceResult.OK)
        {
            failedOps++;
        }
    }

    private void reduce(final int index)
    {
        final Order order = book.openOrder(flow.orderId(index));
        if (order == null ||
            book.amend(order, order.openQty - flow.qty(index), Order.NO_PRICE, index) != PlaceResult.OK)
        {
            failedOps++;
        }
    }

    public void onTrade(
        final long fillSeq, final Order taker, final Order maker, final long price, final long qty,
        final long quoteQty, final long takerFee, final long makerFee, final long ts)
    {
        tally.onFill(taker.orderId, maker.orderId, price, qty);
    }

    public void onOrderClosed(final Order order)
    {
        pool.release(order);
    }

    /** Cancels whatever is left, account by account, so every order goes back to the pool. */
    public void endPass()
    {
        final int accounts = flow.accountCount();
        for (int accountId = 1; accountId <= accounts; accountId++)
        {
            book.cancelAll(accountId, flow.size());
        }
        if (!reuseBook)
        {
            book = null;
        }
    }

    public FillTally tally()
    {
        return tally;
    }

    public int openOrderCount()
    {
        return book.openOrderCount();
    }

    public long failedOps()
    {
        return failedOps;
    }

    /** @return the book of the current pass. */
    public OrderBook book()
    {
        return book;
    }
}
