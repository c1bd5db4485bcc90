package io.redmatch.clearing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.util.SafeEncoder;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real engine node producing fills under load from several clients, a real clearing process pulling them, killed
 * with {@code kill -9} at random moments and restarted on its data dir, a pair added on the way. At the end every
 * balance equals the test's own recomputation from the fill streams, every asset sums to zero, the cursors equal the
 * streams' last sequences, every fill is acknowledged, and {@code LEDGER.CHECK} and the check command pass.
 * Clearing is given a dead engine address first (it must pass over it), and the engine itself is killed with
 * {@code kill -9} and restarted once: clearing reconnects and continues from its cursor.
 * <p>
 * The seed is printed; {@code -Dredmatch.test.seed=S} replays the kill moments and the orders (thread scheduling
 * aside). {@code -Dredmatch.test.clearing.kills=N} kills more often.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClearingKillNineTest
{
    private static final int KILLS = Integer.getInteger("redmatch.test.clearing.kills", 4);
    private static final String FEES = ClearingContext.FEE_ACCOUNT_DEFAULT;

    @TempDir
    Path tempDir;

    @Test
    void everyFillIsAppliedExactlyOnceAcrossKillNine() throws Exception
    {
        final long seed = Long.getLong("redmatch.test.seed", System.nanoTime());
        System.out.println("ClearingKillNineTest seed " + seed + " (-Dredmatch.test.seed=" + seed + ")");
        final Random random = new Random(seed);
        final Path config = tempDir.resolve("node.conf");
        Files.writeString(config,
            "pair.BTC-USDT=TICK 0.01 LOT 0.001 MAKER_FEE 0.001 TAKER_FEE 0.002\n" +
            "pair.ETH-USDT=TICK 0.01 LOT 0.001 MAKER_FEE 0.0005 TAKER_FEE 0.0025\n");
        final Path clearingDir = tempDir.resolve("clearing");
        final Path clearingOut = tempDir.resolve("clearing.out");
        final Path engineDir = tempDir.resolve("node");
        final Path engineOut = tempDir.resolve("node.out");
        Processes.Started engine = Processes.engine(engineDir, config, engineOut);
        final String[] engines = { "127.0.0.1:" + JvmProcess.freePort(), "127.0.0.1:" + engine.port() };
        Processes.Started clearing = Processes.clearing(clearingDir, clearingOut, engines);
        try
        {
            final List<String> pairs = new ArrayList<>(List.of("BTC-USDT", "ETH-USDT"));
            try (OrderLoad load = new OrderLoad(engine.port(), 3, seed, 150_000, 10, 5, pairs);
                 Jedis admin = new Jedis("127.0.0.1", engine.port()))
            {
                for (int kill = 0; kill < KILLS; kill++)
                {
                    final long runMillis = 300 + random.nextInt(1500);
                    Thread.sleep(runMillis);
                    clearing.process().kill9();
                    System.out.println("ClearingKillNineTest: kill -9 of clearing after " + runMillis +
                        " ms, " + load.orders() + " orders so far");
                    if (kill == 0)
                    {
                        // a pair added while clearing is down is picked up
                        admin.sendCommand(() -> SafeEncoder.encode("PAIR.ADD"), "SOL-USDT", "TICK", "0.01",
                            "LOT", "0.001", "MAKER_FEE", "0.001", "TAKER_FEE", "0.003");
                        load.pairs.add("SOL-USDT");
                        pairs.add("SOL-USDT");
                    }
                    clearing = Processes.clearing(clearingDir, clearingOut, engines);
                }
                Thread.sleep(200 + random.nextInt(500));
            }
            engine.process().kill9();
            System.out.println("ClearingKillNineTest: kill -9 of the engine");
            engine = Processes.engine(engineDir, config, engineOut, engine.port());
            try (OrderLoad load = new OrderLoad(engine.port(), 2, seed + 100, 20_000, 10, 5, pairs))
            {
                Thread.sleep(500 + random.nextInt(1000));
            }
            try (Jedis engineClient = new Jedis("127.0.0.1", engine.port());
                 Jedis clearingClient = new Jedis(new HostAndPort("127.0.0.1", clearing.port()),
                     DefaultJedisClientConfig.builder().socketTimeoutMillis(120_000).build()))
            {
                final FillRecomputation expected = FillRecomputation.of(engineClient, pairs, FEES);
                awaitCursors(clearingClient, expected.lastSeqs, clearing);
                verify(expected, engineClient, clearingClient, clearing.port(), seed);
                assertFalse(clearingClient.info("clearing").contains("engine_connections:1\r\n"),
                    "clearing reconnected after the engine's restart: " + clearingClient.info("clearing"));
                assertTrue(Files.readString(clearingOut).contains("was not closed cleanly: recovering it"),
                    "the Chronicle Map files were reopened through their recovery after kill -9");
                System.out.println("ClearingKillNineTest: " + KILLS + " kills, fills per pair " +
                    expected.lastSeqs + ", " + expected.balances.size() + " accounts reconciled");
            }
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("seed " + seed + ": " + ex.getMessage() + "\nclearing output:\n" +
                clearing.process().outputTail(), ex);
        }
        finally
        {
            clearing.close();
            engine.close();
        }
    }

    static void awaitCursors(
        final Jedis clearing, final Map<String, Long> lastSeqs, final Processes.Started process)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true)
        {
            final Map<String, Long> cursors = cursors(clearing);
            final Map<String, Long> wanted = new TreeMap<>(lastSeqs);
            wanted.values().removeIf((seq) -> seq == 0);
            if (cursors.equals(wanted))
            {
                return;
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("clearing did not catch up: cursors " + cursors + ", streams " + wanted);
            }
            Thread.sleep(100);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> cursors(final Jedis clearing)
    {
        final List<Object> reply = (List<Object>)clearing.sendCommand(() -> SafeEncoder.encode("LEDGER.CURSOR"));
        final Map<String, Long> cursors = new TreeMap<>();
        for (int i = 0; i < reply.size(); i += 2)
        {
            cursors.put(SafeEncoder.encode((byte[])reply.get(i)), (Long)reply.get(i + 1));
        }
        return cursors;
    }

    @SuppressWarnings("unchecked")
    static void verify(final FillRecomputation expected, final Jedis engine, final Jedis clearing,
        final int clearingPort, final long seed)
    {
        final Map<String, BigDecimal> clearingSums = new TreeMap<>();
        for (final Map.Entry<String, Map<String, BigDecimal>> account : expected.balances.entrySet())
        {
            final List<Object> reply = (List<Object>)clearing.sendCommand(() -> SafeEncoder.encode("BALANCE"),
                account.getKey());
            final Map<String, BigDecimal> held = new TreeMap<>();
            for (int i = 0; i < reply.size(); i += 2)
            {
                held.put(SafeEncoder.encode((byte[])reply.get(i)),
                    new BigDecimal(SafeEncoder.encode((byte[])reply.get(i + 1))));
            }
            assertEquals(account.getValue().keySet(), held.keySet(), "assets of " + account.getKey());
            for (final Map.Entry<String, BigDecimal> asset : account.getValue().entrySet())
            {
                assertEquals(0, asset.getValue().compareTo(held.get(asset.getKey())), account.getKey() + " " +
                    asset.getKey() + ": recomputed " + asset.getValue() + ", clearing " + held.get(asset.getKey()));
                final String single = SafeEncoder.encode((byte[])clearing.sendCommand(
                    () -> SafeEncoder.encode("BALANCE"), account.getKey(), asset.getKey()));
                assertEquals(0, asset.getValue().compareTo(new BigDecimal(single)));
            }
            held.forEach((asset, amount) -> clearingSums.merge(asset, amount, BigDecimal::add));
        }
        expected.sums().forEach((asset, sum) -> assertEquals(0, sum.signum(), "recomputed " + asset + " sum"));
        clearingSums.forEach((asset, sum) -> assertEquals(0, sum.signum(), "clearing's " + asset + " sum " + sum));
        assertTrue(expected.lastSeqs.values().stream().allMatch((seq) -> seq > 0), "every pair traded: " +
            expected.lastSeqs);
        for (final Map.Entry<String, Long> pair : expected.lastSeqs.entrySet())
        {
            final StreamGroupInfo group = engine.xinfoGroups("fills:" + pair.getKey()).stream()
                .filter((info) -> "clearing".equals(info.getName())).findFirst().orElseThrow();
            assertEquals(0, group.getPending(), "pending fills of " + pair.getKey());
            assertEquals(pair.getValue(), group.getLastDeliveredId().getTime(), "delivered of " + pair.getKey());
        }
        assertEquals("OK", SafeEncoder.encode((byte[])clearing.sendCommand(
            () -> SafeEncoder.encode("LEDGER.CHECK"))));
        assertTrue(clearing.info("clearing").contains("alarms:0\r\n"), clearing.info("clearing"));
        assertEquals(0, new CommandLine(new ClearingMain()).execute("check", "--port", String.valueOf(clearingPort)),
            "the check command exits 0");
    }
}
