package io.redmatch.clearing.fill;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FillDecoderTest
{
    private static final String PAIR = "BTC-USDT";

    @Test
    void decodesAWellFormedFill() throws BadFillException
    {
        final Fill fill = FillDecoder.decode(PAIR, "7-0", TestFills.flat(TestFills.fields(PAIR, 7, "BUY", "bob",
            "alice")));
        assertEquals(7, fill.seq());
        assertEquals("bob", fill.buyer());
        assertEquals("alice", fill.seller());
        assertEquals(0, new BigDecimal("0.0004").compareTo(fill.buyerFee()));
        assertEquals(0, new BigDecimal("6.0001").compareTo(fill.sellerFee()));
        final Fill sell = FillDecoder.decode(PAIR, "8-0", TestFills.flat(TestFills.fields(PAIR, 8, "SELL", "bob",
            "alice")));
        assertEquals("alice", sell.buyer());
        assertEquals("bob", sell.seller());
        assertEquals(0, new BigDecimal("0.0004").compareTo(sell.buyerFee()));
    }

    @Test
    void refusesEveryMissingField()
    {
        for (final String field : FillDecoder.FIELDS)
        {
            final Map<String, String> fields = TestFills.fields(PAIR, 7, "BUY", "bob", "alice");
            fields.remove(field);
            final BadFillException ex = assertThrows(BadFillException.class,
                () -> FillDecoder.decode(PAIR, "7-0", TestFills.flat(fields)));
            assertTrue(ex.getMessage().contains(field + " is missing"), ex.getMessage());
        }
    }

    @Test
    void refusesMalformedValues()
    {
        refused("price", "abc", "not a decimal");
        refused("price", "-1", "not a decimal");
        refused("price", "0", "zero");
        refused("qty", "1e3", "not a decimal");
        refused("quote_qty", "6000.2", "not price");
        refused("taker_side", "buy", "not BUY or SELL");
        refused("taker_account", "", "not an account");
        refused("maker_account", "a b", "not an account");
        refused("taker_fee", "NaN", "not a decimal");
        refused("maker_fee", "7000", "exceeds");
        refused("seq", "8", "does not match");
        refused("pair", "ETH-USDT", "not BTC-USDT");
        refused("ts", "-5", "not a whole number");
        refused("taker_order_id", "99999999999999999999", "not a whole number");
    }

    @Test
    void refusesMalformedEntries()
    {
        final List<String> flat = TestFills.flat(TestFills.fields(PAIR, 7, "BUY", "bob", "alice"));
        assertThrows(BadFillException.class, () -> FillDecoder.decode(PAIR, "7-1", flat));
        assertThrows(BadFillException.class, () -> FillDecoder.decode(PAIR, "seven", flat));
        assertThrows(BadFillException.class, () -> FillDecoder.decode(PAIR, null, flat));
        assertThrows(BadFillException.class, () -> FillDecoder.decode(PAIR, "7-0", null));
        final List<String> odd = new ArrayList<>(flat);
        odd.add("extra");
        assertThrows(BadFillException.class, () -> FillDecoder.decode(PAIR, "7-0", odd));
        final List<String> repeated = new ArrayList<>(flat);
        repeated.add("qty");
        repeated.add("0.2");
        assertTrue(assertThrows(BadFillException.class, () -> FillDecoder.decode(PAIR, "7-0", repeated))
            .getMessage().contains("twice"));
        final List<String> nullValue = new ArrayList<>(flat);
        nullValue.set(3, null);
        assertThrows(BadFillException.class, () -> FillDecoder.decode(PAIR, "7-0", nullValue));
    }

    @Test
    void theContentHashFollowsEveryField() throws BadFillException
    {
        final long hash = FillDecoder.decode(PAIR, "7-0",
            TestFills.flat(TestFills.fields(PAIR, 7, "BUY", "bob", "alice"))).contentHash();
        assertEquals(hash, FillDecoder.decode(PAIR, "7-0",
            TestFills.flat(TestFills.fields(PAIR, 7, "BUY", "bob", "alice"))).contentHash());
        final Map<String, String> other = TestFills.fields(PAIR, 7, "BUY", "bob", "alice");
        other.put("taker_order_id", "555");
        assertNotEquals(hash, FillDecoder.decode(PAIR, "7-0", TestFills.flat(other)).contentHash());
        final Map<String, String> otherTime = TestFills.fields(PAIR, 7, "BUY", "bob", "alice");
        otherTime.put("ts", "1");
        assertNotEquals(hash, FillDecoder.decode(PAIR, "7-0", TestFills.flat(otherTime)).contentHash());
    }

    private static void refused(final String field, final String value, final String why)
    {
        final Map<String, String> fields = TestFills.fields(PAIR, 7, "BUY", "bob", "alice");
        fields.put(field, value);
        final BadFillException ex = assertThrows(BadFillException.class,
            () -> FillDecoder.decode(PAIR, "7-0", TestFills.flat(fields)), field + "=" + value);
        assertTrue(ex.getMessage().contains(why), ex.getMessage());
        assertTrue(ex.getMessage().startsWith("fills:BTC-USDT entry 7-0"), ex.getMessage());
    }
}
