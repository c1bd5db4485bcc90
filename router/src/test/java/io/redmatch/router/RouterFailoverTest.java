package io.redmatch.router;

import io.redmatch.engine.node.EngineNodeMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failover of one shard under load, through the router, with real processes: a router in front of two shards, each a
 * primary ({@code --ack standby}) and its hot standby replicating over Aeron; clients pipeline orders through the
 * router on a pair of each shard. Shard A's primary is killed with {@code kill -9} and its standby promoted with
 * {@code REPLICAOF NO ONE}. Shown: shard B's clients never get an error and keep being served while shard A has no
 * primary; shard A's clients get only {@code -TRYAGAIN} until the router finds the new primary, then go on over the
 * same connections; orders that got {@code -TRYAGAIN} are retried with their CLIENT_ID and none is placed twice; every
 * order whose reply a client received is on the new primary in a state consistent with that reply, and each pair's
 * fill sequence is gapless. The seed (printed) drives sides and prices.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
final class RouterFailoverTest
{
    private static final long SEED = Long.getLong("redmatch.test.seed", System.nanoTime());
    private static final String PAIR_A = "BTC-USDT";
    private static final String PAIR_B = "ETH-USDT";
    private static final int CLIENTS_PER_PAIR = 2;
    private static final int PIPELINE_DEPTH = 16;
    private static final int ACKED_BEFORE_KILL = 200;
    private static final int ACKED_WHILE_DOWN = 50;
    private static final int ACKED_AFTER_RESUME = 200;
    private static final long AWAIT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long RESUME_BOUND_NS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path dir;

    @Test
    void aShardFailsOverUnderLoadWhileTheOtherServesOn() throws Exception
    {
        System.out.println("RouterFailoverTest seed " + SEED + " (-Dredmatch.test.seed=" + SEED + ")");
        final Path configA = config("a.conf", PAIR_A + "=TICK 0.01 LOT 0.00001");
        final Path configB = config("b.conf", PAIR_B + "=TICK 0.01 LOT 0.0001");
        final int primaryPortA = JvmProcess.freePort();
        final int standbyPortA = JvmProcess.freePort();
        final int primaryPortB = JvmProcess.freePort();
        final int standbyPortB = JvmProcess.freePort();
        final int routerPort = JvmProcess.freePort();
        final List<LoadClient> clients = new ArrayList<>();
        try (JvmProcess primaryA = node(primaryPortA, configA, "--ack", "standby");
            JvmProcess primaryB = node(primaryPortB, configB, "--ack", "standby");
            JvmProcess standbyA = node(standbyPortA, configA, "--replicaof", "127.0.0.1:" + primaryPortA);
            JvmProcess standbyB = node(standbyPortB, configB, "--replicaof", "127.0.0.1:" + primaryPortB);
            JvmProcess router = router(routerPort, shardFile(primaryPortA, standbyPortA, primaryPortB, standbyPortB)))
        {
            primaryA.awaitServing(primaryPortA);
            primaryB.awaitServing(primaryPortB);
            standbyA.awaitServing(standbyPortA);
            standbyB.awaitServing(standbyPortB);
            awaitLinkConnected(standbyA, standbyPortA);
            awaitLinkConnected(standbyB, standbyPortB);
            router.awaitServing(routerPort);

            final Random random = new Random(SEED);
            for (int i = 0; i < CLIENTS_PER_PAIR; i++)
            {
                clients.add(new LoadClient(routerPort, PAIR_A, "a" + i, "0.01", random.nextLong()));
                clients.add(new LoadClient(routerPort, PAIR_B, "b" + i, "0.1", random.nextLong()));
            }
            clients.forEach(LoadClient::start);
            final List<LoadClient> shardA = clients.stream().filter(client -> client.pair.equals(PAIR_A)).toList();
            final List<LoadClient> shardB = clients.stream().filter(client -> client.pair.equals(PAIR_B)).toList();
            await("every client has orders acknowledged", clients, () -> everyAcked(clients, ACKED_BEFORE_KILL));

            primaryA.kill9();
            final long killedAt = System.nanoTime();
            await("shard A's clients see -TRYAGAIN", clients, () -> shardA.stream().allMatch(c -> c.errors.get() > 0));
            final Map<LoadClient, Integer> beforePromotion = ackedNow(shardB);
            await("shard B is served while shard A has no primary", clients,
                () -> shardB.stream().allMatch(c -> c.ackedCount() >= beforePromotion.get(c) + ACKED_WHILE_DOWN));

            try (Jedis standby = new Jedis("127.0.0.1", standbyPortA))
            {
                assertEquals("OK", standby.replicaofNoOne());
            }
            final long promotedAt = System.nanoTime();
            final Map<LoadClient, Integer> atPromotion = ackedNow(shardA);
            final long deadline = promotedAt + RESUME_BOUND_NS;
            while (!shardA.stream().allMatch(c -> c.ackedCount() > atPromotion.get(c)))
            {
                assertClientsRunning(clients);
                assertTrue(System.nanoTime() < deadline, "shard A's pair did not resume through the router within " +
                    TimeUnit.NANOSECONDS.toSeconds(RESUME_BOUND_NS) + " s of the promotion\n" + router.outputTail());
                Thread.sleep(20);
            }
            final long resumedAt = System.nanoTime();
            final Map<LoadClient, Integer> atResume = ackedNow(clients);
            await("every client goes on after the failover", clients,
                () -> clients.stream().allMatch(c -> c.ackedCount() >= atResume.get(c) + ACKED_AFTER_RESUME));
            clients.forEach(LoadClient::stop);
            for (final LoadClient client : clients)
            {
                client.join();
                System.out.println(client.summary());
            }
            System.out.println("RouterFailoverTest: promotion " + TimeUnit.NANOSECONDS.toMillis(promotedAt - killedAt) +
                " ms after the kill, shard A served again " + TimeUnit.NANOSECONDS.toMillis(resumedAt - promotedAt) +
                " ms after the promotion");
            assertOnlyTheFailedShardHadErrors(shardA, shardB);
            assertNothingAcknowledgedLost(routerPort, clients);
            try (Jedis jedis = new Jedis("127.0.0.1", routerPort, 30_000))
            {
                final String cluster = String.valueOf(JedisReplies.call(jedis, "INFO", "cluster"));
                assertTrue(cluster.contains("primary=127.0.0.1:" + standbyPortA + ",epoch=1"), cluster);
            }
        }
        finally
        {
            clients.forEach(LoadClient::stop);
        }
    }

    private static void assertOnlyTheFailedShardHadErrors(final List<LoadClient> shardA, final List<LoadClient> shardB)
    {
        for (final LoadClient client : shardB)
        {
            assertEquals(null, client.failure, client.summary());
            assertEquals(List.of(), List.copyOf(client.errorMessages), "shard B never failed: " + client.summary());
        }
        for (final LoadClient client : shardA)
        {
            assertEquals(null, client.failure, client.summary());
            for (final String error : client.errorMessages)
            {
                assertTrue(error.startsWith("TRYAGAIN"), "only -TRYAGAIN while shard A fails over: " + error);
            }
            assertTrue(client.errorMessages.stream().anyMatch(error -> error.contains("has no primary")),
                "the router answered at once while shard A had no primary: " + client.summary());
        }
    }

    private static void assertNothingAcknowledgedLost(final int routerPort, final List<LoadClient> clients)
    {
        try (Jedis jedis = new Jedis("127.0.0.1", routerPort, 30_000))
        {
            for (final String pair : new String[] {PAIR_A, PAIR_B})
            {
                final Map<Long, List<String>> fills = gaplessFills(jedis, pair);
                for (final LoadClient client : clients)
                {
                    if (client.pair.equals(pair))
                    {
                        assertPlacedOnce(client);
                        assertAcknowledgedKept(jedis, client, fills);
                    }
                }
            }
        }
    }

    private Path config(final String name, final String pair) throws Exception
    {
        final Path file = dir.resolve(name);
        Files.writeString(file, "pair." + pair + " MAKER_FEE 0.001 TAKER_FEE 0.002\n");
        return file;
    }

    private JvmProcess node(final int port, final Path config, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("--port", String.valueOf(port), "--data-dir",
            dir.resolve("node-" + port).toString(), "--config", config.toString()));
        command.addAll(List.of(args));
        return JvmProcess.start(EngineNodeMain.class.getName(), dir.resolve("node-" + port + ".log"),
            command.toArray(String[]::new));
    }

    private Path shardFile(final int primaryA, final int standbyA, final int primaryB, final int standbyB)
        throws Exception
    {
        final Path file = dir.resolve("shards.conf");
        Files.writeString(file, String.join("\n",
            "shard A 127.0.0.1:" + primaryA + " 127.0.0.1:" + standbyA,
            "shard B 127.0.0.1:" + primaryB + " 127.0.0.1:" + standbyB,
            "pair " + PAIR_A + " A",
            "pair " + PAIR_B + " B", ""));
        return file;
    }

    /** A generous upstream timeout: on a busy machine a slow reply must not look like a failed shard. */
    private JvmProcess router(final int port, final Path shardFile) throws Exception
    {
        return JvmProcess.start(RouterMain.class.getName(), dir.resolve("router.log"), "--port", String.valueOf(port),
            "--shards", shardFile.toString(), "--probe-interval-ms", "200", "--upstream-timeout-ms", "20000");
    }

    private static void awaitLinkConnected(final JvmProcess standby, final int port) throws Exception
    {
        final long deadline = System.nanoTime() + AWAIT_NS;
        while (true)
        {
            try (Jedis jedis = new Jedis("127.0.0.1", port))
            {
                if (jedis.info("replication").contains("link_state:connected"))
                {
                    return;
                }
            }
            catch (final JedisException notYet)
            {
                // still starting
            }
            assertTrue(System.nanoTime() < deadline, "the standby never connected\n" + standby.outputTail());
            Thread.sleep(50);
        }
    }

    private static void await(final String what, final List<LoadClient> clients, final BooleanSupplier condition)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + AWAIT_NS;
        while (!condition.getAsBoolean())
        {
            assertClientsRunning(clients);
            if (System.nanoTime() > deadline)
            {
                final StringBuilder state = new StringBuilder();
                clients.forEach(client -> state.append('\n').append(client.summary()));
                throw new AssertionError("not in time: " + what + state);
            }
            Thread.sleep(20);
        }
    }

    private static void assertClientsRunning(final List<LoadClient> clients)
    {
        for (final LoadClient client : clients)
        {
            assertEquals(null, client.failure, client.summary());
        }
    }

    private static boolean everyAcked(final List<LoadClient> clients, final int count)
    {
        return clients.stream().allMatch(client -> client.ackedCount() >= count);
    }

    private static Map<LoadClient, Integer> ackedNow(final List<LoadClient> clients)
    {
        final Map<LoadClient, Integer> counts = new HashMap<>();
        clients.forEach(client -> counts.put(client, client.ackedCount()));
        return counts;
    }

    /** @return fill seq → [price, qty, taker_order_id, maker_order_id], after checking the seqs run 1..n. */
    private static Map<Long, List<String>> gaplessFills(final Jedis jedis, final String pair)
    {
        final List<?> entries = (List<?>)JedisReplies.call(jedis, "XRANGE", "fills:" + pair, "-", "+");
        final Map<Long, List<String>> fills = new LinkedHashMap<>();
        long expected = 1;
        for (final Object entry : entries)
        {
            final List<?> idAndFields = (List<?>)entry;
            assertEquals(expected + "-0", idAndFields.get(0), "fill seqs of " + pair + " are gapless");
            final Map<String, String> fields = fields((List<?>)idAndFields.get(1));
            assertEquals(Long.toString(expected), fields.get("seq"));
            fills.put(expected, List.of(fields.get("price"), fields.get("qty"), fields.get("taker_order_id"),
                fields.get("maker_order_id")));
            expected++;
        }
        assertTrue(fills.size() > 0, pair + " has fills");
        return fills;
    }

    /**
     * Every order the client got a reply for is on the shard's primary now: the same order id, at least the filled
     * quantity the reply showed (a resting order may fill more later), a final status unchanged, and each fill the
     * reply listed in the fill stream under the same seq.
     */
    private static void assertAcknowledgedKept(final Jedis jedis, final LoadClient client,
        final Map<Long, List<String>> fills)
    {
        final Pipeline pipeline = jedis.pipelined();
        final List<redis.clients.jedis.Response<Object>> replies = new ArrayList<>();
        for (final Map<String, Object> acked : client.acked)
        {
            replies.add(pipeline.sendCommand(JedisReplies.command("ORDER.GET"), client.pair, "CLIENT_ID", client.account,
                (String)acked.get("client_id")));
        }
        pipeline.sync();
        for (int i = 0; i < replies.size(); i++)
        {
            final Map<String, Object> acked = client.acked.get(i);
            final Object reply = JedisReplies.normalize(replies.get(i).get());
            assertNotNull(reply, "acknowledged order " + acked + " survived the failover");
            final Map<String, Object> now = record((List<?>)reply);
            final String what = "order " + acked.get("client_id") + " of " + client.pair + ": acknowledged " + acked +
                ", now " + now;
            assertEquals(acked.get("order_id"), now.get("order_id"), what);
            final double ackedFilled = Double.parseDouble((String)acked.get("filled_qty"));
            final double filledNow = Double.parseDouble((String)now.get("filled_qty"));
            assertTrue(filledNow >= ackedFilled, what);
            final String ackedStatus = (String)acked.get("status");
            if (!"NEW".equals(ackedStatus) && !"PARTIALLY_FILLED".equals(ackedStatus))
            {
                assertEquals(ackedStatus, now.get("status"), what);
                assertEquals(acked.get("filled_qty"), now.get("filled_qty"), what);
            }
            for (final Object fill : (List<?>)acked.get("fills"))
            {
                final List<?> seqPriceQty = (List<?>)fill;
                final List<String> inStream = fills.get((Long)seqPriceQty.get(0));
                assertNotNull(inStream, "fill " + seqPriceQty + " of " + what + " is in the fill stream");
                assertEquals(List.of(seqPriceQty.get(1), seqPriceQty.get(2)), inStream.subList(0, 2), what);
                assertTrue(inStream.subList(2, 4).contains(String.valueOf(acked.get("order_id"))), what);
            }
        }
    }

    /** Every order sent was acknowledged once, retries included, except those still to be retried at the end. */
    private static void assertPlacedOnce(final LoadClient client)
    {
        final Set<Object> clientIds = new HashSet<>();
        final Set<Object> orderIds = new HashSet<>();
        for (final Map<String, Object> order : client.acked)
        {
            assertTrue(clientIds.add(order.get("client_id")), "acknowledged twice: " + order);
            assertTrue(orderIds.add(order.get("order_id")), "one order id for two orders: " + order);
        }
        assertEquals(client.nextClientId - client.retries.size(), client.acked.size(), client.summary());
    }

    private static Map<String, Object> record(final List<?> flat)
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2)
        {
            fields.put(String.valueOf(flat.get(i)), flat.get(i + 1));
        }
        return fields;
    }

    private static Map<String, String> fields(final List<?> flat)
    {
        final Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2)
        {
            fields.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
        }
        return fields;
    }

    /**
     * One client connection to the router sending pipelined limit orders on one pair, buys and sells around one price
     * so that many trade. It keeps every order reply it received; an order that got an error reply is not
     * acknowledged and is sent again in the next batch with the same CLIENT_ID, as a client retries, so an order the
     * failed primary applied without replying is found, not placed twice.
     */
    private static final class LoadClient implements Runnable
    {
        private final int routerPort;
        private final String pair;
        private final String account;
        private final String qty;
        private final Random random;
        private final Thread thread;
        private final List<Map<String, Object>> acked = new ArrayList<>();
        private final List<String[]> retries = new ArrayList<>();
        private final AtomicInteger ackedCount = new AtomicInteger();
        private final AtomicLong errors = new AtomicLong();
        private final ConcurrentLinkedQueue<String> errorMessages = new ConcurrentLinkedQueue<>();
        private volatile boolean running = true;
        private volatile Throwable failure;
        private int nextClientId;

        LoadClient(final int routerPort, final String pair, final String account, final String qty, final long seed)
        {
            this.routerPort = routerPort;
            this.pair = pair;
            this.account = account;
            this.qty = qty;
            this.random = new Random(seed);
            this.thread = new Thread(this, "load-" + account);
            this.thread.setDaemon(true);
        }

        void start()
        {
            thread.start();
        }

        void stop()
        {
            running = false;
        }

        void join() throws InterruptedException
        {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }

        int ackedCount()
        {
            return ackedCount.get();
        }

        @Override
        public void run()
        {
            try (Jedis jedis = new Jedis("127.0.0.1", routerPort, 30_000))
            {
                while (running)
                {
                    if (!sendBatch(jedis))
                    {
                        Thread.sleep(20);
                    }
                }
            }
            catch (final Throwable ex)
            {
                failure = ex;
            }
        }

        /** @return false when a reply was an error. */
        private boolean sendBatch(final Jedis jedis)
        {
            final List<String[]> batch = new ArrayList<>(retries);
            retries.clear();
            while (batch.size() < PIPELINE_DEPTH)
            {
                batch.add(new String[] {pair, random.nextBoolean() ? "BUY" : "SELL", "ACCOUNT", account, "QTY", qty,
                    "PRICE", Integer.toString(100 + random.nextInt(5)), "CLIENT_ID", account + "-" + nextClientId++});
            }
            final Pipeline pipeline = jedis.pipelined();
            batch.forEach(order -> pipeline.sendCommand(JedisReplies.command("ORDER.PLACE"), order));
            final List<Object> replies = pipeline.syncAndReturnAll();
            boolean clean = true;
            for (int i = 0; i < batch.size(); i++)
            {
                final Object reply = replies.get(i);
                if (reply instanceof JedisDataException error)
                {
                    errors.incrementAndGet();
                    errorMessages.add(error.getMessage());
                    retries.add(batch.get(i));
                    clean = false;
                }
                else if (reply instanceof JedisException broken)
                {
                    throw broken;
                }
                else
                {
                    final Map<String, Object> order = record((List<?>)JedisReplies.normalize(reply));
                    assertEquals(batch.get(i)[batch.get(i).length - 1], order.get("client_id"));
                    acked.add(order);
                    ackedCount.incrementAndGet();
                }
            }
            return clean;
        }

        String summary()
        {
            return "client " + account + " on " + pair + ": " + ackedCount.get() + " acknowledged, " + errors.get() +
                " error replies" + (errorMessages.isEmpty() ? "" : " (first: " + errorMessages.peek() + ")") +
                (failure == null ? "" : ", failed: " + failure);
        }
    }
}
