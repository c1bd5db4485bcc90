package io.redmatch.engine.node;

import io.redmatch.engine.core.Order;
import io.redmatch.engine.core.RecentIdIndex;
import io.redmatch.engine.snapshot.SnapshotReader;
import io.redmatch.engine.snapshot.SnapshotWriter;

/**
 * Closed orders of one pair kept readable for the retention, in close order, as columns of primitive arrays in a
 * ring: a closed order costs no object, so the pooled {@link Order} goes back to the pool at once and a million
 * retained orders are a handful of arrays the garbage collector never has to trace.
 */
final class ClosedOrders
{
    private static final int INITIAL_CAPACITY = 1024;

    private final RecentIdIndex seqByOrderId = new RecentIdIndex(-1);
    private int capacity;
    private long[] orderId;
    private int[] accountId;
    private long[] flags;
    private long[] price;
    private long[] stopPrice;
    private long[] qty;
    private long[] filledQty;
    private long[] quoteFilled;
    private long[] quoteBudget;
    private long[] ts;
    private long[] closedTs;
    private String[] clientId;
    /** Sequence number of the oldest entry; entries are numbered in close order. */
    private long headSeq;
    /** Sequence number the next entry gets. */
    private long tailSeq;

    ClosedOrders()
    {
        allocate(INITIAL_CAPACITY);
    }

    private void allocate(final int newCapacity)
    {
        capacity = newCapacity;
        orderId = new long[newCapacity];
        accountId = new int[newCapacity];
        flags = new long[newCapacity];
        price = new long[newCapacity];
        stopPrice = new long[newCapacity];
        qty = new long[newCapacity];
        filledQty = new long[newCapacity];
        quoteFilled = new long[newCapacity];
        quoteBudget = new long[newCapacity];
        ts = new long[newCapacity];
        closedTs = new long[newCapacity];
        clientId = new String[newCapacity];
    }

    int size()
    {
        return (int)(tailSeq - headSeq);
    }

    private int slot(final long seq)
    {
        return (int)(seq & (capacity - 1));
    }

    /** Copies a just-closed order in; the caller may recycle the object afterwards. */
    void add(final Order order)
    {
        if (size() == capacity)
        {
            grow();
        }
        final long seq = tailSeq++;
        final int slot = slot(seq);
        orderId[slot] = order.orderId;
        accountId[slot] = order.accountId;
        flags[slot] = OrderSnapshotCodec.packFlags(order);
        price[slot] = order.price;
        stopPrice[slot] = order.stopPrice;
        qty[slot] = order.qty;
        filledQty[slot] = order.filledQty;
        quoteFilled[slot] = order.quoteFilled;
        quoteBudget[slot] = order.quoteBudget;
        ts[slot] = order.ts;
        closedTs[slot] = order.closedTs;
        clientId[slot] = order.clientId;
        seqByOrderId.put(order.orderId, seq);
    }

    private void grow()
    {
        final long[] oldOrderId = orderId;
        final int[] oldAccountId = accountId;
        final long[] oldFlags = flags;
        final long[] oldPrice = price;
        final long[] oldStopPrice = stopPrice;
        final long[] oldQty = qty;
        final long[] oldFilledQty = filledQty;
        final long[] oldQuoteFilled = quoteFilled;
        final long[] oldQuoteBudget = quoteBudget;
        final long[] oldTs = ts;
        final long[] oldClosedTs = closedTs;
        final String[] oldClientId = clientId;
        final int oldMask = capacity - 1;
        allocate(capacity * 2);
        for (long seq = headSeq; seq < tailSeq; seq++)
        {
            final int from = (int)(seq & oldMask);
            final int to = slot(seq);
            orderId[to] = oldOrderId[from];
            accountId[to] = oldAccountId[from];
            flags[to] = oldFlags[from];
            price[to] = oldPrice[from];
            stopPrice[to] = oldStopPrice[from];
            qty[to] = oldQty[from];
            filledQty[to] = oldFilledQty[from];
            quoteFilled[to] = oldQuoteFilled[from];
            quoteBudget[to] = oldQuoteBudget[from];
            ts[to] = oldTs[from];
            closedTs[to] = oldClosedTs[from];
            clientId[to] = oldClientId[from];
        }
    }

    /** @return true when there is an oldest entry; see {@link #oldestClosedTs()}. */
    boolean isEmpty()
    {
        return tailSeq == headSeq;
    }

    long oldestClosedTs()
    {
        return closedTs[slot(headSeq)];
    }

    long oldestOrderId()
    {
        return orderId[slot(headSeq)];
    }

    int oldestAccountId()
    {
        return accountId[slot(headSeq)];
    }

    String oldestClientId()
    {
        return clientId[slot(headSeq)];
    }

    /** Drops the oldest entry. */
    void removeOldest()
    {
        final int slot = slot(headSeq);
        seqByOrderId.remove(orderId[slot]);
        clientId[slot] = null;
        headSeq++;
    }

    /**
     * Copies a retained order into {@code into}.
     *
     * @return {@code into}, or null when the order is not retained.
     */
    Order find(final long id, final Order into)
    {
        final long seq = seqByOrderId.get(id);
        return seq < 0 ? null : read(seq, into);
    }

    private Order read(final long seq, final Order into)
    {
        final int slot = slot(seq);
        final long packed = flags[slot];
        into.reset();
        into.orderId = orderId[slot];
        into.accountId = accountId[slot];
        OrderSnapshotCodec.unpackFlags(packed, into);
        into.price = price[slot];
        into.stopPrice = stopPrice[slot];
        into.qty = qty[slot];
        into.filledQty = filledQty[slot];
        into.openQty = 0;
        into.quoteFilled = quoteFilled[slot];
        into.quoteBudget = quoteBudget[slot];
        into.ts = ts[slot];
        into.closedTs = closedTs[slot];
        into.clientId = clientId[slot];
        return into;
    }

    /** Writes every retained order, oldest first, for a snapshot. */
    void writeSnapshot(final SnapshotWriter out)
    {
        out.putInt(size());
        for (long seq = headSeq; seq < tailSeq; seq++)
        {
            final int slot = slot(seq);
            out.putLong(orderId[slot]).putInt(accountId[slot]).putLong(flags[slot]).putLong(price[slot])
                .putLong(stopPrice[slot]).putLong(qty[slot]).putLong(filledQty[slot]).putLong(quoteFilled[slot])
                .putLong(quoteBudget[slot]).putLong(ts[slot]).putLong(closedTs[slot]).putAscii(clientId[slot]);
        }
    }

    /** Reads the retained orders of a snapshot into this empty instance, in the order they were written. */
    void readSnapshot(final SnapshotReader in)
    {
        if (!isEmpty())
        {
            throw new IllegalStateException("closed orders restored over existing ones");
        }
        final int count = in.getCount(OrderSnapshotCodec.MIN_LENGTH - 8);
        for (int i = 0; i < count; i++)
        {
            if (size() == capacity)
            {
                grow();
            }
            final long seq = tailSeq++;
            final int slot = slot(seq);
            orderId[slot] = in.getLong();
            accountId[slot] = in.getInt();
            flags[slot] = in.getLong();
            OrderSnapshotCodec.checkFlags(flags[slot]);
            price[slot] = in.getLong();
            stopPrice[slot] = in.getLong();
            qty[slot] = in.getLong();
            filledQty[slot] = in.getLong();
            quoteFilled[slot] = in.getLong();
            quoteBudget[slot] = in.getLong();
            ts[slot] = in.getLong();
            closedTs[slot] = in.getLong();
            clientId[slot] = in.getAscii();
            seqByOrderId.put(orderId[slot], seq);
        }
    }

    /** @return the order id of the retained order at {@code index} from the oldest. */
    long orderIdAt(final int index)
    {
        return orderId[slot(headSeq + index)];
    }

    /** @return the account id of the retained order at {@code index} from the oldest. */
    int accountIdAt(final int index)
    {
        return accountId[slot(headSeq + index)];
    }

    /** @return the client id (or null) of the retained order at {@code index} from the oldest. */
    String clientIdAt(final int index)
    {
        return clientId[slot(headSeq + index)];
    }

    /** Feeds every retained order, oldest first, into the digest. */
    void digest(final StateDigest digest)
    {
        digest.add(size());
        for (long seq = headSeq; seq < tailSeq; seq++)
        {
            final int slot = slot(seq);
            digest.add(orderId[slot]).add(accountId[slot]).add(flags[slot]).add(price[slot]).add(stopPrice[slot])
                .add(qty[slot]).add(filledQty[slot]).add(quoteFilled[slot]).add(quoteBudget[slot]).add(ts[slot])
                .add(closedTs[slot]).add(clientId[slot]);
        }
    }
}
