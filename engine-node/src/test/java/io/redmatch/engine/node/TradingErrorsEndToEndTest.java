package io.redmatch.engine.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §3's order of checks (arity → syntax → {@code -NOPAIR} → {@code -INVALID} → {@code -HALTED}), every
 * error prefix of the trading commands, and hostile values: each gets a clear error, the connection stays usable,
 * other connections are served throughout and the state is untouched ({@code DEBUG DIGEST} unchanged).
 */
class TradingErrorsEndToEndTest
{
    private static final String PAIR = "BTC-USDT";
    private static final String NO_PAIR = "NOPE-USDT";

    /** Values that are not acceptable decimals for an order's quantity or price, whatever the pair. */
    private static final List<String> HOSTILE_DECIMALS = List.of(
        "", " ", "1e5", "1E5", "-1", "+1", "-0", "1.", ".1", "1..2", "1.2.3", "0x10", "1,5", "NaN", "Infinity",
        "\u221e", "\u0661", "\uff11", "1 ", " 1", "1\u0000", "1\r\n", "12345678901234567890", "9223372036854775807",
        "9223372036854775808", "9".repeat(10_000), "1" + "0".repeat(30), "0", "0.0", "000000", "0." + "0".repeat(20),
        "0." + "0".repeat(5_000) + "1", "0.000001", "1.000000001");

    /** Values that are not acceptable account names or client ids. */
    private static final List<byte[]> HOSTILE_NAMES = List.of(
        new byte[0], ascii(" "), ascii("a b"), ascii("a\r\nb"), ascii("a*"), ascii("a/b"), ascii("a@b"), ascii("{}"),
        ascii("a".repeat(65)), ascii("x".repeat(100_000)), new byte[]{0}, new byte[]{0, 1, 2, (byte)0xFF},
        new byte[]{(byte)0xC3, (byte)0xA9}, new byte[]{'a', (byte)0x80}, new byte[]{'a', '\n'});

    private static final List<String> HOSTILE_ORDER_IDS = List.of(
        "", "abc", "-1", "0", "-0", "01", "1.0", "+1", "1e3", " 1", "1 ", "99999999999999999999",
        "9223372036854775808", "\u0661");

    private TradingNode node;
    private TradingClient client;
    private TradingClient bystander;
    private long restingOrderId;

    @BeforeEach
    void startNode()
    {
        node = TradingNode.start();
        client = node.client();
        bystander = node.client();
        client.addPair(PAIR, "TICK", "0.01", "LOT", "0.00001", "MIN_QTY", "0.0001");
        client.place(PAIR, "SELL", "ACCOUNT", "seed", "QTY", "0.001", "PRICE", "100");
        client.place(PAIR, "BUY", "ACCOUNT", "seed2", "QTY", "0.001", "PRICE", "100");
        restingOrderId = TradingClient.orderId(
            client.place(PAIR, "BUY", "ACCOUNT", "alice", "QTY", "1", "PRICE", "99", "CLIENT_ID", "c1"));
        client.place(PAIR, "SELL", "ACCOUNT", "alice", "QTY", "1", "STOP", "90");
        client.place(PAIR, "SELL", "ACCOUNT", "bob", "QTY", "2", "PRICE", "101");
    }

    @AfterEach
    void stopNode()
    {
        client.close();
        bystander.close();
        node.close();
    }

    @Test
    void checksRunInSpecOrder()
    {
        // arity first, whatever else is wrong
        assertEquals("ERR wrong number of arguments for 'order.place' command",
            client.error("ORDER.PLACE", NO_PAIR, "HOLD", "ACCOUNT", "a b", "QTY"));
        assertEquals("ERR wrong number of arguments for 'order.cancel' command", client.error("ORDER.CANCEL", NO_PAIR));
        assertEquals("ERR wrong number of arguments for 'order.amend' command",
            client.error("ORDER.AMEND", NO_PAIR, "x", "QTY"));
        assertEquals("ERR wrong number of arguments for 'order.get' command", client.error("ORDER.GET", NO_PAIR));
        assertEquals("ERR wrong number of arguments for 'order.list' command",
            client.error("ORDER.LIST", NO_PAIR, "ACCOUNT", "a", "b"));
        assertEquals("ERR wrong number of arguments for 'order.cancelall' command",
            client.error("ORDER.CANCELALL", NO_PAIR, "ACCOUNT"));
        assertEquals("ERR wrong number of arguments for 'ticker' command", client.error("TICKER"));
        assertEquals("ERR wrong number of arguments for 'pair.halt' command", client.error("PAIR.HALT"));

        // then syntax, before the pair is looked up
        assertEquals("ERR syntax error", client.error("ORDER.PLACE", NO_PAIR, "HOLD", "ACCOUNT", "a b", "QTY", "-1",
            "BOGUS"));
        assertEquals("ERR syntax error", client.error("ORDER.PLACE", NO_PAIR, "BUY", "ACCOUNT", "a", "PRICE", "1"));
        assertEquals("ERR syntax error", client.error("ORDER.CANCEL", NO_PAIR, "1", "2"));
        assertEquals("ERR syntax error", client.error("ORDER.AMEND", NO_PAIR, "x", "SIZE", "1"));
        assertEquals("ERR syntax error", client.error("ORDER.GET", NO_PAIR, "CLIENT", "a", "b"));
        assertEquals("ERR syntax error", client.error("ORDER.LIST", NO_PAIR, "ACCT", "a b"));
        assertEquals("ERR syntax error", client.error("ORDER.CANCELALL", NO_PAIR, "ACCT", "a b"));

        // then the pair, before any value
        assertNoPair(client.error("ORDER.PLACE", NO_PAIR, "HOLD", "ACCOUNT", "a b", "QTY", "-1"));
        assertNoPair(client.error("ORDER.CANCEL", NO_PAIR, "x"));
        assertNoPair(client.error("ORDER.CANCEL", NO_PAIR, "CLIENT_ID", "a b", "c d"));
        assertNoPair(client.error("ORDER.AMEND", NO_PAIR, "x", "QTY", "-1"));
        assertNoPair(client.error("ORDER.GET", NO_PAIR, "x"));
        assertNoPair(client.error("ORDER.LIST", NO_PAIR, "ACCOUNT", "a b"));
        assertNoPair(client.error("ORDER.CANCELALL", NO_PAIR, "ACCOUNT", "a b"));
        assertNoPair(client.error("BOOK.DEPTH", NO_PAIR, "-1"));

        // then values, in argument order within the command
        assertEquals("INVALID SIDE: must be BUY or SELL",
            client.error("ORDER.PLACE", PAIR, "HOLD", "ACCOUNT", "a b", "QTY", "-1"));
        assertTrue(client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a b", "QTY", "-1")
            .startsWith("INVALID ACCOUNT: "));
        assertTrue(client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "QTY", "-1", "PRICE", "-1")
            .startsWith("INVALID QTY: "));

        // HALTED last
        client.call("PAIR.HALT", PAIR);
        assertTrue(client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "QTY", "1", "PRICE", "x")
            .startsWith("INVALID PRICE: "));
        assertTrue(client.error("ORDER.AMEND", PAIR, Long.toString(restingOrderId), "PRICE", "x")
            .startsWith("INVALID PRICE: "));
        assertEquals("NOORDER", TradingClient.code(client.error("ORDER.AMEND", PAIR, "999", "PRICE", "98")));
        assertEquals("HALTED pair is halted",
            client.error("ORDER.AMEND", PAIR, Long.toString(restingOrderId), "PRICE", "98"));
        assertEquals("HALTED pair is halted",
            client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "QTY", "1", "PRICE", "98"));
    }

    @Test
    void everyErrorPrefixOfTheTradingCommands()
    {
        assertTrue(client.error("ORDER.PLACEX", PAIR).startsWith("ERR unknown command 'ORDER.PLACEX'"));
        assertTrue(client.error("BOOK", "DEPTH").startsWith("ERR unknown command 'BOOK'"));
        assertTrue(client.error("ORDER.PLACE", PAIR).startsWith("ERR wrong number of arguments "));
        assertEquals("ERR syntax error", client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "QTY", "1", "X"));
        assertNoPair(client.error("ORDER.GET", NO_PAIR, "1"));
        assertTrue(client.error("ORDER.GET", PAIR, "x").startsWith("INVALID ORDER_ID: "));
        assertEquals("NOORDER no such open order", client.error("ORDER.CANCEL", PAIR, "1"));
        client.call("PAIR.HALT", PAIR);
        assertEquals("HALTED pair is halted", client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "QTY", "1"));
    }

    @Test
    void unknownAndDuplicatedKeywordsAreSyntaxErrors()
    {
        final String[][] bad = {
            {"BUY", "ACCOUNT", "a", "QTY", "1", "LEVERAGE", "10"},
            {"BUY", "ACCOUNT", "a", "QTY", "1", "PRICE"},
            {"BUY", "ACCOUNT", "a", "QTY", "1", "POST_ONLY", "POST_ONLY"},
            {"BUY", "ACCOUNT", "a", "ACCOUNT", "b", "QTY", "1"},
            {"BUY", "ACCOUNT", "a", "QTY", "1", "QTY", "2"},
            {"BUY", "ACCOUNT", "a", "QTY", "1", "PRICE", "1", "PRICE", "2"},
            {"BUY", "ACCOUNT", "a", "QTY", "1", "STOP", "1", "STOP", "2"},
            {"BUY", "ACCOUNT", "a", "QTY", "1", "PRICE", "1", "TIF", "GTC", "TIF", "IOC"},
            {"BUY", "ACCOUNT", "a", "QTY", "1", "CLIENT_ID", "x", "CLIENT_ID", "y"},
            {"BUY", "ACCOUNT", "a", "QTY", "1", "STP", "NONE", "STP", "NONE"},
            {"BUY", "ACCOUNT", "a", "QTY", "1", "QUOTE_QTY", "1"},
            {"BUY", "QTY", "1", "PRICE", "1"},
            {"BUY", "ACCOUNT", "a", "PRICE", "1", "TIF", "GTC"},
            {"BUY", "ACCOUNT", "a", "QTY", "1", "", ""},
            {"BUY", "ACCOUNT", "a", "QTY", "1", "QTY\u0000", "1"},
        };
        final String digest = client.digest();
        for (final String[] args : bad)
        {
            assertEquals("ERR syntax error", client.error("ORDER.PLACE", prepend(PAIR, args)), String.join(" ", args));
        }
        assertEquals(digest, client.digest());
    }

    @Test
    void hostileDecimalsAreRefusedWithTheirFieldName()
    {
        final String digest = client.digest();
        for (final String value : HOSTILE_DECIMALS)
        {
            assertRefused("INVALID QTY: ", value, "BUY", "ACCOUNT", "a", "QTY", value, "PRICE", "1");
            assertRefused("INVALID PRICE: ", value, "BUY", "ACCOUNT", "a", "QTY", "1", "PRICE", value);
            assertRefused("INVALID STOP: ", value, "BUY", "ACCOUNT", "a", "QTY", "1", "STOP", value);
            if (!value.equals("0.000001"))
            {
                // a budget is exact to scale(tick) + scale(lot) = 7 decimals, so only that value is valid for it
                assertRefused("INVALID QUOTE_QTY: ", value, "BUY", "ACCOUNT", "a", "QUOTE_QTY", value);
            }
            assertRefusedAmend("INVALID QTY: ", value, "QTY", value);
            assertRefusedAmend("INVALID PRICE: ", value, "PRICE", value);
            assertEquals("PONG", bystander.call("PING"));
        }
        assertEquals("INVALID QTY: price x qty is too large",
            client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "QTY", "1000000", "PRICE", "1000000000"));
        assertEquals("INVALID QTY: price x qty is too large", client.error("ORDER.AMEND", PAIR,
            Long.toString(restingOrderId), "QTY", "1000000", "PRICE", "1000000000"));
        assertEquals(digest, client.digest());
        assertEquals(digest, bystander.digest());
    }

    @Test
    void hostileNamesAreRefused()
    {
        final String digest = client.digest();
        for (final byte[] name : HOSTILE_NAMES)
        {
            assertTrue(client.errorBinary("ORDER.PLACE", ascii(PAIR), ascii("BUY"), ascii("ACCOUNT"), name,
                ascii("QTY"), ascii("1")).startsWith("INVALID ACCOUNT: "));
            assertTrue(client.errorBinary("ORDER.PLACE", ascii(PAIR), ascii("BUY"), ascii("ACCOUNT"), ascii("a"),
                ascii("QTY"), ascii("1"), ascii("CLIENT_ID"), name).startsWith("INVALID CLIENT_ID: "));
            assertTrue(client.errorBinary("ORDER.LIST", ascii(PAIR), ascii("ACCOUNT"), name)
                .startsWith("INVALID ACCOUNT: "));
            assertTrue(client.errorBinary("ORDER.CANCELALL", ascii(PAIR), ascii("ACCOUNT"), name)
                .startsWith("INVALID ACCOUNT: "));
            assertTrue(client.errorBinary("ORDER.CANCEL", ascii(PAIR), ascii("CLIENT_ID"), name, ascii("c1"))
                .startsWith("INVALID ACCOUNT: "));
            assertTrue(client.errorBinary("ORDER.GET", ascii(PAIR), ascii("CLIENT_ID"), ascii("alice"), name)
                .startsWith("INVALID CLIENT_ID: "));
            assertTrue(client.errorBinary("ORDER.PLACE", name, ascii("BUY"), ascii("ACCOUNT"), ascii("a"),
                ascii("QTY"), ascii("1")).startsWith("NOPAIR"));
            assertTrue(client.errorBinary("ORDER.PLACE", ascii(PAIR), name, ascii("ACCOUNT"), ascii("a"),
                ascii("QTY"), ascii("1")).startsWith("INVALID SIDE: "));
        }
        assertEquals(digest, client.digest());

        final String longest = "a".repeat(64);
        final Map<String, Object> record = client.place(PAIR, "BUY", "ACCOUNT", longest, "QTY", "1", "PRICE", "1",
            "CLIENT_ID", "B".repeat(64));
        assertEquals(longest, record.get("account"));
        assertEquals("B".repeat(64), record.get("client_id"));
        assertEquals("a-Z_0.9:x", client.place(PAIR, "BUY", "ACCOUNT", "a-Z_0.9:x", "QTY", "1", "PRICE", "1")
            .get("account"));
    }

    @Test
    void hostileOrderIdsAreRefused()
    {
        final String digest = client.digest();
        for (final String id : HOSTILE_ORDER_IDS)
        {
            assertEquals("INVALID ORDER_ID: must be a positive integer", client.error("ORDER.CANCEL", PAIR, id), id);
            assertEquals("INVALID ORDER_ID: must be a positive integer", client.error("ORDER.GET", PAIR, id), id);
            assertEquals("INVALID ORDER_ID: must be a positive integer",
                client.error("ORDER.AMEND", PAIR, id, "QTY", "1"), id);
        }
        assertEquals("NOORDER no such open order", client.error("ORDER.CANCEL", PAIR, "9223372036854775807"));
        assertEquals(digest, client.digest());
    }

    @Test
    void burstOfRejectedCommandsLeavesStateAndOtherConnectionsIntact()
    {
        final String digest = bystander.digest();
        final Object depth = bystander.call("BOOK.DEPTH", PAIR);
        final Object list = bystander.call("ORDER.LIST", PAIR, "ACCOUNT", "alice");
        int rejected = 0;
        for (int round = 0; round < 20; round++)
        {
            for (final String value : HOSTILE_DECIMALS)
            {
                client.error("ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "a", "QTY", value, "PRICE", "1");
                client.error("ORDER.AMEND", PAIR, Long.toString(restingOrderId), "PRICE", value);
                rejected += 2;
            }
            for (final byte[] name : HOSTILE_NAMES)
            {
                client.errorBinary("ORDER.CANCELALL", ascii(PAIR), ascii("ACCOUNT"), name);
                client.errorBinary("ORDER.CANCEL", ascii(PAIR), ascii("CLIENT_ID"), name, ascii("c1"));
                rejected += 2;
            }
            client.error("ORDER.CANCEL", PAIR, "12345");
            client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "alice", "QTY", "1", "PRICE", "99", "POST_ONLY",
                "TIF", "IOC");
            client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "alice", "QTY", "1", "STOP", "100");
            client.error("ORDER.AMEND", PAIR, "4", "QTY", "2");
            client.error("PAIR.ADD", PAIR, "TICK", "1", "LOT", "1");
            client.error("PAIR.HALT", NO_PAIR);
            rejected += 6;
            assertEquals(depth, bystander.call("BOOK.DEPTH", PAIR));
        }
        assertTrue(rejected > 1000);
        assertEquals(digest, bystander.digest());
        assertEquals(digest, client.digest());
        assertEquals(list, bystander.call("ORDER.LIST", PAIR, "ACCOUNT", "alice"));

        final Map<String, Object> after = client.place(PAIR, "BUY", "ACCOUNT", "carol", "QTY", "0.5", "PRICE", "101");
        assertEquals(List.of(TradingClient.fill(2, "101", "0.5")), TradingClient.fills(after));
    }

    @Test
    void ordersWhoseFeesWouldNotFitAreRefusedAtPlacement()
    {
        // whole-unit tick and lot: a fee at the assets' 8 decimals is 10^8 times the amount's units
        client.addPair("BIG-X", "TICK", "1", "LOT", "1", "MAKER_FEE", "0.002", "TAKER_FEE", "0.003");
        final String digest = client.digest();

        assertEquals("INVALID QTY: price x qty is too large",
            client.error("ORDER.PLACE", "BIG-X", "SELL", "ACCOUNT", "m", "QTY", "36000000", "PRICE", "1000000000"));
        assertEquals("INVALID QTY: price x qty is too large",
            client.error("ORDER.PLACE", "BIG-X", "BUY", "ACCOUNT", "m", "QTY", "92233720369", "PRICE", "1"));
        assertEquals("INVALID QTY: price x qty is too large",
            client.error("ORDER.PLACE", "BIG-X", "SELL", "ACCOUNT", "m", "QTY", "100", "STOP", "1000000000000"));
        assertEquals(digest, client.digest());

        // the largest orders that fit trade, as maker and taker, with their fees
        client.place("BIG-X", "SELL", "ACCOUNT", "m", "QTY", "1", "PRICE", "1000");
        final long big = TradingClient.orderId(
            client.place("BIG-X", "SELL", "ACCOUNT", "m", "QTY", "92233", "PRICE", "1000000"));
        assertEquals("INVALID QTY: price x qty is too large",
            client.error("ORDER.AMEND", "BIG-X", Long.toString(big), "QTY", "92234"));
        final Map<String, Object> taker = client.place("BIG-X", "BUY", "ACCOUNT", "t", "QTY", "92234");
        assertEquals("FILLED", taker.get("status"));
        assertEquals(List.of(TradingClient.fill(1, "1000", "1"), TradingClient.fill(2, "1000000", "92233")),
            TradingClient.fills(taker));
        final Map<String, Object> ticker = client.record("TICKER", "BIG-X");
        assertEquals("92234", ticker.get("volume"));
        assertEquals("92233001000", ticker.get("quote_volume"));

        final List<?> entry = (List<?>)((List<?>)client.call("XRANGE", "fills:BIG-X", "2", "2")).get(0);
        assertEquals("2-0", entry.get(0));
        final Map<String, Object> fill = TradingClient.record(entry.get(1));
        assertEquals("92233000000", fill.get("quote_qty"));
        assertEquals("276.699", fill.get("taker_fee"));
        assertEquals("184466000", fill.get("maker_fee"));
    }

    @Test
    void frameSplitAcrossReadsIsParsedWhole()
    {
        // a frame far larger than one socket read, with a valid command pipelined right behind it
        final ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
        pipeline.writeBytes(RawRespConnection.encode(
            "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "QTY", "1".repeat(300_000), "PRICE", "1"));
        pipeline.writeBytes(RawRespConnection.encode(
            "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "CLIENT_ID", "z".repeat(64), "QTY", "0.001", "PRICE", "1"));
        pipeline.writeBytes(RawRespConnection.encode("ORDER.LIST", PAIR, "ACCOUNT", "x".repeat(200_000)));
        pipeline.writeBytes(RawRespConnection.encode("PING"));
        try (RawRespConnection raw = new RawRespConnection(TradingNode.HOST, node.port()))
        {
            raw.send(pipeline.toByteArray());
            assertEquals("-INVALID QTY: too large\r\n", raw.readReply());
            assertTrue(raw.readReply().startsWith("*32\r\n$8\r\norder_id\r\n:6\r\n"));
            assertTrue(raw.readReply().startsWith("-INVALID ACCOUNT: "));
            assertEquals("+PONG\r\n", raw.readReply());
        }
    }

    @Test
    void malformedFrameClosesOnlyItsOwnConnection()
    {
        final String digest = client.digest();
        try (RawRespConnection raw = new RawRespConnection(TradingNode.HOST, node.port()))
        {
            raw.send("*3\r\n$11\r\nORDER.PLACE\r\n$8\r\nBTC-USDT\r\n:3\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(raw.readReply().startsWith("-ERR Protocol error"));
        }
        try (RawRespConnection raw = new RawRespConnection(TradingNode.HOST, node.port()))
        {
            raw.send("*2\r\n$11\r\nORDER.PLACE\r\n$999999999999\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(raw.readReply().startsWith("-ERR Protocol error"));
        }
        assertEquals("PONG", bystander.call("PING"));
        assertEquals(digest, client.digest());
    }

    private void assertRefused(final String prefix, final String value, final String... args)
    {
        final String error = client.error("ORDER.PLACE", prepend(PAIR, args));
        assertTrue(error.startsWith(prefix), "value '" + shorten(value) + "' gave " + shorten(error));
    }

    private void assertRefusedAmend(final String prefix, final String value, final String... args)
    {
        final String error = client.error("ORDER.AMEND", prepend(PAIR, prepend(Long.toString(restingOrderId), args)));
        assertTrue(error.startsWith(prefix), "value '" + shorten(value) + "' gave " + shorten(error));
    }

    private static void assertNoPair(final String error)
    {
        assertEquals("NOPAIR pair not served by this node", error);
    }

    private static String[] prepend(final String first, final String... rest)
    {
        final List<String> all = new ArrayList<>(rest.length + 1);
        all.add(first);
        all.addAll(List.of(rest));
        return all.toArray(new String[0]);
    }

    private static String shorten(final String text)
    {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
