package io.redmatch.engine.log;

import io.redmatch.engine.snapshot.SnapshotFile;
import io.redmatch.engine.snapshot.SnapshotStore;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real node processes killed with {@code kill -9} at random moments under pipelined load from several clients, then
 * restarted on the same data dir: every order whose reply a client received is there, consistent with that reply;
 * every fill a client saw is there with the same price and quantity; the fill sequence has no gap; trading goes on at
 * the next sequence. An idle node gives the same {@code DEBUG DIGEST} after a kill and after every replay. A crash
 * torn tail is cut.
 * <p>
 * A few seeded iterations by default ({@code -Dredmatch.test.crash.iterations=N} for more); the seed is printed and
 * {@code -Dredmatch.test.seed=S} replays it (the kill moments follow the seed; thread scheduling does not).
 */
@Tag("crash")
@Timeout(value = 1800, unit = TimeUnit.SECONDS)
class CrashRecoveryTest
{
    private static final String PAIR = "BTC-USDT";
    private static final String STREAM = "fills:" + PAIR;
    private static final int ITERATIONS = Integer.getInteger("redmatch.test.crash.iterations", 3);
    private static final int CLIENTS = 3;
    private static final int PIPELINE = 40;
    private static final List<String> TERMINAL = List.of("FILLED", "CANCELLED", "REJECTED");
    private static final short DATA_FRAME_TYPE = 1;
    private static final int CHECK_BATCH = 1000;

    @TempDir
    Path tempDir;

    /** What a client was told about one order. */
    private record Acknowledged(Map<String, Object> record)
    {
        long orderId()
        {
            return (Long)record.get("order_id");
        }
    }

    @Test
    void acknowledgedCommandsSurviveKillNine() throws Exception
    {
        final long seed = Long.getLong("redmatch.test.seed", System.nanoTime());
        System.out.println("CrashRecoveryTest seed " + seed + " (-Dredmatch.test.seed=" + seed + ")");
        final Random random = new Random(seed);
        final Path dataDir = tempDir.resolve("node");
        final Path config = config();
        final Path output = tempDir.resolve("node.out");
        final Map<Long, Acknowledged> acknowledged = new ConcurrentHashMap<>();
        NodeProcess node = NodeProcess.start(dataDir, config, output);
        try
        {
            for (int iteration = 0; iteration < ITERATIONS; iteration++)
            {
                final long runMillis = 200 + random.nextInt(1200);
                final int before = acknowledged.size();
                driveLoadThenKill(node, random.nextLong(), runMillis, acknowledged);
                assertTrue(acknowledged.size() > before, "seed " + seed + ": no order acknowledged in " +
                    runMillis + " ms");
                node = NodeProcess.start(dataDir, config, output);
                try (LogTestClient client = new LogTestClient(node.port()))
                {
                    checkAcknowledged(client, acknowledged, seed);
                    final long lastFill = checkGapless(client, seed);
                    checkTradingContinues(client, lastFill, seed);
                    System.out.println("CrashRecoveryTest iteration " + iteration + ": killed after " + runMillis +
                        " ms of load; " + acknowledged.size() + " acknowledged orders checked, " + lastFill +
                        " fills, log entries " + client.info("persistence", "log_entries") + ", recovered in " +
                        client.info("persistence", "recovery_time_ms") + " ms");
                }
            }
            node = checkIdleDigestSurvivesKills(node, dataDir, config, output, seed);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("seed " + seed + ": " + ex.getMessage() + "\nnode output:\n" +
                node.outputTail(), ex);
        }
        finally
        {
            node.close();
        }
    }

    @Test
    void aTailTornByACrashIsCut() throws Exception
    {
        final long seed = Long.getLong("redmatch.test.seed", System.nanoTime());
        System.out.println("CrashRecoveryTest torn tail seed " + seed);
        final Path dataDir = tempDir.resolve("node");
        final Path config = config();
        final Path output = tempDir.resolve("node.out");
        NodeProcess node = NodeProcess.start(dataDir, config, output);
        try
        {
            driveLoadThenKill(node, seed, 500, new ConcurrentHashMap<>());
            final long lastFrame = damageLastFrame(dataDir.resolve("log").resolve("archive"));
            node = NodeProcess.start(dataDir, config, output);
            try (LogTestClient client = new LogTestClient(node.port()))
            {
                assertNotEquals("none", client.info("persistence", "recovery_tail_cut"),
                    "the torn entry at " + lastFrame + " was noticed");
                assertEquals(lastFrame, Long.parseLong(client.info("persistence", "log_position")),
                    "the log goes on where the last whole entry ended");
                checkTradingContinues(client, checkGapless(client, seed), seed);
            }
        }
        finally
        {
            node.close();
        }
    }

    @Test
    void aKillDuringABackgroundSnapshotLeavesAStartableNode() throws Exception
    {
        final long seed = Long.getLong("redmatch.test.seed", System.nanoTime());
        System.out.println("CrashRecoveryTest BGSAVE seed " + seed);
        final Random random = new Random(seed);
        final Path dataDir = tempDir.resolve("node");
        final Path config = config();
        final Path output = tempDir.resolve("node.out");
        final Path snapshots = dataDir.resolve(SnapshotStore.DIR_NAME);
        NodeProcess node = NodeProcess.start(dataDir, config, output);
        try
        {
            final String digest;
            try (LogTestClient client = new LogTestClient(node.port()))
            {
                VariedState.build(client, random, 5);
                assertEquals("OK", client.call("SAVE"), "seed " + seed);
                final List<String[]> resting = new ArrayList<>();
                for (int i = 0; i < 20_000; i++)
                {
                    resting.add(new String[]{"ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "deep" + i % 50, "QTY", "0.001",
                        "PRICE", String.valueOf(1 + i % 80)});
                }
                client.pipeline(resting);
                digest = client.digest();
                assertEquals("Background saving started", client.call("BGSAVE"), "seed " + seed);
            }
            node.kill9();
            final Path newest = new SnapshotStore(dataDir).list().get(0);
            final byte[] bytes = Files.readAllBytes(newest);
            Files.write(snapshots.resolve(SnapshotStore.fileName(999_999_999L) + SnapshotFile.TEMP_SUFFIX),
                java.util.Arrays.copyOf(bytes, bytes.length / 2));
            node = NodeProcess.start(dataDir, config, output);
            try (LogTestClient client = new LogTestClient(node.port()))
            {
                assertEquals(digest, client.digest(), "seed " + seed + ": digest after kill -9 during BGSAVE");
                try (var files = Files.list(snapshots))
                {
                    assertTrue(files.noneMatch(file -> file.toString().endsWith(SnapshotFile.TEMP_SUFFIX)),
                        "temporary files are removed at start");
                }
                assertEquals("OK", client.call("SAVE"), "seed " + seed);
            }
            node.kill9();
            node = NodeProcess.start(dataDir, config, output);
            try (LogTestClient client = new LogTestClient(node.port()))
            {
                assertEquals("0", client.info("persistence", "recovery_entries"), "seed " + seed);
                assertEquals(digest, client.digest(), "seed " + seed + ": digest from the new snapshot alone");
            }
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("seed " + seed + ": " + ex.getMessage() + "\nnode output:\n" +
                node.outputTail(), ex);
        }
        finally
        {
            node.close();
        }
    }

    private Path config() throws IOException
    {
        final Path config = tempDir.resolve("node.conf");
        Files.writeString(config, "pair." + PAIR + "=TICK 0.01 LOT 0.001\n");
        return config;
    }

    /** Several clients pipeline random orders; the node is killed while they run. */
    private static void driveLoadThenKill(
        final NodeProcess node, final long seed, final long runMillis, final Map<Long, Acknowledged> acknowledged)
        throws Exception
    {
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> clients = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++)
        {
            final Random random = new Random(seed + c);
            final String prefix = "c" + c + "-" + Long.toHexString(seed & 0xFFFF) + "-";
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
                            acknowledged.put((Long)record.get("order_id"), new Acknowledged(record));
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
            }, "crash-test-client-" + c);
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
        final LogTestClient client, final Map<Long, Acknowledged> acknowledged, final long seed)
    {
        final List<Acknowledged> all = new ArrayList<>(acknowledged.values());
        for (int from = 0; from < all.size(); from += CHECK_BATCH)
        {
            final List<Acknowledged> batch = all.subList(from, Math.min(all.size(), from + CHECK_BATCH));
            final List<String[]> gets = new ArrayList<>();
            final List<String[]> fillReads = new ArrayList<>();
            final List<List<?>> fillsSeen = new ArrayList<>();
            for (final Acknowledged ack : batch)
            {
                gets.add(new String[] {"ORDER.GET", PAIR, String.valueOf(ack.orderId())});
                for (final Object fill : (List<?>)ack.record().get("fills"))
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
                checkFill(fillsSeen.get(i), (List<?>)fills.get(i), seed);
            }
        }
    }

    private static void checkOrder(final Acknowledged ack, final Map<String, Object> now, final long seed)
    {
        final Map<String, Object> told = ack.record();
        assertNotNull(now, "seed " + seed + ": acknowledged order " + ack.orderId() + " is gone");
        for (final String field : List.of("account", "side", "price", "qty", "type"))
        {
            assertEquals(told.get(field), now.get(field), "seed " + seed + ": order " + ack.orderId() + " " + field);
        }
        final double filledThen = Double.parseDouble((String)told.get("filled_qty"));
        final double filledNow = Double.parseDouble((String)now.get("filled_qty"));
        assertTrue(filledNow >= filledThen, "seed " + seed + ": order " + ack.orderId() + " lost fills");
        if (TERMINAL.contains((String)told.get("status")))
        {
            assertEquals(told.get("status"), now.get("status"), "seed " + seed + ": order " + ack.orderId());
            assertEquals(told.get("filled_qty"), now.get("filled_qty"), "seed " + seed + ": " + ack.orderId());
        }
    }

    private static void checkFill(final List<?> seen, final List<?> entries, final long seed)
    {
        final Object seq = seen.get(0);
        assertEquals(1, entries.size(), "seed " + seed + ": fill " + seq + " is gone");
        final List<?> fields = (List<?>)((List<?>)entries.get(0)).get(1);
        assertEquals(seen.get(1), field(fields, "price"), "seed " + seed + ": fill " + seq + " price");
        assertEquals(seen.get(2), field(fields, "qty"), "seed " + seed + ": fill " + seq + " qty");
    }

    /** @return the last fill sequence, after checking the stream holds 1 to it without a gap. */
    private static long checkGapless(final LogTestClient client, final long seed)
    {
        long expected = 1;
        String from = "-";
        while (true)
        {
            final List<?> entries = (List<?>)client.call("XRANGE", STREAM, from, "+", "COUNT", "5000");
            for (final Object entry : entries)
            {
                final String id = (String)((List<?>)entry).get(0);
                assertEquals(expected + "-0", id, "seed " + seed + ": fill sequence gap");
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

    private static NodeProcess checkIdleDigestSurvivesKills(
        final NodeProcess running, final Path dataDir, final Path config, final Path output, final long seed)
        throws Exception
    {
        NodeProcess node = running;
        final String digest;
        try (LogTestClient client = new LogTestClient(node.port()))
        {
            digest = client.digest();
        }
        for (int replay = 0; replay < 2; replay++)
        {
            node.kill9();
            node = NodeProcess.start(dataDir, config, output);
            try (LogTestClient client = new LogTestClient(node.port()))
            {
                assertEquals(digest, client.digest(), "seed " + seed + ": digest after kill -9 and replay " + replay);
            }
        }
        try (LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals("OK", client.call("SAVE"), "seed " + seed);
        }
        for (int restart = 0; restart < 2; restart++)
        {
            node.kill9();
            node = NodeProcess.start(dataDir, config, output);
            try (LogTestClient client = new LogTestClient(node.port()))
            {
                assertNotEquals("none", client.info("persistence", "recovery_snapshot"), "seed " + seed);
                assertEquals(digest, client.digest(), "seed " + seed + ": digest after a snapshot, kill -9 and " +
                    "restart " + restart);
            }
        }
        return node;
    }

    /** Zeroes the second half of the last data frame of the last segment file: a write torn by the crash. */
    private static long damageLastFrame(final Path archiveDir) throws IOException
    {
        Path last = null;
        long lastBase = -1;
        try (var files = Files.list(archiveDir))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final String name = file.getFileName().toString();
                if (name.startsWith("0-") && name.endsWith(".rec"))
                {
                    final long base = Long.parseLong(name.substring(2, name.length() - 4));
                    if (base > lastBase)
                    {
                        lastBase = base;
                        last = file;
                    }
                }
            }
        }
        assertNotNull(last, "no segment file");
        int offset = 0;
        int lastOffset = -1;
        int lastLength = 0;
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.READ))
        {
            final ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (true)
            {
                header.clear();
                if (channel.read(header, offset) < 8)
                {
                    break;
                }
                final int length = header.getInt(0);
                if (length <= 0)
                {
                    break;
                }
                if (header.getShort(6) == DATA_FRAME_TYPE)
                {
                    lastOffset = offset;
                    lastLength = length;
                }
                offset += (length + 31) & ~31;
            }
        }
        assertTrue(lastOffset >= 0, "no frame in " + last);
        try (RandomAccessFile raf = new RandomAccessFile(last.toFile(), "rw"))
        {
            raf.seek(lastOffset + lastLength / 2);
            raf.write(new byte[lastLength - lastLength / 2]);
        }
        return lastBase + lastOffset;
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
