package io.redmatch.engine.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code PAIR.ADD}, {@code PAIRS}, {@code PAIR.INFO}, {@code PAIR.HALT} and {@code PAIR.RESUME} over a real socket. */
class PairCommandsEndToEndTest
{
    private TradingNode node;
    private TradingClient client;

    @BeforeEach
    void startNode()
    {
        node = TradingNode.start();
        client = node.client();
    }

    @AfterEach
    void stopNode()
    {
        client.close();
        node.close();
    }

    @Test
    void addsPairsAndListsThemInOrderAdded()
    {
        assertEquals(List.of(), client.call("PAIRS"));
        client.addPair("BTC-USDT", "TICK", "0.01", "LOT", "0.00001", "MIN_QTY", "0.0001",
            "MAKER_FEE", "0.001", "TAKER_FEE", "0.002");
        client.addPair("ETH-USDT", "lot", "0.0001", "tick", "0.1");
        client.addPair("DOGE-BTC", "TICK", "0.00000001", "LOT", "1");

        assertEquals(List.of("BTC-USDT", "ETH-USDT", "DOGE-BTC"), client.call("PAIRS"));
    }

    @Test
    void pairInfoHasEveryFieldInOrder()
    {
        client.addPair("BTC-USDT", "TICK", "0.0100", "LOT", "0.00001000", "MIN_QTY", "0.00010",
            "MAKER_FEE", "0.0010", "TAKER_FEE", "0.002");

        final Map<String, Object> info = client.record("PAIR.INFO", "BTC-USDT");

        assertEquals(List.of("pair", "base", "quote", "tick", "lot", "min_qty", "maker_fee", "taker_fee", "status"),
            List.copyOf(info.keySet()));
        assertEquals("BTC-USDT", info.get("pair"));
        assertEquals("BTC", info.get("base"));
        assertEquals("USDT", info.get("quote"));
        assertEquals("0.01", info.get("tick"));
        assertEquals("0.00001", info.get("lot"));
        assertEquals("0.0001", info.get("min_qty"));
        assertEquals("0.001", info.get("maker_fee"));
        assertEquals("0.002", info.get("taker_fee"));
        assertEquals("TRADING", info.get("status"));
    }

    @Test
    void pairInfoDefaultsMinQtyToOneLotAndFeesToZero()
    {
        client.addPair("ETH-USDT", "TICK", "0.1", "LOT", "0.001");

        final Map<String, Object> info = client.record("PAIR.INFO", "ETH-USDT");

        assertEquals("0.001", info.get("min_qty"));
        assertEquals("0", info.get("maker_fee"));
        assertEquals("0", info.get("taker_fee"));
    }

    @Test
    void refusesInvalidTick()
    {
        assertInvalid("INVALID TICK", "A-B", "TICK", "0", "LOT", "1");
        assertInvalid("INVALID TICK", "A-B", "TICK", "-0.01", "LOT", "1");
        assertInvalid("INVALID TICK", "A-B", "TICK", "1e-2", "LOT", "1");
        assertInvalid("INVALID TICK", "A-B", "TICK", "", "LOT", "1");
        assertInvalid("INVALID TICK", "A-B", "TICK", ".5", "LOT", "1");
        assertInvalid("INVALID TICK", "A-B", "TICK", "0.0000000000001", "LOT", "1");
        assertInvalid("INVALID TICK", "A-B", "TICK", "12345678901234567890123", "LOT", "1");
        assertInvalid("INVALID TICK", "A-B", "TICK", "0." + "0".repeat(10_000) + "1", "LOT", "1");
        assertEquals(List.of(), client.call("PAIRS"));
    }

    @Test
    void refusesInvalidLot()
    {
        assertInvalid("INVALID LOT", "A-B", "TICK", "1", "LOT", "0");
        assertInvalid("INVALID LOT", "A-B", "TICK", "1", "LOT", "abc");
        assertInvalid("INVALID LOT", "A-B", "TICK", "1", "LOT", "1.");
        assertInvalid("INVALID LOT", "A-B", "TICK", "1", "LOT", "+1");
        assertEquals(List.of(), client.call("PAIRS"));
    }

    @Test
    void refusesLotOrQuoteAmountsFinerThanAssetPrecision()
    {
        final String lot = client.error("PAIR.ADD", "A-B", "TICK", "1", "LOT", "0.000000001");
        assertTrue(lot.startsWith("INVALID LOT: "), lot);
        final String notional = client.error("PAIR.ADD", "A-B", "TICK", "0.01", "LOT", "0.0000001");
        assertTrue(notional.startsWith("INVALID TICK: "), notional);
        final String tick = client.error("PAIR.ADD", "A-B", "TICK", "0.000000001", "LOT", "1");
        assertTrue(tick.startsWith("INVALID TICK: "), tick);

        client.addPair("A-B", "TICK", "0.01", "LOT", "0.000001");
        assertEquals(List.of("A-B"), client.call("PAIRS"));
    }

    @Test
    void refusesInvalidMinQty()
    {
        assertInvalid("INVALID MIN_QTY", "A-B", "TICK", "1", "LOT", "0.001", "MIN_QTY", "0.0015");
        assertInvalid("INVALID MIN_QTY", "A-B", "TICK", "1", "LOT", "0.001", "MIN_QTY", "0");
        assertInvalid("INVALID MIN_QTY", "A-B", "TICK", "1", "LOT", "0.001", "MIN_QTY", "-1");
        assertInvalid("INVALID MIN_QTY", "A-B", "TICK", "1", "LOT", "0.001", "MIN_QTY", "0.0000000001");
    }

    @Test
    void refusesInvalidFees()
    {
        assertInvalid("INVALID MAKER_FEE", "A-B", "TICK", "1", "LOT", "1", "MAKER_FEE", "1");
        assertInvalid("INVALID MAKER_FEE", "A-B", "TICK", "1", "LOT", "1", "MAKER_FEE", "-0.001");
        assertInvalid("INVALID MAKER_FEE", "A-B", "TICK", "1", "LOT", "1", "MAKER_FEE", "0.000000001");
        assertInvalid("INVALID TAKER_FEE", "A-B", "TICK", "1", "LOT", "1", "TAKER_FEE", "1.5");
        assertInvalid("INVALID TAKER_FEE", "A-B", "TICK", "1", "LOT", "1", "TAKER_FEE", "1e-3");
        assertInvalid("INVALID TAKER_FEE", "A-B", "TICK", "1", "LOT", "1", "TAKER_FEE",
            "99999999999999999999999999");
        assertEquals(List.of(), client.call("PAIRS"));
    }

    @Test
    void refusesInvalidAndDuplicatePairNames()
    {
        assertInvalid("INVALID PAIR", "btc-usdt", "TICK", "1", "LOT", "1");
        assertInvalid("INVALID PAIR", "BTCUSDT", "TICK", "1", "LOT", "1");
        assertInvalid("INVALID PAIR", "BTC-USDT-X", "TICK", "1", "LOT", "1");
        assertInvalid("INVALID PAIR", "A".repeat(17) + "-B", "TICK", "1", "LOT", "1");

        client.addPair("BTC-USDT", "TICK", "0.01", "LOT", "0.00001");
        assertInvalid("INVALID PAIR", "BTC-USDT", "TICK", "1", "LOT", "1");
        assertEquals("0.01", client.record("PAIR.INFO", "BTC-USDT").get("tick"));
    }

    @Test
    void pairAddSyntaxAndArity()
    {
        assertEquals("ERR wrong number of arguments for 'pair.add' command",
            client.error("PAIR.ADD", "A-B", "TICK", "1", "LOT"));
        assertEquals("ERR syntax error", client.error("PAIR.ADD", "A-B", "TICK", "1", "LOT", "1", "MIN_QTY"));
        assertEquals("ERR syntax error", client.error("PAIR.ADD", "A-B", "TICK", "1", "FOO", "1"));
        assertEquals("ERR syntax error", client.error("PAIR.ADD", "A-B", "TICK", "1", "TICK", "2"));
        assertEquals("ERR syntax error", client.error("PAIR.ADD", "A-B", "TICK", "1", "LOT", "1", "LOT", "1"));
        assertEquals("ERR syntax error", client.error("PAIR.ADD", "A-B", "MIN_QTY", "1", "LOT", "1"));
        // syntax comes before the value checks
        assertEquals("ERR syntax error", client.error("PAIR.ADD", "bad", "TICK", "x", "BOGUS", "1"));
        assertEquals(List.of(), client.call("PAIRS"));
    }

    @Test
    void unknownPairGivesNoPair()
    {
        client.addPair("BTC-USDT", "TICK", "0.01", "LOT", "0.00001");

        assertEquals("NOPAIR", TradingClient.code(client.error("PAIR.INFO", "ETH-USDT")));
        assertEquals("NOPAIR", TradingClient.code(client.error("PAIR.INFO", "btc-usdt")));
        assertEquals("NOPAIR", TradingClient.code(client.error("PAIR.HALT", "ETH-USDT")));
        assertEquals("NOPAIR", TradingClient.code(client.error("PAIR.RESUME", "ETH-USDT")));
        assertEquals("ERR wrong number of arguments for 'pair.info' command", client.error("PAIR.INFO"));
        assertEquals("ERR wrong number of arguments for 'pairs' command", client.error("PAIRS", "X"));
    }

    @Test
    void haltStopsPlaceAndAmendButNotCancel()
    {
        client.addPair("BTC-USDT", "TICK", "0.01", "LOT", "0.00001");
        final long resting = TradingClient.orderId(
            client.place("BTC-USDT", "SELL", "ACCOUNT", "alice", "QTY", "1", "PRICE", "100"));
        final long second = TradingClient.orderId(
            client.place("BTC-USDT", "SELL", "ACCOUNT", "alice", "QTY", "1", "PRICE", "101"));
        final long third = TradingClient.orderId(
            client.place("BTC-USDT", "BUY", "ACCOUNT", "bob", "QTY", "1", "PRICE", "90"));

        assertEquals("OK", client.call("PAIR.HALT", "BTC-USDT"));
        assertEquals("OK", client.call("PAIR.HALT", "BTC-USDT"));
        assertEquals("HALTED", client.record("PAIR.INFO", "BTC-USDT").get("status"));

        assertEquals("HALTED", TradingClient.code(
            client.error("ORDER.PLACE", "BTC-USDT", "BUY", "ACCOUNT", "bob", "QTY", "1", "PRICE", "100")));
        assertEquals("HALTED", TradingClient.code(client.error("ORDER.PLACE", "BTC-USDT", "BUY", "ACCOUNT", "bob",
            "QTY", "1", "CLIENT_ID", "c1")));
        assertEquals("HALTED", TradingClient.code(
            client.error("ORDER.AMEND", "BTC-USDT", Long.toString(resting), "PRICE", "99")));
        assertEquals("HALTED", TradingClient.code(
            client.error("ORDER.AMEND", "BTC-USDT", Long.toString(resting), "QTY", "0.5")));

        final Map<String, Object> cancelled = client.record("ORDER.CANCEL", "BTC-USDT", Long.toString(resting));
        assertEquals("CANCELLED", cancelled.get("status"));
        assertEquals("USER_CANCEL", cancelled.get("reason"));
        assertEquals(1L, client.call("ORDER.CANCELALL", "BTC-USDT", "ACCOUNT", "bob"));
        assertEquals(List.of(), client.call("ORDER.LIST", "BTC-USDT", "ACCOUNT", "bob"));
        assertEquals("NEW", client.record("ORDER.GET", "BTC-USDT", Long.toString(second)).get("status"));
        assertEquals("CANCELLED", client.record("ORDER.GET", "BTC-USDT", Long.toString(third)).get("status"));

        assertEquals("OK", client.call("PAIR.RESUME", "BTC-USDT"));
        assertEquals("TRADING", client.record("PAIR.INFO", "BTC-USDT").get("status"));
        final Map<String, Object> taker =
            client.place("BTC-USDT", "BUY", "ACCOUNT", "bob", "QTY", "1", "PRICE", "101");
        assertEquals("FILLED", taker.get("status"));
        assertEquals(List.of(TradingClient.fill(1, "101", "1")), TradingClient.fills(taker));
    }

    @Test
    void haltedIsCheckedAfterEveryOtherCheck()
    {
        client.addPair("BTC-USDT", "TICK", "0.01", "LOT", "0.00001");
        client.call("PAIR.HALT", "BTC-USDT");

        assertEquals("ERR syntax error", client.error("ORDER.PLACE", "BTC-USDT", "BUY", "ACCOUNT", "a", "QTY", "1",
            "NOPE", "1"));
        assertEquals("NOPAIR", TradingClient.code(
            client.error("ORDER.PLACE", "ETH-USDT", "BUY", "ACCOUNT", "a", "QTY", "x")));
        assertTrue(client.error("ORDER.PLACE", "BTC-USDT", "BUY", "ACCOUNT", "a", "QTY", "0.000001")
            .startsWith("INVALID QTY: "));
        assertTrue(client.error("ORDER.PLACE", "BTC-USDT", "BUY", "ACCOUNT", "a", "QTY", "1", "PRICE", "1.001")
            .startsWith("INVALID PRICE: "));
        assertTrue(client.error("ORDER.AMEND", "BTC-USDT", "abc", "QTY", "1").startsWith("INVALID ORDER_ID: "));
        assertEquals("HALTED", TradingClient.code(
            client.error("ORDER.PLACE", "BTC-USDT", "BUY", "ACCOUNT", "a", "QTY", "1")));
    }

    @Test
    void pairsOfTheShippedConfigurationAreAddedAtStart()
    {
        final Path config = Path.of("..", "config", "demo-pairs.conf");
        try (TradingNode configured = new TradingNode(new EngineNode(TradingNode.context().loadConfig(config)).start());
            TradingClient configuredClient = configured.client())
        {
            assertEquals(List.of("BTC-USDT", "ETH-USDT"), configuredClient.call("PAIRS"));
            final Map<String, Object> info = configuredClient.record("PAIR.INFO", "BTC-USDT");
            assertEquals("0.01", info.get("tick"));
            assertEquals("0.002", info.get("taker_fee"));
            assertEquals("NEW", configuredClient.place("ETH-USDT", "BUY", "ACCOUNT", "a", "QTY", "0.0001",
                "PRICE", "2000").get("status"));
        }
    }

    @Test
    void invalidConfiguredPairStopsTheNodeFromStarting(@TempDir final Path dir) throws Exception
    {
        final Path config = dir.resolve("bad.conf");
        Files.writeString(config, "pair.BTC-USDT=TICK 0.01 LOT 0.000000001\n");
        final EngineNodeContext context = TradingNode.context().loadConfig(config);
        final IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> new EngineNode(context));
        assertTrue(error.getMessage().contains("pair.BTC-USDT"), error.getMessage());
    }

    private void assertInvalid(final String prefix, final String... args)
    {
        final String error = client.error("PAIR.ADD", args);
        assertTrue(error.startsWith(prefix + ": "), "expected " + prefix + " but got " + error);
    }
}
