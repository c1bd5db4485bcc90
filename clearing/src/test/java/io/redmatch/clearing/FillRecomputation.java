package io.redmatch.clearing;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The test's own recomputation of every balance from the engine's fill streams ({@code XRANGE} from the start),
 * written from the rules of SPEC §6 without clearing's code: the buyer gets qty base less its fee and pays quote_qty,
 * the seller gives qty base and gets quote_qty less its fee, fees (taker or maker by taker_side) go to the fee
 * account; the assets are the two halves of the pair name.
 */
final class FillRecomputation
{
    /** account → asset → balance. */
    final Map<String, Map<String, BigDecimal>> balances = new TreeMap<>();
    /** pair → last fill sequence seen. */
    final Map<String, Long> lastSeqs = new TreeMap<>();

    static FillRecomputation of(final Jedis engine, final List<String> pairs, final String feeAccount)
    {
        final FillRecomputation result = new FillRecomputation();
        for (final String pair : pairs)
        {
            final String base = pair.substring(0, pair.indexOf('-'));
            final String quote = pair.substring(pair.indexOf('-') + 1);
            long expected = 1;
            StreamEntryID start = new StreamEntryID(1, 0);
            while (true)
            {
                final List<StreamEntry> entries = engine.xrange("fills:" + pair, start, null, 5000);
                if (entries.isEmpty())
                {
                    break;
                }
                for (final StreamEntry entry : entries)
                {
                    if (entry.getID().getTime() != expected)
                    {
                        throw new AssertionError("fills:" + pair + " has " + entry.getID() + " where " + expected +
                            " was expected");
                    }
                    result.apply(entry.getFields(), base, quote, feeAccount);
                    expected++;
                }
                start = new StreamEntryID(expected, 0);
            }
            result.lastSeqs.put(pair, expected - 1);
        }
        return result;
    }

    private void apply(final Map<String, String> fill, final String base, final String quote, final String fees)
    {
        final boolean takerBuys = "BUY".equals(fill.get("taker_side"));
        final String buyer = fill.get(takerBuys ? "taker_account" : "maker_account");
        final String seller = fill.get(takerBuys ? "maker_account" : "taker_account");
        final BigDecimal buyerFee = new BigDecimal(fill.get(takerBuys ? "taker_fee" : "maker_fee"));
        final BigDecimal sellerFee = new BigDecimal(fill.get(takerBuys ? "maker_fee" : "taker_fee"));
        final BigDecimal qty = new BigDecimal(fill.get("qty"));
        final BigDecimal quoteQty = new BigDecimal(fill.get("quote_qty"));
        add(buyer, base, qty.subtract(buyerFee));
        add(buyer, quote, quoteQty.negate());
        add(seller, base, qty.negate());
        add(seller, quote, quoteQty.subtract(sellerFee));
        add(fees, base, buyerFee);
        add(fees, quote, sellerFee);
    }

    private void add(final String account, final String asset, final BigDecimal amount)
    {
        balances.computeIfAbsent(account, (a) -> new TreeMap<>()).merge(asset, amount, BigDecimal::add);
    }

    /** @return asset → sum over all accounts. */
    Map<String, BigDecimal> sums()
    {
        final Map<String, BigDecimal> sums = new TreeMap<>();
        balances.values().forEach((assets) -> assets.forEach((asset, amount) ->
            sums.merge(asset, amount, BigDecimal::add)));
        return sums;
    }
}
