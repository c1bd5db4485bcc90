package io.redmatch.engine.node;

import io.redmatch.engine.core.BookListener;
import io.redmatch.engine.core.FastOrderBook;
import io.redmatch.engine.core.Order;
import io.redmatch.engine.core.OrderBook;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.core.OrderStatus;
import io.redmatch.engine.core.PlaceResult;
import io.redmatch.engine.core.Side;
import io.redmatch.engine.snapshot.SnapshotFormatException;
import io.redmatch.engine.snapshot.SnapshotReader;
import io.redmatch.engine.snapshot.SnapshotWriter;
import io.redmatch.engine.stream.FillStream;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Everything a node keeps for one pair around its {@link OrderBook}: client-id idempotency, closed orders kept
 * readable for the retention, the fill stream, 24 h ticker statistics, the book sequence and the changes that
 * market-data subscribers receive. Confined to the matching thread; every mutation happens inside
 * {@link #beginCommand(long)} … {@link #endCommand()}.
 */
public final class PairEngine implements BookListener
{
    private final int index;
    private final PairSpec spec;
    private final byte[] nameBytes;
    private final OrderBook book;
    private final OrderPool pool;
    private final FillStream fills;
    private final MarketDataListener marketData;
    private final TickerStats ticker = new TickerStats();
    private final AsciiKeyIndex clientIds = new AsciiKeyIndex(1024);
    private final UnsafeBuffer clientIdKey = new UnsafeBuffer(new byte[4 + AccountRegistry.MAX_NAME_LENGTH]);
    private final ClosedOrders closedOrders = new ClosedOrders();
    private final Order closedView = new Order().reset();
    private Order[] closedThisCommand = new Order[16];
    private int closedThisCommandCount;
    private final long closedRetentionMicros;
    private final int maxClosedOrders;
    private boolean halted;
    private long bookSeq;
    private boolean levelsChanged;
    private long commandTs;
    private boolean deferFillCommit;

    private Order replyOrder;
    private int replyFillCount;
    private long[] replyFillSeq = new long[16];
    private long[] replyFillPrice = new long[16];
    private long[] replyFillQty = new long[16];

    public PairEngine(
        final int index,
        final PairSpec spec,
        final OrderPool pool,
        final FillStream fills,
        final MarketDataListener marketData,
        final long closedRetentionMicros,
        final int maxClosedOrders)
    {
        this.index = index;
        this.spec = spec;
        this.nameBytes = spec.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.pool = pool;
        this.fills = fills;
        this.marketData = marketData;
        this.closedRetentionMicros = closedRetentionMicros;
        this.maxClosedOrders = maxClosedOrders;
        this.book = new FastOrderBook(spec, this);
    }

    /** @return the pair's position among the node's pairs, in the order they were added. */
    public int index()
    {
        return index;
    }

    /** @return engine time of the current (or last) state-changing command on this pair. */
    public long lastCommandTs()
    {
        return commandTs;
    }

    public PairSpec spec()
    {
        return spec;
    }

    /** @return the pair's name as ASCII bytes; callers must not change them. */
    public byte[] nameBytes()
    {
        return nameBytes;
    }

    public OrderBook book()
    {
        return book;
    }

    public FillStream fills()
    {
        return fills;
    }

    public boolean halted()
    {
        return halted;
    }

    public void halted(final boolean halted)
    {
        this.halted = halted;
    }

    /** @return how many closed orders are retained. */
    public int closedOrderCount()
    {
        return closedOrders.size();
    }

    /** Sequence of visible book changes: increments once per command that changed any price level. */
    public long bookSeq()
    {
        return bookSeq;
    }

    /** Starts a state-changing command at engine time {@code ts}: expires closed orders past the retention. */
    public void beginCommand(final long ts)
    {
        commandTs = ts;
        replyOrder = null;
        replyFillCount = 0;
        levelsChanged = false;
        marketData.onCommandStart(this);
        expireClosed(ts);
    }

    /**
     * Sets when fills become readable: at the end of each command (no durable log), or only once the command log is
     * durable, by {@link #commitFills()}.
     *
     * @param deferFillCommit true to leave committing to {@link #commitFills()}.
     */
    public void deferFillCommit(final boolean deferFillCommit)
    {
        this.deferFillCommit = deferFillCommit;
    }

    /** Moves the fill stream's commit watermark to the last fill: every command so far is durable. */
    public void commitFills()
    {
        fills.commit(book.lastFillSeq());
    }

    /** Ends the command: commits its fills (unless they wait for the log) and lets market data publish. */
    public void endCommand()
    {
        if (levelsChanged)
        {
            bookSeq++;
        }
        if (!deferFillCommit)
        {
            fills.commit(book.lastFillSeq());
        }
        marketData.onCommandEnd(this, levelsChanged);
        for (int i = 0; i < closedThisCommandCount; i++)
        {
            pool.release(closedThisCommand[i]);
            closedThisCommand[i] = null;
        }
        closedThisCommandCount = 0;
    }

    /** Places a prepared order (id, account, fields, ts set; validated); its fills are then in the reply fields. */
    public PlaceResult place(final Order order)
    {
        replyOrder = order;
        final PlaceResult result = book.place(order);
        if (result == PlaceResult.OK && order.clientId != null)
        {
            clientIds.put(clientIdKeyBytes(order), order.orderId);
        }
        return result;
    }

    /** Cancels an open order; @return it, or null when it is not open. */
    public Order cancel(final long orderId)
    {
        final Order order = book.openOrder(orderId);
        if (order != null)
        {
            replyOrder = order;
            book.cancel(order, commandTs);
        }
        return order;
    }

    public PlaceResult amend(final Order order, final long newOpenQty, final long newPrice)
    {
        replyOrder = order;
        return book.amend(order, newOpenQty, newPrice, commandTs);
    }

    public int cancelAll(final int accountId)
    {
        return book.cancelAll(accountId, commandTs);
    }

    /**
     * @return the open order with this id, or a view of the retained closed one (valid until the next call of a
     * find method), or null.
     */
    public Order find(final long orderId)
    {
        final Order open = book.openOrder(orderId);
        return open != null ? open : closedOrders.find(orderId, closedView);
    }

    /**
     * Whether a closed order is past the retention at {@code nowMicros}. Expiry itself happens at the next write on
     * the pair (it is state, so it follows the command log); reads use this so an idle pair does not show an order
     * longer than the retention.
     */
    public boolean isExpired(final Order order, final long nowMicros)
    {
        return order.status.isTerminal() && order.closedTs <= nowMicros - closedRetentionMicros;
    }

    /** @return the open or retained order of the account with this client id, or null. */
    public Order findByClientId(final int accountId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (accountId < 0)
        {
            return null;
        }
        clientIdKey.putInt(0, accountId);
        clientIdKey.putBytes(4, buffer, offset, length);
        final long orderId = clientIds.get(clientIdKey, 0, 4 + length);
        return orderId == AsciiKeyIndex.MISSING ? null : find(orderId);
    }

    /** Fills the command's own order made, as taker or maker, for its reply. */
    public int replyFillCount()
    {
        return replyFillCount;
    }

    public long replyFillSeq(final int index)
    {
        return replyFillSeq[index];
    }

    public long replyFillPrice(final int index)
    {
        return replyFillPrice[index];
    }

    public long replyFillQty(final int index)
    {
        return replyFillQty[index];
    }

    /** Aggregates the last 24 h of engine time up to {@code nowMicros}; read the result with the ticker getters. */
    public TickerStats ticker(final long nowMicros)
    {
        ticker.snapshot(nowMicros);
        return ticker;
    }

    public void onTrade(
        final long fillSeq, final Order taker, final Order maker, final long price, final long qty,
        final long quoteQty, final long takerFee, final long makerFee, final long ts)
    {
        // the order can also be the maker, when stops its own trades triggered hit its resting remainder
        if (taker == replyOrder || maker == replyOrder)
        {
            if (replyFillCount == replyFillSeq.length)
            {
                replyFillSeq = java.util.Arrays.copyOf(replyFillSeq, replyFillCount * 2);
                replyFillPrice = java.util.Arrays.copyOf(replyFillPrice, replyFillCount * 2);
                replyFillQty = java.util.Arrays.copyOf(replyFillQty, replyFillCount * 2);
            }
            replyFillSeq[replyFillCount] = fillSeq;
            replyFillPrice[replyFillCount] = price;
            replyFillQty[replyFillCount] = qty;
            replyFillCount++;
        }
        fills.append(
            fillSeq, price, qty, quoteQty, taker.side, taker.orderId, maker.orderId, taker.accountId, maker.accountId,
            takerFee, makerFee, ts);
        ticker.onTrade(ts, price, qty, quoteQty);
        marketData.onTrade(this, fillSeq, price, qty, quoteQty, taker.side, ts);
    }

    public void onOrderClosed(final Order order)
    {
        closedOrders.add(order);
        // the object stays valid for this command's reply; it returns to the pool when the command ends
        if (closedThisCommandCount == closedThisCommand.length)
        {
            closedThisCommand = java.util.Arrays.copyOf(closedThisCommand, closedThisCommandCount * 2);
        }
        closedThisCommand[closedThisCommandCount++] = order;
    }

    public void onLevelChanged(final Side side, final long price, final long qty, final int orderCount)
    {
        levelsChanged = true;
        marketData.onLevelChanged(this, side, price, qty, orderCount);
    }

    private void expireClosed(final long now)
    {
        final long expiredBefore = now - closedRetentionMicros;
        while (!closedOrders.isEmpty() &&
            (closedOrders.oldestClosedTs() <= expiredBefore || closedOrders.size() > maxClosedOrders))
        {
            final String clientId = closedOrders.oldestClientId();
            if (clientId != null)
            {
                clientIds.remove(
                    clientIdKeyBytes(closedOrders.oldestAccountId(), clientId), closedOrders.oldestOrderId());
            }
            closedOrders.removeOldest();
        }
    }

    private static byte[] clientIdKeyBytes(final Order order)
    {
        return clientIdKeyBytes(order.accountId, order.clientId);
    }

    private static byte[] clientIdKeyBytes(final int accountId, final String clientId)
    {
        final byte[] key = new byte[4 + clientId.length()];
        new UnsafeBuffer(key).putInt(0, accountId);
        for (int i = 0; i < clientId.length(); i++)
        {
            key[4 + i] = (byte)clientId.charAt(i);
        }
        return key;
    }

    /**
     * Writes the state of this pair for a snapshot (its spec is written by {@link MatchingEngine}): flags and
     * counters, every open order in the order its account lists it, then each side's queues in priority order as
     * order ids, closed orders, ticker, and the fill stream with its groups. Client ids are not written: they are
     * those of the open and closed orders, and are indexed again on load.
     *
     * @param out          the snapshot.
     * @param accountCount how many accounts the node has (ids 0 up).
     */
    void writeSnapshot(final SnapshotWriter out, final int accountCount)
    {
        out.putBoolean(halted).putLong(bookSeq).putLong(commandTs).putLong(book.lastTradePrice())
            .putLong(book.lastFillSeq());
        out.putInt(book.openOrderCount());
        for (int accountId = 0; accountId < accountCount; accountId++)
        {
            book.forEachOpenOrder(accountId, order -> OrderSnapshotCodec.write(out, order));
        }
        for (final Side side : SIDES)
        {
            final int countAt = out.reserveInt();
            final int[] count = new int[1];
            book.forEachRestingOrder(side, order ->
            {
                out.putLong(order.orderId);
                count[0]++;
            });
            out.patchInt(countAt, count[0]);
        }
        for (final Side side : SIDES)
        {
            final int countAt = out.reserveInt();
            final int[] count = new int[1];
            book.forEachPendingStop(side, order ->
            {
                out.putLong(order.orderId);
                count[0]++;
            });
            out.patchInt(countAt, count[0]);
        }
        closedOrders.writeSnapshot(out);
        ticker.writeSnapshot(out);
        fills.writeSnapshot(out);
    }

    /**
     * Reads what {@link #writeSnapshot} wrote into this new, empty pair.
     *
     * @param in           the snapshot, positioned after the spec.
     * @param accountCount how many accounts the node has, to check account ids.
     * @throws SnapshotFormatException when the values do not make a consistent book.
     */
    void readSnapshot(final SnapshotReader in, final int accountCount)
    {
        final FastOrderBook fastBook = (FastOrderBook)book;
        halted = in.getBoolean();
        bookSeq = in.getLong();
        commandTs = in.getLong();
        final long lastTradePrice = in.getLong();
        final long lastFillSeq = in.getLong();
        fastBook.restoreTradeState(lastTradePrice, lastFillSeq);
        final int openCount = in.getCount(OrderSnapshotCodec.MIN_LENGTH);
        for (int i = 0; i < openCount; i++)
        {
            final Order order = OrderSnapshotCodec.read(in, pool.acquire());
            if (order.accountId < 0 || order.accountId >= accountCount || order.status.isTerminal() ||
                book.openOrder(order.orderId) != null)
            {
                throw new SnapshotFormatException("open order " + order.orderId + " of " + spec.name() +
                    " is not consistent: " + order);
            }
            fastBook.restoreOpenOrder(order);
            if (order.clientId != null)
            {
                clientIds.put(clientIdKeyBytes(order), order.orderId);
            }
        }
        int queued = readQueues(in, fastBook, false);
        queued += readQueues(in, fastBook, true);
        if (queued != openCount)
        {
            throw new SnapshotFormatException(spec.name() + ": " + queued + " orders queued of " + openCount + " open");
        }
        closedOrders.readSnapshot(in);
        for (int i = 0, size = closedOrders.size(); i < size; i++)
        {
            final String clientId = closedOrders.clientIdAt(i);
            if (clientId != null)
            {
                clientIds.put(clientIdKeyBytes(closedOrders.accountIdAt(i), clientId), closedOrders.orderIdAt(i));
            }
        }
        ticker.readSnapshot(in);
        fills.readSnapshot(in, lastFillSeq);
    }

    private int readQueues(final SnapshotReader in, final FastOrderBook fastBook, final boolean stops)
    {
        int total = 0;
        for (final Side side : SIDES)
        {
            final int count = in.getCount(8);
            for (int i = 0; i < count; i++)
            {
                final Order order = book.openOrder(in.getLong());
                if (order == null || order.level != null || order.side != side ||
                    (order.status == OrderStatus.PENDING_TRIGGER) != stops)
                {
                    throw new SnapshotFormatException(spec.name() + ": a queued order is not an open order of that " +
                        (stops ? "stop" : "book") + " side (" + side + ")");
                }
                fastBook.restoreQueued(order);
            }
            total += count;
        }
        return total;
    }

    /** Feeds the whole state of this pair into the digest, in a canonical order. */
    void digest(final StateDigest digest)
    {
        digest.add(spec.name()).add(spec.tickUnits()).add(spec.priceScale()).add(spec.lotUnits())
            .add(spec.qtyScale()).add(spec.minQtyUnits()).add(spec.makerFeeRate()).add(spec.takerFeeRate())
            .add(halted).add(bookSeq).add(book.lastFillSeq()).add(book.lastTradePrice()).add(fills.committedSeq());
        for (final Side side : SIDES)
        {
            digest.add(side.ordinal());
            book.forEachRestingOrder(side, order -> digestOrder(digest, order));
            digest.add(-side.ordinal());
            book.forEachPendingStop(side, order -> digestOrder(digest, order));
        }
        closedOrders.digest(digest);
        ticker.digest(digest);
        fills.digest(digest.asStreamStateSink());
    }

    private static final Side[] SIDES = Side.values();

    private static void digestOrder(final StateDigest digest, final Order order)
    {
        digest.add(order.orderId).add(order.accountId).add(order.side.ordinal()).add(order.type.ordinal())
            .add(order.price).add(order.stopPrice).add(order.qty).add(order.filledQty).add(order.openQty)
            .add(order.quoteFilled).add(order.quoteBudget).add(order.tif.ordinal()).add(order.postOnly)
            .add(order.stp.ordinal()).add(order.status.ordinal()).add(order.reason.ordinal()).add(order.ts)
            .add(order.clientId).add(order.closedTs);
    }
}
