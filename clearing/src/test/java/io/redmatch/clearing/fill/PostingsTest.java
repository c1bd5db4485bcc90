package io.redmatch.clearing.fill;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PostingsTest
{
    private static final PairAssets BTC_USDT = new PairAssets("BTC-USDT", "BTC", "USDT");

    @Test
    void takerBuyer() throws BadFillException
    {
        final Map<String, BigDecimal> changes = post(TestFills.fields("BTC-USDT", 1, "BUY", "bob", "alice"));
        assertEquals(Map.of("alice BTC", "-0.2", "alice USDT", "5994.0999", "bob BTC", "0.1996",
            "bob USDT", "-6000.1", "@fees BTC", "0.0004", "@fees USDT", "6.0001"), text(changes));
    }

    @Test
    void takerSeller() throws BadFillException
    {
        final Map<String, BigDecimal> changes = post(TestFills.fields("BTC-USDT", 1, "SELL", "bob", "alice"));
        assertEquals(Map.of("bob BTC", "-0.2", "bob USDT", "5994.0999", "alice BTC", "0.1996",
            "alice USDT", "-6000.1", "@fees BTC", "0.0004", "@fees USDT", "6.0001"), text(changes));
    }

    @Test
    void aSelfTradeOnlyPaysFees() throws BadFillException
    {
        final Map<String, BigDecimal> changes = post(TestFills.fields("BTC-USDT", 1, "SELL", "bob", "bob"));
        assertEquals(Map.of("bob BTC", "-0.0004", "bob USDT", "-6.0001", "@fees BTC", "0.0004",
            "@fees USDT", "6.0001"), text(changes));
    }

    private static Map<String, BigDecimal> post(final Map<String, String> fields) throws BadFillException
    {
        final Fill fill = FillDecoder.decode("BTC-USDT", "1-0", TestFills.flat(fields));
        final Map<String, BigDecimal> changes = new TreeMap<>();
        final Map<String, BigDecimal> sums = new TreeMap<>();
        Postings.post(fill, BTC_USDT, "@fees", (account, asset, delta) ->
        {
            changes.merge(account + " " + asset, delta, BigDecimal::add);
            sums.merge(asset, delta, BigDecimal::add);
        });
        sums.values().forEach((sum) -> assertEquals(0, sum.signum(), "each asset sums to zero"));
        return changes;
    }

    private static Map<String, String> text(final Map<String, BigDecimal> changes)
    {
        final Map<String, String> text = new TreeMap<>();
        changes.forEach((key, amount) -> text.put(key, Amounts.format(amount)));
        return text;
    }
}
