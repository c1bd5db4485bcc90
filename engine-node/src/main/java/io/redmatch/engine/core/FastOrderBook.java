package io.redmatch.engine.core;


import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The production order book: price ladders of intrusive FIFO levels, primitive-keyed maps, pooled levels, and no
 * allocation per command in steady state. Semantics are those of {@link OrderBook}; {@link ReferenceOrderBook} is
 * the naive twin it is checked against.
 */
public final class FastOrderBook implements OrderBook
{
    private final PairSpec spec;
    private final BookListener listener;
    private final PriceLadder bids = new PriceLadder(true);
    private final PriceLadder asks = new PriceLadder(false);
    /** Buy stops trigger as the price rises: lowest trigger first. */
    private final PriceLadder buyStops = new PriceLadder(false);
    /** Sell stops trigger as the price falls: highest trigger first. */
    private final PriceLadder sellStops = new PriceLadder(true);
    /**
     * Open orders by id: the id maps to a slot of {@link #heldOrders} through a window of recent ids, which spares the
     * hash probes (and removal compaction) of a general map on every order that rests and leaves; freed slots are
     * reused, so the slot table stays as large as the most orders ever open at once.
     */
    private final RecentIdIndex openOrderSlots = new RecentIdIndex(-1);
    private Order[] heldOrders = new Order[64];
    private int[] freeSlots = new int[64];
    private int freeSlotCount;
    private int usedSlots;
    /**
     * Open orders per account, indexed by account id: ids are small dense numbers handed out by the node's account
     * registry, so an array spares a hash lookup on every order that rests or leaves the book.
     */
    private AccountOrders[] accounts = new AccountOrders[64];
    private long lastTradePrice = Order.NO_PRICE;
    private long lastFillSeq;
    private Order triggeredHead;
    private Order triggeredTail;

    /** An account's open orders, oldest first, linked through {@link Order#accountPrev}/{@link Order#accountNext}. */
    private static final class AccountOrders
    {
        Order head;
        Order tail;
    }

    public FastOrderBook(final PairSpec spec, final BookListener listener)
    {
        this.spec = spec;
        this.listener = listener;
    }

    public PairSpec spec()
    {
        return spec;
    }

    public PlaceResult place(final Order order)
    {
        if (order.type.isStop())
        {
            return placeStop(order);
        }
        order.openQty = order.quoteBudget > 0 ? 0 : order.qty;
        execute(order, order.ts);
        processTriggers(order.ts);
        return PlaceResult.OK;
    }

    private PlaceResult placeStop(final Order order)
    {
        final long last = lastTradePrice;
        if (last == Order.NO_PRICE ||
            (order.side == Side.BUY ? order.stopPrice <= last : order.stopPrice >= last))
        {
            return PlaceResult.STOP_ALREADY_TRIGGERED;
        }
        order.openQty = order.qty;
        order.status = OrderStatus.PENDING_TRIGGER;
        stopLadder(order.side).getOrCreate(order.stopPrice).append(order);
        hold(order);
        return PlaceResult.OK;
    }

    public void cancel(final Order order, final long ts)
    {
        close(order, OrderStatus.CANCELLED, OrderReason.USER_CANCEL, ts);
    }

    public PlaceResult amend(final Order order, final long newOpenQty, final long newPrice, final long ts)
    {
        if (order.status == OrderStatus.PENDING_TRIGGER)
        {
            return PlaceResult.NOT_AMENDABLE;
        }
        final boolean priceChange = newPrice != Order.NO_PRICE && newPrice != order.price;
        final boolean qtyChange = newOpenQty != 0 && newOpenQty != order.openQty;
        if (!priceChange && !qtyChange)
        {
            return PlaceResult.OK;
        }
        final long targetPrice = priceChange ? newPrice : order.price;
        final boolean crosses = crossesOpposite(order.side, targetPrice);
        if (order.postOnly && crosses)
        {
            return PlaceResult.POST_ONLY_WOULD_TAKE;
        }
        final PriceLevel level = (PriceLevel)order.level;
        if (!priceChange && newOpenQty < order.openQty)
        {
            final long reduction = order.openQty - newOpenQty;
            order.openQty = newOpenQty;
            order.qty = order.filledQty + newOpenQty;
            level.totalQty -= reduction;
            listener.onLevelChanged(order.side, level.price, level.totalQty, level.orderCount);
            return PlaceResult.OK;
        }
        unlinkResting(order, level);
        order.price = targetPrice;
        if (qtyChange)
        {
            order.openQty = newOpenQty;
            order.qty = order.filledQty + newOpenQty;
        }
        if (crosses)
        {
            matchLimit(order, ts);
            if (order.status == OrderStatus.CANCELLED)
            {
                finish(order, ts);
            }
            else if (order.openQty == 0)
            {
                order.status = OrderStatus.FILLED;
                finish(order, ts);
            }
            else
            {
                rest(order);
            }
        }
        else
        {
            rest(order);
        }
        processTriggers(ts);
        return PlaceResult.OK;
    }

    public Order openOrder(final long orderId)
    {
        final long slot = openOrderSlots.get(orderId);
        return slot < 0 ? null : heldOrders[(int)slot];
    }

    public int cancelAll(final int accountId, final long ts)
    {
        final AccountOrders account = accountOrders(accountId);
        if (account == null)
        {
            return 0;
        }
        int count = 0;
        Order order = account.head;
        while (order != null)
        {
            final Order next = order.accountNext;
            close(order, OrderStatus.CANCELLED, OrderReason.USER_CANCEL, ts);
            count++;
            order = next;
        }
        return count;
    }

    public void forEachOpenOrder(final int accountId, final Consumer<Order> consumer)
    {
        final AccountOrders account = accountOrders(accountId);
        if (account != null)
        {
            for (Order order = account.head; order != null; order = order.accountNext)
            {
                consumer.accept(order);
            }
        }
    }

    public void forEachRestingOrder(final Side side, final Consumer<Order> consumer)
    {
        forEachInLadder(side == Side.BUY ? bids : asks, consumer);
    }

    public void forEachPendingStop(final Side side, final Consumer<Order> consumer)
    {
        forEachInLadder(stopLadder(side), consumer);
    }

    private static void forEachInLadder(final PriceLadder ladder, final Consumer<Order> consumer)
    {
        for (int rank = 0, size = ladder.size(); rank < size; rank++)
        {
            for (Order order = ladder.fromBest(rank).head; order != null; order = order.next)
            {
                consumer.accept(order);
            }
        }
    }

    public int forEachLevel(final Side side, final int maxLevels, final LevelConsumer consumer)
    {
        final PriceLadder ladder = side == Side.BUY ? bids : asks;
        final int count = Math.min(maxLevels, ladder.size());
        for (int rank = 0; rank < count; rank++)
        {
            final PriceLevel level = ladder.fromBest(rank);
            consumer.onLevel(level.price, level.totalQty, level.orderCount);
        }
        return count;
    }

    public long bestPrice(final Side side)
    {
        final PriceLevel best = (side == Side.BUY ? bids : asks).best();
        return best == null ? Order.NO_PRICE : best.price;
    }

    public long bestQty(final Side side)
    {
        final PriceLevel best = (side == Side.BUY ? bids : asks).best();
        return best == null ? 0 : best.totalQty;
    }

    public long lastTradePrice()
    {
        return lastTradePrice;
    }

    public long lastFillSeq()
    {
        return lastFillSeq;
    }

    public int openOrderCount()
    {
        return openOrderSlots.size();
    }

    /**
     * Restores an open order read back from a snapshot: registers it as held by its account, after those restored
     * before it. Call for every open order in the order of {@link #forEachOpenOrder}, then
     * {@link #restoreQueued(Order)} for each in priority order.
     *
     * @param order a pooled order with every field set, open ({@code NEW}, {@code PARTIALLY_FILLED} or
     *              {@code PENDING_TRIGGER}).
     */
    public void restoreOpenOrder(final Order order)
    {
        hold(order);
    }

    /**
     * Queues a restored open order behind those queued before it at its price: a pending stop at its trigger, any
     * other order at its limit price. Price levels are rebuilt as they go.
     *
     * @param order an order given to {@link #restoreOpenOrder(Order)}.
     */
    public void restoreQueued(final Order order)
    {
        if (order.status == OrderStatus.PENDING_TRIGGER)
        {
            stopLadder(order.side).getOrCreate(order.stopPrice).append(order);
        }
        else
        {
            (order.side == Side.BUY ? bids : asks).getOrCreate(order.price).append(order);
        }
    }

    /**
     * Restores the trade state read back from a snapshot.
     *
     * @param lastTradePrice the last trade's price, or {@link Order#NO_PRICE}.
     * @param lastFillSeq    the last fill sequence.
     */
    public void restoreTradeState(final long lastTradePrice, final long lastFillSeq)
    {
        this.lastTradePrice = lastTradePrice;
        this.lastFillSeq = lastFillSeq;
    }

    private PriceLadder stopLadder(final Side side)
    {
        return side == Side.BUY ? buyStops : sellStops;
    }

    private PriceLadder opposite(final Side side)
    {
        return side == Side.BUY ? asks : bids;
    }

    private boolean crossesOpposite(final Side side, final long price)
    {
        final PriceLevel best = opposite(side).best();
        return best != null && (side == Side.BUY ? best.price <= price : best.price >= price);
    }

    /** Runs a live (non-pending) order as a taker and leaves it resting or closed. */
    private void execute(final Order order, final long ts)
    {
        if (order.type.hasLimitPrice())
        {
            executeLimit(order, ts);
        }
        else
        {
            executeMarket(order, ts);
        }
    }

    private void executeLimit(final Order order, final long ts)
    {
        if (order.postOnly && crossesOpposite(order.side, order.price))
        {
            close(order, OrderStatus.REJECTED, OrderReason.POST_ONLY_WOULD_TAKE, ts);
            return;
        }
        if (order.tif == TimeInForce.FOK && !fillable(order))
        {
            close(order, OrderStatus.REJECTED, OrderReason.FOK_NOT_FILLABLE, ts);
            return;
        }
        matchLimit(order, ts);
        if (order.status == OrderStatus.CANCELLED)
        {
            finish(order, ts);
        }
        else if (order.openQty == 0)
        {
            order.status = OrderStatus.FILLED;
            finish(order, ts);
        }
        else if (order.tif == TimeInForce.GTC)
        {
            if (!order.held)
            {
                hold(order);
            }
            rest(order);
        }
        else
        {
            close(order, OrderStatus.CANCELLED, OrderReason.IOC_REMAINDER, ts);
        }
    }

    /** Matches a limit taker while it crosses; a self-trade cancel of the taker leaves it CANCELLED. */
    private void matchLimit(final Order taker, final long ts)
    {
        final PriceLadder book = opposite(taker.side);
        final boolean buy = taker.side == Side.BUY;
        while (taker.openQty > 0)
        {
            final PriceLevel level = book.best();
            if (level == null || (buy ? level.price > taker.price : level.price < taker.price))
            {
                return;
            }
            final Order maker = level.head;
            if (maker.accountId == taker.accountId && taker.stp != SelfTradePrevention.NONE && preventSelfTrade(
                taker, maker, ts))
            {
                return;
            }
            if (maker.accountId != taker.accountId || taker.stp == SelfTradePrevention.NONE)
            {
                trade(taker, maker, Math.min(taker.openQty, maker.openQty), ts);
            }
        }
    }

    /**
     * Applies the taker's self-trade prevention mode against a maker of the same account.
     *
     * @return true when the taker is cancelled and matching must stop.
     */
    private boolean preventSelfTrade(final Order taker, final Order maker, final long ts)
    {
        final SelfTradePrevention mode = taker.stp;
        if (mode == SelfTradePrevention.CANCEL_MAKER || mode == SelfTradePrevention.CANCEL_BOTH)
        {
            close(maker, OrderStatus.CANCELLED, OrderReason.SELF_TRADE, ts);
        }
        if (mode == SelfTradePrevention.CANCEL_TAKER || mode == SelfTradePrevention.CANCEL_BOTH)
        {
            taker.status = OrderStatus.CANCELLED;
            taker.reason = OrderReason.SELF_TRADE;
            return true;
        }
        return false;
    }

    /** Fill-or-kill pre-check: can the whole quantity trade within the limit, given self-trade prevention? */
    private boolean fillable(final Order taker)
    {
        final PriceLadder book = opposite(taker.side);
        final boolean buy = taker.side == Side.BUY;
        long available = 0;
        for (int rank = 0, size = book.size(); rank < size; rank++)
        {
            final PriceLevel level = book.fromBest(rank);
            if (buy ? level.price > taker.price : level.price < taker.price)
            {
                return false;
            }
            for (Order maker = level.head; maker != null; maker = maker.next)
            {
                if (maker.accountId == taker.accountId && taker.stp != SelfTradePrevention.NONE)
                {
                    if (taker.stp == SelfTradePrevention.CANCEL_MAKER)
                    {
                        continue;
                    }
                    return false;
                }
                available += maker.openQty;
                if (available >= taker.openQty)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private void executeMarket(final Order taker, final long ts)
    {
        final PriceLadder book = opposite(taker.side);
        final boolean byQuote = taker.quoteBudget > 0;
        while (true)
        {
            if (!byQuote && taker.openQty == 0)
            {
                taker.status = OrderStatus.FILLED;
                break;
            }
            final PriceLevel level = book.best();
            if (level == null)
            {
                taker.status = OrderStatus.CANCELLED;
                taker.reason = OrderReason.NO_LIQUIDITY;
                break;
            }
            final Order maker = level.head;
            if (maker.accountId == taker.accountId && taker.stp != SelfTradePrevention.NONE)
            {
                if (preventSelfTrade(taker, maker, ts))
                {
                    break;
                }
                continue;
            }
            long qty = taker.openQty;
            if (byQuote)
            {
                final long lotCost = maker.price * spec.lotUnits();
                final long lots = (taker.quoteBudget - taker.quoteFilled) / lotCost;
                if (lots == 0)
                {
                    taker.status = OrderStatus.FILLED;
                    break;
                }
                qty = lots * spec.lotUnits();
            }
            trade(taker, maker, Math.min(qty, maker.openQty), ts);
        }
        finish(taker, ts);
    }

    private void trade(final Order taker, final Order maker, final long qty, final long ts)
    {
        final long price = maker.price;
        final long quoteQty = price * qty;
        final long takerFee = taker.side == Side.BUY ?
            spec.baseFee(qty, spec.takerFeeRate()) : spec.quoteFee(quoteQty, spec.takerFeeRate());
        final long makerFee = maker.side == Side.BUY ?
            spec.baseFee(qty, spec.makerFeeRate()) : spec.quoteFee(quoteQty, spec.makerFeeRate());

        taker.filledQty += qty;
        taker.quoteFilled = saturatingAdd(taker.quoteFilled, quoteQty);
        if (taker.quoteBudget > 0)
        {
            taker.qty += qty;
        }
        else
        {
            taker.openQty -= qty;
        }
        maker.filledQty += qty;
        maker.openQty -= qty;
        maker.quoteFilled = saturatingAdd(maker.quoteFilled, quoteQty);
        final PriceLevel level = (PriceLevel)maker.level;
        level.totalQty -= qty;
        lastTradePrice = price;
        listener.onTrade(++lastFillSeq, taker, maker, price, qty, quoteQty, takerFee, makerFee, ts);
        if (maker.openQty == 0)
        {
            close(maker, OrderStatus.FILLED, OrderReason.NONE, ts);
        }
        else
        {
            maker.status = OrderStatus.PARTIALLY_FILLED;
            listener.onLevelChanged(maker.side, level.price, level.totalQty, level.orderCount);
        }
    }

    private static long saturatingAdd(final long a, final long b)
    {
        final long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private void rest(final Order order)
    {
        order.status = order.filledQty > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.NEW;
        final PriceLevel level = (order.side == Side.BUY ? bids : asks).getOrCreate(order.price);
        level.append(order);
        listener.onLevelChanged(order.side, level.price, level.totalQty, level.orderCount);
    }

    private void unlinkResting(final Order order, final PriceLevel level)
    {
        level.unlink(order);
        if (level.isEmpty())
        {
            level.ladder.remove(level);
        }
        listener.onLevelChanged(order.side, level.price, level.isEmpty() ? 0 : level.totalQty, level.orderCount);
    }

    /** Sets a terminal status and reason, takes the order out of every structure and reports it. */
    private void close(final Order order, final OrderStatus status, final OrderReason reason, final long ts)
    {
        order.status = status;
        order.reason = reason;
        finish(order, ts);
    }

    /** Takes an order whose terminal status is already set out of every structure and reports it. */
    private void finish(final Order order, final long ts)
    {
        final PriceLevel level = (PriceLevel)order.level;
        if (level != null)
        {
            if (level.ladder == bids || level.ladder == asks)
            {
                unlinkResting(order, level);
            }
            else
            {
                level.unlink(order);
                if (level.isEmpty())
                {
                    level.ladder.remove(level);
                }
            }
        }
        if (order.held)
        {
            release(order);
        }
        order.openQty = 0;
        order.closedTs = ts;
        listener.onOrderClosed(order);
    }

    private AccountOrders accountOrders(final int accountId)
    {
        return accountId >= 0 && accountId < accounts.length ? accounts[accountId] : null;
    }

    private void hold(final Order order)
    {
        order.held = true;
        final int slot;
        if (freeSlotCount > 0)
        {
            slot = freeSlots[--freeSlotCount];
        }
        else
        {
            if (usedSlots == heldOrders.length)
            {
                heldOrders = Arrays.copyOf(heldOrders, usedSlots * 2);
            }
            slot = usedSlots++;
        }
        heldOrders[slot] = order;
        order.bookSlot = slot;
        openOrderSlots.put(order.orderId, slot);
        final int accountId = order.accountId;
        if (accountId < 0)
        {
            throw new IllegalArgumentException("account ids are not negative: " + accountId);
        }
        if (accountId >= accounts.length)
        {
            accounts = Arrays.copyOf(accounts, Math.max(accountId + 1, accounts.length * 2));
        }
        AccountOrders account = accounts[accountId];
        if (account == null)
        {
            account = new AccountOrders();
            accounts[accountId] = account;
        }
        order.accountNext = null;
        order.accountPrev = account.tail;
        if (account.tail == null)
        {
            account.head = order;
        }
        else
        {
            account.tail.accountNext = order;
        }
        account.tail = order;
    }

    private void release(final Order order)
    {
        order.held = false;
        openOrderSlots.remove(order.orderId);
        final int slot = order.bookSlot;
        heldOrders[slot] = null;
        if (freeSlotCount == freeSlots.length)
        {
            freeSlots = Arrays.copyOf(freeSlots, freeSlotCount * 2);
        }
        freeSlots[freeSlotCount++] = slot;
        final AccountOrders account = accounts[order.accountId];
        final Order prev = order.accountPrev;
        final Order next = order.accountNext;
        if (prev == null)
        {
            account.head = next;
        }
        else
        {
            prev.accountNext = next;
        }
        if (next == null)
        {
            account.tail = prev;
        }
        else
        {
            next.accountPrev = prev;
        }
        order.accountPrev = null;
        order.accountNext = null;
    }

    /** Triggers pending stops reached by the last trade price, cascading, in trigger order then placement order. */
    private void processTriggers(final long ts)
    {
        collectTriggered();
        while (triggeredHead != null)
        {
            final Order stop = triggeredHead;
            triggeredHead = stop.next;
            if (triggeredHead == null)
            {
                triggeredTail = null;
            }
            stop.next = null;
            stop.status = OrderStatus.NEW;
            execute(stop, ts);
            collectTriggered();
        }
    }

    private void collectTriggered()
    {
        final long last = lastTradePrice;
        if (last == Order.NO_PRICE)
        {
            return;
        }
        PriceLevel level;
        while ((level = buyStops.best()) != null && level.price <= last)
        {
            drainToTriggered(level);
        }
        while ((level = sellStops.best()) != null && level.price >= last)
        {
            drainToTriggered(level);
        }
    }

    private void drainToTriggered(final PriceLevel level)
    {
        Order order = level.head;
        while (order != null)
        {
            final Order next = order.next;
            level.unlink(order);
            if (triggeredTail == null)
            {
                triggeredHead = order;
            }
            else
            {
                triggeredTail.next = order;
            }
            triggeredTail = order;
            order = next;
        }
        level.ladder.remove(level);
    }
}
