package io.redmatch.engine.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.redmatch.engine.node.TradingClient.orderId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code BOOK.DEPTH}, {@code BOOK.BBO}, {@code TICKER} and {@code DEBUG DIGEST} over a real socket. */
class MarketCommandsEndToEndTest
{
    private static final String PAIR = "ETH-USDT";

    private TradingNode node;
    private TradingClient client;

    @BeforeEach
    void startNode()
    {
        node = TradingNode.start();
        client = node.client();
        client.addPair(PAIR, "TICK", "0.05", "LOT", "0.001", "TAKER_FEE", "0.001");
    }

    @AfterEach
    void stopNode()
    {
        client.close();
        node.close();
    }

    @Test
    void depthOfAnEmptyBook()
    {
        assertEquals(Arrays.asList("bids", List.of(), "asks", List.of(), "seq", 0L), client.call("BOOK.DEPTH", PAIR));
    }

    @Test
    void depthAggregatesLevelsBestFirst()
    {
        place("BUY", "a", "1", "99.95");
        place("BUY", "b", "2.5", "99.95");
        place("BUY", "a", "0.001", "98");
        place("BUY", "a", "3", "99");
        place("SELL", "c", "1.25", "100.1");
        place("SELL", "c", "0.5", "100.05");
        place("SELL", "d", "0.75", "100.05");

        final Map<String, Object> depth = client.record("BOOK.DEPTH", PAIR);

        assertEquals(List.of("bids", "asks", "seq"), List.copyOf(depth.keySet()));
        assertEquals(List.of(level("99.95", "3.5", 2), level("99", "3", 1), level("98", "0.001", 1)),
            depth.get("bids"));
        assertEquals(List.of(level("100.05", "1.25", 2), level("100.1", "1.25", 1)), depth.get("asks"));
        assertEquals(7L, depth.get("seq"));

        final Map<String, Object> top = client.record("BOOK.DEPTH", PAIR, "1");
        assertEquals(List.of(level("99.95", "3.5", 2)), top.get("bids"));
        assertEquals(List.of(level("100.05", "1.25", 2)), top.get("asks"));
        assertEquals(List.of(level("99.95", "3.5", 2), level("99", "3", 1)),
            client.record("BOOK.DEPTH", PAIR, "2").get("bids"));
        assertEquals(3, ((List<?>)client.record("BOOK.DEPTH", PAIR, "1000").get("bids")).size());
    }

    @Test
    void depthSequenceCountsCommandsThatChangedLevels()
    {
        assertEquals(0L, seq());
        final long bid = orderId(place("BUY", "a", "1", "99"));
        assertEquals(1L, seq());
        place("SELL", "b", "1", "101");
        assertEquals(2L, seq());

        // a trade that removes one level and rests the rest: one command, one increment
        final Map<String, Object> taker = client.place(PAIR, "SELL", "ACCOUNT", "c", "QTY", "1.5", "PRICE", "99");
        assertEquals("PARTIALLY_FILLED", taker.get("status"));
        assertEquals(3L, seq());

        // nothing visible changes: no increment
        client.place(PAIR, "BUY", "ACCOUNT", "d", "QTY", "5", "PRICE", "99.5", "TIF", "FOK");
        client.place(PAIR, "BUY", "ACCOUNT", "d", "QTY", "1", "PRICE", "99", "POST_ONLY");
        client.place(PAIR, "SELL", "ACCOUNT", "d", "QTY", "1", "STOP", "90");
        client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "d", "QTY", "1", "PRICE", "99.01");
        client.error("ORDER.CANCEL", PAIR, Long.toString(bid));
        assertEquals(3L, seq());

        client.record("ORDER.CANCEL", PAIR, Long.toString(orderId(taker)));
        assertEquals(4L, seq());
        client.call("ORDER.CANCELALL", PAIR, "ACCOUNT", "b");
        assertEquals(5L, seq());
        assertEquals(Arrays.asList("bids", List.of(), "asks", List.of(), "seq", 5L), client.call("BOOK.DEPTH", PAIR));
    }

    @Test
    void depthErrors()
    {
        assertTrue(client.error("BOOK.DEPTH", PAIR, "0").startsWith("INVALID LEVELS: "));
        assertTrue(client.error("BOOK.DEPTH", PAIR, "1001").startsWith("INVALID LEVELS: "));
        assertTrue(client.error("BOOK.DEPTH", PAIR, "-1").startsWith("INVALID LEVELS: "));
        assertTrue(client.error("BOOK.DEPTH", PAIR, "ten").startsWith("INVALID LEVELS: "));
        assertTrue(client.error("BOOK.DEPTH", PAIR, "99999999999999999999999").startsWith("INVALID LEVELS: "));
        assertEquals("ERR syntax error", client.error("BOOK.DEPTH", PAIR, "1", "2"));
        assertEquals("ERR syntax error", client.error("BOOK.DEPTH", "NOPE-X", "1", "2"));
        assertEquals("NOPAIR", TradingClient.code(client.error("BOOK.DEPTH", "NOPE-X", "0")));
        assertEquals("ERR wrong number of arguments for 'book.depth' command", client.error("BOOK.DEPTH"));
    }

    @Test
    void bboIsNilWhereASideIsEmpty()
    {
        final Map<String, Object> empty = client.record("BOOK.BBO", PAIR);
        assertEquals(List.of("bid_price", "bid_qty", "ask_price", "ask_qty"), List.copyOf(empty.keySet()));
        assertTrue(empty.values().stream().allMatch(value -> value == null), empty.toString());

        place("BUY", "a", "1", "99");
        place("BUY", "b", "0.5", "99");
        final Map<String, Object> bidOnly = client.record("BOOK.BBO", PAIR);
        assertEquals("99", bidOnly.get("bid_price"));
        assertEquals("1.5", bidOnly.get("bid_qty"));
        assertNull(bidOnly.get("ask_price"));
        assertNull(bidOnly.get("ask_qty"));

        place("SELL", "c", "2", "100.5");
        final Map<String, Object> both = client.record("BOOK.BBO", PAIR);
        assertEquals("100.5", both.get("ask_price"));
        assertEquals("2", both.get("ask_qty"));

        assertEquals("NOPAIR", TradingClient.code(client.error("BOOK.BBO", "NOPE-X")));
        assertEquals("ERR wrong number of arguments for 'book.bbo' command", client.error("BOOK.BBO", PAIR, "1"));
    }

    @Test
    void tickerBeforeAndAfterTrades()
    {
        final Map<String, Object> quiet = client.record("TICKER", PAIR);
        assertEquals(List.of("last", "open", "high", "low", "volume", "quote_volume", "trades"),
            List.copyOf(quiet.keySet()));
        assertNull(quiet.get("last"));
        assertNull(quiet.get("open"));
        assertNull(quiet.get("high"));
        assertNull(quiet.get("low"));
        assertEquals("0", quiet.get("volume"));
        assertEquals("0", quiet.get("quote_volume"));
        assertEquals(0L, quiet.get("trades"));

        place("SELL", "m", "0.1", "100");
        place("SELL", "m", "0.2", "105");
        client.place(PAIR, "BUY", "ACCOUNT", "t", "QTY", "0.3");
        place("BUY", "m", "0.3", "95");
        client.place(PAIR, "SELL", "ACCOUNT", "t", "QTY", "0.3");

        final Map<String, Object> ticker = client.record("TICKER", PAIR);
        assertEquals("95", ticker.get("last"));
        assertEquals("100", ticker.get("open"));
        assertEquals("105", ticker.get("high"));
        assertEquals("95", ticker.get("low"));
        assertEquals("0.6", ticker.get("volume"));
        assertEquals("59.5", ticker.get("quote_volume"));
        assertEquals(3L, ticker.get("trades"));
        assertEquals("NOPAIR", TradingClient.code(client.error("TICKER", "NOPE-X")));
    }

    @Test
    void digestChangesWithWritesOnly()
    {
        final String initial = client.digest();
        assertTrue(initial.matches("[0-9a-f]{40}"), initial);

        place("BUY", "a", "1", "99");
        final String afterPlace = client.digest();
        assertNotEquals(initial, afterPlace);

        client.call("BOOK.DEPTH", PAIR);
        client.call("BOOK.BBO", PAIR);
        client.call("TICKER", PAIR);
        client.call("ORDER.GET", PAIR, "1");
        client.call("ORDER.LIST", PAIR, "ACCOUNT", "a");
        client.call("PAIRS");
        client.call("PAIR.INFO", PAIR);
        assertEquals(afterPlace, client.digest());

        client.call("PAIR.HALT", PAIR);
        final String halted = client.digest();
        assertNotEquals(afterPlace, halted);
        client.call("PAIR.RESUME", PAIR);
        assertNotEquals(halted, client.digest());
        assertEquals("ERR wrong number of arguments for 'debug|digest' command", client.error("DEBUG", "DIGEST", "x"));
    }

    private Map<String, Object> place(final String side, final String account, final String qty, final String price)
    {
        return client.place(PAIR, side, "ACCOUNT", account, "QTY", qty, "PRICE", price);
    }

    private long seq()
    {
        return (Long)client.record("BOOK.DEPTH", PAIR).get("seq");
    }

    private static List<Object> level(final String price, final String qty, final long orders)
    {
        return List.of(price, qty, orders);
    }
}
