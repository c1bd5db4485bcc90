package io.redmatch.engine.node;

import io.redmatch.engine.core.Order;
import io.redmatch.engine.core.OrderBook;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.core.Side;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.agrona.concurrent.UnsafeBuffer;

import static io.redmatch.engine.node.OrderRecordWriter.ascii;

/** Market data reads: {@code BOOK.DEPTH}, {@code BOOK.BBO}, {@code TICKER}. */
final class MarketCommands
{
    /** Levels per side when {@code BOOK.DEPTH} is given no count. */
    static final int DEPTH_LEVELS_DEFAULT = 20;
    /** Most levels per side one {@code BOOK.DEPTH} returns. */
    static final int DEPTH_LEVELS_MAX = 1000;

    private static final byte[] BIDS = ascii("bids");
    private static final byte[] ASKS = ascii("asks");
    private static final byte[] SEQ = ascii("seq");
    private static final byte[] BID_PRICE = ascii("bid_price");
    private static final byte[] BID_QTY = ascii("bid_qty");
    private static final byte[] ASK_PRICE = ascii("ask_price");
    private static final byte[] ASK_QTY = ascii("ask_qty");
    private static final byte[] LAST = ascii("last");
    private static final byte[] OPEN = ascii("open");
    private static final byte[] HIGH = ascii("high");
    private static final byte[] LOW = ascii("low");
    private static final byte[] VOLUME = ascii("volume");
    private static final byte[] QUOTE_VOLUME = ascii("quote_volume");
    private static final byte[] TRADES = ascii("trades");

    private final MatchingEngine engine;
    private final PairArgument pairArgument;
    private final Sequencer sequencer;
    private RespWriter levelOut;
    private PairSpec levelSpec;
    private final OrderBook.LevelConsumer levelWriter = this::writeLevel;

    MarketCommands(final MatchingEngine engine, final Sequencer sequencer)
    {
        this.engine = engine;
        this.pairArgument = new PairArgument(engine);
        this.sequencer = sequencer;
    }

    void register(final CommandTable table)
    {
        table.register("BOOK.DEPTH", -2, Command.READONLY | Command.FAST, (c, r, o) -> depth(r, o))
            .group(OrderCommands.GROUP).keys(1, 1, 1)
            .summary("Aggregated price levels of both sides, best first, with the book sequence")
            .syntax("<pair> [<levels>]");
        table.register("BOOK.BBO", 2, Command.READONLY | Command.FAST, (c, r, o) -> bbo(r, o))
            .group(OrderCommands.GROUP).keys(1, 1, 1).summary("Best bid and offer").syntax("<pair>");
        table.register("TICKER", 2, Command.READONLY | Command.FAST, (c, r, o) -> ticker(r, o))
            .group(OrderCommands.GROUP).keys(1, 1, 1).summary("Last price and 24 h statistics").syntax("<pair>");
    }

    private void depth(final RespRequest request, final RespWriter out)
    {
        if (request.argCount() > 3)
        {
            out.error(Replies.SYNTAX);
            return;
        }
        final PairEngine pair = pairArgument.find(request, out);
        if (pair == null)
        {
            return;
        }
        int levels = DEPTH_LEVELS_DEFAULT;
        if (request.argCount() == 3)
        {
            final long requested = request.argLong(2, -1);
            if (requested < 1 || requested > DEPTH_LEVELS_MAX)
            {
                out.error(Replies.INVALID_LEVELS);
                return;
            }
            levels = (int)requested;
        }
        final OrderBook book = pair.book();
        levelOut = out;
        levelSpec = pair.spec();
        out.mapHeader(3);
        out.bulk(BIDS);
        final int bidCount = book.forEachLevel(Side.BUY, levels, OrderBook.LevelConsumer.COUNT_ONLY);
        out.arrayHeader(bidCount);
        book.forEachLevel(Side.BUY, levels, levelWriter);
        out.bulk(ASKS);
        final int askCount = book.forEachLevel(Side.SELL, levels, OrderBook.LevelConsumer.COUNT_ONLY);
        out.arrayHeader(askCount);
        book.forEachLevel(Side.SELL, levels, levelWriter);
        out.bulk(SEQ).integer(pair.bookSeq());
        levelOut = null;
    }

    private void writeLevel(final long price, final long qty, final int orderCount)
    {
        levelOut.arrayHeader(3)
            .bulkDecimal(price, levelSpec.priceScale())
            .bulkDecimal(qty, levelSpec.qtyScale())
            .integer(orderCount);
    }

    private void bbo(final RespRequest request, final RespWriter out)
    {
        final PairEngine pair = pairArgument.find(request, out);
        if (pair == null)
        {
            return;
        }
        final OrderBook book = pair.book();
        final PairSpec spec = pair.spec();
        out.mapHeader(4);
        final long bid = book.bestPrice(Side.BUY);
        final long ask = book.bestPrice(Side.SELL);
        out.bulk(BID_PRICE);
        priceOrNil(out, bid, spec.priceScale());
        out.bulk(BID_QTY);
        qtyOrNil(out, bid, book.bestQty(Side.BUY), spec.qtyScale());
        out.bulk(ASK_PRICE);
        priceOrNil(out, ask, spec.priceScale());
        out.bulk(ASK_QTY);
        qtyOrNil(out, ask, book.bestQty(Side.SELL), spec.qtyScale());
    }

    private void ticker(final RespRequest request, final RespWriter out)
    {
        final PairEngine pair = pairArgument.find(request, out);
        if (pair == null)
        {
            return;
        }
        final PairSpec spec = pair.spec();
        // a read is not sequenced: the window ends now, but never before the last command's engine time
        final long now = Math.max(sequencer.engineTime(), Sequencer.systemMicros());
        final TickerStats stats = pair.ticker(now);
        final boolean traded = stats.snapshotTrades > 0;
        out.mapHeader(7);
        out.bulk(LAST);
        priceOrNil(out, pair.book().lastTradePrice(), spec.priceScale());
        out.bulk(OPEN);
        priceOrNil(out, traded ? stats.snapshotOpen : Order.NO_PRICE, spec.priceScale());
        out.bulk(HIGH);
        priceOrNil(out, traded ? stats.snapshotHigh : Order.NO_PRICE, spec.priceScale());
        out.bulk(LOW);
        priceOrNil(out, traded ? stats.snapshotLow : Order.NO_PRICE, spec.priceScale());
        out.bulk(VOLUME).bulkDecimal(stats.snapshotVolume, spec.qtyScale());
        out.bulk(QUOTE_VOLUME).bulkDecimal(stats.snapshotQuoteVolume, spec.notionalScale());
        out.bulk(TRADES).integer(stats.snapshotTrades);
    }

    private static void priceOrNil(final RespWriter out, final long price, final int scale)
    {
        if (price == Order.NO_PRICE)
        {
            out.nil();
        }
        else
        {
            out.bulkDecimal(price, scale);
        }
    }

    private static void qtyOrNil(final RespWriter out, final long price, final long qty, final int scale)
    {
        if (price == Order.NO_PRICE)
        {
            out.nil();
        }
        else
        {
            out.bulkDecimal(qty, scale);
        }
    }
}
