package io.redmatch.engine.node;

import io.redmatch.engine.core.Decimal;
import io.redmatch.engine.core.Order;
import io.redmatch.engine.core.OrderBook;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.core.Side;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2LongHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Publishes each command's market data to Pub/Sub as compact JSON, after the command: {@code trades:<pair>} (one
 * message per fill, public fields only), {@code depth:<pair>} (the levels the command changed, with the book
 * sequence; a quantity of {@code "0"} removes a level) and {@code bbo:<pair>} (when the best bid or offer changed).
 * Work is done only for channels that have subscribers. See {@code docs/PROTOCOL.md} for the payloads.
 */
final class MarketDataPublisher implements MarketDataListener
{
    private final PubSub pubSub;
    private final List<Channels> channels = new ArrayList<>();
    private final ExpandableArrayBuffer trades = new ExpandableArrayBuffer(1024);
    private int[] tradeOffsets = new int[64];
    private int tradeCount;
    private int tradesLength;
    private final ExpandableArrayBuffer message = new ExpandableArrayBuffer(1024);
    private final Long2LongHashMap changedLevelSlots = new Long2LongHashMap(-1);
    private long[] changedPrice = new long[64];
    private long[] changedQty = new long[64];
    private int[] changedCount = new int[64];
    private boolean[] changedBid = new boolean[64];
    private int changes;
    private boolean tradesWanted;
    private boolean depthWanted;
    private boolean bboWanted;
    private long bidBefore;
    private long bidQtyBefore;
    private long askBefore;
    private long askQtyBefore;
    private long commandTs;

    private static final class Channels
    {
        final String trades;
        final String depth;
        final String bbo;

        Channels(final String pair)
        {
            trades = "trades:" + pair;
            depth = "depth:" + pair;
            bbo = "bbo:" + pair;
        }
    }

    MarketDataPublisher(final PubSub pubSub)
    {
        this.pubSub = pubSub;
    }

    private Channels channels(final PairEngine pair)
    {
        while (channels.size() <= pair.index())
        {
            channels.add(null);
        }
        Channels result = channels.get(pair.index());
        if (result == null)
        {
            result = new Channels(pair.spec().name());
            channels.set(pair.index(), result);
        }
        return result;
    }

    public void onCommandStart(final PairEngine pair)
    {
        final Channels names = channels(pair);
        tradesWanted = pubSub.hasSubscribers(names.trades);
        depthWanted = pubSub.hasSubscribers(names.depth);
        bboWanted = pubSub.hasSubscribers(names.bbo);
        tradeCount = 0;
        tradesLength = 0;
        changes = 0;
        changedLevelSlots.clear();
        if (bboWanted)
        {
            final OrderBook book = pair.book();
            bidBefore = book.bestPrice(Side.BUY);
            bidQtyBefore = book.bestQty(Side.BUY);
            askBefore = book.bestPrice(Side.SELL);
            askQtyBefore = book.bestQty(Side.SELL);
        }
    }

    public void onTrade(
        final PairEngine pair, final long fillSeq, final long price, final long qty, final long quoteQty,
        final Side takerSide, final long ts)
    {
        commandTs = ts;
        if (!tradesWanted)
        {
            return;
        }
        final PairSpec spec = pair.spec();
        final ExpandableArrayBuffer out = trades;
        int at = tradesLength;
        if (tradeCount == tradeOffsets.length)
        {
            tradeOffsets = java.util.Arrays.copyOf(tradeOffsets, tradeCount * 2);
        }
        tradeOffsets[tradeCount++] = at;
        at += out.putStringWithoutLengthAscii(at, "{\"seq\":");
        at += out.putLongAscii(at, fillSeq);
        at += out.putStringWithoutLengthAscii(at, ",\"pair\":\"");
        at += out.putStringWithoutLengthAscii(at, spec.name());
        at += out.putStringWithoutLengthAscii(at, "\",\"price\":");
        at = decimal(out, at, price, spec.priceScale());
        at += out.putStringWithoutLengthAscii(at, ",\"qty\":");
        at = decimal(out, at, qty, spec.qtyScale());
        at += out.putStringWithoutLengthAscii(at, ",\"quote_qty\":");
        at = decimal(out, at, quoteQty, spec.notionalScale());
        at += out.putStringWithoutLengthAscii(at, takerSide == Side.BUY ? ",\"taker_side\":\"BUY\"" :
            ",\"taker_side\":\"SELL\"");
        at += out.putStringWithoutLengthAscii(at, ",\"ts\":");
        at += out.putLongAscii(at, ts);
        out.putByte(at++, (byte)'}');
        tradesLength = at;
    }

    public void onLevelChanged(
        final PairEngine pair, final Side side, final long price, final long qty, final int orderCount)
    {
        if (!depthWanted)
        {
            return;
        }
        final long key = side == Side.BUY ? price : -price;
        long slot = changedLevelSlots.get(key);
        if (slot < 0)
        {
            if (changes == changedPrice.length)
            {
                final int capacity = changes * 2;
                changedPrice = java.util.Arrays.copyOf(changedPrice, capacity);
                changedQty = java.util.Arrays.copyOf(changedQty, capacity);
                changedCount = java.util.Arrays.copyOf(changedCount, capacity);
                changedBid = java.util.Arrays.copyOf(changedBid, capacity);
            }
            slot = changes++;
            changedLevelSlots.put(key, slot);
            changedPrice[(int)slot] = price;
            changedBid[(int)slot] = side == Side.BUY;
        }
        changedQty[(int)slot] = qty;
        changedCount[(int)slot] = orderCount;
    }

    public void onCommandEnd(final PairEngine pair, final boolean levelsChanged)
    {
        final Channels names = channels(pair);
        final long ts = pair.lastCommandTs();
        for (int i = 0; i < tradeCount; i++)
        {
            final int start = tradeOffsets[i];
            final int end = i + 1 < tradeCount ? tradeOffsets[i + 1] : tradesLength;
            pubSub.publish(names.trades, trades, start, end - start);
        }
        if (depthWanted && levelsChanged && changes > 0)
        {
            publishDepth(pair, names, ts);
        }
        if (bboWanted)
        {
            final OrderBook book = pair.book();
            if (book.bestPrice(Side.BUY) != bidBefore || book.bestQty(Side.BUY) != bidQtyBefore ||
                book.bestPrice(Side.SELL) != askBefore || book.bestQty(Side.SELL) != askQtyBefore)
            {
                publishBbo(pair, names, ts);
            }
        }
    }

    private void publishDepth(final PairEngine pair, final Channels names, final long ts)
    {
        final PairSpec spec = pair.spec();
        final ExpandableArrayBuffer out = message;
        int at = 0;
        at += out.putStringWithoutLengthAscii(at, "{\"pair\":\"");
        at += out.putStringWithoutLengthAscii(at, spec.name());
        at += out.putStringWithoutLengthAscii(at, "\",\"seq\":");
        at += out.putLongAscii(at, pair.bookSeq());
        at += out.putStringWithoutLengthAscii(at, ",\"bids\":[");
        at = levels(out, at, spec, true);
        at += out.putStringWithoutLengthAscii(at, "],\"asks\":[");
        at = levels(out, at, spec, false);
        at += out.putStringWithoutLengthAscii(at, "],\"ts\":");
        at += out.putLongAscii(at, ts);
        out.putByte(at++, (byte)'}');
        pubSub.publish(names.depth, out, 0, at);
    }

    private int levels(final ExpandableArrayBuffer out, final int start, final PairSpec spec, final boolean bids)
    {
        int at = start;
        boolean first = true;
        for (int i = 0; i < changes; i++)
        {
            if (changedBid[i] != bids)
            {
                continue;
            }
            if (!first)
            {
                out.putByte(at++, (byte)',');
            }
            first = false;
            out.putByte(at++, (byte)'[');
            at = decimal(out, at, changedPrice[i], spec.priceScale());
            out.putByte(at++, (byte)',');
            at = decimal(out, at, changedQty[i], spec.qtyScale());
            out.putByte(at++, (byte)',');
            at += out.putIntAscii(at, changedCount[i]);
            out.putByte(at++, (byte)']');
        }
        return at;
    }

    private void publishBbo(final PairEngine pair, final Channels names, final long ts)
    {
        final PairSpec spec = pair.spec();
        final OrderBook book = pair.book();
        final ExpandableArrayBuffer out = message;
        int at = 0;
        at += out.putStringWithoutLengthAscii(at, "{\"pair\":\"");
        at += out.putStringWithoutLengthAscii(at, spec.name());
        at += out.putStringWithoutLengthAscii(at, "\",\"seq\":");
        at += out.putLongAscii(at, pair.bookSeq());
        final long bid = book.bestPrice(Side.BUY);
        final long ask = book.bestPrice(Side.SELL);
        at += out.putStringWithoutLengthAscii(at, ",\"bid_price\":");
        at = decimalOrNull(out, at, bid, bid, spec.priceScale());
        at += out.putStringWithoutLengthAscii(at, ",\"bid_qty\":");
        at = decimalOrNull(out, at, bid, book.bestQty(Side.BUY), spec.qtyScale());
        at += out.putStringWithoutLengthAscii(at, ",\"ask_price\":");
        at = decimalOrNull(out, at, ask, ask, spec.priceScale());
        at += out.putStringWithoutLengthAscii(at, ",\"ask_qty\":");
        at = decimalOrNull(out, at, ask, book.bestQty(Side.SELL), spec.qtyScale());
        at += out.putStringWithoutLengthAscii(at, ",\"ts\":");
        at += out.putLongAscii(at, ts);
        out.putByte(at++, (byte)'}');
        pubSub.publish(names.bbo, out, 0, at);
    }

    private static int decimal(final ExpandableArrayBuffer out, final int start, final long value, final int scale)
    {
        int at = start;
        out.putByte(at++, (byte)'"');
        out.checkLimit(at + 48);
        at += Decimal.format(value, scale, out, at);
        out.putByte(at++, (byte)'"');
        return at;
    }

    private static int decimalOrNull(
        final ExpandableArrayBuffer out, final int start, final long price, final long value, final int scale)
    {
        if (price == Order.NO_PRICE)
        {
            return start + out.putStringWithoutLengthAscii(start, "null");
        }
        return decimal(out, start, value, scale);
    }
}
