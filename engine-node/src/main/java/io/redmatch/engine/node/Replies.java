package io.redmatch.engine.node;

/** Error replies of the trading commands that need no argument in their text, encoded once. */
final class Replies
{
    static final String SYNTAX = "ERR syntax error";
    static final String NOPAIR = "NOPAIR pair not served by this node";
    static final String HALTED = "HALTED pair is halted";
    static final String NOORDER = "NOORDER no such open order";

    static final String INVALID_SIDE = "INVALID SIDE: must be BUY or SELL";
    static final String INVALID_ACCOUNT = "INVALID ACCOUNT: 1 to 64 characters of A-Z a-z 0-9 _ . : -";
    static final String INVALID_CLIENT_ID = "INVALID CLIENT_ID: 1 to 64 characters of A-Z a-z 0-9 _ . : -";
    static final String INVALID_ORDER_ID = "INVALID ORDER_ID: must be a positive integer";
    static final String INVALID_TIF = "INVALID TIF: must be GTC, IOC or FOK";
    static final String INVALID_TIF_MARKET = "INVALID TIF: only limit orders (with PRICE) take a TIF";
    static final String INVALID_STP = "INVALID STP: must be NONE, CANCEL_TAKER, CANCEL_MAKER or CANCEL_BOTH";
    static final String INVALID_POST_ONLY = "INVALID POST_ONLY: only for a GTC limit order (with PRICE)";
    static final String INVALID_QUOTE_QTY_SIDE = "INVALID QUOTE_QTY: only for a market BUY (no PRICE, no STOP)";
    static final String INVALID_QTY_NOTIONAL = "INVALID QTY: price x qty is too large";
    static final String INVALID_STOP_NO_TRADE = "INVALID STOP: no trade yet, a stop cannot trigger";
    static final String INVALID_STOP_REACHED = "INVALID STOP: trigger already reached by the last trade price";
    static final String INVALID_LEVELS = "INVALID LEVELS: must be an integer from 1 to 1000";
    static final String INVALID_PRICE_WOULD_TAKE = "INVALID PRICE: would take";
    static final String INVALID_ORDER_STOP = "INVALID ORDER: a pending stop order cannot be amended; cancel it";

    private Replies()
    {
    }
}
