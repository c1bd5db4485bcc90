package io.redmatch.engine.node;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.redmatch.engine.node.TradingClient.orderId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Market data over Pub/Sub from a real node: {@code trades:<pair>}, {@code depth:<pair>} and {@code bbo:<pair>}
 * payloads field by field, their order, public fields only, and depth deltas that rebuild {@code BOOK.DEPTH}.
 */
@Timeout(120)
class MarketDataPubSubTest
{
    private static final String PAIR = "BTC-USDT";
    private static final String OTHER_PAIR = "ETH-USDT";
    private static final List<String> TRADE_FIELDS =
        List.of("seq", "pair", "price", "qty", "quote_qty", "taker_side", "ts");
    private static final long WAIT_SECONDS = 10;

    private TradingNode node;
    private TradingClient client;
    private RedisClient redisClient;
    private StatefulRedisPubSubConnection<String, String> subscriber;
    private final BlockingQueue<String[]> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void startNode()
    {
        node = TradingNode.start();
        client = node.client();
        client.addPair(PAIR, "TICK", "0.01", "LOT", "0.00001", "MAKER_FEE", "0.001", "TAKER_FEE", "0.002");
        client.addPair(OTHER_PAIR, "TICK", "0.01", "LOT", "0.0001");
        redisClient = RedisClient.create(RedisURI.create(TradingNode.HOST, node.port()));
        subscriber = redisClient.connectPubSub();
        subscriber.addListener(new RedisPubSubAdapter<>()
        {
            @Override
            public void message(final String channel, final String message)
            {
                received.add(new String[]{channel, message});
            }

            @Override
            public void message(final String pattern, final String channel, final String message)
            {
                received.add(new String[]{channel, message});
            }
        });
    }

    @AfterEach
    void stopNode()
    {
        subscriber.close();
        redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        client.close();
        node.close();
    }

    @Test
    void eachCommandPublishesItsTradesThenDepthThenBbo() throws Exception
    {
        subscriber.sync().subscribe("trades:" + PAIR, "depth:" + PAIR, "bbo:" + PAIR);

        final long restTs = ts(client.place(PAIR, "SELL", "ACCOUNT", "alice", "QTY", "0.3", "PRICE", "100.10"));
        expect("depth:" + PAIR, depth(1, List.of(), List.of(level("100.1", "0.3", 1)), restTs));
        expect("bbo:" + PAIR, bbo(1, null, null, "100.1", "0.3", restTs));

        final long carol = orderId(client.place(PAIR, "SELL", "ACCOUNT", "carol", "QTY", "0.5", "PRICE", "100.2"));
        final long secondTs = ts(client.record("ORDER.GET", PAIR, Long.toString(carol)));
        expect("depth:" + PAIR, depth(2, List.of(), List.of(level("100.2", "0.5", 1)), secondTs));

        final long takeTs = ts(client.place(PAIR, "BUY", "ACCOUNT", "bob", "QTY", "0.4", "PRICE", "100.2"));
        expect("trades:" + PAIR, trade(1, "100.1", "0.3", "30.03", "BUY", takeTs));
        expect("trades:" + PAIR, trade(2, "100.2", "0.1", "10.02", "BUY", takeTs));
        expect("depth:" + PAIR, depth(3, List.of(),
            List.of(level("100.1", "0", 0), level("100.2", "0.4", 1)), takeTs));
        expect("bbo:" + PAIR, bbo(3, null, null, "100.2", "0.4", takeTs));

        client.record("ORDER.CANCEL", PAIR, Long.toString(carol));
        final Map<String, Object> removed = next("depth:" + PAIR);
        assertEquals(List.of("pair", "seq", "bids", "asks", "ts"), List.copyOf(removed.keySet()));
        assertEquals(4L, removed.get("seq"));
        assertEquals(List.of(level("100.2", "0", 0)), removed.get("asks"));
        assertTrue((Long)removed.get("ts") > takeTs);
        final Map<String, Object> empty = next("bbo:" + PAIR);
        assertEquals(4L, empty.get("seq"));
        assertEquals(null, empty.get("ask_price"));
        assertEquals(removed.get("ts"), empty.get("ts"));

        // commands that change no level publish nothing; another pair's channels are not ours
        client.place(PAIR, "BUY", "ACCOUNT", "bob", "QTY", "1", "PRICE", "1", "TIF", "IOC");
        client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "bob", "QTY", "1", "PRICE", "0.001");
        client.place(OTHER_PAIR, "SELL", "ACCOUNT", "x", "QTY", "1", "PRICE", "10");
        client.place(OTHER_PAIR, "BUY", "ACCOUNT", "y", "QTY", "1", "PRICE", "10");
        final long lastTs = ts(client.place(PAIR, "BUY", "ACCOUNT", "bob", "QTY", "1", "PRICE", "99"));
        expect("depth:" + PAIR, depth(5, List.of(level("99", "1", 1)), List.of(), lastTs));
        expect("bbo:" + PAIR, bbo(5, "99", "1", null, null, lastTs));
        assertEquals(5L, client.record("BOOK.DEPTH", PAIR).get("seq"));
    }

    @Test
    void tradeMessagesCarryPublicFieldsOnly() throws Exception
    {
        subscriber.sync().psubscribe("trades:*");
        client.place(PAIR, "BUY", "ACCOUNT", "secret-maker", "QTY", "2", "PRICE", "50", "CLIENT_ID", "hidden-1");
        client.place(PAIR, "BUY", "ACCOUNT", "secret-maker", "QTY", "1", "PRICE", "49.99");
        final long ts = ts(client.place(PAIR, "SELL", "ACCOUNT", "secret-taker", "QTY", "2.5", "CLIENT_ID", "c"));
        client.place(OTHER_PAIR, "SELL", "ACCOUNT", "x", "QTY", "1", "PRICE", "10");
        client.place(OTHER_PAIR, "BUY", "ACCOUNT", "y", "QTY", "1", "PRICE", "10");

        final List<String> raw = new ArrayList<>();
        raw.add(expect("trades:" + PAIR, trade(1, "50", "2", "100", "SELL", ts)));
        raw.add(expect("trades:" + PAIR, trade(2, "49.99", "0.5", "24.995", "SELL", ts)));
        final String other = nextRaw("trades:" + OTHER_PAIR);
        assertEquals(TRADE_FIELDS, List.copyOf(MiniJson.object(other).keySet()));
        raw.add(other);
        for (final String message : raw)
        {
            for (final String secret : List.of("secret", "hidden", "fee", "account", "order_id", "client_id"))
            {
                assertTrue(!message.contains(secret), secret + " leaked in " + message);
            }
        }
    }

    @Test
    void depthDeltasRebuildTheBookFromASnapshot() throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        for (int i = 0; i < 30; i++)
        {
            randomOrder(random, i);
        }
        subscriber.sync().subscribe("depth:" + PAIR, "trades:" + PAIR);
        final Map<String, Object> snapshot = client.record("BOOK.DEPTH", PAIR, "1000");
        final TreeMap<String, List<Object>> bids = levels(snapshot.get("bids"), true);
        final TreeMap<String, List<Object>> asks = levels(snapshot.get("asks"), false);
        long seq = (Long)snapshot.get("seq");
        final long fillsBefore = (Long)client.record("TICKER", PAIR).get("trades");

        for (int i = 0; i < 300; i++)
        {
            randomOrder(random, i);
        }
        final Map<String, Object> finalDepth = client.record("BOOK.DEPTH", PAIR, "1000");
        final long fillsAfter = (Long)client.record("TICKER", PAIR).get("trades");
        long tradeSeq = fillsBefore;
        while (seq < (Long)finalDepth.get("seq") || tradeSeq < fillsAfter)
        {
            final String[] message = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(message, "seed " + seed + ": missing messages after depth seq " + seq);
            final Map<String, Object> payload = MiniJson.object(message[1]);
            if (message[0].equals("trades:" + PAIR))
            {
                assertEquals(++tradeSeq, payload.get("seq"), "seed " + seed);
                continue;
            }
            assertEquals(++seq, payload.get("seq"), "seed " + seed + ": depth sequence must be gapless");
            apply(bids, payload.get("bids"));
            apply(asks, payload.get("asks"));
        }
        assertEquals(finalDepth.get("bids"), new ArrayList<>(bids.values()), "seed " + seed);
        assertEquals(finalDepth.get("asks"), new ArrayList<>(asks.values()), "seed " + seed);
    }

    @Test
    void jedisResp2SubscriberReceivesTheSameMessages() throws Exception
    {
        final BlockingQueue<String[]> messages = new LinkedBlockingQueue<>();
        final CountDownLatch subscribed = new CountDownLatch(2);
        final JedisPubSub listener = new JedisPubSub()
        {
            @Override
            public void onMessage(final String channel, final String message)
            {
                messages.add(new String[]{channel, message});
            }

            @Override
            public void onPMessage(final String pattern, final String channel, final String message)
            {
                messages.add(new String[]{channel, message});
            }

            @Override
            public void onSubscribe(final String channel, final int subscribedChannels)
            {
                subscribed.countDown();
            }

            @Override
            public void onPSubscribe(final String pattern, final int subscribedChannels)
            {
                subscribed.countDown();
            }
        };
        final Thread thread;
        try (Jedis jedis = node.jedis())
        {
            thread = new Thread(() -> jedis.psubscribe(listener, "bbo:*", "trades:BTC-*"), "jedis-subscriber");
            thread.start();
            assertTrue(subscribed.await(WAIT_SECONDS, TimeUnit.SECONDS), "not subscribed");

            final long ts = ts(client.place(PAIR, "SELL", "ACCOUNT", "a", "QTY", "1", "PRICE", "7"));
            final String[] bbo = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(bbo);
            assertEquals("bbo:" + PAIR, bbo[0]);
            assertEquals("{\"pair\":\"BTC-USDT\",\"seq\":1,\"bid_price\":null,\"bid_qty\":null,\"ask_price\":\"7\"," +
                "\"ask_qty\":\"1\",\"ts\":" + ts + "}", bbo[1]);

            final long takeTs = ts(client.place(PAIR, "BUY", "ACCOUNT", "b", "QTY", "0.25"));
            final String[] trade = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(trade);
            assertEquals("trades:" + PAIR, trade[0]);
            assertEquals("{\"seq\":1,\"pair\":\"BTC-USDT\",\"price\":\"7\",\"qty\":\"0.25\",\"quote_qty\":\"1.75\"," +
                "\"taker_side\":\"BUY\",\"ts\":" + takeTs + "}", trade[1]);
            listener.punsubscribe();
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
    }

    @Test
    void resp3SubscriberTradesOnTheSameConnectionAndGetsPushesAfterItsReply()
    {
        client.place(PAIR, "SELL", "ACCOUNT", "m", "QTY", "1", "PRICE", "10");
        try (RawRespConnection raw = new RawRespConnection(TradingNode.HOST, node.port()))
        {
            assertTrue(raw.call("HELLO", "3").startsWith("%"));
            assertEquals(">3\r\n$9\r\nsubscribe\r\n$15\r\ntrades:BTC-USDT\r\n:1\r\n",
                raw.call("SUBSCRIBE", "trades:" + PAIR));

            final String reply = raw.call("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "t", "QTY", "0.5", "PRICE", "10");
            assertTrue(reply.startsWith("%16\r\n$8\r\norder_id\r\n:2\r\n"), reply);
            final String ts = reply.substring(reply.indexOf("$2\r\nts\r\n:") + 9, reply.indexOf("\r\n$10\r\nstop"));
            final String payload = "{\"seq\":1,\"pair\":\"BTC-USDT\",\"price\":\"10\",\"qty\":\"0.5\"," +
                "\"quote_qty\":\"5\",\"taker_side\":\"BUY\",\"ts\":" + ts + "}";
            assertEquals(">3\r\n$7\r\nmessage\r\n$15\r\ntrades:BTC-USDT\r\n$" + payload.length() + "\r\n" +
                payload + "\r\n", raw.readReply());
            assertEquals("+PONG\r\n", raw.call("PING"));
        }
    }

    private void randomOrder(final Random random, final int i)
    {
        final String side = random.nextBoolean() ? "BUY" : "SELL";
        final String price = Integer.toString(95 + random.nextInt(11)) + "." + random.nextInt(10);
        final String qty = "0." + (1 + random.nextInt(999));
        final int kind = random.nextInt(10);
        if (kind < 6)
        {
            client.place(PAIR, side, "ACCOUNT", "acct" + random.nextInt(5), "QTY", qty, "PRICE", price);
        }
        else if (kind < 7)
        {
            client.place(PAIR, side, "ACCOUNT", "acct" + random.nextInt(5), "QTY", qty);
        }
        else if (kind < 9)
        {
            final Object reply = client.call("ORDER.GET", PAIR, Integer.toString(1 + random.nextInt(i + 1)));
            if (reply != null && !TradingClient.record(reply).get("status").equals("CANCELLED") &&
                !TradingClient.record(reply).get("status").equals("FILLED"))
            {
                final Map<String, Object> order = TradingClient.record(reply);
                if (random.nextBoolean())
                {
                    client.call("ORDER.CANCEL", PAIR, Long.toString(orderId(order)));
                }
                else
                {
                    client.call("ORDER.AMEND", PAIR, Long.toString(orderId(order)), "QTY", qty, "PRICE", price);
                }
            }
        }
        else
        {
            client.call("ORDER.CANCELALL", PAIR, "ACCOUNT", "acct" + random.nextInt(5));
        }
    }

    private static TreeMap<String, List<Object>> levels(final Object levels, final boolean bids)
    {
        final Comparator<String> byPrice = Comparator.comparing(java.math.BigDecimal::new);
        final TreeMap<String, List<Object>> book = new TreeMap<>(bids ? byPrice.reversed() : byPrice);
        apply(book, levels);
        return book;
    }

    @SuppressWarnings("unchecked")
    private static void apply(final TreeMap<String, List<Object>> book, final Object levels)
    {
        for (final Object level : (List<Object>)levels)
        {
            final List<Object> fields = (List<Object>)level;
            final String price = (String)fields.get(0);
            if (fields.get(1).equals("0"))
            {
                assertEquals(0L, fields.get(2));
                book.remove(price);
            }
            else
            {
                book.put(price, fields);
            }
        }
    }

    private String expect(final String channel, final Map<String, Object> expected) throws InterruptedException
    {
        final String raw = nextRaw(channel);
        assertEquals(expected, MiniJson.object(raw), raw);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(MiniJson.object(raw).keySet()), raw);
        return raw;
    }

    private Map<String, Object> next(final String channel) throws InterruptedException
    {
        return MiniJson.object(nextRaw(channel));
    }

    private String nextRaw(final String channel) throws InterruptedException
    {
        final String[] message = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(message, "no message on " + channel);
        assertEquals(channel, message[0], "next message was " + message[1]);
        return message[1];
    }

    private static long ts(final Map<String, Object> record)
    {
        return (Long)record.get("ts");
    }

    private static Map<String, Object> trade(
        final long seq, final String price, final String qty, final String quoteQty, final String takerSide,
        final long ts)
    {
        final Map<String, Object> trade = new LinkedHashMap<>();
        trade.put("seq", seq);
        trade.put("pair", PAIR);
        trade.put("price", price);
        trade.put("qty", qty);
        trade.put("quote_qty", quoteQty);
        trade.put("taker_side", takerSide);
        trade.put("ts", ts);
        return trade;
    }

    private static Map<String, Object> depth(
        final long seq, final List<List<Object>> bids, final List<List<Object>> asks, final long ts)
    {
        final Map<String, Object> depth = new LinkedHashMap<>();
        depth.put("pair", PAIR);
        depth.put("seq", seq);
        depth.put("bids", bids);
        depth.put("asks", asks);
        depth.put("ts", ts);
        return depth;
    }

    private static Map<String, Object> bbo(
        final long seq, final String bidPrice, final String bidQty, final String askPrice, final String askQty,
        final long ts)
    {
        final Map<String, Object> bbo = new LinkedHashMap<>();
        bbo.put("pair", PAIR);
        bbo.put("seq", seq);
        bbo.put("bid_price", bidPrice);
        bbo.put("bid_qty", bidQty);
        bbo.put("ask_price", askPrice);
        bbo.put("ask_qty", askQty);
        bbo.put("ts", ts);
        return bbo;
    }

    private static List<Object> level(final String price, final String qty, final long orders)
    {
        return List.of(price, qty, orders);
    }
}
