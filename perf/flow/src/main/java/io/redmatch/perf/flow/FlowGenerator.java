package io.redmatch.perf.flow;

/**
 * Generates a deterministic {@link OrderFlow} from a {@link FlowContext}: the same context gives the same flow, byte
 * for byte, in any JVM.
 * <p>
 * The market: a fair price drifts as a bounded random walk (a tick up or down on a quarter of the operations).
 * Resting orders are placed an exponentially distributed number of ticks away from it, never crossing the
 * opposite best. Aggressive orders (crossing GTC and IOC) lean towards the side that pulls the book back to the fair
 * price, so the book follows the drift; they are priced a few ticks through the opposite best (an IOC sometimes one
 * tick short of it, so it cancels unfilled). Cancels, moves and reduces pick an open order uniformly at random; a
 * move shifts it one to five ticks either way, which sometimes crosses and trades; a reduce takes off part of its
 * open quantity. Accounts are drawn uniformly; no self-trade prevention applies in either engine.
 */
public final class FlowGenerator
{
    private static final int DRIFT_ONE_IN = 4;
    private static final double MAX_DRIFT_FRACTION = 0.05;
    private static final int MAX_MOVE_TICKS = 5;
    private static final int MAX_THROUGH_TICKS = 4;
    private static final double AGGRESSOR_BIAS_TICKS = 20.0;
    private static final double MAX_AGGRESSOR_BIAS = 0.4;

    private static final int RESTING = 0;
    private static final int CROSSING = 1;
    private static final int IOC = 2;
    private static final int CANCEL = 3;
    private static final int MOVE = 4;
    private static final int REDUCE = 5;

    private final FlowContext context;
    private final FlowRandom random;
    private final ModelBook book = new ModelBook();
    private final int[] cumulativeWeights = new int[6];
    private final long minFairPrice;
    private final long maxFairPrice;
    private long fairPrice;
    private long nextOrderId = 1;

    private FlowGenerator(final FlowContext context)
    {
        this.context = context;
        this.random = new FlowRandom(context.seed());
        this.fairPrice = context.startPrice();
        final long maxDrift = (long)(context.startPrice() * MAX_DRIFT_FRACTION);
        this.minFairPrice = context.startPrice() - maxDrift;
        this.maxFairPrice = context.startPrice() + maxDrift;
        final int[] weights = {
            context.restingGtcWeight(), context.crossingGtcWeight(), context.iocWeight(), context.cancelWeight(),
            context.moveWeight(), context.reduceWeight() };
        int sum = 0;
        for (int i = 0; i < weights.length; i++)
        {
            sum += weights[i];
            cumulativeWeights[i] = sum;
        }
    }

    /** Generates the flow the context describes, with its expected outcome recorded. */
    public static OrderFlow generate(final FlowContext context)
    {
        context.conclude();
        return new FlowGenerator(context).run();
    }

    private OrderFlow run()
    {
        final OrderFlow flow = new OrderFlow(
            context.seed(), context.accountCount(), context.targetOpenOrders(), context.opCount());
        for (int i = 0; i < context.opCount(); i++)
        {
            drift();
            switch (steer(drawKind()))
            {
                case RESTING:
                    placeResting(flow);
                    break;
                case CROSSING:
                    placeAggressive(flow, false);
                    break;
                case IOC:
                    placeAggressive(flow, true);
                    break;
                case CANCEL:
                    cancel(flow);
                    break;
                case MOVE:
                    move(flow);
                    break;
                default:
                    reduce(flow);
                    break;
            }
        }
        final FillTally tally = book.tally();
        flow.expect(tally.fills(), tally.volume(), tally.hash(), book.openOrderCount());
        return flow;
    }

    private void drift()
    {
        if (random.nextInt(DRIFT_ONE_IN) == 0)
        {
            final long next = fairPrice + (random.nextBoolean() ? 1 : -1);
            fairPrice = Math.max(minFairPrice, Math.min(maxFairPrice, next));
        }
    }

    private int drawKind()
    {
        final int draw = random.nextInt(context.totalWeight());
        int kind = 0;
        while (draw >= cumulativeWeights[kind])
        {
            kind++;
        }
        return kind;
    }

    /** Keeps the book near its target size and turns operations that need an open order into placements. */
    private int steer(final int kind)
    {
        final int open = book.openOrderCount();
        final int target = context.targetOpenOrders();
        if (kind == RESTING && open > target + target / 10)
        {
            return CANCEL;
        }
        if (kind == CANCEL && open < target - target / 10)
        {
            return RESTING;
        }
        if ((kind == CANCEL || kind == MOVE || kind == REDUCE) && open == 0)
        {
            return RESTING;
        }
        return kind;
    }

    private void placeResting(final OrderFlow flow)
    {
        final byte side = random.nextBoolean() ? OrderFlow.BUY : OrderFlow.SELL;
        final long depth = 1 + random.nextExponential(context.meanDepthTicks());
        long price;
        if (side == OrderFlow.BUY)
        {
            price = fairPrice - depth;
            final long bestAsk = book.bestAsk();
            if (bestAsk != 0)
            {
                price = Math.min(price, bestAsk - 1);
            }
        }
        else
        {
            price = fairPrice + depth;
            price = Math.max(price, book.bestBid() + 1);
        }
        place(flow, FlowOp.PLACE_GTC, side, Math.max(1, price), orderLots());
    }

    private void placeAggressive(final OrderFlow flow, final boolean immediateOrCancel)
    {
        final byte side = aggressorSide();
        final long oppositeBest = side == OrderFlow.BUY ? book.bestAsk() : book.bestBid();
        if (oppositeBest == 0)
        {
            placeResting(flow);
            return;
        }
        final int through = immediateOrCancel ? random.nextInt(MAX_THROUGH_TICKS + 2) - 1 :
            random.nextInt(MAX_THROUGH_TICKS + 1);
        final long price = side == OrderFlow.BUY ? oppositeBest + through : Math.max(1, oppositeBest - through);
        final long qty = 1 + random.nextInt(2 * context.maxOrderLots());
        place(flow, immediateOrCancel ? FlowOp.PLACE_IOC : FlowOp.PLACE_GTC, side, price, qty);
    }

    /** Buys are likelier while the book's mid is below the fair price, so the book follows the drift. */
    private byte aggressorSide()
    {
        final long bestBid = book.bestBid();
        final long bestAsk = book.bestAsk();
        double buyProbability = 0.5;
        if (bestBid != 0 && bestAsk != 0)
        {
            final double mid = (bestBid + bestAsk) / 2.0;
            final double bias = (fairPrice - mid) / AGGRESSOR_BIAS_TICKS;
            buyProbability += Math.max(-MAX_AGGRESSOR_BIAS, Math.min(MAX_AGGRESSOR_BIAS, bias));
        }
        return random.nextDouble() < buyProbability ? OrderFlow.BUY : OrderFlow.SELL;
    }

    private void place(final OrderFlow flow, final byte op, final byte side, final long price, final long qty)
    {
        final long orderId = nextOrderId++;
        final int accountId = 1 + random.nextInt(context.accountCount());
        book.place(orderId, accountId, side, price, qty, op == FlowOp.PLACE_IOC);
        flow.append(op, side, accountId, orderId, price, qty);
    }

    private void cancel(final OrderFlow flow)
    {
        final ModelBook.ModelOrder order = randomOpenOrder();
        flow.append(FlowOp.CANCEL, order.side, order.accountId, order.orderId, 0, 0);
        book.cancel(order);
    }

    private void move(final OrderFlow flow)
    {
        final ModelBook.ModelOrder order = randomOpenOrder();
        final long ticks = 1 + random.nextInt(MAX_MOVE_TICKS);
        long newPrice = random.nextBoolean() ? order.price + ticks : order.price - ticks;
        if (newPrice < 1)
        {
            newPrice = order.price + ticks;
        }
        flow.append(FlowOp.MOVE, order.side, order.accountId, order.orderId, newPrice, 0);
        book.move(order, newPrice);
    }

    private void reduce(final OrderFlow flow)
    {
        final ModelBook.ModelOrder order = randomOpenOrder();
        if (order.openQty < 2)
        {
            move(flow);
            return;
        }
        final long reduceBy = 1 + random.nextInt((int)Math.min(Integer.MAX_VALUE, order.openQty - 1));
        flow.append(FlowOp.REDUCE, order.side, order.accountId, order.orderId, 0, reduceBy);
        book.reduce(order, reduceBy);
    }

    private ModelBook.ModelOrder randomOpenOrder()
    {
        return book.openOrderAt(random.nextInt(book.openOrderCount()));
    }

    private long orderLots()
    {
        return 1 + random.nextInt(context.maxOrderLots());
    }
}
