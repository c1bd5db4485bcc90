package io.redmatch.engine.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static io.redmatch.engine.core.Side.BUY;
import static io.redmatch.engine.core.Side.SELL;

/**
 * Applies the same long random sequence of commands to {@link FastOrderBook} and {@link ReferenceOrderBook} and
 * requires identical outcomes: result codes, the command's order, every trade and closed order in order, and
 * periodically the whole state, with the books' invariants checked along the way.
 * <p>
 * The commands cover every order type and option, all self-trade prevention modes over a few accounts, cancels,
 * cancel-alls and amends, at prices near a drifting mid so that orders cross, rest, and trigger stops. Set
 * {@value #SEED_PROP_NAME} to replay a run; every failure message names the seed and the operation index.
 */
class OrderBookDifferentialTest
{
    static final String SEED_PROP_NAME = "redmatch.seed";
    static final String OPS_PROP_NAME = "redmatch.diff.ops";
    static final int OPS_DEFAULT = 1_000_000;

    /** Full-state comparison period; prime so it does not beat against any pattern in the command mix. */
    private static final int FULL_CHECK_INTERVAL = 97;
    private static final int ACCOUNT_COUNT = 4;
    /** Open orders above which placements turn into cancels, so every step stays cheap for the naive book. */
    private static final int OPEN_ORDERS_HIGH_WATER = 250;
    private static final int HISTORY_LENGTH = 12;
    private static final PairSpec SPEC = PairSpec.of("ETH-USDC", "0.05", "0.002", "0.004", "0.0015", "0.0025");

    @Test
    void shouldMatchTheReferenceBook()
    {
        final Long configuredSeed = Long.getLong(SEED_PROP_NAME);
        final long seed = configuredSeed != null ? configuredSeed : new SplittableRandom().nextLong();
        final int ops = Integer.getInteger(OPS_PROP_NAME, OPS_DEFAULT);
        System.out.println(
            "OrderBookDifferentialTest: seed=" + seed + " ops=" + ops + " (-D" + SEED_PROP_NAME + "=" + seed +
            " replays it)");

        final long startNs = System.nanoTime();
        final Run run = new Run(seed);
        run.execute(ops);
        System.out.println("OrderBookDifferentialTest: " + run.summary() + " in " +
            (System.nanoTime() - startNs) / 1_000_000 + " ms");
    }

    /** One differential run: both books, the command generator and the comparisons. */
    static final class Run
    {
        private final long seed;
        private final SplittableRandom random;
        private final Recorder testedEvents = new Recorder();
        private final Recorder referenceEvents = new Recorder();
        private final OrderBook tested;
        private final OrderBook reference;
        private final List<Long> candidateIds = new ArrayList<>();
        private final ArrayDeque<Op> history = new ArrayDeque<>();
        private final long tick = SPEC.tickUnits();
        private final long lot = SPEC.lotUnits();
        private final long[] closedByReason = new long[OrderReason.values().length];
        private final long[] results = new long[PlaceResult.values().length];

        private int opIndex;
        private long nextOrderId = 1;
        private long now = 1_700_000_000_000_000L;
        private long midTicks = 40_000;
        private long trades;
        private int maxOpenOrders;

        Run(final long seed)
        {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.tested = new FastOrderBook(SPEC, testedEvents);
            this.reference = new ReferenceOrderBook(SPEC, referenceEvents);
        }

        void execute(final int ops)
        {
            for (opIndex = 0; opIndex < ops; opIndex++)
            {
                try
                {
                    step();
                    compareQuickState();
                    if (opIndex % FULL_CHECK_INTERVAL == 0)
                    {
                        compareFullState();
                    }
                }
                catch (final RuntimeException ex)
                {
                    throw new AssertionError(context() + "threw " + ex, ex);
                }
            }
            compareFullState();
        }

        String summary()
        {
            return "trades=" + trades + " stopTakerTrades=" + referenceEvents.stopTakerTrades +
                " maxOpenOrders=" + maxOpenOrders + " results=" + asMap(PlaceResult.values(), results) +
                " closedByReason=" + asMap(OrderReason.values(), closedByReason);
        }

        private void step()
        {
            drift();
            final int roll = random.nextInt(1000);
            final boolean crowded = reference.openOrderCount() > OPEN_ORDERS_HIGH_WATER;
            if (roll < 650 && !crowded)
            {
                place(newOrder(roll));
            }
            else if (roll < 800 || (crowded && roll < 900))
            {
                cancelOne();
            }
            else if (roll < 997)
            {
                amendOne();
            }
            else
            {
                cancelAll();
            }
            maxOpenOrders = Math.max(maxOpenOrders, reference.openOrderCount());
        }

        /** A random walk of the mid, pulled back towards the last trade so the two sides keep meeting. */
        private void drift()
        {
            final int roll = random.nextInt(100);
            if (roll < 4)
            {
                midTicks += random.nextBoolean() ? 1 : -1;
            }
            else if (roll < 5 && reference.lastTradePrice() != Order.NO_PRICE)
            {
                midTicks = reference.lastTradePrice() / tick;
            }
            midTicks = Math.max(midTicks, 100);
        }

        private Order newOrder(final int roll)
        {
            final Side side = random.nextBoolean() ? BUY : SELL;
            final Order order = new Order().reset();
            order.orderId = nextOrderId++;
            order.accountId = 1 + random.nextInt(ACCOUNT_COUNT);
            order.side = side;
            order.ts = ++now;
            order.stp = SelfTradePrevention.values()[random.nextInt(SelfTradePrevention.values().length)];

            if (roll < 330)
            {
                limit(order, TimeInForce.GTC, false);
            }
            else if (roll < 380)
            {
                limit(order, TimeInForce.GTC, true);
            }
            else if (roll < 430)
            {
                limit(order, TimeInForce.IOC, random.nextInt(10) == 0);
            }
            else if (roll < 470)
            {
                limit(order, TimeInForce.FOK, random.nextInt(10) == 0);
            }
            else if (roll < 510)
            {
                order.type = OrderType.MARKET;
                order.qty = randomQty();
            }
            else if (roll < 540)
            {
                order.type = OrderType.MARKET;
                order.side = BUY;
                order.quoteBudget = randomQuoteBudget();
            }
            else if (roll < 600)
            {
                limit(order, randomStopTif(), random.nextInt(10) == 0);
                order.type = OrderType.STOP_LIMIT;
                order.stopPrice = randomStopPrice(side);
                order.price = Math.max(tick, order.stopPrice + (random.nextInt(9) - 4) * tick);
            }
            else
            {
                order.type = OrderType.STOP_MARKET;
                order.qty = randomQty();
                order.stopPrice = randomStopPrice(side);
            }

            return order;
        }

        private void limit(final Order order, final TimeInForce tif, final boolean postOnly)
        {
            order.type = OrderType.LIMIT;
            order.price = randomPrice(order.side);
            order.qty = randomQty();
            order.tif = tif;
            order.postOnly = postOnly;
        }

        private TimeInForce randomStopTif()
        {
            final int roll = random.nextInt(10);
            return roll < 7 ? TimeInForce.GTC : roll < 9 ? TimeInForce.IOC : TimeInForce.FOK;
        }

        /** Mostly on the order's own side of the mid, sometimes through it, so some orders take and some rest. */
        private long randomPrice(final Side side)
        {
            final long offset = random.nextInt(12) - 3;
            final long ticks = side == BUY ? midTicks - offset : midTicks + offset;
            return Math.max(1, ticks) * tick;
        }

        private long randomQty()
        {
            final long lots = 2 + random.nextInt(30);
            return (random.nextInt(20) == 0 ? lots * 10 : lots) * lot;
        }

        private long randomQuoteBudget()
        {
            final long lotCost = midTicks * tick * lot;
            return lotCost * random.nextInt(60) + 1 + random.nextLong(lotCost);
        }

        /** Near the last trade price, mostly not yet reached; reached or absent gives STOP_ALREADY_TRIGGERED. */
        private long randomStopPrice(final Side side)
        {
            final long last = reference.lastTradePrice() == Order.NO_PRICE ? midTicks * tick :
                reference.lastTradePrice();
            final long distance = (random.nextInt(9) - 1) * tick;
            return Math.max(tick, side == BUY ? last + distance : last - distance);
        }

        private void place(final Order testedOrder)
        {
            final Order referenceOrder = new Order().reset().copyFrom(testedOrder);
            record(new Op(opIndex, "PLACE", OrderState.of(testedOrder), 0, 0, 0, testedOrder.ts));

            final PlaceResult testedResult = tested.place(testedOrder);
            final PlaceResult referenceResult = reference.place(referenceOrder);

            results[referenceResult.ordinal()]++;
            compare("place result", referenceResult, testedResult);
            compareOrder("placed order", referenceOrder, testedOrder);
            compareEvents();
            if (!referenceOrder.status.isTerminal() && referenceResult == PlaceResult.OK)
            {
                candidateIds.add(referenceOrder.orderId);
            }
        }

        private void cancelOne()
        {
            final long orderId = pickOpenOrderId();
            if (orderId == 0)
            {
                return;
            }
            final Order testedOrder = tested.openOrder(orderId);
            final Order referenceOrder = reference.openOrder(orderId);
            final long ts = ++now;
            record(new Op(opIndex, "CANCEL", OrderState.of(referenceOrder), orderId, 0, 0, ts));

            tested.cancel(testedOrder, ts);
            reference.cancel(referenceOrder, ts);

            compareOrder("cancelled order", referenceOrder, testedOrder);
            compareEvents();
        }

        private void amendOne()
        {
            final long orderId = pickOpenOrderId();
            if (orderId == 0)
            {
                return;
            }
            final Order testedOrder = tested.openOrder(orderId);
            final Order referenceOrder = reference.openOrder(orderId);
            final int qtyRoll = random.nextInt(10);
            final long newOpenQty = qtyRoll < 4 ? 0 : qtyRoll == 4 ? referenceOrder.openQty : randomQty();
            final int priceRoll = random.nextInt(10);
            final long newPrice = priceRoll < 4 ? Order.NO_PRICE : priceRoll == 4 ? referenceOrder.price :
                randomPrice(referenceOrder.side);
            final long ts = ++now;
            record(new Op(opIndex, "AMEND", OrderState.of(referenceOrder), orderId, newOpenQty, newPrice, ts));

            final PlaceResult testedResult = tested.amend(testedOrder, newOpenQty, newPrice, ts);
            final PlaceResult referenceResult = reference.amend(referenceOrder, newOpenQty, newPrice, ts);

            results[referenceResult.ordinal()]++;
            compare("amend result", referenceResult, testedResult);
            compareOrder("amended order", referenceOrder, testedOrder);
            compareEvents();
        }

        private void cancelAll()
        {
            final int account = 1 + random.nextInt(ACCOUNT_COUNT);
            final long ts = ++now;
            record(new Op(opIndex, "CANCELALL", null, account, 0, 0, ts));

            final int testedCount = tested.cancelAll(account, ts);
            final int referenceCount = reference.cancelAll(account, ts);

            compareLong("cancelAll count", referenceCount, testedCount);
            compareEvents();
        }

        /**
         * Picks a random id among those placed open, dropping ids that have closed since; both books must agree on
         * whether it is open.
         *
         * @return an open order id, or 0 when none is open.
         */
        private long pickOpenOrderId()
        {
            while (!candidateIds.isEmpty())
            {
                final int index = random.nextInt(candidateIds.size());
                final long orderId = candidateIds.get(index);
                final Order referenceOrder = reference.openOrder(orderId);
                final Order testedOrder = tested.openOrder(orderId);
                compare("open order " + orderId + " present", referenceOrder != null, testedOrder != null);
                if (referenceOrder != null)
                {
                    return orderId;
                }
                final int last = candidateIds.size() - 1;
                candidateIds.set(index, candidateIds.get(last));
                candidateIds.remove(last);
            }

            return 0;
        }

        private void compareEvents()
        {
            if (!referenceEvents.events.equals(testedEvents.events))
            {
                fail("events differ:\n  reference=" + referenceEvents.events + "\n  tested   =" + testedEvents.events);
            }
            for (final Object event : referenceEvents.events)
            {
                if (event instanceof Trade)
                {
                    trades++;
                }
                else
                {
                    closedByReason[((Closed)event).reason().ordinal()]++;
                }
            }
            if (testedEvents.sequenceError != null)
            {
                fail(testedEvents.sequenceError);
            }
            testedEvents.events.clear();
            referenceEvents.events.clear();
        }

        private void compareQuickState()
        {
            compareLong("lastTradePrice", reference.lastTradePrice(), tested.lastTradePrice());
            compareLong("lastFillSeq", reference.lastFillSeq(), tested.lastFillSeq());
            compareLong("openOrderCount", reference.openOrderCount(), tested.openOrderCount());
            for (final Side side : Side.values())
            {
                compareLong(side + " bestPrice", reference.bestPrice(side), tested.bestPrice(side));
                compareLong(side + " bestQty", reference.bestQty(side), tested.bestQty(side));
            }
            final long bestBid = tested.bestPrice(BUY);
            final long bestAsk = tested.bestPrice(SELL);
            if (bestBid != Order.NO_PRICE && bestAsk != Order.NO_PRICE && bestBid >= bestAsk)
            {
                fail("book crossed: bid " + bestBid + " >= ask " + bestAsk);
            }
        }

        private void compareFullState()
        {
            for (final Side side : Side.values())
            {
                final List<OrderState> referenceResting = resting(reference, side);
                compare(side + " resting orders", referenceResting, resting(tested, side));
                compare(side + " pending stops", pending(reference, side), pending(tested, side));
                final List<Level> referenceLevels = levels(reference, side);
                compare(side + " levels", referenceLevels, levels(tested, side));
                compare(side + " levels from level events", referenceLevels, testedEvents.mirror(side));
                compare(side + " levels from reference level events", referenceLevels, referenceEvents.mirror(side));
                checkInvariants(tested, side);
                checkInvariants(reference, side);
            }
            for (int account = 1; account <= ACCOUNT_COUNT; account++)
            {
                final List<OrderState> referenceOpen = new ArrayList<>();
                reference.forEachOpenOrder(account, order -> referenceOpen.add(OrderState.of(order)));
                final List<OrderState> testedOpen = new ArrayList<>();
                tested.forEachOpenOrder(account, order -> testedOpen.add(OrderState.of(order)));
                compare("open orders of account " + account, referenceOpen, testedOpen);
            }
        }

        private void checkInvariants(final OrderBook book, final Side side)
        {
            final Map<Long, long[]> sums = new TreeMap<>();
            book.forEachRestingOrder(side, order ->
            {
                if (order.qty != order.filledQty + order.openQty || order.openQty <= 0)
                {
                    fail("resting order quantities inconsistent: " + order);
                }
                if (order.status != (order.filledQty > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.NEW))
                {
                    fail("resting order status inconsistent: " + order);
                }
                final long[] sum = sums.computeIfAbsent(order.price, price -> new long[2]);
                sum[0] += order.openQty;
                sum[1]++;
            });
            book.forEachLevel(side, Integer.MAX_VALUE, (price, qty, count) ->
            {
                final long[] sum = sums.get(price);
                if (sum == null || sum[0] != qty || sum[1] != count)
                {
                    fail(side + " level " + price + " qty=" + qty + " count=" + count +
                        " is not the sum of its orders");
                }
            });
            book.forEachPendingStop(side, stop ->
            {
                final boolean reached = side == BUY ? stop.stopPrice <= book.lastTradePrice() :
                    stop.stopPrice >= book.lastTradePrice();
                if (reached || stop.status != OrderStatus.PENDING_TRIGGER || stop.openQty != stop.qty)
                {
                    fail("pending stop inconsistent at last " + book.lastTradePrice() + ": " + stop);
                }
            });
        }

        private static List<OrderState> resting(final OrderBook book, final Side side)
        {
            final List<OrderState> orders = new ArrayList<>();
            book.forEachRestingOrder(side, order -> orders.add(OrderState.of(order)));
            return orders;
        }

        private static List<OrderState> pending(final OrderBook book, final Side side)
        {
            final List<OrderState> orders = new ArrayList<>();
            book.forEachPendingStop(side, order -> orders.add(OrderState.of(order)));
            return orders;
        }

        private static List<Level> levels(final OrderBook book, final Side side)
        {
            final List<Level> levels = new ArrayList<>();
            book.forEachLevel(side, Integer.MAX_VALUE, (price, qty, count) -> levels.add(new Level(price, qty, count)));
            return levels;
        }

        private void compareOrder(final String what, final Order expected, final Order actual)
        {
            if (!OrderState.same(expected, actual))
            {
                fail(what + " differs:\n  reference=" + expected + " ts=" + expected.ts +
                    " closedTs=" + expected.closedTs +
                    "\n  tested   =" + actual + " ts=" + actual.ts + " closedTs=" + actual.closedTs);
            }
        }

        private void compareLong(final String what, final long expected, final long actual)
        {
            if (expected != actual)
            {
                fail(what + ": reference=" + expected + " tested=" + actual);
            }
        }

        private void compare(final String what, final Object expected, final Object actual)
        {
            if (!Objects.equals(expected, actual))
            {
                fail(what + " differ:\n  reference=" + expected + "\n  tested   =" + actual);
            }
        }

        private void compare(final String what, final boolean expected, final boolean actual)
        {
            if (expected != actual)
            {
                fail(what + ": reference=" + expected + " tested=" + actual);
            }
        }

        private void record(final Op op)
        {
            if (history.size() == HISTORY_LENGTH)
            {
                history.removeFirst();
            }
            history.addLast(op);
        }

        private String context()
        {
            final StringBuilder text = new StringBuilder("seed=").append(seed).append(" op=").append(opIndex)
                .append(" (replay with -D").append(SEED_PROP_NAME).append('=').append(seed).append(")\n  recent ops:");
            for (final Op op : history)
            {
                text.append("\n    ").append(op);
            }
            return text.append("\n  ").toString();
        }

        private void fail(final String message)
        {
            throw new AssertionError(context() + message);
        }

        private static <E extends Enum<E>> Map<String, Long> asMap(final E[] keys, final long[] counts)
        {
            final Map<String, Long> map = new TreeMap<>();
            for (final E key : keys)
            {
                map.put(key.name(), counts[key.ordinal()]);
            }
            return map;
        }
    }

    /** One command as generated, kept for the failure message. */
    record Op(int index, String command, OrderState order, long target, long newOpenQty, long newPrice, long ts)
    {
    }

    /** One aggregated price level. */
    record Level(long price, long qty, int orderCount)
    {
    }

    /** The reportable fields of an order at one moment. */
    record OrderState(
        long orderId, int accountId, Side side, OrderType type, long price, long stopPrice, long qty, long filledQty,
        long openQty, long quoteFilled, long quoteBudget, TimeInForce tif, boolean postOnly, SelfTradePrevention stp,
        OrderStatus status, OrderReason reason, long ts, long closedTs)
    {
        static OrderState of(final Order order)
        {
            return new OrderState(
                order.orderId, order.accountId, order.side, order.type, order.price, order.stopPrice, order.qty,
                order.filledQty, order.openQty, order.quoteFilled, order.quoteBudget, order.tif, order.postOnly,
                order.stp, order.status, order.reason, order.ts, order.closedTs);
        }

        /** Compares without allocating, since it runs for every command. */
        static boolean same(final Order a, final Order b)
        {
            return a.orderId == b.orderId && a.accountId == b.accountId && a.side == b.side && a.type == b.type &&
                a.price == b.price && a.stopPrice == b.stopPrice && a.qty == b.qty && a.filledQty == b.filledQty &&
                a.openQty == b.openQty && a.quoteFilled == b.quoteFilled && a.quoteBudget == b.quoteBudget &&
                a.tif == b.tif && a.postOnly == b.postOnly && a.stp == b.stp && a.status == b.status &&
                a.reason == b.reason && a.ts == b.ts && a.closedTs == b.closedTs;
        }
    }

    /** A trade as the listener saw it. */
    record Trade(
        long fillSeq, long takerId, long makerId, long price, long qty, long quoteQty, long takerFee, long makerFee,
        long ts)
    {
    }

    /** A closed order as the listener saw it, at the moment it closed. */
    record Closed(
        long orderId, OrderStatus status, OrderReason reason, long qty, long filledQty, long openQty, long quoteFilled,
        long price, long closedTs)
    {
    }

    /** Keeps one book's events of the current command, checks its fill sequence, and mirrors its level events. */
    static final class Recorder implements BookListener
    {
        final List<Object> events = new ArrayList<>();
        private final Map<Side, TreeMap<Long, Level>> levels = Map.of(BUY, new TreeMap<>(), SELL, new TreeMap<>());
        private long lastFillSeq;
        private String sequenceError;
        /** Trades made by triggered stops, to show the run covers them. */
        private long stopTakerTrades;

        public void onTrade(
            final long fillSeq, final Order taker, final Order maker, final long price, final long qty,
            final long quoteQty, final long takerFee, final long makerFee, final long ts)
        {
            if (fillSeq != lastFillSeq + 1 && sequenceError == null)
            {
                sequenceError = "fill sequence gap: " + lastFillSeq + " then " + fillSeq;
            }
            lastFillSeq = fillSeq;
            events.add(new Trade(fillSeq, taker.orderId, maker.orderId, price, qty, quoteQty, takerFee, makerFee, ts));
            if (taker.type.isStop())
            {
                stopTakerTrades++;
            }
        }

        public void onOrderClosed(final Order order)
        {
            events.add(new Closed(
                order.orderId, order.status, order.reason, order.qty, order.filledQty, order.openQty,
                order.quoteFilled, order.price, order.closedTs));
        }

        public void onLevelChanged(final Side side, final long price, final long qty, final int orderCount)
        {
            if (qty == 0)
            {
                levels.get(side).remove(price);
            }
            else
            {
                levels.get(side).put(price, new Level(price, qty, orderCount));
            }
        }

        /** @return the levels the events announced, best first. */
        List<Level> mirror(final Side side)
        {
            final List<Level> mirrored = new ArrayList<>(levels.get(side).values());
            if (side == BUY)
            {
                Collections.reverse(mirrored);
            }
            return mirrored;
        }
    }
}
