package io.redmatch.clearing.fill;

import net.openhft.chronicle.algo.hashing.LongHashFunction;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a raw {@code fills:<pair>} entry (its ID and flat field/value list, as the engine sent them) into a
 * {@link Fill}, or refuses it with a {@link BadFillException} saying why. Nothing is guessed: a missing or repeated
 * field, a value that is not what docs/STREAMS.md says, an entry of another pair, or a {@code quote_qty} that is not
 * exactly {@code price × qty} are all refused.
 */
public final class FillDecoder
{
    /** The fields of a fill entry, in the order the engine writes them; the content hash covers them in this order. */
    public static final List<String> FIELDS = List.of(
        "seq", "pair", "price", "qty", "quote_qty", "taker_side", "taker_order_id", "maker_order_id",
        "taker_account", "maker_account", "taker_fee", "maker_fee", "ts");

    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern ID = Pattern.compile("([0-9]{1,19})-([0-9]{1,19})");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,19}");
    private static final LongHashFunction HASH = LongHashFunction.xx_r39();

    private FillDecoder()
    {
    }

    /**
     * Decodes one entry.
     *
     * @param pair    the pair whose stream the entry came from.
     * @param entryId the entry's ID, {@code <seq>-0}.
     * @param fields  the entry's field/value list, flat.
     * @return the fill.
     * @throws BadFillException when the entry is not a well-formed fill of this pair.
     */
    public static Fill decode(final String pair, final String entryId, final List<String> fields)
        throws BadFillException
    {
        final Fill fast = FastFillDecoder.decode(pair, entryId, fields);
        return fast != null ? fast : decodeGeneral(pair, entryId, fields);
    }

    /**
     * The reference decoding: any field order, every check with its message. {@link #decode} takes it whenever the
     * fast path ({@link FastFillDecoder}) does not accept an entry, so a refused entry always gets this message.
     *
     * @param pair    the pair whose stream the entry came from.
     * @param entryId the entry's ID.
     * @param fields  the entry's field/value list, flat.
     * @return the fill.
     * @throws BadFillException when the entry is not a well-formed fill of this pair.
     */
    static Fill decodeGeneral(final String pair, final String entryId, final List<String> fields)
        throws BadFillException
    {
        final String where = "fills:" + pair + " entry " + entryId;
        final var idMatch = entryId == null ? null : ID.matcher(entryId);
        if (idMatch == null || !idMatch.matches() || !"0".equals(idMatch.group(2)))
        {
            throw new BadFillException(where + ": the entry ID is not <seq>-0");
        }
        if (fields == null || fields.size() % 2 != 0)
        {
            throw new BadFillException(where + ": the field list is not field/value pairs");
        }
        final Map<String, String> values = new HashMap<>();
        for (int i = 0; i < fields.size(); i += 2)
        {
            final String name = fields.get(i);
            if (name == null || fields.get(i + 1) == null)
            {
                throw new BadFillException(where + ": a null field or value");
            }
            if (values.put(name, fields.get(i + 1)) != null)
            {
                throw new BadFillException(where + ": field " + name + " appears twice");
            }
        }
        for (final String field : FIELDS)
        {
            if (!values.containsKey(field))
            {
                throw new BadFillException(where + ": field " + field + " is missing");
            }
        }
        final long seq = number(values, "seq", where);
        if (seq < 1 || !idMatch.group(1).equals(values.get("seq")))
        {
            throw new BadFillException(where + ": seq " + values.get("seq") + " does not match the entry ID");
        }
        if (!pair.equals(values.get("pair")))
        {
            throw new BadFillException(where + ": the fill is of pair " + values.get("pair") + ", not " + pair);
        }
        final BigDecimal price = positive(values, "price", where);
        final BigDecimal qty = positive(values, "qty", where);
        final BigDecimal quoteQty = amount(values, "quote_qty", where);
        if (price.multiply(qty).compareTo(quoteQty) != 0)
        {
            throw new BadFillException(where + ": quote_qty " + values.get("quote_qty") + " is not price × qty = " +
                Amounts.format(price.multiply(qty)));
        }
        final String side = values.get("taker_side");
        if (!"BUY".equals(side) && !"SELL".equals(side))
        {
            throw new BadFillException(where + ": taker_side is " + side + ", not BUY or SELL");
        }
        number(values, "taker_order_id", where);
        number(values, "maker_order_id", where);
        final String takerAccount = account(values, "taker_account", where);
        final String makerAccount = account(values, "maker_account", where);
        final BigDecimal takerFee = amount(values, "taker_fee", where);
        final BigDecimal makerFee = amount(values, "maker_fee", where);
        final boolean takerBuys = "BUY".equals(side);
        // a fee is charged in the asset its side receives and cannot exceed it
        if ((takerBuys ? takerFee : makerFee).compareTo(qty) > 0 ||
            (takerBuys ? makerFee : takerFee).compareTo(quoteQty) > 0)
        {
            throw new BadFillException(where + ": a fee exceeds what its side receives");
        }
        final long ts = number(values, "ts", where);
        return new Fill(pair, seq, price, qty, quoteQty, takerBuys, takerAccount, makerAccount, takerFee, makerFee,
            ts, contentHash(values));
    }

    static long contentHash(final Map<String, String> values)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        for (final String field : FIELDS)
        {
            bytes.writeBytes(field.getBytes(StandardCharsets.UTF_8));
            bytes.write(0);
            bytes.writeBytes(values.get(field).getBytes(StandardCharsets.UTF_8));
            bytes.write(0);
        }
        return HASH.hashBytes(bytes.toByteArray());
    }

    private static long number(final Map<String, String> values, final String field, final String where)
        throws BadFillException
    {
        final String text = values.get(field);
        if (!NUMBER.matcher(text).matches())
        {
            throw new BadFillException(where + ": " + field + " is " + quoted(text) + ", not a whole number");
        }
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new BadFillException(where + ": " + field + " is out of range");
        }
    }

    private static BigDecimal amount(final Map<String, String> values, final String field, final String where)
        throws BadFillException
    {
        final BigDecimal value = Amounts.parse(values.get(field));
        if (value == null)
        {
            throw new BadFillException(where + ": " + field + " is " + quoted(values.get(field)) +
                ", not a decimal");
        }
        return value;
    }

    private static BigDecimal positive(final Map<String, String> values, final String field, final String where)
        throws BadFillException
    {
        final BigDecimal value = amount(values, field, where);
        if (value.signum() <= 0)
        {
            throw new BadFillException(where + ": " + field + " is zero");
        }
        return value;
    }

    private static String account(final Map<String, String> values, final String field, final String where)
        throws BadFillException
    {
        final String text = values.get(field);
        if (!ACCOUNT.matcher(text).matches())
        {
            throw new BadFillException(where + ": " + field + " is " + quoted(text) + ", not an account name");
        }
        return text;
    }

    private static String quoted(final String text)
    {
        return "\"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
    }
}
