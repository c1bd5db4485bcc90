package io.redmatch.clearing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clearing across an engine failover: a primary engine node and its hot standby (acks from the standby, so a fill is
 * readable only once the standby has it), clearing given both addresses, orders flowing; the primary is killed with
 * {@code kill -9} at a random moment under load and the standby promoted with {@code REPLICAOF NO ONE}; trading goes
 * on at the new primary. Clearing must move over by itself and end with the exact ledger: every balance equal to a
 * recomputation from the new primary's fill streams, every asset summing to zero, cursors at the streams' ends, no
 * alarm (no gap, no fill whose content changed). The seed is printed; {@code -Dredmatch.test.seed=S} replays it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClearingFailoverTest
{
    private static final String FEES = ClearingContext.FEE_ACCOUNT_DEFAULT;

    @TempDir
    Path tempDir;

    @Test
    void clearingFollowsAPromotedStandbyWithNoGapAndNoDuplicate() throws Exception
    {
        final long seed = Long.getLong("redmatch.test.seed", System.nanoTime());
        System.out.println("ClearingFailoverTest seed " + seed + " (-Dredmatch.test.seed=" + seed + ")");
        final Random random = new Random(seed);
        final Path config = tempDir.resolve("node.conf");
        Files.writeString(config,
            "pair.BTC-USDT=TICK 0.01 LOT 0.001 MAKER_FEE 0.001 TAKER_FEE 0.002\n" +
            "pair.ETH-USDT=TICK 0.01 LOT 0.001 MAKER_FEE 0.0005 TAKER_FEE 0.0025\n");
        final List<String> pairs = List.of("BTC-USDT", "ETH-USDT");
        final Processes.Started primary = Processes.engine(tempDir.resolve("primary"), config,
            tempDir.resolve("primary.out"));
        Processes.Started standby = null;
        Processes.Started clearing = null;
        try
        {
            standby = Processes.standby(tempDir.resolve("standby"), tempDir.resolve("standby.out"), primary.port());
            awaitStandbyAttached(primary.port());
            clearing = Processes.clearing(tempDir.resolve("clearing"), tempDir.resolve("clearing.out"),
                "127.0.0.1:" + primary.port(), "127.0.0.1:" + standby.port());
            try (OrderLoad load = new OrderLoad(primary.port(), 3, seed, 200_000, 10, 5, pairs))
            {
                final long runMillis = 800 + random.nextInt(2000);
                Thread.sleep(runMillis);
                load.expectEngineLoss();
                primary.process().kill9();
                System.out.println("ClearingFailoverTest: kill -9 of the primary after " + runMillis + " ms, " +
                    load.orders() + " orders sent");
            }
            try (Jedis promoted = new Jedis("127.0.0.1", standby.port()))
            {
                assertEquals("OK", promoted.replicaofNoOne());
                assertTrue(promoted.info("replication").contains("role:master"), promoted.info("replication"));
            }
            try (OrderLoad load = new OrderLoad(standby.port(), 2, seed + 100, 20_000, 10, 5, pairs))
            {
                Thread.sleep(500 + random.nextInt(1000));
            }
            try (Jedis engineClient = new Jedis("127.0.0.1", standby.port());
                 Jedis clearingClient = new Jedis(new HostAndPort("127.0.0.1", clearing.port()),
                     DefaultJedisClientConfig.builder().socketTimeoutMillis(120_000).build()))
            {
                final FillRecomputation expected = FillRecomputation.of(engineClient, pairs, FEES);
                ClearingKillNineTest.awaitCursors(clearingClient, expected.lastSeqs, clearing);
                ClearingKillNineTest.verify(expected, engineClient, clearingClient, clearing.port(), seed);
                System.out.println("ClearingFailoverTest: fills per pair " + expected.lastSeqs + ", " +
                    expected.balances.size() + " accounts reconciled after the failover");
            }
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("seed " + seed + ": " + ex.getMessage() + (clearing == null ? "" :
                "\nclearing output:\n" + clearing.process().outputTail()), ex);
        }
        finally
        {
            if (clearing != null)
            {
                clearing.close();
            }
            if (standby != null)
            {
                standby.close();
            }
            primary.close();
        }
    }

    /** Until the primary has heard from its standby: from then on its replies wait for the standby's acks. */
    private static void awaitStandbyAttached(final int primaryPort) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Jedis jedis = new Jedis("127.0.0.1", primaryPort))
        {
            while (!jedis.info("replication").contains("ack_mode:standby"))
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("the standby did not attach: " + jedis.info("replication"));
                }
                Thread.sleep(50);
            }
        }
    }
}
