package io.redmatch.engine.node;

import io.redmatch.engine.core.Decimal;
import io.redmatch.engine.core.Order;
import io.redmatch.engine.core.OrderReason;
import io.redmatch.engine.core.OrderStatus;
import io.redmatch.engine.core.OrderType;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.core.Side;
import io.redmatch.engine.resp.RespWriter;

import java.nio.charset.StandardCharsets;

/**
 * Encodes an order record (SPEC §3: sixteen fields in a fixed order) as a RESP2 flat array or a RESP3 map, without
 * allocating: every field name and enum value is a complete pre-encoded bulk string ({@code $8\r\norder_id\r\n}),
 * written with one copy.
 */
final class OrderRecordWriter
{
    static final int FIELD_COUNT = 16;

    /** Extra decimals of {@code avg_price} beyond the pair's price scale; further digits are truncated. */
    static final int AVG_PRICE_EXTRA_SCALE = 8;

    private static final byte[] ORDER_ID = RespWriter.encodeBulk("order_id");
    private static final byte[] CLIENT_ID = RespWriter.encodeBulk("client_id");
    private static final byte[] ACCOUNT = RespWriter.encodeBulk("account");
    private static final byte[] PAIR = RespWriter.encodeBulk("pair");
    private static final byte[] SIDE = RespWriter.encodeBulk("side");
    private static final byte[] TYPE = RespWriter.encodeBulk("type");
    private static final byte[] PRICE = RespWriter.encodeBulk("price");
    private static final byte[] STATUS = RespWriter.encodeBulk("status");
    private static final byte[] REASON = RespWriter.encodeBulk("reason");
    private static final byte[] QTY = RespWriter.encodeBulk("qty");
    private static final byte[] FILLED_QTY = RespWriter.encodeBulk("filled_qty");
    private static final byte[] OPEN_QTY = RespWriter.encodeBulk("open_qty");
    private static final byte[] AVG_PRICE = RespWriter.encodeBulk("avg_price");
    private static final byte[] FILLS = RespWriter.encodeBulk("fills");
    private static final byte[] TS = RespWriter.encodeBulk("ts");
    private static final byte[] STOP_PRICE = RespWriter.encodeBulk("stop_price");

    private static final byte[][] SIDES = names(Side.values());
    private static final byte[][] TYPES = names(OrderType.values());
    private static final byte[][] STATUSES = names(OrderStatus.values());
    private static final byte[][] REASONS = names(OrderReason.values());

    /** {@code Long.MAX_VALUE / 10^k}: a value below it can be scaled by {@code 10^k} without overflow. */
    private static final long[] MAX_BEFORE_SCALING = new long[Decimal.MAX_SCALE + 1];

    static
    {
        for (int k = 0; k <= Decimal.MAX_SCALE; k++)
        {
            MAX_BEFORE_SCALING[k] = Long.MAX_VALUE / Decimal.pow10(k);
        }
    }

    private final AccountRegistry accounts;

    OrderRecordWriter(final AccountRegistry accounts)
    {
        this.accounts = accounts;
    }

    /**
     * Writes the record of {@code order}; with {@code withFills} the fills are the ones its pair recorded for the
     * current command, otherwise the array is empty.
     */
    void write(final RespWriter out, final PairEngine pair, final Order order, final boolean withFills)
    {
        if (out.repliesDiscarded())
        {
            // a replayed command: nobody reads its reply, and encoding it is a sixth of a replay's time
            out.nil();
            return;
        }
        final PairSpec spec = pair.spec();
        out.mapHeader(FIELD_COUNT);
        out.raw(ORDER_ID).integer(order.orderId);
        out.raw(CLIENT_ID);
        if (order.clientId == null)
        {
            out.nil();
        }
        else
        {
            out.bulk(order.clientId);
        }
        out.raw(ACCOUNT).bulk(accounts.name(order.accountId));
        out.raw(PAIR).bulk(pair.nameBytes());
        out.raw(SIDE).raw(SIDES[order.side.ordinal()]);
        out.raw(TYPE).raw(TYPES[order.type.ordinal()]);
        out.raw(PRICE);
        decimalOrNil(out, order.price, spec.priceScale());
        out.raw(STATUS).raw(STATUSES[order.status.ordinal()]);
        out.raw(REASON);
        if (order.reason == OrderReason.NONE)
        {
            out.nil();
        }
        else
        {
            out.raw(REASONS[order.reason.ordinal()]);
        }
        out.raw(QTY).bulkDecimal(order.qty, spec.qtyScale());
        out.raw(FILLED_QTY).bulkDecimal(order.filledQty, spec.qtyScale());
        out.raw(OPEN_QTY).bulkDecimal(order.openQty, spec.qtyScale());
        out.raw(AVG_PRICE);
        if (order.filledQty == 0)
        {
            out.nil();
        }
        else
        {
            averagePrice(out, order.quoteFilled, order.filledQty, spec.priceScale());
        }
        out.raw(FILLS);
        final int fillCount = withFills ? pair.replyFillCount() : 0;
        out.arrayHeader(fillCount);
        for (int i = 0; i < fillCount; i++)
        {
            out.arrayHeader(3)
                .integer(pair.replyFillSeq(i))
                .bulkDecimal(pair.replyFillPrice(i), spec.priceScale())
                .bulkDecimal(pair.replyFillQty(i), spec.qtyScale());
        }
        out.raw(TS).integer(order.ts);
        out.raw(STOP_PRICE);
        decimalOrNil(out, order.stopPrice, spec.priceScale());
    }

    private static void decimalOrNil(final RespWriter out, final long value, final int scale)
    {
        if (value == Order.NO_PRICE)
        {
            out.nil();
        }
        else
        {
            out.bulkDecimal(value, scale);
        }
    }

    /**
     * Writes {@code avg_price}: {@code quoteFilled / filledQty} with up to {@link #AVG_PRICE_EXTRA_SCALE} decimals
     * beyond the price scale, as many as fit a long, truncated. When {@code quoteFilled * 10^extra} fits a long (any
     * realistic order), that is one division; otherwise the extra decimals are reduced until the result fits and
     * come from a digit-by-digit division.
     */
    static void averagePrice(
        final RespWriter out, final long quoteFilled, final long filledQty, final int priceScale)
    {
        int extraScale = Math.min(AVG_PRICE_EXTRA_SCALE, Decimal.MAX_SCALE - priceScale);
        if (quoteFilled < MAX_BEFORE_SCALING[extraScale])
        {
            out.bulkDecimal(quoteFilled * Decimal.pow10(extraScale) / filledQty, priceScale + extraScale);
            return;
        }
        while (extraScale > 0 && quoteFilled / filledQty >= MAX_BEFORE_SCALING[extraScale])
        {
            extraScale--;
        }
        out.bulkDecimal(averagePrice(quoteFilled, filledQty, extraScale), priceScale + extraScale);
    }

    /**
     * {@code quoteFilled / filledQty} in units of the price scale plus {@code extraScale} decimals, truncated, by
     * long division digit by digit; the caller picks {@code extraScale} so the result fits.
     */
    static long averagePrice(final long quoteFilled, final long filledQty, final int extraScale)
    {
        long value = quoteFilled / filledQty;
        long remainder = quoteFilled % filledQty;
        for (int i = 0; i < extraScale; i++)
        {
            // remainder < filledQty; a quantity above Long.MAX_VALUE / 10 units cannot be placed (notional bound)
            final long scaled = remainder * 10;
            value = value * 10 + scaled / filledQty;
            remainder = scaled % filledQty;
        }
        return value;
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[][] names(final Enum<?>[] values)
    {
        final byte[][] names = new byte[values.length][];
        for (final Enum<?> value : values)
        {
            names[value.ordinal()] = RespWriter.encodeBulk(value.name());
        }
        return names;
    }
}
