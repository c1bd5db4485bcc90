package io.redmatch.engine.log;

import io.redmatch.engine.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A primary and its hot standby as real node processes, replicating over Aeron on loopback UDP: the standby follows
 * and reaches the primary's state ({@code DEBUG DIGEST}), refuses writes and serves reads; under pipelined load with
 * {@code ack standby}, the primary is killed with {@code kill -9} at a random moment and the standby promoted with
 * {@code REPLICAOF NO ONE}: every order and fill a client was told about is there with the same content, the fill
 * sequence has no gap, and the new primary takes writes at once; a standby started late catches up and follows live;
 * a standby killed under {@code ack standby} makes writes answer {@code -TRYAGAIN} after the ack timeout, or, with
 * {@code ack-degrade}, degrades the primary to local acks; a planned {@code FAILOVER} while a client keeps placing
 * orders (retrying on {@code -TRYAGAIN}, moving on {@code -READONLY}) loses and duplicates nothing, and the old
 * primary follows the new one to the same digest; a new standby of a primary that purged its log below a snapshot
 * loads the primary's snapshot (refusing a damaged one), catches up, follows live and is promoted with the fill
 * sequence gapless.
 * <p>
 * Seeded ({@code -Dredmatch.test.seed=S}, printed); {@code -Dredmatch.test.failover.iterations=N} for more kills;
 * {@code -Dredmatch.test.catchup.entries=N} for a longer catch-up (a million in the soak run).
 */
class ReplicationTest
{
    private static final String PAIR = "BTC-USDT";
    private static final String STREAM = "fills:" + PAIR;
    private static final int ITERATIONS = Integer.getInteger("redmatch.test.failover.iterations", 4);
    private static final int CATCH_UP_ENTRIES = Integer.getInteger("redmatch.test.catchup.entries", 30_000);
    private static final int CLIENTS = 3;
    private static final int PIPELINE = 40;
    private static final List<String> TERMINAL = List.of("FILLED", "CANCELLED", "REJECTED");
    private static final long CONVERGE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final String SMALL_SEGMENTS = "log-term-length=65536\nlog-segment-length=65536\n";

    @TempDir
    Path tempDir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void standbyFollowsThenIsPromotedAfterKillNine() throws Exception
    {
        final long seed = Long.getLong("redmatch.test.seed", System.nanoTime());
        System.out.println("ReplicationTest failover seed " + seed + " (-Dredmatch.test.seed=" + seed + ")");
        final Random random = new Random(seed);
        for (int iteration = 0; iteration < ITERATIONS; iteration++)
        {
            final Path dir = Files.createDirectories(tempDir.resolve("failover-" + iteration));
            final Path output = dir.resolve("nodes.log");
            try (NodeProcess primary = NodeProcess.start(dir.resolve("a"), primaryConfig(dir, null, ""), output);
                NodeProcess standby = NodeProcess.start(dir.resolve("b"), standbyConfig(dir, primary), output))
            {
                try
                {
                    awaitAttached(primary);
                    if (iteration == 0)
                    {
                        checkStandbyFollows(primary, standby, seed);
                    }
                    final Map<Long, Map<String, Object>> acknowledged = new ConcurrentHashMap<>();
                    final long runMillis = 300 + random.nextInt(1200);
                    driveLoadThenKill(primary, seed + iteration, runMillis, acknowledged);
                    assertTrue(acknowledged.size() > 0, "seed " + seed + ": nothing acknowledged");
                    try (LogTestClient client = new LogTestClient(standby.port()))
                    {
                        assertEquals("OK", client.call("REPLICAOF", "NO", "ONE"), "seed " + seed);
                        final Map<String, Object> first = client.record(
                            "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "after-failover", "QTY", "0.001", "PRICE", "1");
                        assertEquals("NEW", first.get("status"), "seed " + seed + ": the new primary takes writes");
                        assertEquals("master", ((List<?>)client.call("ROLE")).get(0));
                        assertEquals("1", client.info("replication", "epoch"), "seed " + seed + ": a promotion starts epoch 1");
                        checkAcknowledged(client, acknowledged, seed);
                        checkTradingContinues(client, checkGapless(client, seed), seed);
                    }
                }
                catch (final AssertionError | RuntimeException ex)
                {
                    throw new AssertionError("seed " + seed + " iteration " + iteration + ": " + ex.getMessage() +
                        "\nnode output:\n" + standby.outputTail(), ex);
                }
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void lateStandbyCatchesUpAndAKilledStandbyStopsWrites() throws Exception
    {
        final long seed = Long.getLong("redmatch.test.seed", System.nanoTime());
        System.out.println("ReplicationTest catch-up seed " + seed + " (-Dredmatch.test.seed=" + seed + ")");
        final Path output = tempDir.resolve("nodes.log");
        final Path standbyDir = tempDir.resolve("b");
        try (NodeProcess primary = NodeProcess.start(tempDir.resolve("a"), primaryConfig(tempDir, null, "1000"),
            output))
        {
            final Random random = new Random(seed);
            try (LogTestClient client = new LogTestClient(primary.port()))
            {
                for (int sent = 0; sent < CATCH_UP_ENTRIES; sent += 500)
                {
                    final List<String[]> batch = new ArrayList<>();
                    for (int i = 0; i < 500; i++)
                    {
                        batch.add(randomOrder(random, "late-"));
                    }
                    client.pipeline(batch);
                }
                assertEquals("local", client.info("replication", "ack_mode"));
            }
            final Path config = standbyConfig(tempDir, primary);
            final long startNs = System.nanoTime();
            NodeProcess standby = NodeProcess.start(standbyDir, config, output);
            try
            {
                awaitSameDigest(primary, standby, seed);
                System.out.println("ReplicationTest: a late standby caught up with " + CATCH_UP_ENTRIES +
                    " orders in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) +
                    " ms, its JVM start included");
                try (LogTestClient client = new LogTestClient(primary.port()))
                {
                    final List<String[]> batch = new ArrayList<>();
                    for (int i = 0; i < 200; i++)
                    {
                        batch.add(randomOrder(random, "live-"));
                    }
                    client.pipeline(batch);
                    assertEquals("standby", client.info("replication", "ack_mode"),
                        "the default ack mode once a standby attached");
                }
                awaitSameDigest(primary, standby, seed);

                standby.kill9();
                try (LogTestClient client = new LogTestClient(primary.port()))
                {
                    final AtomicReference<Object> heldReply = new AtomicReference<>();
                    final Thread held = new Thread(() ->
                    {
                        try (LogTestClient writer = new LogTestClient(primary.port()))
                        {
                            heldReply.set(writer.call(
                                "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "held", "QTY", "0.001", "PRICE", "2"));
                        }
                        catch (final RuntimeException ex)
                        {
                            heldReply.set(ex);
                        }
                    });
                    held.start();
                    final String error = awaitWriteError(client);
                    assertTrue(error.startsWith("TRYAGAIN"), error);
                    assertEquals("1", client.info("replication", "waiting_for_standby"));
                    held.join(TimeUnit.SECONDS.toMillis(60));
                    assertTrue(heldReply.get() instanceof JedisConnectionException,
                        "a write the standby never acknowledged gets no reply, its connection is closed: " +
                        heldReply.get());

                    standby = NodeProcess.start(standbyDir, config, output);
                    awaitWritesAccepted(client);
                    assertEquals("0", client.info("replication", "waiting_for_standby"));
                    assertEquals(1L, client.call("ORDER.CANCELALL", PAIR, "ACCOUNT", "held"),
                        "the unconfirmed write is in the log, confirmed once the standby caught up");
                    assertEquals("NEW", client.record(
                        "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "again", "QTY", "0.001", "PRICE", "2").get("status"));
                }
                awaitSameDigest(primary, standby, seed);
            }
            catch (final AssertionError | RuntimeException ex)
            {
                throw new AssertionError("seed " + seed + ": " + ex.getMessage() + "\nnode output:\n" +
                    primary.outputTail(), ex);
            }
            finally
            {
                standby.close();
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aNewStandbyOfAPurgedPrimaryLoadsItsSnapshotThenFollows() throws Exception
    {
        final long seed = Long.getLong("redmatch.test.seed", System.nanoTime());
        System.out.println("ReplicationTest snapshot bootstrap seed " + seed + " (-Dredmatch.test.seed=" + seed + ")");
        final Random random = new Random(seed);
        final Path output = tempDir.resolve("nodes.log");
        final Path config = primaryConfig(tempDir, null, "");
        Files.writeString(config, SMALL_SEGMENTS, StandardOpenOption.APPEND);
        try (NodeProcess primary = NodeProcess.start(tempDir.resolve("a"), config, output))
        {
            try (LogTestClient client = new LogTestClient(primary.port()))
            {
                placeOrders(client, random, "before-", 4000);
                assertEquals("Background saving started", client.call("BGSAVE"));
                awaitSnapshotWritten(client);
                final long logStart = Long.parseLong(client.info("persistence", "log_start_position"));
                assertTrue(logStart > 0, "the primary purged its log below the snapshot: " + logStart);
                assertTrue(Long.parseLong(client.info("pairs", "accounts")) > 0);
                placeOrders(client, random, "after-", 1000);
            }
            final Path standbyConfig = standbyConfig(tempDir, primary);
            Files.writeString(standbyConfig, SMALL_SEGMENTS, StandardOpenOption.APPEND);

            final Path newest = new SnapshotStore(tempDir.resolve("a")).list().get(0);
            SnapshotRecoveryTest.Damage.FLIPPED_BYTE.apply(newest);
            final Path refusedDir = tempDir.resolve("refused");
            final Path refusedOutput = tempDir.resolve("refused.log");
            final AssertionError refused = assertThrows(AssertionError.class,
                () -> NodeProcess.start(refusedDir, standbyConfig, refusedOutput).close());
            final String refusedLog = Files.readString(refusedOutput);
            assertTrue(refusedLog.contains("failed its checks (checksum mismatch") && refusedLog.contains("REFUSED"),
                "a damaged snapshot is refused with the reason: " + refused.getMessage());
            assertTrue(new SnapshotStore(refusedDir).list().isEmpty(),
                "nothing of the damaged snapshot is installed");
            SnapshotRecoveryTest.Damage.FLIPPED_BYTE.apply(newest);

            try (NodeProcess standby = NodeProcess.start(tempDir.resolve("b"), standbyConfig, output))
            {
                try
                {
                    try (LogTestClient client = new LogTestClient(standby.port()))
                    {
                        assertEquals(newest.getFileName().toString(), client.info("persistence", "recovery_snapshot"),
                            "the standby started from the primary's snapshot");
                        assertTrue(Long.parseLong(client.info("persistence", "log_start_position")) > 0,
                            "its log starts where the snapshot stands");
                    }
                    awaitSameDigest(primary, standby, seed);
                    try (LogTestClient client = new LogTestClient(primary.port()))
                    {
                        placeOrders(client, random, "live-", 300);
                        assertEquals("standby", client.info("replication", "ack_mode"), "the standby is attached");
                    }
                    awaitSameDigest(primary, standby, seed);
                    primary.kill9();
                    try (LogTestClient client = new LogTestClient(standby.port()))
                    {
                        assertEquals("OK", client.call("REPLICAOF", "NO", "ONE"));
                        assertEquals("master", ((List<?>)client.call("ROLE")).get(0));
                        checkTradingContinues(client, checkGapless(client, seed), seed);
                        placeOrders(client, random, "promoted-", 200);
                        checkGapless(client, seed);
                    }
                }
                catch (final AssertionError | RuntimeException ex)
                {
                    throw new AssertionError("seed " + seed + ": " + ex.getMessage() + "\nnode output:\n" +
                        standby.outputTail(), ex);
                }
            }
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aPrimaryConfiguredToDegradeKeepsTakingWrites() throws Exception
    {
        final Path output = tempDir.resolve("nodes.log");
        final Path config = primaryConfig(tempDir, null, "1000");
        Files.writeString(config, "ack-degrade=true\n", java.nio.file.StandardOpenOption.APPEND);
        try (NodeProcess primary = NodeProcess.start(tempDir.resolve("a"), config, output))
        {
            try (NodeProcess standby = NodeProcess.start(tempDir.resolve("b"), standbyConfig(tempDir, primary), output);
                LogTestClient client = new LogTestClient(primary.port()))
            {
                awaitAttached(primary);
                assertEquals("NEW", client.record(
                    "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "x", "QTY", "0.001", "PRICE", "2").get("status"));
                awaitSameDigest(primary, standby, 0);
                standby.kill9();
                assertEquals("NEW", client.record(
                    "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "x", "QTY", "0.001", "PRICE", "3").get("status"));
                assertEquals("1", client.info("replication", "degraded"));
                assertEquals("local", client.info("replication", "ack_mode"));
                assertTrue(client.info("replication", "slave0").contains("state=out_of_sync"),
                    client.info("replication", "slave0"));
            }
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void idleConsumerGroupPollingIsNotReplicatedAndDeliveriesAre() throws Exception
    {
        final Path output = tempDir.resolve("nodes.log");
        final String[] poll =
            { "XREADGROUP", "GROUP", "clearing", "clearing-1", "COUNT", "2000", "STREAMS", STREAM, ">" };
        try (NodeProcess primary = NodeProcess.start(tempDir.resolve("a"), primaryConfig(tempDir, null, ""), output);
            NodeProcess standby = NodeProcess.start(tempDir.resolve("b"), standbyConfig(tempDir, primary), output);
            LogTestClient client = new LogTestClient(primary.port());
            LogTestClient reader = new LogTestClient(primary.port()))
        {
            awaitAttached(primary);
            assertEquals("OK", client.call("XGROUP", "CREATE", STREAM, "clearing", "0"));
            final List<String[]> trades = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                trades.add(new String[]{ "ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "s", "QTY", "0.001", "PRICE", "5" });
                trades.add(new String[]{ "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "b", "QTY", "0.001", "PRICE", "5" });
            }
            // with standby acks, the replies of the polls wait behind the orders' and come back in order
            trades.add(poll);
            trades.add(poll);
            final List<Object> replies = client.pipeline(trades);
            assertEquals(3, ((List<?>)((List<?>)((List<?>)replies.get(6)).get(0)).get(1)).size(), "three fills");
            assertNull(replies.get(7), "nothing left");
            assertEquals(2L, client.call("XACK", STREAM, "clearing", "1", "2"));
            awaitSameDigest(primary, standby, 0);

            final String primaryPosition = client.info("persistence", "log_position");
            final String logSeq = client.info("replication", "log_position");
            final List<String[]> polls = new ArrayList<>();
            for (int i = 0; i < 100; i++)
            {
                polls.add(poll);
            }
            polls.add(new String[]{ "XACK", STREAM, "clearing", "1", "2" });
            polls.add(new String[]{ "XREADGROUP", "GROUP", "clearing", "clearing-1", "STREAMS", STREAM, "3" });
            final List<Object> idle = client.pipeline(polls);
            assertEquals(0L, idle.get(100));
            assertEquals(List.of(List.of(STREAM, List.of())), idle.get(101));
            assertEquals(primaryPosition, client.info("persistence", "log_position"), "idle polls are not logged");
            assertEquals(logSeq, client.info("replication", "log_position"));

            final CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> reader.call("XREADGROUP",
                "GROUP", "clearing", "clearing-1", "COUNT", "2000", "BLOCK", "30000", "STREAMS", STREAM, ">"));
            while (!"1".equals(client.info("clients", "blocked_clients")))
            {
                Thread.sleep(5);
            }
            assertEquals(logSeq, client.info("replication", "log_position"), "a read that blocks is not logged");
            client.record("ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "s", "QTY", "0.001", "PRICE", "5");
            client.record("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "b", "QTY", "0.001", "PRICE", "5");
            final List<?> woken = (List<?>)((List<?>)((List<?>)blocked.get(30, TimeUnit.SECONDS)).get(0)).get(1);
            assertEquals("4-0", ((List<?>)woken.get(0)).get(0));
            assertEquals(Long.parseLong(logSeq) + 3, Long.parseLong(client.info("replication", "log_position")),
                "two orders and the woken read's delivery");

            awaitSameDigest(primary, standby, 0);
            try (LogTestClient standbyClient = new LogTestClient(standby.port()))
            {
                assertEquals(client.call("XPENDING", STREAM, "clearing"), standbyClient.call("XPENDING", STREAM,
                    "clearing"));
                assertEquals(client.call("XINFO", "STREAM", STREAM, "FULL"), standbyClient.call("XINFO", "STREAM",
                    STREAM, "FULL"));
            }
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void plannedFailoverWhileAClientKeepsSending() throws Exception
    {
        final long seed = Long.getLong("redmatch.test.seed", System.nanoTime());
        System.out.println("ReplicationTest planned failover seed " + seed + " (-Dredmatch.test.seed=" + seed + ")");
        final Path output = tempDir.resolve("nodes.log");
        try (NodeProcess first = NodeProcess.start(tempDir.resolve("a"), primaryConfig(tempDir, null, ""), output);
            NodeProcess second = NodeProcess.start(tempDir.resolve("b"), standbyConfig(tempDir, first), output))
        {
            awaitAttached(first);
            final int[] ports = {first.port(), second.port()};
            final Map<String, Map<String, Object>> acknowledged = new ConcurrentHashMap<>();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread client = new Thread(() ->
            {
                final Random random = new Random(seed);
                int current = 0;
                int next = 0;
                LogTestClient connection = new LogTestClient(ports[current]);
                try
                {
                    while (running.get())
                    {
                        final String cid = "cid-" + next;
                        final String[] order = randomOrder(random, "planned-");
                        final String[] withId = java.util.Arrays.copyOf(order, order.length + 2);
                        withId[order.length] = "CLIENT_ID";
                        withId[order.length + 1] = cid;
                        try
                        {
                            final Map<String, Object> record = LogTestClient.record(connection.call(
                                withId[0], java.util.Arrays.copyOfRange(withId, 1, withId.length)));
                            acknowledged.putIfAbsent(cid, record);
                            next++;
                        }
                        catch (final JedisDataException ex)
                        {
                            if (!ex.getMessage().startsWith("TRYAGAIN") && !ex.getMessage().startsWith("READONLY"))
                            {
                                throw ex;
                            }
                            Thread.sleep(5);
                            if (ex.getMessage().startsWith("READONLY"))
                            {
                                connection.close();
                                current = 1 - current;
                                connection = new LogTestClient(ports[current]);
                            }
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
                finally
                {
                    connection.close();
                }
            }, "planned-failover-client");
            client.start();
            Thread.sleep(300 + new Random(seed).nextInt(500));
            try (LogTestClient admin = new LogTestClient(first.port()))
            {
                assertEquals("OK", admin.call("FAILOVER"));
                assertEquals("slave", ((List<?>)admin.call("ROLE")).get(0));
            }
            final int before = acknowledged.size();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < before + 300 && failure.get() == null)
            {
                assertTrue(System.nanoTime() < deadline, "the client made no progress after the failover");
                Thread.sleep(20);
            }
            running.set(false);
            client.join(TimeUnit.SECONDS.toMillis(60));
            if (failure.get() != null)
            {
                throw new AssertionError("seed " + seed + ": the client failed\n" + second.outputTail(), failure.get());
            }
            try (LogTestClient client2 = new LogTestClient(second.port()))
            {
                assertEquals("master", ((List<?>)client2.call("ROLE")).get(0));
                assertEquals("1", client2.info("replication", "epoch"));
                final Map<Long, Map<String, Object>> byOrderId = new ConcurrentHashMap<>();
                final List<String[]> gets = new ArrayList<>();
                final List<String> cids = new ArrayList<>(acknowledged.keySet());
                for (final String cid : cids)
                {
                    final Map<String, Object> told = acknowledged.get(cid);
                    byOrderId.put((Long)told.get("order_id"), told);
                    gets.add(new String[] {"ORDER.GET", PAIR, "CLIENT_ID", (String)told.get("account"), cid});
                }
                final List<Object> records = client2.pipeline(gets);
                for (int i = 0; i < cids.size(); i++)
                {
                    assertEquals(acknowledged.get(cids.get(i)).get("order_id"),
                        LogTestClient.record(records.get(i)).get("order_id"),
                        "seed " + seed + ": " + cids.get(i) + " names one order, the acknowledged one");
                }
                checkAcknowledged(client2, byOrderId, seed);
                checkGapless(client2, seed);
            }
            awaitSameDigest(second, first, seed);
        }
    }

    private static void checkStandbyFollows(final NodeProcess primary, final NodeProcess standby, final long seed)
        throws Exception
    {
        final Random random = new Random(seed);
        final long orderId;
        try (LogTestClient client = new LogTestClient(primary.port()))
        {
            final List<String[]> batch = new ArrayList<>();
            for (int i = 0; i < 2000; i++)
            {
                batch.add(randomOrder(random, "follow-"));
            }
            final List<Object> replies = client.pipeline(batch);
            orderId = (Long)LogTestClient.record(replies.get(replies.size() - 1)).get("order_id");
            final List<?> role = (List<?>)client.call("ROLE");
            assertEquals("master", role.get(0));
            assertEquals(1, ((List<?>)role.get(2)).size(), "ROLE lists the standby: " + role);
        }
        awaitSameDigest(primary, standby, seed);
        try (LogTestClient client = new LogTestClient(standby.port());
            LogTestClient primaryClient = new LogTestClient(primary.port()))
        {
            assertEquals("READONLY You can't write against a read only replica.", client.error(
                "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "x", "QTY", "0.001", "PRICE", "1"));
            assertEquals(primaryClient.call("ORDER.GET", PAIR, String.valueOf(orderId)),
                client.call("ORDER.GET", PAIR, String.valueOf(orderId)));
            assertEquals(primaryClient.call("BOOK.DEPTH", PAIR), client.call("BOOK.DEPTH", PAIR));
            assertEquals(primaryClient.call("XLEN", STREAM), client.call("XLEN", STREAM));
            final List<?> role = (List<?>)client.call("ROLE");
            assertEquals("slave", role.get(0));
            assertEquals((long)primary.port(), role.get(2));
            assertEquals("connected", role.get(3));
        }
    }

    private static void placeOrders(final LogTestClient client, final Random random, final String prefix,
        final int count)
    {
        for (int sent = 0; sent < count; sent += 500)
        {
            final List<String[]> batch = new ArrayList<>();
            for (int i = 0; i < Math.min(500, count - sent); i++)
            {
                batch.add(randomOrder(random, prefix));
            }
            client.pipeline(batch);
        }
    }

    private static void awaitSnapshotWritten(final LogTestClient client) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!"0".equals(client.info("persistence", "snapshot_in_progress")))
        {
            assertTrue(System.nanoTime() < deadline, "the snapshot was not written");
            Thread.sleep(20);
        }
        assertEquals("ok", client.info("persistence", "last_snapshot_status"));
    }

    /** Waits until both nodes are at the same log position, then compares their digests. */
    private static void awaitSameDigest(final NodeProcess primary, final NodeProcess standby, final long seed)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + CONVERGE_TIMEOUT_NS;
        try (LogTestClient a = new LogTestClient(primary.port());
            LogTestClient b = new LogTestClient(standby.port()))
        {
            while (true)
            {
                final String position = a.info("replication", "log_position");
                final String digest = a.digest();
                if (position.equals(b.info("replication", "log_position")))
                {
                    assertEquals(digest, b.digest(), "seed " + seed + ": digests at log position " + position);
                    return;
                }
                assertTrue(System.nanoTime() < deadline, "seed " + seed + ": the standby did not reach position " +
                    position + ": it is at " + b.info("replication", "log_position") + "\n" + standby.outputTail());
                Thread.sleep(20);
            }
        }
    }

    /** Waits until the primary heard from its standby: from then on, default ack mode is standby. */
    private static void awaitAttached(final NodeProcess primary) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (LogTestClient client = new LogTestClient(primary.port()))
        {
            while (!"standby".equals(client.info("replication", "ack_mode")))
            {
                assertTrue(System.nanoTime() < deadline, "the standby never attached:\n" + primary.outputTail());
                Thread.sleep(20);
            }
        }
    }

    private static String awaitWriteError(final LogTestClient client) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline)
        {
            if ("1".equals(client.info("replication", "waiting_for_standby")))
            {
                return client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "refused", "QTY", "0.001", "PRICE", "2");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the primary never gave up waiting for its standby");
    }

    private static void awaitWritesAccepted(final LogTestClient client) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!"0".equals(client.info("replication", "waiting_for_standby")))
        {
            assertTrue(System.nanoTime() < deadline, "writes never accepted again");
            Thread.sleep(20);
        }
    }

    private static Path primaryConfig(final Path dir, final String ack, final String ackTimeoutMs) throws Exception
    {
        final Path config = dir.resolve("primary.conf");
        Files.writeString(config, "pair." + PAIR + "=TICK 0.01 LOT 0.001\n" +
            (ack == null || ack.isEmpty() ? "" : "ack=" + ack + "\n") +
            (ackTimeoutMs == null || ackTimeoutMs.isEmpty() ? "" : "ack-timeout-ms=" + ackTimeoutMs + "\n"));
        return config;
    }

    private static Path standbyConfig(final Path dir, final NodeProcess primary) throws Exception
    {
        final Path config = dir.resolve("standby.conf");
        Files.writeString(config, "pair." + PAIR + "=TICK 0.01 LOT 0.001\nreplicaof=127.0.0.1:" + primary.port() + "\n");
        return config;
    }

    private static void driveLoadThenKill(
        final NodeProcess node, final long seed, final long runMillis, final Map<Long, Map<String, Object>> acknowledged)
        throws Exception
    {
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> clients = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++)
        {
            final Random random = new Random(seed + c);
            final String prefix = "c" + c + "-";
            final Thread client = new Thread(() ->
            {
                try (LogTestClient jedis = new LogTestClient(node.port()))
                {
                    while (running.get())
                    {
                        final List<String[]> batch = new ArrayList<>();
                        for (int i = 0; i < PIPELINE; i++)
                        {
                            batch.add(randomOrder(random, prefix));
                        }
                        for (final Object reply : jedis.pipeline(batch))
                        {
                            if (reply instanceof JedisDataException)
                            {
                                throw (JedisDataException)reply;
                            }
                            final Map<String, Object> record = LogTestClient.record(reply);
                            acknowledged.put((Long)record.get("order_id"), record);
                        }
                    }
                }
                catch (final JedisDataException ex)
                {
                    synchronized (failures)
                    {
                        failures.add(ex);
                    }
                }
                catch (final RuntimeException killed)
                {
                    // the node died under this client: what it was told so far is what counts
                }
            }, "replication-test-client-" + c);
            client.start();
            clients.add(client);
        }
        Thread.sleep(runMillis);
        node.kill9();
        running.set(false);
        for (final Thread client : clients)
        {
            client.join(TimeUnit.SECONDS.toMillis(60));
        }
        if (!failures.isEmpty())
        {
            throw new AssertionError("a client got an error reply", failures.get(0));
        }
    }

    private static String[] randomOrder(final Random random, final String prefix)
    {
        final String side = random.nextBoolean() ? "BUY" : "SELL";
        final String price = String.valueOf(95 + random.nextInt(11));
        final String qty = "0.00" + (1 + random.nextInt(5));
        final String account = prefix + random.nextInt(8);
        if (random.nextInt(10) == 0)
        {
            return new String[] {"ORDER.PLACE", PAIR, side, "ACCOUNT", account, "QTY", qty, "PRICE", price,
                "TIF", "IOC"};
        }
        return new String[] {"ORDER.PLACE", PAIR, side, "ACCOUNT", account, "QTY", qty, "PRICE", price};
    }

    private static void checkAcknowledged(
        final LogTestClient client, final Map<Long, Map<String, Object>> acknowledged, final long seed)
    {
        final List<Map<String, Object>> all = new ArrayList<>(acknowledged.values());
        for (int from = 0; from < all.size(); from += 1000)
        {
            final List<Map<String, Object>> batch = all.subList(from, Math.min(all.size(), from + 1000));
            final List<String[]> gets = new ArrayList<>();
            final List<List<?>> fillsSeen = new ArrayList<>();
            final List<String[]> fillReads = new ArrayList<>();
            for (final Map<String, Object> told : batch)
            {
                gets.add(new String[] {"ORDER.GET", PAIR, String.valueOf(told.get("order_id"))});
                for (final Object fill : (List<?>)told.get("fills"))
                {
                    final String seq = String.valueOf(((List<?>)fill).get(0));
                    fillReads.add(new String[] {"XRANGE", STREAM, seq, seq});
                    fillsSeen.add((List<?>)fill);
                }
            }
            final List<Object> records = client.pipeline(gets);
            for (int i = 0; i < batch.size(); i++)
            {
                checkOrder(batch.get(i), LogTestClient.record(records.get(i)), seed);
            }
            final List<Object> fills = client.pipeline(fillReads);
            for (int i = 0; i < fillsSeen.size(); i++)
            {
                final List<?> seen = fillsSeen.get(i);
                final List<?> entries = (List<?>)fills.get(i);
                assertEquals(1, entries.size(), "seed " + seed + ": acknowledged fill " + seen.get(0) + " is gone");
                final List<?> fields = (List<?>)((List<?>)entries.get(0)).get(1);
                assertEquals(seen.get(1), field(fields, "price"), "seed " + seed + ": fill " + seen.get(0));
                assertEquals(seen.get(2), field(fields, "qty"), "seed " + seed + ": fill " + seen.get(0));
            }
        }
    }

    private static void checkOrder(final Map<String, Object> told, final Map<String, Object> now, final long seed)
    {
        final Object orderId = told.get("order_id");
        assertNotNull(now, "seed " + seed + ": acknowledged order " + orderId + " is gone");
        for (final String field : List.of("account", "side", "price", "qty", "type", "ts"))
        {
            assertEquals(told.get(field), now.get(field), "seed " + seed + ": order " + orderId + " " + field);
        }
        final double filledThen = Double.parseDouble((String)told.get("filled_qty"));
        final double filledNow = Double.parseDouble((String)now.get("filled_qty"));
        assertTrue(filledNow >= filledThen, "seed " + seed + ": order " + orderId + " lost fills");
        if (TERMINAL.contains((String)told.get("status")))
        {
            assertEquals(told.get("status"), now.get("status"), "seed " + seed + ": order " + orderId);
            assertEquals(told.get("filled_qty"), now.get("filled_qty"), "seed " + seed + ": order " + orderId);
        }
    }

    private static long checkGapless(final LogTestClient client, final long seed)
    {
        long expected = 1;
        String from = "-";
        while (true)
        {
            final List<?> entries = (List<?>)client.call("XRANGE", STREAM, from, "+", "COUNT", "5000");
            for (final Object entry : entries)
            {
                assertEquals(expected + "-0", ((List<?>)entry).get(0), "seed " + seed + ": fill sequence gap");
                expected++;
            }
            if (entries.size() < 5000)
            {
                break;
            }
            from = "(" + (expected - 1);
        }
        assertEquals(expected - 1, (Long)client.call("XLEN", STREAM), "seed " + seed);
        return expected - 1;
    }

    private static void checkTradingContinues(final LogTestClient client, final long lastFill, final long seed)
    {
        final Map<String, Object> sell = client.record(
            "ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "probe-seller", "QTY", "0.001", "PRICE", "1");
        Map<String, Object> taker = sell;
        if (((List<?>)sell.get("fills")).isEmpty())
        {
            taker = client.record("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "probe-buyer", "QTY", "0.001", "PRICE", "1");
        }
        final List<?> fills = (List<?>)taker.get("fills");
        assertEquals(lastFill + 1, (Long)((List<?>)fills.get(0)).get(0), "seed " + seed + ": next fill sequence");
    }

    private static Object field(final List<?> fields, final String name)
    {
        for (int i = 0; i < fields.size(); i += 2)
        {
            if (name.equals(fields.get(i)))
            {
                return fields.get(i + 1);
            }
        }
        return null;
    }
}
