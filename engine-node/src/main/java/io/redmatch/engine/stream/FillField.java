package io.redmatch.engine.stream;

import java.nio.charset.StandardCharsets;

/**
 * The fields of a fill entry, in the order they are read back, with their names as stream field names. Indices are
 * what {@link FillStream#formatField(long, int, org.agrona.MutableDirectBuffer, int)} takes.
 */
public final class FillField
{
    /** The pair's fill sequence, from 1; also the entry ID {@code <seq>-0}. */
    public static final int SEQ = 0;
    /** The pair name. */
    public static final int PAIR = 1;
    /** Trade price, the maker's. */
    public static final int PRICE = 2;
    /** Traded base quantity. */
    public static final int QTY = 3;
    /** {@code price × qty} in the quote asset. */
    public static final int QUOTE_QTY = 4;
    /** {@code BUY} or {@code SELL}. */
    public static final int TAKER_SIDE = 5;
    /** Order id of the taker. */
    public static final int TAKER_ORDER_ID = 6;
    /** Order id of the maker. */
    public static final int MAKER_ORDER_ID = 7;
    /** Account name of the taker. */
    public static final int TAKER_ACCOUNT = 8;
    /** Account name of the maker. */
    public static final int MAKER_ACCOUNT = 9;
    /** Taker's fee in the asset the taker receives. */
    public static final int TAKER_FEE = 10;
    /** Maker's fee in the asset the maker receives. */
    public static final int MAKER_FEE = 11;
    /** Engine time of the trade, microseconds since the epoch. */
    public static final int TS = 12;

    /** Number of fields of an entry. */
    public static final int COUNT = 13;

    private static final byte[][] NAMES =
    {
        ascii("seq"),
        ascii("pair"),
        ascii("price"),
        ascii("qty"),
        ascii("quote_qty"),
        ascii("taker_side"),
        ascii("taker_order_id"),
        ascii("maker_order_id"),
        ascii("taker_account"),
        ascii("maker_account"),
        ascii("taker_fee"),
        ascii("maker_fee"),
        ascii("ts"),
    };

    static final byte[] BUY = ascii("BUY");
    static final byte[] SELL = ascii("SELL");

    private FillField()
    {
    }

    /**
     * The name of a field as it appears in an entry.
     *
     * @param field one of the field indices.
     * @return its name, ASCII; the caller must not change the array.
     */
    public static byte[] name(final int field)
    {
        return NAMES[field];
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
