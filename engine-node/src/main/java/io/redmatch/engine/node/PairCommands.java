package io.redmatch.engine.node;

import io.redmatch.engine.core.InvalidFieldException;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.agrona.concurrent.UnsafeBuffer;

import static io.redmatch.engine.node.OrderRecordWriter.ascii;

/**
 * Pair administration and state inspection: {@code PAIRS}, {@code PAIR.INFO}, {@code PAIR.ADD}, {@code PAIR.HALT},
 * {@code PAIR.RESUME}, {@code DEBUG DIGEST}. Off the hot path: these may allocate.
 */
final class PairCommands
{
    private static final String[] PAIR_ADD_OPTIONS = {"TICK", "LOT", "MIN_QTY", "MAKER_FEE", "TAKER_FEE"};

    private final MatchingEngine engine;
    private final PairArgument pairArgument;

    PairCommands(final MatchingEngine engine)
    {
        this.engine = engine;
        this.pairArgument = new PairArgument(engine);
    }

    void register(final CommandTable table)
    {
        table.register("PAIRS", 1, Command.READONLY | Command.FAST, (c, r, o) -> pairs(o))
            .group(OrderCommands.GROUP).summary("Names of the pairs this node serves");
        table.register("PAIR.INFO", 2, Command.READONLY | Command.FAST, (c, r, o) -> info(r, o))
            .group(OrderCommands.GROUP).keys(1, 1, 1).summary("A pair's configuration and status").syntax("<pair>");
        table.register("PAIR.ADD", -6, Command.WRITE | Command.ADMIN, (c, r, o) -> add(r, o))
            .group(OrderCommands.GROUP).keys(1, 1, 1).summary("Adds a trading pair")
            .syntax("<pair> TICK <tick> LOT <lot> [MIN_QTY <qty>] [MAKER_FEE <rate>] [TAKER_FEE <rate>]");
        table.register("PAIR.HALT", 2, Command.WRITE | Command.ADMIN, (c, r, o) -> halt(r, o, true))
            .group(OrderCommands.GROUP).keys(1, 1, 1)
            .summary("Stops placing and amending orders on a pair; cancels still work").syntax("<pair>");
        table.register("PAIR.RESUME", 2, Command.WRITE | Command.ADMIN, (c, r, o) -> halt(r, o, false))
            .group(OrderCommands.GROUP).keys(1, 1, 1).summary("Resumes trading on a halted pair").syntax("<pair>");
        table.registerSubcommand("DEBUG", "DIGEST", 2, Command.READONLY | Command.ADMIN, (c, r, o) -> digest(o))
            .group("server")
            .summary("Hex SHA-1 of the whole matching state; equal on nodes that applied the same log");
    }

    private void pairs(final RespWriter out)
    {
        out.arrayHeader(engine.pairs().size());
        for (final PairEngine pair : engine.pairs())
        {
            out.bulk(pair.nameBytes());
        }
    }

    private void info(final RespRequest request, final RespWriter out)
    {
        final PairEngine pair = pairArgument.find(request, out);
        if (pair == null)
        {
            return;
        }
        final PairSpec spec = pair.spec();
        out.mapHeader(9);
        out.bulk("pair").bulk(pair.nameBytes());
        out.bulk("base").bulk(spec.base());
        out.bulk("quote").bulk(spec.quote());
        out.bulk("tick").bulkDecimal(spec.tickUnits(), spec.priceScale());
        out.bulk("lot").bulkDecimal(spec.lotUnits(), spec.qtyScale());
        out.bulk("min_qty").bulkDecimal(spec.minQtyUnits(), spec.qtyScale());
        out.bulk("maker_fee").bulkDecimal(spec.makerFeeRate(), PairSpec.RATE_SCALE);
        out.bulk("taker_fee").bulkDecimal(spec.takerFeeRate(), PairSpec.RATE_SCALE);
        out.bulk("status").bulk(pair.halted() ? "HALTED" : "TRADING");
    }

    private void add(final RespRequest request, final RespWriter out)
    {
        final String[] values = new String[PAIR_ADD_OPTIONS.length];
        final int argCount = request.argCount();
        if ((argCount - 2) % 2 != 0)
        {
            out.error(Replies.SYNTAX);
            return;
        }
        for (int i = 2; i < argCount; i += 2)
        {
            int option = -1;
            for (int o = 0; o < PAIR_ADD_OPTIONS.length; o++)
            {
                if (request.argEqualsIgnoreCase(i, PAIR_ADD_OPTIONS[o]))
                {
                    option = o;
                }
            }
            if (option < 0 || values[option] != null)
            {
                out.error(Replies.SYNTAX);
                return;
            }
            values[option] = request.argString(i + 1);
        }
        if (values[0] == null || values[1] == null)
        {
            out.error(Replies.SYNTAX);
            return;
        }
        try
        {
            final PairSpec spec = PairSpec.of(request.argString(1), values[0], values[1], values[2], values[3], values[4]);
            engine.addPair(spec);
            out.ok();
        }
        catch (final InvalidFieldException ex)
        {
            out.error(ex.getMessage());
        }
    }

    private void halt(final RespRequest request, final RespWriter out, final boolean halted)
    {
        final PairEngine pair = pairArgument.find(request, out);
        if (pair != null)
        {
            pair.halted(halted);
            out.ok();
        }
    }

    private void digest(final RespWriter out)
    {
        out.simpleString(engine.digest());
    }
}
