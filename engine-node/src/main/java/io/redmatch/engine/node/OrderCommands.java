package io.redmatch.engine.node;

import io.redmatch.engine.core.Order;
import io.redmatch.engine.core.OrderType;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.core.PlaceResult;
import io.redmatch.engine.core.SelfTradePrevention;
import io.redmatch.engine.core.Side;
import io.redmatch.engine.core.TimeInForce;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.agrona.concurrent.UnsafeBuffer;

import static io.redmatch.engine.node.OrderRecordWriter.ascii;

/**
 * {@code ORDER.PLACE}, {@code ORDER.CANCEL}, {@code ORDER.AMEND}, {@code ORDER.GET}, {@code ORDER.LIST} and
 * {@code ORDER.CANCELALL}. Checks run in SPEC §3's order — syntax, then {@code -NOPAIR}, then {@code -INVALID},
 * then {@code -HALTED} — and nothing changes unless all pass. A placement that repeats a retained {@code CLIENT_ID}
 * gets that order's record once its request is valid, before the checks that depend on the market's state (a stop's
 * trigger against the last trade, the halt), so a retry never reports as refused an order that was placed. No
 * allocation on the success path of an order without a client id.
 */
final class OrderCommands
{
    /** The group {@code COMMAND DOCS} files the trading commands under, also their ACL category. */
    static final String GROUP = "trading";

    private static final byte[] BUY = ascii("BUY");
    private static final byte[] SELL = ascii("SELL");
    private static final byte[] ACCOUNT = ascii("ACCOUNT");
    private static final byte[] QTY = ascii("QTY");
    private static final byte[] PRICE = ascii("PRICE");
    private static final byte[] CLIENT_ID = ascii("CLIENT_ID");
    /** The options of {@code ORDER.PLACE} after the side; the codes below are their indexes. */
    static final KeywordTable PLACE_KEYWORDS = new KeywordTable(
        "ACCOUNT", "QTY", "QUOTE_QTY", "PRICE", "STOP", "TIF", "POST_ONLY", "CLIENT_ID", "STP");
    private static final int KEYWORD_ACCOUNT = 0;
    private static final int KEYWORD_QTY = 1;
    private static final int KEYWORD_QUOTE_QTY = 2;
    private static final int KEYWORD_PRICE = 3;
    private static final int KEYWORD_STOP = 4;
    private static final int KEYWORD_TIF = 5;
    private static final int KEYWORD_POST_ONLY = 6;
    private static final int KEYWORD_CLIENT_ID = 7;
    private static final int KEYWORD_STP = 8;
    private static final byte[][] TIF_NAMES = {ascii("GTC"), ascii("IOC"), ascii("FOK")};
    private static final TimeInForce[] TIF_VALUES = {TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK};
    private static final SelfTradePrevention[] STP_VALUES = SelfTradePrevention.values();
    private static final byte[][] STP_NAMES = new byte[STP_VALUES.length][];

    static
    {
        for (final SelfTradePrevention mode : STP_VALUES)
        {
            STP_NAMES[mode.ordinal()] = ascii(mode.name());
        }
    }

    private final MatchingEngine engine;
    private final PairArgument pairArgument;
    private final Sequencer sequencer;
    private final OrderRecordWriter records;
    private final DecimalArgs decimals = new DecimalArgs();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer secondView = new UnsafeBuffer(new byte[0]);
    /** The pair found by the last {@link #accountRequest}. */
    private PairEngine accountPair;

    OrderCommands(final MatchingEngine engine, final Sequencer sequencer, final OrderRecordWriter records)
    {
        this.engine = engine;
        this.pairArgument = new PairArgument(engine);
        this.sequencer = sequencer;
        this.records = records;
    }

    void register(final CommandTable table)
    {
        table.register("ORDER.PLACE", -7, Command.WRITE, (c, r, o) -> place(r, o))
            .group(GROUP).keys(1, 1, 1).summary("Places an order; returns its record with the fills it made")
            .syntax("<pair> <BUY|SELL> ACCOUNT <account> (QTY <qty> | QUOTE_QTY <amount>) [PRICE <price>] " +
                "[STOP <trigger>] [TIF <GTC|IOC|FOK>] [POST_ONLY] [CLIENT_ID <cid>] " +
                "[STP <NONE|CANCEL_TAKER|CANCEL_MAKER|CANCEL_BOTH>]");
        table.register("ORDER.CANCEL", -3, Command.WRITE, (c, r, o) -> cancel(r, o))
            .group(GROUP).keys(1, 1, 1).summary("Cancels an open order; returns its record")
            .syntax("<pair> (<order_id> | CLIENT_ID <account> <cid>)");
        table.register("ORDER.AMEND", -5, Command.WRITE, (c, r, o) -> amend(r, o))
            .group(GROUP).keys(1, 1, 1).summary("Changes an open order's quantity and/or price; returns its record")
            .syntax("<pair> <order_id> [QTY <open_qty>] [PRICE <price>]");
        table.register("ORDER.GET", -3, Command.READONLY | Command.FAST, (c, r, o) -> get(r, o))
            .group(GROUP).keys(1, 1, 1).summary("Returns an order's record, or nil")
            .syntax("<pair> (<order_id> | CLIENT_ID <account> <cid>)");
        table.register("ORDER.LIST", 4, Command.READONLY, (c, r, o) -> list(r, o))
            .group(GROUP).keys(1, 1, 1).summary("Returns the open orders of an account, oldest first")
            .syntax("<pair> ACCOUNT <account>");
        table.register("ORDER.CANCELALL", 4, Command.WRITE, (c, r, o) -> cancelAll(r, o))
            .group(GROUP).keys(1, 1, 1).summary("Cancels every open order of an account on a pair; returns how many")
            .syntax("<pair> ACCOUNT <account>");
    }

    private void place(final RespRequest request, final RespWriter out)
    {
        final int argCount = request.argCount();
        int accountArg = -1;
        int qtyArg = -1;
        int quoteQtyArg = -1;
        int priceArg = -1;
        int stopArg = -1;
        int tifArg = -1;
        int clientIdArg = -1;
        int stpArg = -1;
        boolean postOnly = false;
        for (int i = 3; i < argCount; i++)
        {
            final int keyword = PLACE_KEYWORDS.find(request, i);
            if (keyword == KEYWORD_POST_ONLY && !postOnly)
            {
                postOnly = true;
                continue;
            }
            if (i + 1 >= argCount)
            {
                out.error(Replies.SYNTAX);
                return;
            }
            // a keyword given twice is a syntax error, like an unknown one
            if (keyword == KEYWORD_ACCOUNT && accountArg < 0)
            {
                accountArg = ++i;
            }
            else if (keyword == KEYWORD_QTY && qtyArg < 0)
            {
                qtyArg = ++i;
            }
            else if (keyword == KEYWORD_PRICE && priceArg < 0)
            {
                priceArg = ++i;
            }
            else if (keyword == KEYWORD_QUOTE_QTY && quoteQtyArg < 0)
            {
                quoteQtyArg = ++i;
            }
            else if (keyword == KEYWORD_STOP && stopArg < 0)
            {
                stopArg = ++i;
            }
            else if (keyword == KEYWORD_TIF && tifArg < 0)
            {
                tifArg = ++i;
            }
            else if (keyword == KEYWORD_CLIENT_ID && clientIdArg < 0)
            {
                clientIdArg = ++i;
            }
            else if (keyword == KEYWORD_STP && stpArg < 0)
            {
                stpArg = ++i;
            }
            else
            {
                out.error(Replies.SYNTAX);
                return;
            }
        }
        if (accountArg < 0 || (qtyArg < 0) == (quoteQtyArg < 0))
        {
            out.error(Replies.SYNTAX);
            return;
        }

        final PairEngine pair = pairArgument.find(request, out);
        if (pair == null)
        {
            return;
        }
        final PairSpec spec = pair.spec();
        final Side side;
        if (request.argEqualsIgnoreCase(2, BUY))
        {
            side = Side.BUY;
        }
        else if (request.argEqualsIgnoreCase(2, SELL))
        {
            side = Side.SELL;
        }
        else
        {
            out.error(Replies.INVALID_SIDE);
            return;
        }
        final UnsafeBuffer bytes = request.bytes();
        final int accountOffset = request.argOffset(accountArg);
        final int accountLength = request.argLength(accountArg);
        if (!AccountRegistry.isValidName(bytes, accountOffset, accountLength))
        {
            out.error(Replies.INVALID_ACCOUNT);
            return;
        }
        long qty = 0;
        long quoteBudget = 0;
        if (qtyArg >= 0)
        {
            qty = decimals.parseMultiple(request, qtyArg, spec.qtyScale(), spec.lotUnits(), "QTY", out);
            if (qty == DecimalArgs.REFUSED || !checkMinQty(spec, qty, out))
            {
                return;
            }
        }
        else
        {
            if (side != Side.BUY || priceArg >= 0 || stopArg >= 0)
            {
                out.error(Replies.INVALID_QUOTE_QTY_SIDE);
                return;
            }
            quoteBudget = decimals.parseMultiple(request, quoteQtyArg, spec.notionalScale(), 1, "QUOTE_QTY", out);
            if (quoteBudget == DecimalArgs.REFUSED)
            {
                return;
            }
        }
        long price = Order.NO_PRICE;
        if (priceArg >= 0)
        {
            price = decimals.parseMultiple(request, priceArg, spec.priceScale(), spec.tickUnits(), "PRICE", out);
            if (price == DecimalArgs.REFUSED)
            {
                return;
            }
            if (!spec.orderInRange(price, qty))
            {
                out.error(Replies.INVALID_QTY_NOTIONAL);
                return;
            }
        }
        long stopPrice = Order.NO_PRICE;
        if (stopArg >= 0)
        {
            stopPrice = decimals.parseMultiple(request, stopArg, spec.priceScale(), spec.tickUnits(), "STOP", out);
            if (stopPrice == DecimalArgs.REFUSED)
            {
                return;
            }
            if (price == Order.NO_PRICE && !spec.orderInRange(stopPrice, qty))
            {
                out.error(Replies.INVALID_QTY_NOTIONAL);
                return;
            }
        }
        TimeInForce tif = TimeInForce.GTC;
        if (tifArg >= 0)
        {
            if (price == Order.NO_PRICE)
            {
                out.error(Replies.INVALID_TIF_MARKET);
                return;
            }
            final int index = indexOf(request, tifArg, TIF_NAMES);
            if (index < 0)
            {
                out.error(Replies.INVALID_TIF);
                return;
            }
            tif = TIF_VALUES[index];
        }
        if (postOnly && (price == Order.NO_PRICE || tif != TimeInForce.GTC))
        {
            out.error(Replies.INVALID_POST_ONLY);
            return;
        }
        SelfTradePrevention stp = SelfTradePrevention.CANCEL_TAKER;
        if (stpArg >= 0)
        {
            final int index = indexOf(request, stpArg, STP_NAMES);
            if (index < 0)
            {
                out.error(Replies.INVALID_STP);
                return;
            }
            stp = STP_VALUES[index];
        }
        int clientIdOffset = 0;
        int clientIdLength = 0;
        if (clientIdArg >= 0)
        {
            clientIdOffset = request.argOffset(clientIdArg);
            clientIdLength = request.argLength(clientIdArg);
            if (!AccountRegistry.isValidName(bytes, clientIdOffset, clientIdLength))
            {
                out.error(Replies.INVALID_CLIENT_ID);
                return;
            }
        }

        final long ts = sequencer.engineTime();
        pair.beginCommand(ts);
        try
        {
            // a retry gets its order's record even when the market has since moved past its stop or halted
            if (clientIdArg >= 0)
            {
                final Order existing = pair.findByClientId(
                    engine.accounts().find(bytes, accountOffset, accountLength), bytes, clientIdOffset, clientIdLength);
                if (existing != null)
                {
                    records.write(out, pair, existing, false);
                    return;
                }
            }
            if (isRefusedByMarketState(pair, side, stopPrice, out))
            {
                return;
            }
            final int accountId = engine.accounts().intern(bytes, accountOffset, accountLength);
            final Order order = engine.pool().acquire();
            order.orderId = engine.nextOrderId();
            order.accountId = accountId;
            order.side = side;
            order.type = stopPrice != Order.NO_PRICE ?
                (price != Order.NO_PRICE ? OrderType.STOP_LIMIT : OrderType.STOP_MARKET) :
                (price != Order.NO_PRICE ? OrderType.LIMIT : OrderType.MARKET);
            order.price = price;
            order.stopPrice = stopPrice;
            order.qty = qty;
            order.quoteBudget = quoteBudget;
            order.tif = tif;
            order.postOnly = postOnly;
            order.stp = stp;
            order.ts = ts;
            if (clientIdArg >= 0)
            {
                order.clientId = bytes.getStringWithoutLengthAscii(clientIdOffset, clientIdLength);
            }
            pair.place(order);
            records.write(out, pair, order, true);
        }
        finally
        {
            pair.endCommand();
        }
    }

    /** The checks that depend on the pair's state rather than the request: a stop's trigger, then the halt. */
    private static boolean isRefusedByMarketState(
        final PairEngine pair, final Side side, final long stopPrice, final RespWriter out)
    {
        if (stopPrice != Order.NO_PRICE)
        {
            final long last = pair.book().lastTradePrice();
            if (last == Order.NO_PRICE)
            {
                out.error(Replies.INVALID_STOP_NO_TRADE);
                return true;
            }
            if (side == Side.BUY ? stopPrice <= last : stopPrice >= last)
            {
                out.error(Replies.INVALID_STOP_REACHED);
                return true;
            }
        }
        if (pair.halted())
        {
            out.error(Replies.HALTED);
            return true;
        }
        return false;
    }

    private static boolean checkMinQty(final PairSpec spec, final long qty, final RespWriter out)
    {
        if (qty < spec.minQtyUnits())
        {
            out.error("INVALID QTY: below the minimum " +
                io.redmatch.engine.core.Decimal.toString(spec.minQtyUnits(), spec.qtyScale()));
            return false;
        }
        return true;
    }

    private static int indexOf(final RespRequest request, final int arg, final byte[][] names)
    {
        for (int i = 0; i < names.length; i++)
        {
            if (request.argEqualsIgnoreCase(arg, names[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Finds the order named by {@code <order_id>} or {@code CLIENT_ID <account> <cid>} at argument 2, for
     * cancel and get.
     *
     * @return the order or null; {@code refused[0]} is set when an error reply was written.
     */
    private Order lookup(final RespRequest request, final PairEngine pair, final RespWriter out, final boolean[] refused)
    {
        refused[0] = false;
        if (request.argCount() == 5 && request.argEqualsIgnoreCase(2, CLIENT_ID))
        {
            request.wrapArg(3, view);
            if (!AccountRegistry.isValidName(view, 0, view.capacity()))
            {
                out.error(Replies.INVALID_ACCOUNT);
                refused[0] = true;
                return null;
            }
            request.wrapArg(4, secondView);
            if (!AccountRegistry.isValidName(secondView, 0, secondView.capacity()))
            {
                out.error(Replies.INVALID_CLIENT_ID);
                refused[0] = true;
                return null;
            }
            final int accountId = engine.accounts().find(view, 0, view.capacity());
            return pair.findByClientId(accountId, secondView, 0, secondView.capacity());
        }
        final long orderId = request.argLong(2, -1);
        if (orderId <= 0)
        {
            out.error(Replies.INVALID_ORDER_ID);
            refused[0] = true;
            return null;
        }
        return pair.find(orderId);
    }

    private final boolean[] refused = new boolean[1];

    private boolean lookupSyntaxOk(final RespRequest request)
    {
        final int argCount = request.argCount();
        return argCount == 3 || (argCount == 5 && request.argEqualsIgnoreCase(2, CLIENT_ID));
    }

    private void cancel(final RespRequest request, final RespWriter out)
    {
        if (!lookupSyntaxOk(request))
        {
            out.error(Replies.SYNTAX);
            return;
        }
        final PairEngine pair = pairArgument.find(request, out);
        if (pair == null)
        {
            return;
        }
        final Order found = lookup(request, pair, out, refused);
        if (refused[0])
        {
            return;
        }
        if (found == null || found.status.isTerminal())
        {
            out.error(Replies.NOORDER);
            return;
        }
        pair.beginCommand(sequencer.engineTime());
        try
        {
            pair.cancel(found.orderId);
            records.write(out, pair, found, false);
        }
        finally
        {
            pair.endCommand();
        }
    }

    private void get(final RespRequest request, final RespWriter out)
    {
        if (!lookupSyntaxOk(request))
        {
            out.error(Replies.SYNTAX);
            return;
        }
        final PairEngine pair = pairArgument.find(request, out);
        if (pair == null)
        {
            return;
        }
        final Order found = lookup(request, pair, out, refused);
        if (refused[0])
        {
            return;
        }
        if (found == null || pair.isExpired(found, Math.max(sequencer.engineTime(), Sequencer.systemMicros())))
        {
            out.nilArray();
        }
        else
        {
            records.write(out, pair, found, false);
        }
    }

    private void amend(final RespRequest request, final RespWriter out)
    {
        final int argCount = request.argCount();
        int qtyArg = -1;
        int priceArg = -1;
        for (int i = 3; i < argCount; i += 2)
        {
            if (i + 1 >= argCount)
            {
                out.error(Replies.SYNTAX);
                return;
            }
            if (request.argEqualsIgnoreCase(i, QTY) && qtyArg < 0)
            {
                qtyArg = i + 1;
            }
            else if (request.argEqualsIgnoreCase(i, PRICE) && priceArg < 0)
            {
                priceArg = i + 1;
            }
            else
            {
                out.error(Replies.SYNTAX);
                return;
            }
        }
        final PairEngine pair = pairArgument.find(request, out);
        if (pair == null)
        {
            return;
        }
        final PairSpec spec = pair.spec();
        final long orderId = request.argLong(2, -1);
        if (orderId <= 0)
        {
            out.error(Replies.INVALID_ORDER_ID);
            return;
        }
        long newOpenQty = 0;
        if (qtyArg >= 0)
        {
            newOpenQty = decimals.parseMultiple(request, qtyArg, spec.qtyScale(), spec.lotUnits(), "QTY", out);
            if (newOpenQty == DecimalArgs.REFUSED || !checkMinQty(spec, newOpenQty, out))
            {
                return;
            }
        }
        long newPrice = Order.NO_PRICE;
        if (priceArg >= 0)
        {
            newPrice = decimals.parseMultiple(request, priceArg, spec.priceScale(), spec.tickUnits(), "PRICE", out);
            if (newPrice == DecimalArgs.REFUSED)
            {
                return;
            }
        }
        final Order order = pair.book().openOrder(orderId);
        if (order == null)
        {
            out.error(Replies.NOORDER);
            return;
        }
        if (!spec.orderInRange(
            newPrice == Order.NO_PRICE ? order.price : newPrice, newOpenQty == 0 ? order.openQty : newOpenQty))
        {
            out.error(Replies.INVALID_QTY_NOTIONAL);
            return;
        }
        if (pair.halted())
        {
            out.error(Replies.HALTED);
            return;
        }
        pair.beginCommand(sequencer.engineTime());
        try
        {
            final PlaceResult result = pair.amend(order, newOpenQty, newPrice);
            switch (result)
            {
                case OK:
                    records.write(out, pair, order, true);
                    break;
                case POST_ONLY_WOULD_TAKE:
                    out.error(Replies.INVALID_PRICE_WOULD_TAKE);
                    break;
                case NOT_AMENDABLE:
                    out.error(Replies.INVALID_ORDER_STOP);
                    break;
                default:
                    out.error(Replies.NOORDER);
                    break;
            }
        }
        finally
        {
            pair.endCommand();
        }
    }

    /** Marks a refused {@code <pair> ACCOUNT <id>} request, whose error reply is written. */
    private static final int REFUSED_ACCOUNT = -2;

    /**
     * Checks {@code <cmd> <pair> ACCOUNT <id>} in SPEC's order (syntax, pair, account) and finds the pair and account.
     *
     * @return the account id, -1 for a valid account never seen (no orders), or {@link #REFUSED_ACCOUNT} after writing
     * the error; the pair is in {@link #accountPair}.
     */
    private int accountRequest(final RespRequest request, final RespWriter out)
    {
        accountPair = null;
        if (!request.argEqualsIgnoreCase(2, ACCOUNT))
        {
            out.error(Replies.SYNTAX);
            return REFUSED_ACCOUNT;
        }
        final PairEngine pair = pairArgument.find(request, out);
        if (pair == null)
        {
            return REFUSED_ACCOUNT;
        }
        request.wrapArg(3, view);
        if (!AccountRegistry.isValidName(view, 0, view.capacity()))
        {
            out.error(Replies.INVALID_ACCOUNT);
            return REFUSED_ACCOUNT;
        }
        accountPair = pair;
        return engine.accounts().find(view, 0, view.capacity());
    }

    private void list(final RespRequest request, final RespWriter out)
    {
        final int accountId = accountRequest(request, out);
        if (accountId == REFUSED_ACCOUNT)
        {
            return;
        }
        if (accountId < 0)
        {
            out.arrayHeader(0);
            return;
        }
        final PairEngine pair = accountPair;
        final int[] count = {0};
        pair.book().forEachOpenOrder(accountId, order -> count[0]++);
        out.arrayHeader(count[0]);
        pair.book().forEachOpenOrder(accountId, order -> records.write(out, pair, order, false));
    }

    private void cancelAll(final RespRequest request, final RespWriter out)
    {
        final int accountId = accountRequest(request, out);
        if (accountId == REFUSED_ACCOUNT)
        {
            return;
        }
        if (accountId < 0)
        {
            out.integer(0);
            return;
        }
        final PairEngine pair = accountPair;
        pair.beginCommand(sequencer.engineTime());
        try
        {
            out.integer(pair.cancelAll(accountId));
        }
        finally
        {
            pair.endCommand();
        }
    }
}
