package io.redmatch.engine.stream;

import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.core.Side;
import io.redmatch.engine.resp.RespWriter;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes fill entries as Redis writes stream entries: {@code [id, [field, value, ...]]}, an array in RESP2 and RESP3
 * alike, every value a bulk string. Entry IDs are {@code <seq>-0}. Straight into the reply buffer, no allocation.
 */
final class FillEntryWriter
{
    private static final byte[] ZERO_ID = { '0', '-', '0' };

    private final UnsafeBuffer idScratch = new UnsafeBuffer(new byte[24]);
    private final UnsafeBuffer numberScratch = new UnsafeBuffer(new byte[24]);

    /**
     * Writes the ID {@code <seq>-0} as a bulk string; sequence 0 gives {@code 0-0}, Redis's "no entry".
     *
     * @param out the reply.
     * @param seq the fill sequence.
     */
    void id(final RespWriter out, final long seq)
    {
        if (seq == 0)
        {
            out.bulk(ZERO_ID);
            return;
        }
        final int length = idScratch.putLongAscii(0, seq);
        idScratch.putByte(length, (byte)'-');
        idScratch.putByte(length + 1, (byte)'0');
        out.bulk(idScratch, 0, length + 2);
    }

    /**
     * Writes a number as a bulk string of its digits, as stream fields and {@code XPENDING} counts are.
     *
     * @param out   the reply.
     * @param value the number.
     */
    void number(final RespWriter out, final long value)
    {
        final int length = numberScratch.putLongAscii(0, value);
        out.bulk(numberScratch, 0, length);
    }

    /**
     * Writes one entry.
     *
     * @param out    the reply.
     * @param stream the stream holding it.
     * @param seq    an entry the stream holds.
     */
    void entry(final RespWriter out, final FillStream stream, final long seq)
    {
        final PairSpec spec = stream.spec();
        final Side takerSide = stream.takerSide(seq);
        out.arrayHeader(2);
        id(out, seq);
        out.arrayHeader(FillField.COUNT * 2);
        out.bulk(FillField.name(FillField.SEQ));
        number(out, seq);
        out.bulk(FillField.name(FillField.PAIR)).bulk(stream.pairName());
        out.bulk(FillField.name(FillField.PRICE)).bulkDecimal(stream.price(seq), spec.priceScale());
        out.bulk(FillField.name(FillField.QTY)).bulkDecimal(stream.qty(seq), spec.qtyScale());
        out.bulk(FillField.name(FillField.QUOTE_QTY)).bulkDecimal(stream.quoteQty(seq), spec.notionalScale());
        out.bulk(FillField.name(FillField.TAKER_SIDE)).bulk(takerSide == Side.BUY ? FillField.BUY : FillField.SELL);
        out.bulk(FillField.name(FillField.TAKER_ORDER_ID));
        number(out, stream.takerOrderId(seq));
        out.bulk(FillField.name(FillField.MAKER_ORDER_ID));
        number(out, stream.makerOrderId(seq));
        out.bulk(FillField.name(FillField.TAKER_ACCOUNT)).bulk(stream.accountName(stream.takerAccountId(seq)));
        out.bulk(FillField.name(FillField.MAKER_ACCOUNT)).bulk(stream.accountName(stream.makerAccountId(seq)));
        out.bulk(FillField.name(FillField.TAKER_FEE)).bulkDecimal(stream.takerFee(seq), stream.takerFeeScale(seq));
        out.bulk(FillField.name(FillField.MAKER_FEE)).bulkDecimal(stream.makerFee(seq), stream.makerFeeScale(seq));
        out.bulk(FillField.name(FillField.TS));
        number(out, stream.ts(seq));
    }

    /**
     * Writes an array of consecutive entries.
     *
     * @param out     the reply.
     * @param stream  the stream holding them.
     * @param first   the lowest sequence.
     * @param count   how many, from {@code first} up.
     * @param reverse true to write them from the highest down, as {@code XREVRANGE} does.
     */
    void entries(
        final RespWriter out, final FillStream stream, final long first, final long count, final boolean reverse)
    {
        out.arrayHeader((int)count);
        if (reverse)
        {
            for (long seq = first + count - 1; seq >= first; seq--)
            {
                entry(out, stream, seq);
            }
        }
        else
        {
            for (long seq = first, end = first + count; seq < end; seq++)
            {
                entry(out, stream, seq);
            }
        }
    }

    /**
     * Starts a reply of several streams' entries, as {@code XREAD} and {@code XREADGROUP} give it: an array of
     * {@code [key, entries]} pairs in RESP2, a map keyed by stream in RESP3.
     *
     * @param out     the reply.
     * @param streams how many streams follow.
     */
    static void streamsHeader(final RespWriter out, final int streams)
    {
        if (out.isResp3())
        {
            out.mapHeader(streams);
        }
        else
        {
            out.arrayHeader(streams);
        }
    }

    /**
     * Starts one stream of a {@link #streamsHeader} reply; its entries array follows.
     *
     * @param out the reply.
     * @param key the stream's key.
     */
    static void streamHeader(final RespWriter out, final byte[] key)
    {
        if (!out.isResp3())
        {
            out.arrayHeader(2);
        }
        out.bulk(key);
    }
}
