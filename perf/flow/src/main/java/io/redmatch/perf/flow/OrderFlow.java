package io.redmatch.perf.flow;

/**
 * A generated sequence of order operations on one pair, held as parallel primitive arrays so a replay reads it without
 * touching an object per operation, plus what a correct matching engine must produce when it applies it.
 * <p>
 * Units are the pair's: prices in ticks, quantities in lots; sides are {@link #BUY} and {@link #SELL}. Each
 * operation's fields mean:
 * <ul>
 *     <li>{@link FlowOp#PLACE_GTC}, {@link FlowOp#PLACE_IOC}: a new order {@code orderId} of {@code accountId},
 *     {@code side}, limit {@code price}, quantity {@code qty}.</li>
 *     <li>{@link FlowOp#CANCEL}: cancel resting order {@code orderId} of {@code accountId}.</li>
 *     <li>{@link FlowOp#MOVE}: move resting order {@code orderId} to {@code price} (never its current price).</li>
 *     <li>{@link FlowOp#REDUCE}: take {@code qty} off resting order {@code orderId}'s open quantity, leaving at least
 *     one lot.</li>
 * </ul>
 * Every cancel, move and reduce names an order that is open at that point, so a correct engine accepts every
 * operation. Order ids are assigned from 1 in placement order.
 */
public final class OrderFlow
{
    /** Side code of a buy (a bid). */
    public static final byte BUY = 0;
    /** Side code of a sell (an ask). */
    public static final byte SELL = 1;

    private final long seed;
    private final int accountCount;
    private final int targetOpenOrders;
    private final byte[] ops;
    private final byte[] sides;
    private final int[] accountIds;
    private final long[] orderIds;
    private final long[] prices;
    private final long[] qtys;
    private final int[] opCounts = new int[FlowOp.COUNT];
    private int size;
    private long maxPrice;
    private long expectedFills;
    private long expectedVolume;
    private long expectedFillHash;
    private int expectedOpenOrders;

    /**
     * An empty flow with room for {@code capacity} operations.
     *
     * @param seed             the generator seed it came from, for the record.
     * @param accountCount     accounts are numbered {@code 1..accountCount}.
     * @param targetOpenOrders the open-order count the generator aimed for.
     */
    public OrderFlow(final long seed, final int accountCount, final int targetOpenOrders, final int capacity)
    {
        this.seed = seed;
        this.accountCount = accountCount;
        this.targetOpenOrders = targetOpenOrders;
        this.ops = new byte[capacity];
        this.sides = new byte[capacity];
        this.accountIds = new int[capacity];
        this.orderIds = new long[capacity];
        this.prices = new long[capacity];
        this.qtys = new long[capacity];
    }

    /** Appends one operation; fields that an operation does not use are 0. */
    public void append(
        final byte op, final byte side, final int accountId, final long orderId, final long price, final long qty)
    {
        final int index = size;
        ops[index] = op;
        sides[index] = side;
        accountIds[index] = accountId;
        orderIds[index] = orderId;
        prices[index] = price;
        qtys[index] = qty;
        opCounts[op]++;
        maxPrice = Math.max(maxPrice, price);
        size = index + 1;
    }

    /** Records what a correct engine produces after applying the whole flow to an empty book. */
    public void expect(final long fills, final long volume, final long fillHash, final int openOrders)
    {
        this.expectedFills = fills;
        this.expectedVolume = volume;
        this.expectedFillHash = fillHash;
        this.expectedOpenOrders = openOrders;
    }

    public int size()
    {
        return size;
    }

    public byte op(final int index)
    {
        return ops[index];
    }

    public byte side(final int index)
    {
        return sides[index];
    }

    public int accountId(final int index)
    {
        return accountIds[index];
    }

    public long orderId(final int index)
    {
        return orderIds[index];
    }

    public long price(final int index)
    {
        return prices[index];
    }

    public long qty(final int index)
    {
        return qtys[index];
    }

    public long seed()
    {
        return seed;
    }

    public int accountCount()
    {
        return accountCount;
    }

    public int targetOpenOrders()
    {
        return targetOpenOrders;
    }

    /** @return the highest price any operation carries: a bound on every price the book will see. */
    public long maxPrice()
    {
        return maxPrice;
    }

    /** @return how many operations have the given {@link FlowOp} code. */
    public int opCount(final int op)
    {
        return opCounts[op];
    }

    public long expectedFills()
    {
        return expectedFills;
    }

    public long expectedVolume()
    {
        return expectedVolume;
    }

    public long expectedFillHash()
    {
        return expectedFillHash;
    }

    public int expectedOpenOrders()
    {
        return expectedOpenOrders;
    }

    /** @return a one-line description of the flow and its mix, for logs and reports. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder(256);
        sb.append("seed=").append(seed).append(" ops=").append(size).append(" accounts=").append(accountCount)
            .append(" target_open_orders=").append(targetOpenOrders).append(" mix:");
        for (int op = 0; op < FlowOp.COUNT; op++)
        {
            sb.append(' ').append(FlowOp.name(op)).append('=')
                .append(String.format("%.1f%%", 100.0 * opCounts[op] / Math.max(1, size)));
        }
        sb.append(" expected: fills=").append(expectedFills).append(" volume=").append(expectedVolume)
            .append(" open_orders=").append(expectedOpenOrders);
        return sb.toString();
    }
}
