package io.redmatch.clearing.fill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fill entries as the engine writes them, for tests. */
public final class TestFills
{
    private TestFills()
    {
    }

    /**
     * @param pair      the pair.
     * @param seq       the sequence.
     * @param takerSide BUY or SELL.
     * @param taker     the taker's account.
     * @param maker     the maker's account.
     * @return the fields of a well-formed fill: price 30000.5, qty 0.2, fees 0.0004 (base) and 6.0001 (quote).
     */
    public static Map<String, String> fields(
        final String pair, final long seq, final String takerSide, final String taker, final String maker)
    {
        final boolean takerBuys = "BUY".equals(takerSide);
        final Map<String, String> fields = new LinkedHashMap<>();
        fields.put("seq", String.valueOf(seq));
        fields.put("pair", pair);
        fields.put("price", "30000.5");
        fields.put("qty", "0.2");
        fields.put("quote_qty", "6000.1");
        fields.put("taker_side", takerSide);
        fields.put("taker_order_id", String.valueOf(100 + seq));
        fields.put("maker_order_id", String.valueOf(200 + seq));
        fields.put("taker_account", taker);
        fields.put("maker_account", maker);
        fields.put("taker_fee", takerBuys ? "0.0004" : "6.0001");
        fields.put("maker_fee", takerBuys ? "6.0001" : "0.0004");
        fields.put("ts", String.valueOf(1_795_306_980_000_000L + seq));
        return fields;
    }

    /**
     * @param fields field → value.
     * @return the flat list.
     */
    public static List<String> flat(final Map<String, String> fields)
    {
        final List<String> flat = new ArrayList<>();
        fields.forEach((name, value) ->
        {
            flat.add(name);
            flat.add(value);
        });
        return flat;
    }
}
