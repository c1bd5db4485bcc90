package io.redmatch.router;

import io.lettuce.core.RedisClient;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redmatch.engine.node.EngineNodeMain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A router in front of two engine nodes, each in a JVM of its own: shard A serves BTC-USDT,
 * shard B ETH-USDT and has two member addresses, the second unused until the failover test starts a node there on
 * shard B's data dir.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class RouterClusterTest
{
    private static final long SEED = Long.getLong("redmatch.test.seed", System.nanoTime());
    private static Path dir;
    private static JvmProcess nodeA;
    private static JvmProcess nodeB;
    private static int portA;
    private static int portB;
    private static int portB2;
    private static int routerPort;
    private static JvmProcess router;

    @BeforeAll
    static void startCluster() throws Exception
    {
        System.out.println("RouterClusterTest seed " + SEED + " (-Dredmatch.test.seed=" + SEED + ")");
        dir = Files.createTempDirectory("router-test");
        Files.writeString(dir.resolve("a.conf"),
            "pair.BTC-USDT=TICK 0.01 LOT 0.00001 MAKER_FEE 0.001 TAKER_FEE 0.002\n");
        Files.writeString(dir.resolve("b.conf"),
            "pair.ETH-USDT=TICK 0.01 LOT 0.0001 MAKER_FEE 0.001 TAKER_FEE 0.002\n");
        portA = JvmProcess.freePort();
        portB = JvmProcess.freePort();
        portB2 = JvmProcess.freePort();
        nodeA = startNode(portA, "node-a", "a.conf");
        nodeB = startNode(portB, "node-b", "b.conf");
        nodeA.awaitServing(portA);
        nodeB.awaitServing(portB);
        Files.writeString(dir.resolve("shards.conf"), String.join("\n",
            "# test cluster",
            "shard A 127.0.0.1:" + portA,
            "shard B 127.0.0.1:" + portB + " 127.0.0.1:" + portB2 + "   # the failover test uses the second",
            "pair BTC-USDT A",
            "pair ETH-USDT B",
            "pair SOL-USDT B", ""));
        routerPort = JvmProcess.freePort();
        router = JvmProcess.start(RouterMain.class.getName(), dir.resolve("router.log"), "--port",
            String.valueOf(routerPort), "--shards", dir.resolve("shards.conf").toString(), "--probe-interval-ms", "200",
            "--upstream-timeout-ms", "2000");
        router.awaitServing(routerPort);
    }

    @AfterAll
    static void stopCluster() throws Exception
    {
        if (router != null)
        {
            assertTrue(router.isAlive(), "the router survived everything");
            router.close();
        }
        for (final JvmProcess node : new JvmProcess[] {nodeA, nodeB})
        {
            if (node != null)
            {
                node.signal("CONT");
                node.close();
            }
        }
        if (dir != null)
        {
            try (Stream<Path> paths = Files.walk(dir))
            {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static JvmProcess startNode(final int port, final String name, final String config) throws Exception
    {
        return JvmProcess.start(EngineNodeMain.class.getName(), dir.resolve(name + "-" + port + ".log"),
            "--port", String.valueOf(port), "--data-dir", dir.resolve(name).toString(),
            "--config", dir.resolve(config).toString());
    }

    private static Jedis viaRouter()
    {
        return new Jedis("127.0.0.1", routerPort, 10_000);
    }

    private static Object call(final Jedis jedis, final String... args)
    {
        try
        {
            return JedisReplies.call(jedis, args);
        }
        catch (final JedisDataException ex)
        {
            return "ERROR " + ex.getMessage();
        }
    }

    private static String place(final Jedis jedis, final String pair, final String side, final String account,
        final String qty, final String price)
    {
        return String.valueOf(call(jedis, "ORDER.PLACE", pair, side, "ACCOUNT", account, "QTY", qty, "PRICE", price));
    }

    @Test
    @Order(1)
    void commandsThroughTheRouterGetTheOwningNodesReply() throws Exception
    {
        final Random random = new Random(SEED);
        try (Jedis routed = viaRouter(); Jedis directA = new Jedis("127.0.0.1", portA);
             Jedis directB = new Jedis("127.0.0.1", portB))
        {
            for (int i = 0; i < 20; i++)
            {
                final String price = String.valueOf(100 + random.nextInt(20));
                final String side = random.nextBoolean() ? "BUY" : "SELL";
                place(routed, "BTC-USDT", side, "acct" + random.nextInt(3), "0.01", price);
                place(routed, "ETH-USDT", side, "acct" + random.nextInt(3), "0.1", price);
            }
            final List<String[]> reads = new ArrayList<>();
            for (final String pair : new String[] {"BTC-USDT", "ETH-USDT"})
            {
                reads.add(new String[] {"BOOK.DEPTH", pair});
                reads.add(new String[] {"BOOK.DEPTH", pair, "3"});
                reads.add(new String[] {"BOOK.BBO", pair});
                reads.add(new String[] {"PAIR.INFO", pair});
                reads.add(new String[] {"ORDER.GET", pair, "3"});
                reads.add(new String[] {"ORDER.GET", pair, "999999"});
                reads.add(new String[] {"ORDER.LIST", pair, "ACCOUNT", "acct1"});
                reads.add(new String[] {"XRANGE", "fills:" + pair, "-", "+"});
                reads.add(new String[] {"XREVRANGE", "fills:" + pair, "+", "-", "COUNT", "2"});
                reads.add(new String[] {"XLEN", "fills:" + pair});
                reads.add(new String[] {"XINFO", "STREAM", "fills:" + pair});
                reads.add(new String[] {"XREAD", "COUNT", "2", "STREAMS", "fills:" + pair, "0"});
                reads.add(new String[] {"ORDER.PLACE", pair, "BUY", "ACCOUNT", "x", "QTY", "-1", "PRICE", "1"});
                reads.add(new String[] {"ORDER.PLACE", pair, "SIDEWAYS", "ACCOUNT", "x", "QTY", "1"});
                reads.add(new String[] {"ORDER.CANCEL", pair, "999999"});
                reads.add(new String[] {"BOOK.DEPTH", pair, "notanumber"});
                reads.add(new String[] {"XRANGE", "fills:" + pair});
                reads.add(new String[] {"TICKER", pair});
                reads.add(new String[] {"ORDER.AMEND", pair, "999999", "QTY", "1"});
                reads.add(new String[] {"ORDER.CANCELALL", pair, "ACCOUNT", "nobody"});
                reads.add(new String[] {"ORDER.GET", pair, "CLIENT_ID", "acct1", "none"});
                reads.add(new String[] {"XPENDING", "fills:" + pair, "nogroup"});
                reads.add(new String[] {"XINFO", "GROUPS", "fills:" + pair});
                reads.add(new String[] {"XGROUP", "DESTROY", "fills:" + pair, "nogroup"});
                reads.add(new String[] {"XREADGROUP", "GROUP", "nogroup", "c", "STREAMS", "fills:" + pair, ">"});
                reads.add(new String[] {"PAIR.ADD", pair, "TICK", "0.01", "LOT", "0.01"});
            }
            reads.add(new String[] {"ORDER.PLACE"});
            reads.add(new String[] {"BOOK.BBO"});
            reads.add(new String[] {"XLEN", "notastream"});
            reads.add(new String[] {"ECHO", "hello"});
            reads.add(new String[] {"PING"});
            reads.add(new String[] {"PING", "x"});
            reads.add(new String[] {"SELECT", "0"});
            reads.add(new String[] {"SELECT", "1"});
            reads.add(new String[] {"NOSUCHCOMMAND", "a"});
            reads.add(new String[] {"COMMAND", "COUNT"});
            reads.add(new String[] {"CONFIG", "GET", "save"});
            for (final String[] read : reads)
            {
                final Jedis direct = read.length > 1 && String.join(" ", read).contains("ETH-USDT") ? directB : directA;
                assertEquals(call(direct, read), call(routed, read), "reply to " + String.join(" ", read));
            }
            // writes: the same reply shape (field names and statuses) as the node's
            final Object routedOrder = call(routed, "ORDER.PLACE", "ETH-USDT", "BUY", "ACCOUNT", "w", "QTY", "0.1",
                "PRICE", "1", "CLIENT_ID", "w-1");
            final Object directOrder = call(directB, "ORDER.GET", "ETH-USDT", "CLIENT_ID", "w", "w-1");
            assertEquals(fieldNames(routedOrder), fieldNames(directOrder));
            assertEquals(List.of("BTC-USDT", "ETH-USDT"), call(routed, "PAIRS"));
            assertTrue(String.valueOf(call(routed, "ORDER.GET", "DOGE-USDT", "1")).startsWith("ERROR NOPAIR"));
            assertTrue(String.valueOf(call(routed, "PAIR.ADD", "DOGE-USDT", "TICK", "0.01", "LOT", "1"))
                .contains("not in the router's shard map"));
            assertEquals("OK", call(routed, "PAIR.ADD", "SOL-USDT", "TICK", "0.01", "LOT", "0.01"));
            assertEquals(List.of("ETH-USDT", "SOL-USDT"), call(directB, "PAIRS"));
            assertEquals(List.of("BTC-USDT", "ETH-USDT", "SOL-USDT"), call(routed, "PAIRS"));
            assertTrue(String.valueOf(call(routed, "DEBUG", "DIGEST")).contains("send it to a shard member"));
            assertTrue(String.valueOf(call(routed, "INFO", "cluster")).contains("primary=127.0.0.1:" + portA));
            assertTrue(String.valueOf(call(routed, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "fills:BTC-USDT",
                "fills:ETH-USDT", ">", ">")).startsWith("ERROR CROSSSLOT"));
        }
    }

    @Test
    @Order(2)
    void writesAndConsumerGroupsThroughTheRouterLeaveWhatTheNodeShows()
    {
        try (Jedis routed = viaRouter(); Jedis directA = new Jedis("127.0.0.1", portA);
             Jedis directB = new Jedis("127.0.0.1", portB))
        {
            for (final String pair : new String[] {"BTC-USDT", "ETH-USDT"})
            {
                final Jedis direct = pair.startsWith("BTC") ? directA : directB;
                final String qty = pair.startsWith("BTC") ? "0.01" : "0.1";
                final String[] placement = {"ORDER.PLACE", pair, "BUY", "ACCOUNT", "cmp", "QTY", qty, "PRICE", "50",
                    "CLIENT_ID", "cmp-1"};
                final List<?> placed = (List<?>)call(routed, placement);
                final String orderId = String.valueOf(placed.get(1));
                assertEquals(call(direct, placement), call(routed, placement), "a retried placement, either way");
                assertSameEitherWay(routed, direct, "ORDER.GET", pair, orderId);
                call(routed, "ORDER.AMEND", pair, orderId, "PRICE", "51");
                assertSameEitherWay(routed, direct, "ORDER.GET", pair, "CLIENT_ID", "cmp", "cmp-1");
                assertSameEitherWay(routed, direct, "BOOK.DEPTH", pair);
                assertEquals("OK", call(routed, "PAIR.HALT", pair));
                assertSameEitherWay(routed, direct, "PAIR.INFO", pair);
                assertSameEitherWay(routed, direct, "ORDER.PLACE", pair, "SELL", "ACCOUNT", "cmp", "QTY", qty, "PRICE",
                    "60");
                assertEquals("OK", call(routed, "PAIR.RESUME", pair));
                assertSameEitherWay(routed, direct, "PAIR.INFO", pair);
                final Object cancelled = call(routed, "ORDER.CANCEL", pair, "CLIENT_ID", "cmp", "cmp-1");
                assertEquals("CANCELLED", ((List<?>)cancelled).get(15), String.valueOf(cancelled));
                assertSameEitherWay(routed, direct, "ORDER.CANCEL", pair, orderId);
                call(routed, "ORDER.PLACE", pair, "BUY", "ACCOUNT", "cmp", "QTY", qty, "PRICE", "40");
                call(routed, "ORDER.PLACE", pair, "BUY", "ACCOUNT", "cmp", "QTY", qty, "PRICE", "41");
                assertSameEitherWay(routed, direct, "ORDER.LIST", pair, "ACCOUNT", "cmp");
                assertEquals(2L, call(routed, "ORDER.CANCELALL", pair, "ACCOUNT", "cmp"));
                assertSameEitherWay(routed, direct, "ORDER.LIST", pair, "ACCOUNT", "cmp");

                final String stream = "fills:" + pair;
                assertEquals("OK", call(routed, "XGROUP", "CREATE", stream, "cmp-group", "0"));
                assertSameEitherWay(routed, direct, "XGROUP", "CREATE", stream, "cmp-group", "0");
                final List<?> read = (List<?>)call(routed, "XREADGROUP", "GROUP", "cmp-group", "c1", "COUNT", "2",
                    "STREAMS", stream, ">");
                final List<?> entries = (List<?>)((List<?>)read.get(0)).get(1);
                assertEquals(2, entries.size(), String.valueOf(read));
                assertSameEitherWay(routed, direct, "XPENDING", stream, "cmp-group");
                assertSameEitherWay(routed, direct, "XINFO", "GROUPS", stream);
                assertEquals(2L, call(routed, "XACK", stream, "cmp-group", String.valueOf(((List<?>)entries.get(0))
                    .get(0)), String.valueOf(((List<?>)entries.get(1)).get(0))));
                assertSameEitherWay(routed, direct, "XPENDING", stream, "cmp-group");
                assertSameEitherWay(routed, direct, "XREADGROUP", "GROUP", "cmp-group", "c1", "STREAMS", stream, "0");
                assertEquals(1L, call(routed, "XGROUP", "DESTROY", stream, "cmp-group"));
                assertSameEitherWay(routed, direct, "XINFO", "GROUPS", stream);
            }
        }
    }

    /** The same command, sent through the router and then straight to the owning node, gets the same reply. */
    private static void assertSameEitherWay(final Jedis routed, final Jedis direct, final String... command)
    {
        final Object viaRouter = call(routed, command);
        assertEquals(call(direct, command), viaRouter, "reply to " + String.join(" ", command));
    }

    private static List<Object> fieldNames(final Object record)
    {
        final List<Object> names = new ArrayList<>();
        final List<?> list = (List<?>)record;
        for (int i = 0; i < list.size(); i += 2)
        {
            names.add(list.get(i));
        }
        return names;
    }

    @Test
    @Order(3)
    void pipelinesMixingShardsKeepTheirOrder()
    {
        try (Jedis routed = viaRouter())
        {
            final Pipeline pipeline = routed.pipelined();
            final List<Response<Object>> replies = new ArrayList<>();
            final int count = 3000;
            for (int i = 0; i < count; i++)
            {
                final String pair = i % 3 == 0 ? "BTC-USDT" : "ETH-USDT";
                replies.add(pipeline.sendCommand(i % 5 == 0 ? JedisReplies.command("ECHO") : JedisReplies.command("PAIR.INFO"),
                    i % 5 == 0 ? "m" + i : pair));
            }
            pipeline.sync();
            for (int i = 0; i < count; i++)
            {
                final Object reply = JedisReplies.normalize(replies.get(i).get());
                if (i % 5 == 0)
                {
                    assertEquals("m" + i, reply);
                }
                else
                {
                    assertEquals(i % 3 == 0 ? "BTC-USDT" : "ETH-USDT", ((List<?>)reply).get(1), "reply " + i);
                }
            }
        }
    }

    @Test
    @Order(4)
    void xreadBlockAcrossShardsWakesOnEitherShard() throws Exception
    {
        try (Jedis reader = viaRouter(); Jedis writer = viaRouter())
        {
            final CompletableFuture<Object> read = CompletableFuture.supplyAsync(() -> call(reader, "XREAD", "BLOCK",
                "20000", "STREAMS", "fills:BTC-USDT", "fills:ETH-USDT", "$", "$"));
            Thread.sleep(500);
            assertFalse(read.isDone());
            place(writer, "ETH-USDT", "SELL", "s1", "0.1", "500");
            place(writer, "ETH-USDT", "BUY", "b1", "0.1", "500");
            final List<?> reply = (List<?>)read.get(30, TimeUnit.SECONDS);
            assertEquals(1, reply.size());
            assertEquals("fills:ETH-USDT", ((List<?>)reply.get(0)).get(0));
            // non-blocking, both shards have fills: one reply with both streams
            final List<?> both = (List<?>)call(writer, "XREAD", "COUNT", "1", "STREAMS", "fills:BTC-USDT",
                "fills:ETH-USDT", "0", "0");
            assertEquals(2, both.size());
            // a timed-out blocking read is a null reply
            assertEquals(null, call(writer, "XREAD", "BLOCK", "100", "STREAMS", "fills:BTC-USDT", "fills:ETH-USDT",
                "$", "$"));
            // the connection still serves after a cancelled blocking part
            assertEquals("PONG", call(reader, "PING"));
        }
    }

    @Test
    @Order(5)
    void subscriptionsAreRelayedAndLettuceSpeaksResp3() throws Exception
    {
        final Subscriber subscriber = Subscriber.start("trades:BTC-USDT", payload -> true);
        final CompletableFuture<String> message = subscriber.message;
        final RedisClient client = RedisClient.create("redis://127.0.0.1:" + routerPort);
        try (StatefulRedisConnection<String, String> lettuce = client.connect())
        {
            // the node needs a moment to register the subscription sent on the subscriber's shard connection
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int price = 700;
            while (!message.isDone() && System.nanoTime() < deadline)
            {
                lettuce.sync().dispatch(io.lettuce.core.protocol.CommandType.PING,
                    new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8));
                try (Jedis writer = viaRouter())
                {
                    place(writer, "BTC-USDT", "SELL", "ps", "0.01", String.valueOf(price));
                    place(writer, "BTC-USDT", "BUY", "pb", "0.01", String.valueOf(price));
                }
                price++;
                Thread.sleep(200);
            }
            final String received = message.get(5, TimeUnit.SECONDS);
            assertTrue(received.startsWith("trades:BTC-USDT {"), received);
            assertEquals("PONG", lettuce.sync().ping());
            assertFalse(lettuce.sync().xrange("fills:BTC-USDT", io.lettuce.core.Range.create("-", "+")).isEmpty());
            assertEquals(2, lettuce.sync().xread(XReadArgs.Builder.count(1),
                XReadArgs.StreamOffset.from("fills:BTC-USDT", "0"),
                XReadArgs.StreamOffset.from("fills:ETH-USDT", "0")).size());
        }
        finally
        {
            client.shutdown();
        }
        subscriber.thread.join(10_000);
    }

    @Test
    @Order(6)
    void hostileInputClosesOnlyThatConnection() throws Exception
    {
        for (final String frame : new String[] {"*1\r\n$-5\r\n", "*3\r\n$3\r\nGET\r\nxx\r\n", "*99999999999\r\n",
            "*1\r\n$999999999\r\n", "\"unbalanced\r\n"})
        {
            try (Socket socket = new Socket("127.0.0.1", routerPort))
            {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(frame.getBytes(StandardCharsets.US_ASCII));
                final byte[] reply = socket.getInputStream().readAllBytes();
                assertTrue(new String(reply, StandardCharsets.US_ASCII).startsWith("-ERR Protocol error"),
                    "reply to " + frame.replace("\r\n", "\\r\\n") + ": " +
                        new String(reply, StandardCharsets.US_ASCII));
            }
        }
        final List<Socket> sockets = new ArrayList<>();
        try
        {
            for (int i = 0; i < 2000; i++)
            {
                sockets.add(new Socket("127.0.0.1", routerPort));
            }
            final Random random = new Random(SEED);
            final byte[] garbage = new byte[4096];
            for (int i = 0; i < 50; i++)
            {
                random.nextBytes(garbage);
                final OutputStream out = sockets.get(i).getOutputStream();
                out.write(garbage);
            }
            try (Jedis jedis = viaRouter())
            {
                assertEquals("BTC-USDT", ((List<?>)call(jedis, "PAIR.INFO", "BTC-USDT")).get(1));
                assertTrue(String.valueOf(call(jedis, "INFO", "clients")).contains("connected_clients:"));
            }
        }
        finally
        {
            for (final Socket socket : sockets)
            {
                socket.close();
            }
        }
        // inline commands work for people typing into nc
        try (Socket socket = new Socket("127.0.0.1", routerPort))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            assertEquals("+PONG\r\n", new String(in.readNBytes(7), StandardCharsets.US_ASCII));
        }
    }

    @Test
    @Order(7)
    void aStoppedShardFailsOnlyItsPairs() throws Exception
    {
        nodeB.signal("STOP");
        try (Jedis jedis = viaRouter())
        {
            final Object stopped = call(jedis, "BOOK.BBO", "ETH-USDT");
            assertTrue(String.valueOf(stopped).startsWith("ERROR TRYAGAIN"), String.valueOf(stopped));
            for (int i = 0; i < 20; i++)
            {
                assertEquals("BTC-USDT", ((List<?>)call(jedis, "PAIR.INFO", "BTC-USDT")).get(1));
            }
        }
        finally
        {
            nodeB.signal("CONT");
        }
        awaitRouted("ETH-USDT");
    }

    @Test
    @Order(8)
    void theRouterFollowsAShardToItsOtherAddress() throws Exception
    {
        final String before;
        final Subscriber subscriber =
            Subscriber.start("trades:ETH-USDT", payload -> payload.contains("\"price\":\"950\""));
        final CompletableFuture<String> message = subscriber.message;
        try (Jedis jedis = viaRouter())
        {
            before = String.valueOf(call(jedis, "ORDER.PLACE", "ETH-USDT", "SELL", "ACCOUNT", "f", "QTY", "0.1",
                "PRICE", "900", "CLIENT_ID", "before-failover"));
            nodeB.kill9();
            final Object down = call(jedis, "BOOK.BBO", "ETH-USDT");
            assertTrue(String.valueOf(down).startsWith("ERROR TRYAGAIN"), String.valueOf(down));
            assertEquals("BTC-USDT", ((List<?>)call(jedis, "PAIR.INFO", "BTC-USDT")).get(1));
            nodeB = startNode(portB2, "node-b", "b.conf");
            nodeB.awaitServing(portB2);
            awaitRouted("ETH-USDT");
            final Object after = call(jedis, "ORDER.GET", "ETH-USDT", "CLIENT_ID", "f", "before-failover");
            assertEquals(before, String.valueOf(after));
            assertTrue(String.valueOf(call(jedis, "INFO", "cluster")).contains("primary=127.0.0.1:" + portB2));
            // the subscription made before the failover was moved to the new primary by the router
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!message.isDone() && System.nanoTime() < deadline)
            {
                place(jedis, "ETH-USDT", "SELL", "ps", "0.1", "950");
                place(jedis, "ETH-USDT", "BUY", "pb", "0.1", "950");
                Thread.sleep(300);
            }
            assertTrue(message.get(1, TimeUnit.SECONDS).startsWith("trades:ETH-USDT {"));
        }
        subscriber.thread.join(10_000);
    }

    private static void awaitRouted(final String pair) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true)
        {
            try (Jedis jedis = viaRouter())
            {
                final Object reply = call(jedis, "PAIR.INFO", pair);
                if (reply instanceof List<?> list && pair.equals(list.get(1)))
                {
                    return;
                }
                assertNotNull(reply);
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError(pair + " not served again: " + reply);
                }
            }
            Thread.sleep(100);
        }
    }

    @Test
    @Order(9)
    void anInvalidShardFileKeepsTheOldMap() throws Exception
    {
        final Path file = dir.resolve("shards.conf");
        final String good = Files.readString(file);
        try (Jedis jedis = viaRouter())
        {
            Files.writeString(file, good + "pair BTC-USDT B\n");
            final Object refused = call(jedis, "ROUTER.RELOAD");
            assertTrue(String.valueOf(refused).contains("already assigned to shard A"), String.valueOf(refused));
            assertEquals("BTC-USDT", ((List<?>)call(jedis, "PAIR.INFO", "BTC-USDT")).get(1));
            Files.writeString(file, good + "pair XRP-USDT C\n");
            assertTrue(String.valueOf(call(jedis, "ROUTER.RELOAD")).contains("which no 'shard' line declares"));
            Files.writeString(file, good + "bogus line\n");
            assertTrue(String.valueOf(call(jedis, "ROUTER.RELOAD")).contains("unknown declaration 'bogus'"));
            Files.writeString(file, good + "pair XRP-USDT A\n");
            assertEquals("OK", call(jedis, "ROUTER.RELOAD"));
            assertTrue(String.valueOf(call(jedis, "ORDER.GET", "XRP-USDT", "1")).startsWith("ERROR NOPAIR"));
            assertTrue(String.valueOf(call(jedis, "INFO", "cluster")).contains("pairs=BTC-USDT|XRP-USDT"));
        }
        finally
        {
            Files.writeString(file, good);
        }
    }

    @Test
    @Order(10)
    void quitAndResetBehaveAsRedis()
    {
        try (Jedis jedis = viaRouter())
        {
            assertThrows(JedisDataException.class, () -> jedis.auth("x"));
            assertEquals("OK", jedis.clientSetname("me"));
            assertEquals("me", jedis.clientGetname());
            assertTrue(jedis.clientList().contains(" name=me "));
            final List<String> time = jedis.time();
            assertEquals(2, time.size());
            assertTrue(Math.abs(Long.parseLong(time.get(0)) - System.currentTimeMillis() / 1000) < 60);
            assertEquals(List.of("master", 0L, List.of()), call(jedis, "ROLE"));
            assertTrue(String.valueOf(call(jedis, "INFO", "server")).contains("tcp_port:" + routerPort));
            assertTrue(String.valueOf(call(jedis, "WAIT", "1", "0")).startsWith("ERROR ERR WAIT is about one node"));
        }
    }

    @Test
    @Order(11)
    void aClientThatDoesNotReadIsHeldBackAndOthersGoOn() throws Exception
    {
        final int commands = 50_000;
        try (Socket socket = new Socket("127.0.0.1", routerPort))
        {
            socket.setSoTimeout(30_000);
            final OutputStream out = socket.getOutputStream();
            final CompletableFuture<Void> writing = CompletableFuture.runAsync(() ->
            {
                try
                {
                    final StringBuilder batch = new StringBuilder();
                    for (int i = 0; i < commands; i++)
                    {
                        final String pair = i % 2 == 0 ? "BTC-USDT" : "ETH-USDT";
                        batch.append("*2\r\n$9\r\nPAIR.INFO\r\n$").append(pair.length()).append("\r\n").append(pair)
                            .append("\r\n*2\r\n$4\r\nECHO\r\n$").append(String.valueOf(i).length()).append("\r\n")
                            .append(i).append("\r\n");
                        if (batch.length() > 64 * 1024)
                        {
                            out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                            batch.setLength(0);
                        }
                    }
                    out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                catch (final java.io.IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            // while that client's replies pile up unread, others are served
            Thread.sleep(1000);
            try (Jedis other = viaRouter())
            {
                assertEquals("ETH-USDT", ((List<?>)call(other, "PAIR.INFO", "ETH-USDT")).get(1));
            }
            // then it reads everything, in order
            final java.io.BufferedReader in = new java.io.BufferedReader(
                new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII), 1 << 16);
            for (int i = 0; i < commands; i++)
            {
                final String header = in.readLine();
                assertTrue(header.startsWith("*"), header);
                final int lines = Integer.parseInt(header.substring(1));
                String pair = null;
                for (int line = 0; line < lines; line++)
                {
                    final String first = in.readLine();
                    final String value = first.startsWith("$") && !first.equals("$-1") ? in.readLine() : first;
                    if (line == 1)
                    {
                        pair = value;
                    }
                }
                assertEquals(i % 2 == 0 ? "BTC-USDT" : "ETH-USDT", pair, "reply " + i);
                assertEquals("$" + String.valueOf(i).length(), in.readLine());
                assertEquals(String.valueOf(i), in.readLine());
            }
            writing.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(12)
    void clearingReadsEveryShardThroughTheRouter() throws Exception
    {
        final int clearingPort = JvmProcess.freePort();
        try (JvmProcess clearing = JvmProcess.start(io.redmatch.clearing.ClearingMain.class.getName(),
            dir.resolve("clearing.log"), "--port", String.valueOf(clearingPort), "--data-dir",
            dir.resolve("clearing").toString(), "--engine", "127.0.0.1:" + routerPort, "--max-balances", "20000",
            "--wal-limit-mb", "1", "--pair-refresh-ms", "200");
             Jedis jedis = viaRouter())
        {
            place(jedis, "BTC-USDT", "SELL", "clr-seller", "0.01", "2000");
            place(jedis, "BTC-USDT", "BUY", "clr-buyer", "0.01", "2000");
            place(jedis, "ETH-USDT", "SELL", "clr-seller", "0.1", "2000");
            place(jedis, "ETH-USDT", "BUY", "clr-buyer", "0.1", "2000");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            Object balances = null;
            while (System.nanoTime() < deadline)
            {
                if (!clearing.isAlive())
                {
                    throw new AssertionError("clearing exited:\n" + clearing.outputTail());
                }
                try (Jedis ledger = new Jedis("127.0.0.1", clearingPort))
                {
                    balances = call(ledger, "BALANCE", "clr-buyer");
                    if (balances instanceof List<?> list && list.contains("BTC") && list.contains("ETH"))
                    {
                        assertEquals("OK", call(ledger, "LEDGER.CHECK"));
                        return;
                    }
                }
                catch (final JedisException notYet)
                {
                    balances = notYet.toString();
                }
                Thread.sleep(200);
            }
            throw new AssertionError("the buyer's fills of both shards were not cleared: " + balances + "\n" +
                clearing.outputTail());
        }
    }

    /** A Jedis subscriber through the router on a thread of its own, subscribed when {@link #start} returns. */
    private static final class Subscriber extends JedisPubSub
    {
        final CompletableFuture<String> message = new CompletableFuture<>();
        private final CountDownLatch subscribed = new CountDownLatch(1);
        private final Predicate<String> wanted;
        private Thread thread;

        private Subscriber(final Predicate<String> wanted)
        {
            this.wanted = wanted;
        }

        /** Subscribes to {@code channel}; {@link #message} completes with the first wanted message, then it leaves. */
        static Subscriber start(final String channel, final Predicate<String> wanted) throws InterruptedException
        {
            final Subscriber subscriber = new Subscriber(wanted);
            subscriber.thread = new Thread(() ->
            {
                try (Jedis jedis = viaRouter())
                {
                    jedis.subscribe(subscriber, channel);
                }
            });
            subscriber.thread.start();
            assertTrue(subscriber.subscribed.await(20, TimeUnit.SECONDS));
            return subscriber;
        }

        @Override
        public void onSubscribe(final String channel, final int count)
        {
            subscribed.countDown();
        }

        @Override
        public void onMessage(final String channel, final String payload)
        {
            if (wanted.test(payload))
            {
                message.complete(channel + " " + payload);
                unsubscribe();
            }
        }
    }
}
