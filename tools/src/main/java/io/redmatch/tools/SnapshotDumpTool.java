package io.redmatch.tools;

import io.redmatch.engine.core.Decimal;
import io.redmatch.engine.core.Order;
import io.redmatch.engine.core.OrderBook;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.core.Side;
import io.redmatch.engine.node.MarketDataListener;
import io.redmatch.engine.node.MatchingEngine;
import io.redmatch.engine.node.PairEngine;
import io.redmatch.engine.snapshot.SnapshotFile;
import io.redmatch.engine.snapshot.SnapshotFormatException;
import io.redmatch.engine.snapshot.SnapshotSection;
import io.redmatch.engine.stream.ConsumerGroup;
import io.redmatch.engine.stream.FillStream;
import io.redmatch.engine.stream.FillStreamRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * Prints a snapshot file: its header, its sections, and what it holds, per pair (open orders, price levels, pending
 * stops, closed orders, fills held, consumer groups), optionally every open order. The file is verified and loaded
 * with the node's own code, so a file this tool prints is one a node can start from.
 */
@Command(
    name = "snapshot-dump",
    mixinStandardHelpOptions = true,
    description = "Prints a snapshot file: header, sections, counts; --orders adds every open order.")
public final class SnapshotDumpTool implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "<file>", description = "A snapshot file (data dir/snapshots/*.rms).")
    private Path file;

    @Option(names = "--orders", description = "Print every open order, in priority order per side.")
    private boolean orders;

    private final PrintStream out;

    /** A tool printing to standard output. */
    public SnapshotDumpTool()
    {
        this(System.out);
    }

    SnapshotDumpTool(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public Integer call()
    {
        final SnapshotFile.Loaded snapshot;
        try
        {
            snapshot = SnapshotFile.read(file);
        }
        catch (final SnapshotFormatException ex)
        {
            System.err.println("snapshot-dump: " + file + " is not a valid snapshot: " + ex.getMessage());
            return 3;
        }
        catch (final IOException ex)
        {
            System.err.println("snapshot-dump: cannot read " + file + ": " + ex);
            return 1;
        }
        printHeader(snapshot);
        final MatchingEngine engine = new MatchingEngine(new FillStreamRegistry(), MarketDataListener.NONE,
            MatchingEngine.CLOSED_RETENTION_MICROS_DEFAULT, Integer.MAX_VALUE);
        try
        {
            engine.readSnapshot(snapshot.reader());
        }
        catch (final SnapshotFormatException ex)
        {
            System.err.println("snapshot-dump: " + file + " cannot be loaded: " + ex.getMessage());
            return 3;
        }
        out.println("last_order_id: " + engine.lastOrderId());
        out.println("accounts: " + engine.accounts().size());
        out.println("pairs: " + engine.pairs().size());
        for (final PairEngine pair : engine.pairs())
        {
            printPair(engine, pair);
        }
        out.flush();
        return 0;
    }

    private void printHeader(final SnapshotFile.Loaded snapshot)
    {
        final SnapshotFile.Header header = snapshot.header();
        out.println("file: " + snapshot.file());
        out.println("format_version: " + header.formatVersion());
        out.println("size_bytes: " + snapshot.bytes().length);
        out.println("log_seq: " + header.logSeq());
        out.println("log_position: " + header.logPosition());
        out.println("engine_time: " + header.engineTime() + " " + micros(header.engineTime()));
        out.println("epoch: " + header.epoch());
        out.println("created: " + Instant.ofEpochMilli(header.createdMillis()));
        out.println("sections: " + header.sectionCount());
        for (final SnapshotFile.Section section : snapshot.sections())
        {
            out.println("  " + SnapshotSection.name(section.type()) + " offset=" + section.offset() + " length=" +
                section.length());
        }
    }

    private void printPair(final MatchingEngine engine, final PairEngine pair)
    {
        final PairSpec spec = pair.spec();
        final OrderBook book = pair.book();
        final FillStream fills = pair.fills();
        final int[] resting = new int[2];
        final int[] stops = new int[2];
        for (final Side side : Side.values())
        {
            book.forEachRestingOrder(side, order -> resting[side.ordinal()]++);
            book.forEachPendingStop(side, order -> stops[side.ordinal()]++);
        }
        out.println("pair " + spec.name() + ":");
        out.println("  status: " + (pair.halted() ? "HALTED" : "TRADING"));
        out.println("  tick: " + Decimal.toString(spec.tickUnits(), spec.priceScale()) + " lot: " +
            Decimal.toString(spec.lotUnits(), spec.qtyScale()) + " min_qty: " +
            Decimal.toString(spec.minQtyUnits(), spec.qtyScale()) + " maker_fee: " +
            Decimal.toString(spec.makerFeeRate(), PairSpec.RATE_SCALE) + " taker_fee: " +
            Decimal.toString(spec.takerFeeRate(), PairSpec.RATE_SCALE));
        out.println("  open_orders: " + book.openOrderCount() + " (bids " + resting[0] + " in " +
            book.forEachLevel(Side.BUY, Integer.MAX_VALUE, OrderBook.LevelConsumer.COUNT_ONLY) + " levels, asks " +
            resting[1] + " in " + book.forEachLevel(Side.SELL, Integer.MAX_VALUE, OrderBook.LevelConsumer.COUNT_ONLY) +
            " levels, pending stops buy " + stops[0] + " sell " + stops[1] + ")");
        out.println("  closed_orders: " + pair.closedOrderCount());
        out.println("  book_seq: " + pair.bookSeq() + " last_fill_seq: " + book.lastFillSeq() + " last_trade_price: " +
            (book.lastTradePrice() == Order.NO_PRICE ? "none" :
            Decimal.toString(book.lastTradePrice(), spec.priceScale())));
        out.println("  fills_held: " + Math.max(0, fills.lastSeq() - fills.firstSeq() + 1) + " (seq " +
            fills.firstSeq() + ".." + fills.lastSeq() + ")");
        for (int g = 0; g < fills.groupCount(); g++)
        {
            final ConsumerGroup group = fills.group(g);
            out.println("  group " + new String(group.name(), StandardCharsets.UTF_8) + ": last_delivered " +
                group.lastDeliveredSeq() + " pending " + group.pendingCount() + " consumers " + group.consumerCount());
        }
        if (orders)
        {
            for (final Side side : Side.values())
            {
                book.forEachRestingOrder(side, order -> printOrder(engine, spec, order));
                book.forEachPendingStop(side, order -> printOrder(engine, spec, order));
            }
        }
    }

    private void printOrder(final MatchingEngine engine, final PairSpec spec, final Order order)
    {
        out.println("  order " + order.orderId + " " + new String(engine.accounts().name(order.accountId),
            StandardCharsets.US_ASCII) + " " + order.side + " " + order.type + " " + order.status +
            " price=" + price(spec, order.price) + " stop=" + price(spec, order.stopPrice) +
            " open=" + Decimal.toString(order.openQty, spec.qtyScale()) +
            " filled=" + Decimal.toString(order.filledQty, spec.qtyScale()) + " tif=" + order.tif +
            (order.postOnly ? " POST_ONLY" : "") + " stp=" + order.stp + " ts=" + order.ts +
            (order.clientId == null ? "" : " client_id=" + order.clientId));
    }

    private static String price(final PairSpec spec, final long price)
    {
        return price == Order.NO_PRICE ? "-" : Decimal.toString(price, spec.priceScale());
    }

    private static String micros(final long micros)
    {
        return Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1_000).toString();
    }
}
