package io.redmatch.engine.node;

import io.redmatch.engine.core.Order;
import io.redmatch.engine.core.OrderReason;
import io.redmatch.engine.core.OrderStatus;
import io.redmatch.engine.core.OrderType;
import io.redmatch.engine.core.SelfTradePrevention;
import io.redmatch.engine.core.Side;
import io.redmatch.engine.core.TimeInForce;
import io.redmatch.engine.snapshot.SnapshotFormatException;
import io.redmatch.engine.snapshot.SnapshotReader;
import io.redmatch.engine.snapshot.SnapshotWriter;

/**
 * An order's fields in a snapshot: the enums packed in one long (the layout {@link ClosedOrders} keeps too), the
 * amounts and times as longs, the client id as a length-prefixed string. 101 bytes plus the client id.
 */
final class OrderSnapshotCodec
{
    /** Fewest bytes an order takes, to check counts read back. */
    static final int MIN_LENGTH = 8 + 4 + 8 * 10 + 4;

    private static final OrderType[] TYPES = OrderType.values();
    private static final OrderStatus[] STATUSES = OrderStatus.values();
    private static final OrderReason[] REASONS = OrderReason.values();
    private static final TimeInForce[] TIFS = TimeInForce.values();
    private static final SelfTradePrevention[] STPS = SelfTradePrevention.values();

    private OrderSnapshotCodec()
    {
    }

    static long packFlags(final Order order)
    {
        return order.side.ordinal() | order.type.ordinal() << 2 | order.tif.ordinal() << 4 |
            (order.postOnly ? 1L : 0L) << 6 | (long)order.stp.ordinal() << 7 | (long)order.status.ordinal() << 9 |
            (long)order.reason.ordinal() << 12;
    }

    static void unpackFlags(final long packed, final Order into)
    {
        into.side = Side.get((int)(packed & 0x3));
        into.type = TYPES[(int)(packed >>> 2 & 0x3)];
        into.tif = TIFS[(int)(packed >>> 4 & 0x3)];
        into.postOnly = (packed >>> 6 & 0x1) != 0;
        into.stp = STPS[(int)(packed >>> 7 & 0x3)];
        into.status = STATUSES[(int)(packed >>> 9 & 0x7)];
        into.reason = REASONS[(int)(packed >>> 12 & 0x7)];
    }

    /** Checks a packed flags value read from a snapshot before it is unpacked. */
    static void checkFlags(final long packed)
    {
        if ((packed & 0x3) >= Side.values().length || (packed >>> 2 & 0x3) >= TYPES.length ||
            (packed >>> 4 & 0x3) >= TIFS.length || (packed >>> 7 & 0x3) >= STPS.length ||
            (packed >>> 9 & 0x7) >= STATUSES.length || (packed >>> 12 & 0x7) >= REASONS.length ||
            (packed >>> 15) != 0)
        {
            throw new SnapshotFormatException("order flags out of range: " + Long.toHexString(packed));
        }
    }

    static void write(final SnapshotWriter out, final Order order)
    {
        out.putLong(order.orderId).putInt(order.accountId).putLong(packFlags(order))
            .putLong(order.price).putLong(order.stopPrice).putLong(order.qty).putLong(order.filledQty)
            .putLong(order.openQty).putLong(order.quoteFilled).putLong(order.quoteBudget).putLong(order.ts)
            .putLong(order.closedTs).putAscii(order.clientId);
    }

    static Order read(final SnapshotReader in, final Order into)
    {
        into.reset();
        into.orderId = in.getLong();
        into.accountId = in.getInt();
        final long flags = in.getLong();
        checkFlags(flags);
        unpackFlags(flags, into);
        into.price = in.getLong();
        into.stopPrice = in.getLong();
        into.qty = in.getLong();
        into.filledQty = in.getLong();
        into.openQty = in.getLong();
        into.quoteFilled = in.getLong();
        into.quoteBudget = in.getLong();
        into.ts = in.getLong();
        into.closedTs = in.getLong();
        into.clientId = in.getAscii();
        return into;
    }
}
