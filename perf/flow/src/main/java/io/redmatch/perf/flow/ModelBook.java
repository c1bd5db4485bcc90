package io.redmatch.perf.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The generator's plain price-time model of the book. It tells the generator which orders are open, with what open
 * quantity, and what the best prices are, so every generated cancel, move and reduce is valid; and it produces the
 * expected {@link FillTally}. Clarity over speed: it runs once per flow, never in a measurement.
 * <p>
 * Its rules are the ones both engines share: a taker trades at the maker's price, best price first, then oldest
 * first, with no self-trade prevention; a move leaves the level, trades if the new price crosses and rests the rest
 * at the back of the new level; a reduce keeps the order's place.
 */
final class ModelBook
{
    /** One open order of the model. */
    static final class ModelOrder
    {
        final long orderId;
        final int accountId;
        final byte side;
        long price;
        long openQty;
        int openIndex;

        ModelOrder(final long orderId, final int accountId, final byte side, final long price, final long openQty)
        {
            this.orderId = orderId;
            this.accountId = accountId;
            this.side = side;
            this.price = price;
            this.openQty = openQty;
        }
    }

    private final TreeMap<Long, ArrayDeque<ModelOrder>> bids = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<Long, ArrayDeque<ModelOrder>> asks = new TreeMap<>();
    private final ArrayList<ModelOrder> openOrders = new ArrayList<>();
    private final FillTally tally = new FillTally();

    FillTally tally()
    {
        return tally;
    }

    int openOrderCount()
    {
        return openOrders.size();
    }

    /** @return the open order at {@code index} of an arbitrary but deterministic order, for random picks. */
    ModelOrder openOrderAt(final int index)
    {
        return openOrders.get(index);
    }

    /** @return the best bid price, or 0 when there is none. */
    long bestBid()
    {
        return bids.isEmpty() ? 0 : bids.firstKey();
    }

    /** @return the best ask price, or 0 when there is none. */
    long bestAsk()
    {
        return asks.isEmpty() ? 0 : asks.firstKey();
    }

    /** Places a limit order: trades what crosses, rests the rest unless it is immediate-or-cancel. */
    void place(
        final long orderId, final int accountId, final byte side, final long price, final long qty,
        final boolean immediateOrCancel)
    {
        final long remaining = match(orderId, side, price, qty);
        if (remaining > 0 && !immediateOrCancel)
        {
            rest(new ModelOrder(orderId, accountId, side, price, remaining));
        }
    }

    void cancel(final ModelOrder order)
    {
        unlinkFromLevel(order);
        forget(order);
    }

    void move(final ModelOrder order, final long newPrice)
    {
        unlinkFromLevel(order);
        order.price = newPrice;
        final long remaining = match(order.orderId, order.side, newPrice, order.openQty);
        if (remaining == 0)
        {
            forget(order);
        }
        else
        {
            order.openQty = remaining;
            levelOf(order.side, newPrice).addLast(order);
        }
    }

    void reduce(final ModelOrder order, final long reduceBy)
    {
        if (reduceBy <= 0 || reduceBy >= order.openQty)
        {
            throw new IllegalArgumentException("reduce must leave the order open: " + reduceBy);
        }
        order.openQty -= reduceBy;
    }

    private long match(final long takerOrderId, final byte takerSide, final long limitPrice, final long qty)
    {
        final TreeMap<Long, ArrayDeque<ModelOrder>> makers = takerSide == OrderFlow.BUY ? asks : bids;
        long remaining = qty;
        while (remaining > 0 && !makers.isEmpty())
        {
            final Map.Entry<Long, ArrayDeque<ModelOrder>> best = makers.firstEntry();
            final long levelPrice = best.getKey();
            if (takerSide == OrderFlow.BUY ? levelPrice > limitPrice : levelPrice < limitPrice)
            {
                break;
            }
            final ArrayDeque<ModelOrder> level = best.getValue();
            while (remaining > 0 && !level.isEmpty())
            {
                final ModelOrder maker = level.peekFirst();
                final long tradeQty = Math.min(remaining, maker.openQty);
                tally.onFill(takerOrderId, maker.orderId, levelPrice, tradeQty);
                maker.openQty -= tradeQty;
                remaining -= tradeQty;
                if (maker.openQty == 0)
                {
                    level.pollFirst();
                    forget(maker);
                }
            }
            if (level.isEmpty())
            {
                makers.remove(levelPrice);
            }
        }
        return remaining;
    }

    private void rest(final ModelOrder order)
    {
        levelOf(order.side, order.price).addLast(order);
        order.openIndex = openOrders.size();
        openOrders.add(order);
    }

    private ArrayDeque<ModelOrder> levelOf(final byte side, final long price)
    {
        return (side == OrderFlow.BUY ? bids : asks).computeIfAbsent(price, p -> new ArrayDeque<>());
    }

    private void unlinkFromLevel(final ModelOrder order)
    {
        final TreeMap<Long, ArrayDeque<ModelOrder>> levels = order.side == OrderFlow.BUY ? bids : asks;
        final ArrayDeque<ModelOrder> level = levels.get(order.price);
        level.remove(order);
        if (level.isEmpty())
        {
            levels.remove(order.price);
        }
    }

    /** Drops a closed order from the open list (swap-remove keeps random picks O(1)). */
    private void forget(final ModelOrder order)
    {
        final ModelOrder last = openOrders.remove(openOrders.size() - 1);
        if (last != order)
        {
            last.openIndex = order.openIndex;
            openOrders.set(order.openIndex, last);
        }
    }
}
