package io.redmatch.engine.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.redmatch.engine.node.TradingClient.fill;
import static io.redmatch.engine.node.TradingClient.fills;
import static io.redmatch.engine.node.TradingClient.orderId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ORDER.*} commands over a real socket with Jedis (RESP2): every order type and option, the exact record
 * shape, idempotent client ids, cancel, amend, get, list and cancel-all.
 */
class OrderCommandsEndToEndTest
{
    static final String PAIR = "BTC-USDT";
    static final List<String> RECORD_FIELDS = List.of(
        "order_id", "client_id", "account", "pair", "side", "type", "price", "status", "reason", "qty", "filled_qty",
        "open_qty", "avg_price", "fills", "ts", "stop_price");

    private TradingNode node;
    private TradingClient client;

    @BeforeEach
    void startNode()
    {
        node = TradingNode.start();
        client = node.client();
        client.addPair(PAIR, "TICK", "0.01", "LOT", "0.00001", "MIN_QTY", "0.0001",
            "MAKER_FEE", "0.001", "TAKER_FEE", "0.002");
    }

    @AfterEach
    void stopNode()
    {
        client.close();
        node.close();
    }

    @Test
    void restingLimitOrderRecordHasSixteenFieldsInOrder()
    {
        final Map<String, Object> record = place("SELL", "ACCOUNT", "alice", "QTY", "0.50000", "PRICE", "30000.50");

        assertEquals(RECORD_FIELDS, List.copyOf(record.keySet()));
        assertEquals(1L, record.get("order_id"));
        assertNull(record.get("client_id"));
        assertEquals("alice", record.get("account"));
        assertEquals(PAIR, record.get("pair"));
        assertEquals("SELL", record.get("side"));
        assertEquals("LIMIT", record.get("type"));
        assertEquals("30000.5", record.get("price"));
        assertEquals("NEW", record.get("status"));
        assertNull(record.get("reason"));
        assertEquals("0.5", record.get("qty"));
        assertEquals("0", record.get("filled_qty"));
        assertEquals("0.5", record.get("open_qty"));
        assertNull(record.get("avg_price"));
        assertEquals(List.of(), record.get("fills"));
        assertInstanceOf(Long.class, record.get("ts"));
        assertTrue((Long)record.get("ts") > 1_600_000_000_000_000L, "ts in microseconds: " + record.get("ts"));
        assertNull(record.get("stop_price"));
    }

    @Test
    void takerGetsFillsAtMakerPricesWithSequenceAndAveragePrice()
    {
        place("SELL", "ACCOUNT", "alice", "QTY", "0.3", "PRICE", "100.10");
        place("SELL", "ACCOUNT", "carol", "QTY", "0.2", "PRICE", "100.10");
        place("SELL", "ACCOUNT", "alice", "QTY", "1", "PRICE", "100.40");

        final Map<String, Object> taker = place("BUY", "ACCOUNT", "bob", "QTY", "0.7", "PRICE", "101");

        assertEquals(List.of(fill(1, "100.1", "0.3"), fill(2, "100.1", "0.2"), fill(3, "100.4", "0.2")),
            fills(taker));
        assertEquals("FILLED", taker.get("status"));
        assertNull(taker.get("reason"));
        assertEquals("0.7", taker.get("qty"));
        assertEquals("0.7", taker.get("filled_qty"));
        assertEquals("0", taker.get("open_qty"));
        assertEquals("101", taker.get("price"));
        // (0.5 × 100.1 + 0.2 × 100.4) / 0.7 = 100.185714285714..., truncated at 8 decimals past the tick
        assertEquals("100.1857142857", taker.get("avg_price"));

        final Map<String, Object> maker = get(3);
        assertEquals("PARTIALLY_FILLED", maker.get("status"));
        assertEquals("0.2", maker.get("filled_qty"));
        assertEquals("0.8", maker.get("open_qty"));
        assertEquals("100.4", maker.get("avg_price"));
        assertEquals(List.of(), maker.get("fills"));
        assertEquals("FILLED", get(1).get("status"));
    }

    @Test
    void partiallyFilledLimitRestsTheRemainder()
    {
        place("SELL", "ACCOUNT", "alice", "QTY", "0.25", "PRICE", "100");

        final Map<String, Object> taker = place("BUY", "ACCOUNT", "bob", "QTY", "1", "PRICE", "100.5");

        assertEquals("PARTIALLY_FILLED", taker.get("status"));
        assertEquals("0.25", taker.get("filled_qty"));
        assertEquals("0.75", taker.get("open_qty"));
        assertEquals(List.of(fill(1, "100", "0.25")), fills(taker));
        assertEquals("100.5", bbo().get("bid_price"));
        assertEquals("0.75", bbo().get("bid_qty"));
    }

    @Test
    void marketOrderByQuantitySweepsLevelsAndCancelsTheRestForNoLiquidity()
    {
        place("SELL", "ACCOUNT", "alice", "QTY", "0.1", "PRICE", "100");
        place("SELL", "ACCOUNT", "alice", "QTY", "0.2", "PRICE", "101");

        final Map<String, Object> market = place("BUY", "ACCOUNT", "bob", "QTY", "0.5");

        assertEquals("MARKET", market.get("type"));
        assertNull(market.get("price"));
        assertEquals("CANCELLED", market.get("status"));
        assertEquals("NO_LIQUIDITY", market.get("reason"));
        assertEquals("0.5", market.get("qty"));
        assertEquals("0.3", market.get("filled_qty"));
        assertEquals("0", market.get("open_qty"));
        assertEquals(List.of(fill(1, "100", "0.1"), fill(2, "101", "0.2")), fills(market));

        final Map<String, Object> filled = place("SELL", "ACCOUNT", "bob", "QTY", "0.0001");
        assertEquals("CANCELLED", filled.get("status"));
        assertEquals("NO_LIQUIDITY", filled.get("reason"));
        assertEquals(List.of(), fills(filled));
        assertNull(filled.get("avg_price"));
    }

    @Test
    void marketSellFillsCompletely()
    {
        place("BUY", "ACCOUNT", "alice", "QTY", "1", "PRICE", "99.99");

        final Map<String, Object> market = place("SELL", "ACCOUNT", "bob", "QTY", "0.4");

        assertEquals("FILLED", market.get("status"));
        assertNull(market.get("reason"));
        assertEquals(List.of(fill(1, "99.99", "0.4")), fills(market));
        assertEquals("99.99", market.get("avg_price"));
    }

    @Test
    void marketBuyByQuoteQuantitySpendsTheBudgetInWholeLots()
    {
        place("SELL", "ACCOUNT", "alice", "QTY", "0.001", "PRICE", "100");
        place("SELL", "ACCOUNT", "alice", "QTY", "1", "PRICE", "200");

        // 0.1 at 100 then 49.9 / 200 = 0.2495 at 200: 0.001 + 0.2495 = 0.2505, budget fully spent
        final Map<String, Object> market = place("BUY", "ACCOUNT", "bob", "QUOTE_QTY", "50");

        assertEquals("MARKET", market.get("type"));
        assertEquals("FILLED", market.get("status"));
        assertNull(market.get("reason"));
        assertEquals(List.of(fill(1, "100", "0.001"), fill(2, "200", "0.2495")), fills(market));
        assertEquals("0.2505", market.get("qty"));
        assertEquals("0.2505", market.get("filled_qty"));
        assertEquals("0", market.get("open_qty"));

        // 0.001 at 200 costs 0.2: a budget of 0.0019 buys nothing yet counts as FILLED
        final Map<String, Object> tiny = place("BUY", "ACCOUNT", "bob", "QUOTE_QTY", "0.0019");
        assertEquals("FILLED", tiny.get("status"));
        assertEquals(List.of(), fills(tiny));
        assertEquals("0", tiny.get("qty"));
    }

    @Test
    void quoteQuantityIsOnlyForMarketBuys()
    {
        assertInvalid("INVALID QUOTE_QTY", "SELL", "ACCOUNT", "a", "QUOTE_QTY", "10");
        assertInvalid("INVALID QUOTE_QTY", "BUY", "ACCOUNT", "a", "QUOTE_QTY", "10", "PRICE", "1");
        assertEquals("ERR syntax error", client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "QUOTE_QTY", "10",
            "QTY", "1"));
        assertEquals("ERR syntax error", client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "PRICE", "1"));
    }

    @Test
    void iocCancelsItsRemainder()
    {
        place("SELL", "ACCOUNT", "alice", "QTY", "0.1", "PRICE", "100");

        final Map<String, Object> ioc = place("BUY", "ACCOUNT", "bob", "QTY", "0.3", "PRICE", "100", "TIF", "IOC");

        assertEquals("CANCELLED", ioc.get("status"));
        assertEquals("IOC_REMAINDER", ioc.get("reason"));
        assertEquals("0.1", ioc.get("filled_qty"));
        assertEquals("0", ioc.get("open_qty"));
        assertEquals(List.of(fill(1, "100", "0.1")), fills(ioc));
        assertNull(bbo().get("bid_price"));
    }

    @Test
    void fokIsRejectedUnlessFullyFillable()
    {
        place("SELL", "ACCOUNT", "alice", "QTY", "0.1", "PRICE", "100");
        place("SELL", "ACCOUNT", "alice", "QTY", "0.1", "PRICE", "101");

        final Map<String, Object> rejected =
            place("BUY", "ACCOUNT", "bob", "QTY", "0.3", "PRICE", "101", "TIF", "FOK");
        assertEquals(3L, orderId(rejected));
        assertEquals("REJECTED", rejected.get("status"));
        assertEquals("FOK_NOT_FILLABLE", rejected.get("reason"));
        assertEquals("0", rejected.get("filled_qty"));
        assertEquals(List.of(), fills(rejected));

        final Map<String, Object> filled =
            place("BUY", "ACCOUNT", "bob", "QTY", "0.2", "PRICE", "101", "tif", "fok");
        assertEquals("FILLED", filled.get("status"));
        assertEquals(List.of(fill(1, "100", "0.1"), fill(2, "101", "0.1")), fills(filled));
    }

    @Test
    void postOnlyIsRejectedWhenItWouldTakeAndRestsOtherwise()
    {
        place("SELL", "ACCOUNT", "alice", "QTY", "0.1", "PRICE", "100");

        final Map<String, Object> rejected = place("BUY", "ACCOUNT", "bob", "QTY", "0.1", "PRICE", "100", "POST_ONLY");
        assertEquals("REJECTED", rejected.get("status"));
        assertEquals("POST_ONLY_WOULD_TAKE", rejected.get("reason"));
        assertEquals(List.of(), fills(rejected));

        final Map<String, Object> rests = place("BUY", "ACCOUNT", "bob", "POST_ONLY", "QTY", "0.1", "PRICE", "99.99");
        assertEquals("NEW", rests.get("status"));
        assertEquals("99.99", bbo().get("bid_price"));

        assertInvalid("INVALID POST_ONLY", "BUY", "ACCOUNT", "bob", "QTY", "0.1", "POST_ONLY");
        assertInvalid("INVALID POST_ONLY", "BUY", "ACCOUNT", "bob", "QTY", "0.1", "PRICE", "1", "TIF", "IOC",
            "POST_ONLY");
    }

    @Test
    void tifIsOnlyForLimitOrders()
    {
        assertInvalid("INVALID TIF", "BUY", "ACCOUNT", "bob", "QTY", "0.1", "TIF", "IOC");
        assertInvalid("INVALID TIF", "BUY", "ACCOUNT", "bob", "QTY", "0.1", "PRICE", "1", "TIF", "DAY");
        assertEquals("NEW", place("BUY", "ACCOUNT", "bob", "QTY", "0.1", "PRICE", "1", "TIF", "GTC").get("status"));
    }

    @Test
    void stopOrdersWaitForTheirTriggerAndThenTrade()
    {
        assertEquals("INVALID STOP: no trade yet, a stop cannot trigger",
            client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "s", "QTY", "0.1", "STOP", "110"));
        trade("100");

        assertEquals("INVALID STOP: trigger already reached by the last trade price",
            client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "s", "QTY", "0.1", "STOP", "100"));
        assertEquals("INVALID STOP: trigger already reached by the last trade price",
            client.error("ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "s", "QTY", "0.1", "STOP", "100.01"));

        final Map<String, Object> stopMarket = place("BUY", "ACCOUNT", "s", "QTY", "0.1", "STOP", "105");
        assertEquals("STOP_MARKET", stopMarket.get("type"));
        assertEquals("PENDING_TRIGGER", stopMarket.get("status"));
        assertNull(stopMarket.get("price"));
        assertEquals("105", stopMarket.get("stop_price"));
        assertEquals("0.1", stopMarket.get("open_qty"));

        final Map<String, Object> stopLimit =
            place("SELL", "ACCOUNT", "s", "QTY", "0.2", "STOP", "95.5", "PRICE", "95", "CLIENT_ID", "sl-1");
        assertEquals("STOP_LIMIT", stopLimit.get("type"));
        assertEquals("PENDING_TRIGGER", stopLimit.get("status"));
        assertEquals("95", stopLimit.get("price"));
        assertEquals("95.5", stopLimit.get("stop_price"));
        assertEquals("sl-1", stopLimit.get("client_id"));

        // a trade at 106 triggers the buy stop, which takes the 107 ask
        place("SELL", "ACCOUNT", "maker", "QTY", "1", "PRICE", "106");
        place("SELL", "ACCOUNT", "maker", "QTY", "1", "PRICE", "107");
        final Map<String, Object> trigger = place("BUY", "ACCOUNT", "t", "QTY", "1", "PRICE", "106");
        assertEquals(List.of(fill(2, "106", "1")), fills(trigger));

        final Map<String, Object> triggered = get(orderId(stopMarket));
        assertEquals("FILLED", triggered.get("status"));
        assertEquals("STOP_MARKET", triggered.get("type"));
        assertEquals("107", triggered.get("avg_price"));
        assertEquals("PENDING_TRIGGER", get(orderId(stopLimit)).get("status"));
    }

    @Test
    void replyHasTheFillsTheOrderMadeAsMakerAgainstStopsItTriggered()
    {
        trade("100");
        final long stop = orderId(place("SELL", "ACCOUNT", "s", "QTY", "0.1", "STOP", "96"));
        place("SELL", "ACCOUNT", "alice", "QTY", "0.1", "PRICE", "95");

        // bob takes the 95 ask, the price falls to 95, the sell stop fires and hits bob's resting remainder
        final Map<String, Object> taker = place("BUY", "ACCOUNT", "bob", "QTY", "0.2", "PRICE", "95");

        assertEquals("FILLED", taker.get("status"));
        assertEquals("0.2", taker.get("filled_qty"));
        assertEquals(List.of(fill(2, "95", "0.1"), fill(3, "95", "0.1")), fills(taker));
        assertEquals("FILLED", get(stop).get("status"));
    }

    @Test
    void selfTradePreventionModes()
    {
        place("SELL", "ACCOUNT", "alice", "QTY", "0.1", "PRICE", "100");

        final Map<String, Object> cancelTaker = place("BUY", "ACCOUNT", "alice", "QTY", "0.1", "PRICE", "100");
        assertEquals("CANCELLED", cancelTaker.get("status"));
        assertEquals("SELF_TRADE", cancelTaker.get("reason"));
        assertEquals("NEW", get(1).get("status"));

        final Map<String, Object> none =
            place("BUY", "ACCOUNT", "alice", "QTY", "0.05", "PRICE", "100", "STP", "NONE");
        assertEquals("FILLED", none.get("status"));
        assertEquals(List.of(fill(1, "100", "0.05")), fills(none));

        final Map<String, Object> cancelMaker =
            place("BUY", "ACCOUNT", "alice", "QTY", "0.1", "PRICE", "100", "STP", "cancel_maker");
        assertEquals("NEW", cancelMaker.get("status"));
        final Map<String, Object> maker = get(1);
        assertEquals("CANCELLED", maker.get("status"));
        assertEquals("SELF_TRADE", maker.get("reason"));

        place("SELL", "ACCOUNT", "bob", "QTY", "0.1", "PRICE", "100.5");
        final Map<String, Object> both =
            place("SELL", "ACCOUNT", "alice", "QTY", "0.1", "PRICE", "100", "STP", "CANCEL_BOTH");
        assertEquals("CANCELLED", both.get("status"));
        assertEquals("SELF_TRADE", both.get("reason"));
        assertEquals("CANCELLED", get(orderId(cancelMaker)).get("status"));
        assertEquals("SELF_TRADE", get(orderId(cancelMaker)).get("reason"));

        assertInvalid("INVALID STP", "BUY", "ACCOUNT", "alice", "QTY", "0.1", "PRICE", "100", "STP", "SOMETIMES");
    }

    @Test
    void repeatedClientIdReturnsTheSameOrderWithEmptyFills()
    {
        place("SELL", "ACCOUNT", "alice", "QTY", "0.1", "PRICE", "100");
        final Map<String, Object> first =
            place("BUY", "ACCOUNT", "bob", "QTY", "0.3", "PRICE", "100", "CLIENT_ID", "my-order:1");
        assertEquals(List.of(fill(1, "100", "0.1")), fills(first));
        assertEquals("my-order:1", first.get("client_id"));

        final Map<String, Object> repeat =
            place("BUY", "ACCOUNT", "bob", "QTY", "0.3", "PRICE", "100", "CLIENT_ID", "my-order:1");
        final Map<String, Object> expected = new java.util.LinkedHashMap<>(first);
        expected.put("fills", List.of());
        assertEquals(expected, repeat);

        // even with other parameters nothing new is placed
        final Map<String, Object> different =
            place("SELL", "ACCOUNT", "bob", "QTY", "5", "CLIENT_ID", "my-order:1");
        assertEquals(expected, different);
        assertEquals(1L, client.record("TICKER", PAIR).get("trades"));

        // another account may use the same client id
        final Map<String, Object> other =
            place("BUY", "ACCOUNT", "carol", "QTY", "0.3", "PRICE", "99", "CLIENT_ID", "my-order:1");
        assertNotEquals(orderId(first), orderId(other));

        // after it closes the client id still names it
        client.record("ORDER.CANCEL", PAIR, Long.toString(orderId(first)));
        final Map<String, Object> closed =
            place("BUY", "ACCOUNT", "bob", "QTY", "0.3", "PRICE", "100", "CLIENT_ID", "my-order:1");
        assertEquals(orderId(first), orderId(closed));
        assertEquals("CANCELLED", closed.get("status"));
        assertEquals(List.of(), fills(closed));
        assertEquals(4L, orderId(place("BUY", "ACCOUNT", "bob", "QTY", "0.3", "PRICE", "90")));
    }

    @Test
    void retryWithTheSameClientIdGetsTheRecordEvenWhenThePlacementWouldNowBeRefused()
    {
        trade("100");
        final Map<String, Object> stop =
            place("SELL", "ACCOUNT", "s", "QTY", "0.1", "STOP", "95", "CLIENT_ID", "stop-1");
        assertEquals("PENDING_TRIGGER", stop.get("status"));
        place("BUY", "ACCOUNT", "b", "QTY", "1", "PRICE", "94");
        place("SELL", "ACCOUNT", "a", "QTY", "0.1", "PRICE", "94");

        // the stop fired, so its trigger is now reached: a retry still names the order instead of failing
        final Map<String, Object> retry =
            place("SELL", "ACCOUNT", "s", "QTY", "0.1", "STOP", "95", "CLIENT_ID", "stop-1");
        assertEquals(orderId(stop), orderId(retry));
        assertEquals("FILLED", retry.get("status"));
        assertEquals(List.of(), fills(retry));

        final Map<String, Object> resting =
            place("BUY", "ACCOUNT", "b", "QTY", "0.1", "PRICE", "90", "CLIENT_ID", "limit-1");
        client.call("PAIR.HALT", PAIR);
        final Map<String, Object> haltedRetry =
            place("BUY", "ACCOUNT", "b", "QTY", "0.1", "PRICE", "90", "CLIENT_ID", "limit-1");
        assertEquals(resting, haltedRetry);
        assertEquals("HALTED pair is halted", client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "b", "QTY", "0.1",
            "PRICE", "90", "CLIENT_ID", "limit-2"));
        assertEquals("INVALID STOP: trigger already reached by the last trade price", client.error("ORDER.PLACE",
            PAIR, "SELL", "ACCOUNT", "s", "QTY", "0.1", "STOP", "95", "CLIENT_ID", "stop-2"));
    }

    @Test
    void cancelByIdAndByClientId()
    {
        final long first = orderId(place("BUY", "ACCOUNT", "alice", "QTY", "0.1", "PRICE", "90"));
        final long second = orderId(place("BUY", "ACCOUNT", "alice", "QTY", "0.2", "PRICE", "91", "CLIENT_ID", "c-2"));

        final Map<String, Object> byId = client.record("ORDER.CANCEL", PAIR, Long.toString(first));
        assertEquals(RECORD_FIELDS, List.copyOf(byId.keySet()));
        assertEquals(first, orderId(byId));
        assertEquals("CANCELLED", byId.get("status"));
        assertEquals("USER_CANCEL", byId.get("reason"));
        assertEquals("0", byId.get("open_qty"));
        assertEquals("0.1", byId.get("qty"));

        final Map<String, Object> byClientId = client.record("ORDER.CANCEL", PAIR, "client_id", "alice", "c-2");
        assertEquals(second, orderId(byClientId));
        assertEquals("CANCELLED", byClientId.get("status"));

        assertEquals("NOORDER", TradingClient.code(client.error("ORDER.CANCEL", PAIR, Long.toString(first))));
        assertEquals("NOORDER", TradingClient.code(client.error("ORDER.CANCEL", PAIR, "CLIENT_ID", "alice", "c-2")));
        assertEquals("NOORDER", TradingClient.code(client.error("ORDER.CANCEL", PAIR, "CLIENT_ID", "bob", "c-2")));
        assertEquals("NOORDER", TradingClient.code(client.error("ORDER.CANCEL", PAIR, "999")));
        assertEquals("ERR syntax error", client.error("ORDER.CANCEL", PAIR, "CLIENT_ID", "alice"));
        assertEquals("ERR syntax error", client.error("ORDER.CANCEL", PAIR, "1", "2"));
        assertTrue(client.error("ORDER.CANCEL", PAIR, "x").startsWith("INVALID ORDER_ID: "));
        assertTrue(client.error("ORDER.CANCEL", PAIR, "0").startsWith("INVALID ORDER_ID: "));
    }

    @Test
    void cancelOfPendingStop()
    {
        trade("100");
        final long stop = orderId(place("SELL", "ACCOUNT", "s", "QTY", "0.1", "STOP", "90"));

        final Map<String, Object> cancelled = client.record("ORDER.CANCEL", PAIR, Long.toString(stop));

        assertEquals("CANCELLED", cancelled.get("status"));
        assertEquals("USER_CANCEL", cancelled.get("reason"));
        assertEquals("STOP_MARKET", cancelled.get("type"));
        assertEquals("90", cancelled.get("stop_price"));
    }

    @Test
    void amendReducingKeepsPriorityAndRaisingLosesIt()
    {
        final long first = orderId(place("SELL", "ACCOUNT", "a", "QTY", "1", "PRICE", "100"));
        final long second = orderId(place("SELL", "ACCOUNT", "b", "QTY", "1", "PRICE", "100"));

        final Map<String, Object> reduced = client.record("ORDER.AMEND", PAIR, Long.toString(first), "QTY", "0.5");
        assertEquals("0.5", reduced.get("qty"));
        assertEquals("0.5", reduced.get("open_qty"));
        assertEquals(List.of(), fills(reduced));
        assertEquals("0.5", fills(place("BUY", "ACCOUNT", "t", "QTY", "0.5")).get(0).get(2));
        assertEquals("FILLED", get(first).get("status"));

        final long third = orderId(place("SELL", "ACCOUNT", "c", "QTY", "1", "PRICE", "100"));
        final Map<String, Object> raised = client.record("ORDER.AMEND", PAIR, Long.toString(second), "QTY", "2");
        assertEquals("2", raised.get("open_qty"));
        final Map<String, Object> taker = place("BUY", "ACCOUNT", "t", "QTY", "1");
        assertEquals("NEW", get(second).get("status"));
        assertEquals("FILLED", get(third).get("status"));
        assertEquals(1, fills(taker).size());

        final Map<String, Object> moved = client.record("ORDER.AMEND", PAIR, Long.toString(second), "PRICE", "101",
            "QTY", "1.5");
        assertEquals("101", moved.get("price"));
        assertEquals("1.5", moved.get("open_qty"));
        assertEquals(List.of(List.of("101", "1.5", 1L)), depth().get("asks"));
    }

    @Test
    void amendAfterPartialFillSetsTheNewOpenQuantity()
    {
        final long maker = orderId(place("SELL", "ACCOUNT", "a", "QTY", "1", "PRICE", "100"));
        place("BUY", "ACCOUNT", "t", "QTY", "0.4");

        final Map<String, Object> amended = client.record("ORDER.AMEND", PAIR, Long.toString(maker), "QTY", "2");

        assertEquals("0.4", amended.get("filled_qty"));
        assertEquals("2", amended.get("open_qty"));
        assertEquals("2.4", amended.get("qty"));
        assertEquals("PARTIALLY_FILLED", amended.get("status"));
    }

    @Test
    void crossingAmendTradesAsTakerAndReturnsItsFills()
    {
        place("SELL", "ACCOUNT", "a", "QTY", "0.3", "PRICE", "101");
        final long buy = orderId(place("BUY", "ACCOUNT", "b", "QTY", "0.5", "PRICE", "99", "CLIENT_ID", "b-1"));

        final Map<String, Object> amended = client.record("ORDER.AMEND", PAIR, Long.toString(buy), "PRICE", "102");

        assertEquals(buy, orderId(amended));
        assertEquals("b-1", amended.get("client_id"));
        assertEquals(List.of(fill(1, "101", "0.3")), fills(amended));
        assertEquals("PARTIALLY_FILLED", amended.get("status"));
        assertEquals("102", amended.get("price"));
        assertEquals("0.2", amended.get("open_qty"));
        assertEquals("102", bbo().get("bid_price"));
    }

    @Test
    void amendErrors()
    {
        trade("100");
        final long postOnly = orderId(place("BUY", "ACCOUNT", "p", "QTY", "0.1", "PRICE", "98", "POST_ONLY"));
        place("SELL", "ACCOUNT", "a", "QTY", "0.1", "PRICE", "99");

        assertEquals("INVALID PRICE: would take",
            client.error("ORDER.AMEND", PAIR, Long.toString(postOnly), "PRICE", "99"));
        final Map<String, Object> unchanged = get(postOnly);
        assertEquals("98", unchanged.get("price"));
        assertEquals("NEW", unchanged.get("status"));

        final long stop = orderId(place("SELL", "ACCOUNT", "s", "QTY", "0.1", "STOP", "90"));
        assertTrue(client.error("ORDER.AMEND", PAIR, Long.toString(stop), "QTY", "0.2").startsWith("INVALID ORDER: "));
        assertEquals("PENDING_TRIGGER", get(stop).get("status"));

        assertEquals("NOORDER", TradingClient.code(client.error("ORDER.AMEND", PAIR, "999", "QTY", "1")));
        assertEquals("NOORDER", TradingClient.code(client.error("ORDER.AMEND", PAIR, "1", "QTY", "1")));
        assertTrue(client.error("ORDER.AMEND", PAIR, Long.toString(postOnly), "QTY", "0")
            .startsWith("INVALID QTY: "));
        assertTrue(client.error("ORDER.AMEND", PAIR, Long.toString(postOnly), "QTY", "0.00001")
            .startsWith("INVALID QTY: below the minimum"));
        assertTrue(client.error("ORDER.AMEND", PAIR, Long.toString(postOnly), "PRICE", "98.001")
            .startsWith("INVALID PRICE: "));
        assertEquals("ERR syntax error", client.error("ORDER.AMEND", PAIR, Long.toString(postOnly), "QTY", "1",
            "QTY", "2"));
        assertEquals("ERR syntax error", client.error("ORDER.AMEND", PAIR, Long.toString(postOnly), "SIZE", "1"));
        assertEquals("ERR syntax error", client.error("ORDER.AMEND", PAIR, Long.toString(postOnly), "QTY", "1",
            "PRICE"));
        assertEquals("ERR wrong number of arguments for 'order.amend' command",
            client.error("ORDER.AMEND", PAIR, Long.toString(postOnly)));
    }

    @Test
    void getReturnsOpenAndClosedOrdersAndNilForUnknown()
    {
        final long open = orderId(place("BUY", "ACCOUNT", "a", "QTY", "0.1", "PRICE", "90", "CLIENT_ID", "x"));
        final long closed = orderId(place("BUY", "ACCOUNT", "a", "QTY", "0.1", "PRICE", "90", "TIF", "IOC"));

        final Map<String, Object> openRecord = get(open);
        assertEquals(RECORD_FIELDS, List.copyOf(openRecord.keySet()));
        assertEquals("NEW", openRecord.get("status"));
        assertEquals(openRecord, client.record("ORDER.GET", PAIR, "CLIENT_ID", "a", "x"));
        assertEquals("CANCELLED", get(closed).get("status"));
        assertEquals("IOC_REMAINDER", get(closed).get("reason"));

        assertNull(client.call("ORDER.GET", PAIR, "999"));
        assertNull(client.call("ORDER.GET", PAIR, "CLIENT_ID", "a", "y"));
        assertNull(client.call("ORDER.GET", PAIR, "CLIENT_ID", "nobody", "x"));
        assertTrue(client.error("ORDER.GET", PAIR, "-5").startsWith("INVALID ORDER_ID: "));
        assertTrue(client.error("ORDER.GET", PAIR, "CLIENT_ID", "a", "b c").startsWith("INVALID CLIENT_ID: "));
        assertTrue(client.error("ORDER.GET", PAIR, "CLIENT_ID", "a b", "x").startsWith("INVALID ACCOUNT: "));
    }

    @Test
    void listReturnsOpenOrdersOldestFirstIncludingPendingStops()
    {
        trade("100");
        final long a = orderId(place("BUY", "ACCOUNT", "lister", "QTY", "0.1", "PRICE", "90"));
        final long b = orderId(place("SELL", "ACCOUNT", "lister", "QTY", "0.1", "STOP", "80"));
        place("BUY", "ACCOUNT", "other", "QTY", "0.1", "PRICE", "91");
        final long c = orderId(place("SELL", "ACCOUNT", "lister", "QTY", "0.2", "PRICE", "120"));
        final long d = orderId(place("BUY", "ACCOUNT", "lister", "QTY", "0.3", "PRICE", "89"));
        client.record("ORDER.CANCEL", PAIR, Long.toString(d));
        final long e = orderId(place("BUY", "ACCOUNT", "lister", "QTY", "0.3", "PRICE", "89", "TIF", "IOC"));
        client.record("ORDER.AMEND", PAIR, Long.toString(a), "PRICE", "91");

        final List<Long> ids = new ArrayList<>();
        for (final Object record : (List<?>)client.call("ORDER.LIST", PAIR, "ACCOUNT", "lister"))
        {
            final Map<String, Object> fields = TradingClient.record(record);
            assertEquals(RECORD_FIELDS, List.copyOf(fields.keySet()));
            assertEquals(List.of(), fields.get("fills"));
            ids.add(orderId(fields));
        }
        assertEquals(List.of(a, b, c), ids);
        assertTrue(e > d);
        assertEquals(List.of(), client.call("ORDER.LIST", PAIR, "ACCOUNT", "nobody"));
        assertEquals("ERR syntax error", client.error("ORDER.LIST", PAIR, "ACCT", "lister"));
        assertEquals("ERR wrong number of arguments for 'order.list' command",
            client.error("ORDER.LIST", PAIR, "ACCOUNT"));
    }

    @Test
    void cancelAllCountsRestingAndPendingOrders()
    {
        trade("100");
        place("BUY", "ACCOUNT", "k", "QTY", "0.1", "PRICE", "90");
        place("SELL", "ACCOUNT", "k", "QTY", "0.1", "PRICE", "110");
        place("SELL", "ACCOUNT", "k", "QTY", "0.1", "STOP", "95");
        place("BUY", "ACCOUNT", "k2", "QTY", "0.1", "PRICE", "90");

        assertEquals(3L, client.call("ORDER.CANCELALL", PAIR, "ACCOUNT", "k"));
        assertEquals(0L, client.call("ORDER.CANCELALL", PAIR, "ACCOUNT", "k"));
        assertEquals(0L, client.call("ORDER.CANCELALL", PAIR, "ACCOUNT", "never-seen"));
        assertEquals(List.of(), client.call("ORDER.LIST", PAIR, "ACCOUNT", "k"));
        assertEquals(1, ((List<?>)client.call("ORDER.LIST", PAIR, "ACCOUNT", "k2")).size());
        assertEquals(List.of(List.of("90", "0.1", 1L)), depth().get("bids"));
        assertEquals(List.of(), depth().get("asks"));
    }

    @Test
    void keywordsAndSidesAreCaseInsensitive()
    {
        final Map<String, Object> record = client.record("order.place", PAIR, "sell", "account", "Alice", "qty",
            "0.1", "price", "100", "client_id", "Mixed.Case", "stp", "none", "post_only");
        assertEquals("SELL", record.get("side"));
        assertEquals("Alice", record.get("account"));
        assertEquals("Mixed.Case", record.get("client_id"));
        assertNull(client.call("ORDER.GET", PAIR, "CLIENT_ID", "alice", "Mixed.Case"));
        assertEquals("NOPAIR", TradingClient.code(client.error("ORDER.PLACE", "btc-usdt", "BUY", "ACCOUNT", "a",
            "QTY", "1")));
    }

    private void trade(final String price)
    {
        place("SELL", "ACCOUNT", "seed-maker", "QTY", "0.0001", "PRICE", price);
        final Map<String, Object> taker = place("BUY", "ACCOUNT", "seed-taker", "QTY", "0.0001", "PRICE", price);
        assertEquals("FILLED", taker.get("status"));
    }

    private Map<String, Object> place(final String... args)
    {
        return client.place(PAIR, args);
    }

    private Map<String, Object> get(final long orderId)
    {
        return client.record("ORDER.GET", PAIR, Long.toString(orderId));
    }

    private Map<String, Object> bbo()
    {
        return client.record("BOOK.BBO", PAIR);
    }

    private Map<String, Object> depth()
    {
        return client.record("BOOK.DEPTH", PAIR);
    }

    private void assertInvalid(final String prefix, final String... args)
    {
        final String[] all = Arrays.copyOf(new String[]{PAIR}, args.length + 1);
        System.arraycopy(args, 0, all, 1, args.length);
        final String error = client.error("ORDER.PLACE", all);
        assertTrue(error.startsWith(prefix + ": "), "expected " + prefix + " but got " + error);
    }
}
