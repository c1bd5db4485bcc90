package io.redmatch.engine.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A deliberately naive {@link OrderBook}, written to be obviously correct rather than fast: the oracle that the
 * behaviour tests and the randomized differential test hold the fast book against.
 * <p>
 * Each side is one list of resting orders kept in priority order (best price first, then the time the order started
 * resting at that price), pending stops are one list in placement order, and every question is answered by scanning
 * them. Every operation is linear in the number of open orders and allocates freely. It ignores the intrusive links
 * of {@link Order}, so nothing here depends on how the fast book uses them.
 * <p>
 * Level changes are reported once per command, as the difference between the levels before and after it, rather
 * than as they happen: a listener that applies them ends up with the same levels as one fed by the fast book.
 */
public final class ReferenceOrderBook implements OrderBook
{
    private static final Comparator<Order> BUY_TRIGGER_ORDER =
        Comparator.comparingLong((Order order) -> order.stopPrice).thenComparingLong(order -> order.orderId);
    private static final Comparator<Order> SELL_TRIGGER_ORDER =
        Comparator.comparingLong((Order order) -> -order.stopPrice).thenComparingLong(order -> order.orderId);
    private static final Comparator<Order> ORDER_ID_ORDER = Comparator.comparingLong(order -> order.orderId);

    private final PairSpec spec;
    private final BookListener listener;
    private final List<Order> bids = new ArrayList<>();
    private final List<Order> asks = new ArrayList<>();
    private final List<Order> pendingStops = new ArrayList<>();
    private long lastTradePrice = Order.NO_PRICE;
    private long lastFillSeq;

    /**
     * @param spec     the pair whose units the orders are in.
     * @param listener receives trades, closed orders and level changes.
     */
    public ReferenceOrderBook(final PairSpec spec, final BookListener listener)
    {
        this.spec = spec;
        this.listener = listener;
    }

    /** {@inheritDoc} */
    public PairSpec spec()
    {
        return spec;
    }

    /** {@inheritDoc} */
    public PlaceResult place(final Order order)
    {
        if (order.type.isStop())
        {
            return placeStop(order);
        }

        final Map<Long, long[]> bidsBefore = levels(Side.BUY);
        final Map<Long, long[]> asksBefore = levels(Side.SELL);
        order.openQty = isQuoteBudgetBuy(order) ? 0 : order.qty;
        execute(order, order.ts);
        triggerStops(order.ts);
        publishLevelChanges(bidsBefore, asksBefore);

        return PlaceResult.OK;
    }

    /** {@inheritDoc} */
    public void cancel(final Order order, final long ts)
    {
        final Map<Long, long[]> bidsBefore = levels(Side.BUY);
        final Map<Long, long[]> asksBefore = levels(Side.SELL);
        cancelOpenOrder(order, ts);
        publishLevelChanges(bidsBefore, asksBefore);
    }

    /** {@inheritDoc} */
    public PlaceResult amend(final Order order, final long newOpenQty, final long newPrice, final long ts)
    {
        if (pendingStops.contains(order))
        {
            return PlaceResult.NOT_AMENDABLE;
        }
        final List<Order> ownSide = restingSide(order.side);
        if (!ownSide.contains(order))
        {
            return PlaceResult.NO_ORDER;
        }

        final long targetPrice = newPrice == Order.NO_PRICE ? order.price : newPrice;
        final long targetOpenQty = newOpenQty == 0 ? order.openQty : newOpenQty;
        final boolean priceChanged = targetPrice != order.price;
        if (order.postOnly && crosses(order.side, targetPrice))
        {
            return PlaceResult.POST_ONLY_WOULD_TAKE;
        }
        if (!priceChanged && targetOpenQty == order.openQty)
        {
            return PlaceResult.OK;
        }

        final Map<Long, long[]> bidsBefore = levels(Side.BUY);
        final Map<Long, long[]> asksBefore = levels(Side.SELL);
        if (!priceChanged && targetOpenQty < order.openQty)
        {
            order.openQty = targetOpenQty;
            order.qty = order.filledQty + targetOpenQty;
        }
        else
        {
            ownSide.remove(order);
            order.price = targetPrice;
            order.openQty = targetOpenQty;
            order.qty = order.filledQty + targetOpenQty;
            // A resting order is GTC and its post-only crossing was refused above, so this only matches what the
            // new price crosses and rests the remainder at the back of its level.
            executeLimit(order, ts);
            triggerStops(ts);
        }
        publishLevelChanges(bidsBefore, asksBefore);

        return PlaceResult.OK;
    }

    /** {@inheritDoc} */
    public Order openOrder(final long orderId)
    {
        for (final Order order : allOpenOrders())
        {
            if (order.orderId == orderId)
            {
                return order;
            }
        }

        return null;
    }

    /** {@inheritDoc} */
    public int cancelAll(final int accountId, final long ts)
    {
        final List<Order> toCancel = openOrdersOf(accountId);
        if (toCancel.isEmpty())
        {
            return 0;
        }

        final Map<Long, long[]> bidsBefore = levels(Side.BUY);
        final Map<Long, long[]> asksBefore = levels(Side.SELL);
        for (final Order order : toCancel)
        {
            cancelOpenOrder(order, ts);
        }
        publishLevelChanges(bidsBefore, asksBefore);

        return toCancel.size();
    }

    /** {@inheritDoc} */
    public void forEachOpenOrder(final int accountId, final Consumer<Order> consumer)
    {
        openOrdersOf(accountId).forEach(consumer);
    }

    /** {@inheritDoc} */
    public void forEachRestingOrder(final Side side, final Consumer<Order> consumer)
    {
        new ArrayList<>(restingSide(side)).forEach(consumer);
    }

    /** {@inheritDoc} */
    public void forEachPendingStop(final Side side, final Consumer<Order> consumer)
    {
        final List<Order> stops = new ArrayList<>();
        for (final Order stop : pendingStops)
        {
            if (stop.side == side)
            {
                stops.add(stop);
            }
        }
        stops.sort(side == Side.BUY ? BUY_TRIGGER_ORDER : SELL_TRIGGER_ORDER);
        stops.forEach(consumer);
    }

    /** {@inheritDoc} */
    public int forEachLevel(final Side side, final int maxLevels, final LevelConsumer consumer)
    {
        int visited = 0;
        for (final Map.Entry<Long, long[]> level : levels(side).entrySet())
        {
            if (visited >= maxLevels)
            {
                break;
            }
            consumer.onLevel(level.getKey(), level.getValue()[0], (int)level.getValue()[1]);
            visited++;
        }

        return visited;
    }

    /** {@inheritDoc} */
    public long bestPrice(final Side side)
    {
        final List<Order> orders = restingSide(side);
        return orders.isEmpty() ? Order.NO_PRICE : orders.get(0).price;
    }

    /** {@inheritDoc} */
    public long bestQty(final Side side)
    {
        final long[] best = levels(side).get(bestPrice(side));
        return best == null ? 0 : best[0];
    }

    /** {@inheritDoc} */
    public long lastTradePrice()
    {
        return lastTradePrice;
    }

    /** {@inheritDoc} */
    public long lastFillSeq()
    {
        return lastFillSeq;
    }

    /** {@inheritDoc} */
    public int openOrderCount()
    {
        return bids.size() + asks.size() + pendingStops.size();
    }

    private PlaceResult placeStop(final Order order)
    {
        final boolean alreadyTriggered = lastTradePrice == Order.NO_PRICE ||
            (order.side == Side.BUY && order.stopPrice <= lastTradePrice) ||
            (order.side == Side.SELL && order.stopPrice >= lastTradePrice);
        if (alreadyTriggered)
        {
            return PlaceResult.STOP_ALREADY_TRIGGERED;
        }

        order.status = OrderStatus.PENDING_TRIGGER;
        order.openQty = order.qty;
        pendingStops.add(order);

        return PlaceResult.OK;
    }

    private void execute(final Order taker, final long ts)
    {
        if (taker.type.hasLimitPrice())
        {
            executeLimit(taker, ts);
        }
        else
        {
            executeMarket(taker, ts);
        }
    }

    private void executeLimit(final Order taker, final long ts)
    {
        if (taker.postOnly && crosses(taker.side, taker.price))
        {
            close(taker, OrderStatus.REJECTED, OrderReason.POST_ONLY_WOULD_TAKE, ts);
            return;
        }
        if (taker.tif == TimeInForce.FOK && fillableQty(taker) < taker.openQty)
        {
            close(taker, OrderStatus.REJECTED, OrderReason.FOK_NOT_FILLABLE, ts);
            return;
        }

        final boolean selfTradeCancelled = match(taker, ts);
        if (selfTradeCancelled)
        {
            close(taker, OrderStatus.CANCELLED, OrderReason.SELF_TRADE, ts);
        }
        else if (taker.openQty == 0)
        {
            close(taker, OrderStatus.FILLED, OrderReason.NONE, ts);
        }
        else if (taker.tif == TimeInForce.GTC)
        {
            taker.status = taker.filledQty > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.NEW;
            rest(taker);
        }
        else
        {
            close(taker, OrderStatus.CANCELLED, OrderReason.IOC_REMAINDER, ts);
        }
    }

    private void executeMarket(final Order taker, final long ts)
    {
        final boolean selfTradeCancelled = match(taker, ts);
        if (selfTradeCancelled)
        {
            close(taker, OrderStatus.CANCELLED, OrderReason.SELF_TRADE, ts);
        }
        else if (hasRemaining(taker) && restingSide(taker.side.opposite()).isEmpty())
        {
            close(taker, OrderStatus.CANCELLED, OrderReason.NO_LIQUIDITY, ts);
        }
        else
        {
            // By quantity: nothing remains. By quote budget: spent, or what is left buys less than a lot.
            close(taker, OrderStatus.FILLED, OrderReason.NONE, ts);
        }
    }

    /**
     * Trades the taker against the opposite side until it is done, the book runs out, or the best maker is beyond
     * its limit price or, for a quote budget, beyond what the budget can pay for.
     *
     * @return true when self-trade prevention cancelled the taker.
     */
    private boolean match(final Order taker, final long ts)
    {
        final List<Order> makers = restingSide(taker.side.opposite());
        while (hasRemaining(taker) && !makers.isEmpty())
        {
            final Order maker = makers.get(0);
            if (taker.type.hasLimitPrice() && !withinLimit(taker, maker.price))
            {
                break;
            }
            if (maker.accountId == taker.accountId && taker.stp != SelfTradePrevention.NONE)
            {
                if (taker.stp == SelfTradePrevention.CANCEL_TAKER)
                {
                    return true;
                }
                makers.remove(maker);
                close(maker, OrderStatus.CANCELLED, OrderReason.SELF_TRADE, ts);
                if (taker.stp == SelfTradePrevention.CANCEL_BOTH)
                {
                    return true;
                }
                continue;
            }

            final long qty = tradeQty(taker, maker);
            if (qty == 0)
            {
                break;
            }
            trade(taker, maker, qty, ts);
        }

        return false;
    }

    /** What a FOK taker could get within its limit before self-trade prevention would stop it. */
    private long fillableQty(final Order taker)
    {
        long fillable = 0;
        for (final Order maker : restingSide(taker.side.opposite()))
        {
            if (!withinLimit(taker, maker.price))
            {
                break;
            }
            if (maker.accountId == taker.accountId)
            {
                if (taker.stp == SelfTradePrevention.CANCEL_MAKER)
                {
                    continue;
                }
                if (taker.stp != SelfTradePrevention.NONE)
                {
                    break;
                }
            }
            fillable += maker.openQty;
        }

        return fillable;
    }

    private long tradeQty(final Order taker, final Order maker)
    {
        if (isQuoteBudgetBuy(taker))
        {
            final long lotCost = maker.price * spec.lotUnits();
            final long affordable = ((taker.quoteBudget - taker.quoteFilled) / lotCost) * spec.lotUnits();
            return Math.min(maker.openQty, affordable);
        }

        return Math.min(taker.openQty, maker.openQty);
    }

    private void trade(final Order taker, final Order maker, final long qty, final long ts)
    {
        final long price = maker.price;
        final long quote = spec.notional(price, qty);
        final long fillSeq = ++lastFillSeq;
        final long takerFee = fee(taker.side, qty, quote, spec.takerFeeRate());
        final long makerFee = fee(maker.side, qty, quote, spec.makerFeeRate());

        taker.filledQty += qty;
        if (isQuoteBudgetBuy(taker))
        {
            taker.qty += qty;
        }
        else
        {
            taker.openQty -= qty;
        }
        taker.quoteFilled = saturatingAdd(taker.quoteFilled, quote);

        maker.filledQty += qty;
        maker.openQty -= qty;
        maker.quoteFilled = saturatingAdd(maker.quoteFilled, quote);

        lastTradePrice = price;
        listener.onTrade(fillSeq, taker, maker, price, qty, quote, takerFee, makerFee, ts);

        if (maker.openQty == 0)
        {
            restingSide(maker.side).remove(maker);
            close(maker, OrderStatus.FILLED, OrderReason.NONE, ts);
        }
        else
        {
            maker.status = OrderStatus.PARTIALLY_FILLED;
        }
    }

    /** Fees are charged in the asset the side receives: base for a buyer, quote for a seller. */
    private long fee(final Side side, final long qty, final long quote, final long rate)
    {
        return side == Side.BUY ? spec.baseFee(qty, rate) : spec.quoteFee(quote, rate);
    }

    /**
     * Runs the stops that the last trade price has reached, then those their own trades reach, and so on: each
     * round's newly reached stops queue up behind the ones already waiting, buys before sells, each group in the
     * order a price move reaches their triggers.
     */
    private void triggerStops(final long ts)
    {
        final ArrayDeque<Order> triggered = new ArrayDeque<>();
        collectTriggered(triggered);
        while (!triggered.isEmpty())
        {
            final Order stop = triggered.poll();
            stop.status = OrderStatus.NEW;
            execute(stop, ts);
            collectTriggered(triggered);
        }
    }

    private void collectTriggered(final ArrayDeque<Order> triggered)
    {
        if (lastTradePrice == Order.NO_PRICE)
        {
            return;
        }

        final List<Order> buys = new ArrayList<>();
        final List<Order> sells = new ArrayList<>();
        for (final Order stop : pendingStops)
        {
            if (stop.side == Side.BUY && stop.stopPrice <= lastTradePrice)
            {
                buys.add(stop);
            }
            else if (stop.side == Side.SELL && stop.stopPrice >= lastTradePrice)
            {
                sells.add(stop);
            }
        }
        buys.sort(BUY_TRIGGER_ORDER);
        sells.sort(SELL_TRIGGER_ORDER);
        pendingStops.removeAll(buys);
        pendingStops.removeAll(sells);
        triggered.addAll(buys);
        triggered.addAll(sells);
    }

    private void cancelOpenOrder(final Order order, final long ts)
    {
        if (!pendingStops.remove(order))
        {
            restingSide(order.side).remove(order);
        }
        close(order, OrderStatus.CANCELLED, OrderReason.USER_CANCEL, ts);
    }

    /** Puts the order at the back of its price level, behind every order at an equal or better price. */
    private void rest(final Order order)
    {
        final List<Order> orders = restingSide(order.side);
        int index = 0;
        while (index < orders.size() && !isBetter(order.side, order.price, orders.get(index).price))
        {
            index++;
        }
        orders.add(index, order);
    }

    private void close(final Order order, final OrderStatus status, final OrderReason reason, final long ts)
    {
        order.status = status;
        order.reason = reason;
        order.openQty = 0;
        order.closedTs = ts;
        listener.onOrderClosed(order);
    }

    private List<Order> openOrdersOf(final int accountId)
    {
        final List<Order> orders = new ArrayList<>();
        for (final Order order : allOpenOrders())
        {
            if (order.accountId == accountId)
            {
                orders.add(order);
            }
        }
        orders.sort(ORDER_ID_ORDER);

        return orders;
    }

    private List<Order> allOpenOrders()
    {
        final List<Order> orders = new ArrayList<>(bids);
        orders.addAll(asks);
        orders.addAll(pendingStops);

        return orders;
    }

    /** @return the side's levels, best first, each as {@code [qty, orderCount]}. */
    private Map<Long, long[]> levels(final Side side)
    {
        final Map<Long, long[]> levels = new LinkedHashMap<>();
        for (final Order order : restingSide(side))
        {
            final long[] level = levels.computeIfAbsent(order.price, price -> new long[2]);
            level[0] += order.openQty;
            level[1]++;
        }

        return levels;
    }

    private void publishLevelChanges(final Map<Long, long[]> bidsBefore, final Map<Long, long[]> asksBefore)
    {
        publishLevelChanges(Side.BUY, bidsBefore);
        publishLevelChanges(Side.SELL, asksBefore);
    }

    private void publishLevelChanges(final Side side, final Map<Long, long[]> before)
    {
        final Map<Long, long[]> after = levels(side);
        for (final Long price : before.keySet())
        {
            if (!after.containsKey(price))
            {
                listener.onLevelChanged(side, price, 0, 0);
            }
        }
        for (final Map.Entry<Long, long[]> level : after.entrySet())
        {
            final long[] now = level.getValue();
            final long[] then = before.get(level.getKey());
            if (then == null || then[0] != now[0] || then[1] != now[1])
            {
                listener.onLevelChanged(side, level.getKey(), now[0], (int)now[1]);
            }
        }
    }

    private List<Order> restingSide(final Side side)
    {
        return side == Side.BUY ? bids : asks;
    }

    private boolean crosses(final Side side, final long price)
    {
        final long bestOpposite = bestPrice(side.opposite());
        return bestOpposite != Order.NO_PRICE && !isBetter(side.opposite(), price, bestOpposite);
    }

    private static boolean withinLimit(final Order taker, final long makerPrice)
    {
        return taker.side == Side.BUY ? makerPrice <= taker.price : makerPrice >= taker.price;
    }

    /** @return true when {@code price} has strictly higher priority than {@code other} on that side. */
    private static boolean isBetter(final Side side, final long price, final long other)
    {
        return side == Side.BUY ? price > other : price < other;
    }

    private static boolean hasRemaining(final Order taker)
    {
        return isQuoteBudgetBuy(taker) ? taker.quoteBudget - taker.quoteFilled > 0 : taker.openQty > 0;
    }

    private static boolean isQuoteBudgetBuy(final Order order)
    {
        return order.side == Side.BUY && order.quoteBudget > 0;
    }

    private static long saturatingAdd(final long a, final long b)
    {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
