package io.redmatch.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ops status --shards <file>} and {@code ops status --router <host:port>} over real processes: shard A is a
 * primary and its standby, shard B's only member is down. Both views list every member shard by shard, name shard A's
 * primary and fail (exit 1) on shard B, which has no reachable primary; once shard B is out of the map they pass.
 * After a {@code kill -9} of shard A's primary and {@code ops failover}, they show the promoted standby as the primary
 * of epoch 1 (the router's view once it routes there) and the old primary as unreachable.
 */
class ClusterStatusTest
{
    private static final long AWAIT_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path tempDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void statusOfEveryShardThroughTheShardFileOrTheRouter() throws Exception
    {
        final Path config = tempDir.resolve("node.conf");
        Files.writeString(config, "pair.BTC-USDT=TICK 0.01 LOT 0.00001 MAKER_FEE 0.001 TAKER_FEE 0.002\n");
        final String down = "127.0.0.1:" + NodeJvm.freePort();
        try (NodeJvm primary = NodeJvm.start(tempDir.resolve("primary"), "--config", config.toString());
            NodeJvm standby = NodeJvm.start(tempDir.resolve("standby"), "--config", config.toString(),
                "--replicaof", "127.0.0.1:" + NodeJvm.freePort()))
        {
            try (Jedis jedis = standby.client())
            {
                assertEquals("OK", jedis.replicaof("127.0.0.1", primary.port()));
            }
            final Path shardFile = tempDir.resolve("shards.conf");
            final String shardA = "shard A " + primary.address() + " " + standby.address() + "\npair BTC-USDT A\n";
            Files.writeString(shardFile, shardA + "shard B " + down + "\npair ETH-USDT B\n");
            try (NodeJvm router = NodeJvm.router(shardFile))
            {
                for (final String[] view : new String[][] {{"--shards", shardFile.toString()},
                    {"--router", router.address()}})
                {
                    final OpsRun status = OpsRun.ops("status", view[0], view[1]);
                    assertEquals(1, status.code, "shard B has no reachable primary: " + status.output);
                    assertTrue(status.output.startsWith("SHARD  NODE"), status.output);
                    assertTrue(row(status, "A", primary.address()).contains(" primary "), status.output);
                    assertTrue(row(status, "A", standby.address()).contains(" standby "), status.output);
                    assertTrue(row(status, "B", down).contains(" unreachable "), status.output);
                    assertTrue(status.output.contains("shard A (BTC-USDT): primary " + primary.address() +
                        ", epoch 0"), status.output);
                    assertTrue(status.output.contains("shard B (ETH-USDT): no reachable primary"), status.output);
                    assertTrue(status.output.contains("  " + down + " is unreachable: "), status.output);
                }
                final OpsRun routed = OpsRun.ops("status", "--router", router.address());
                assertTrue(routed.output.contains("the router routes it to " + primary.address() + " (epoch 0)"),
                    routed.output);
                assertTrue(routed.output.contains("the router routes it nowhere (-TRYAGAIN)"), routed.output);

                Files.writeString(shardFile, shardA);
                try (Jedis jedis = new Jedis("127.0.0.1", router.port()))
                {
                    assertEquals("OK", text(jedis.sendCommand(
                        () -> "ROUTER.RELOAD".getBytes(StandardCharsets.US_ASCII))));
                }
                assertEquals(0, OpsRun.ops("status", "--shards", shardFile.toString()).code);
                assertEquals(0, OpsRun.ops("status", "--router", router.address()).code);

                awaitStandbyConnected(standby);
                primary.kill9();
                final OpsRun failover = OpsRun.ops("failover", "--primary", primary.address(), "--standby",
                    standby.address());
                assertEquals(0, failover.code, failover.output);
                final OpsRun afterFile = OpsRun.ops("status", "--shards", shardFile.toString());
                assertEquals(0, afterFile.code, "a shard with a primary passes, even with a member down: " +
                    afterFile.output);
                assertTrue(afterFile.output.contains("shard A (BTC-USDT): primary " + standby.address() +
                    ", epoch 1"), afterFile.output);
                assertTrue(row(afterFile, "A", primary.address()).contains(" unreachable "), afterFile.output);
                final long deadline = System.nanoTime() + AWAIT_NS;
                OpsRun afterRouter = OpsRun.ops("status", "--router", router.address());
                while (!afterRouter.output.contains("routes it to " + standby.address() + " (epoch 1)"))
                {
                    assertTrue(System.nanoTime() < deadline, "the router never routed to the new primary: " +
                        afterRouter.output + "\n" + router.outputTail());
                    Thread.sleep(100);
                    afterRouter = OpsRun.ops("status", "--router", router.address());
                }
                assertEquals(0, afterRouter.code, afterRouter.output);
            }
            final OpsRun noRouter = OpsRun.ops("status", "--router", "127.0.0.1:" + NodeJvm.freePort());
            assertEquals(1, noRouter.code, noRouter.output);
            assertTrue(noRouter.output.contains("cannot read the shard map of the router"), noRouter.output);
        }
        final Path bad = tempDir.resolve("bad.conf");
        Files.writeString(bad, "shard A 127.0.0.1:1\npair BTC-USDT C\n");
        final OpsRun invalid = OpsRun.ops("status", "--shards", bad.toString());
        assertEquals(1, invalid.code, invalid.output);
        assertTrue(invalid.output.contains(bad + ":2: pair BTC-USDT names shard C"), invalid.output);
        assertEquals(2, OpsRun.ops("status", "--shards", bad.toString(), "--nodes", "127.0.0.1:1").code,
            "one way of naming the nodes at a time");
    }

    private static void awaitStandbyConnected(final NodeJvm standby) throws Exception
    {
        final long deadline = System.nanoTime() + AWAIT_NS;
        while (!"connected".equals(NodeStatus.read(NodeAddress.parse(standby.address())).linkState()))
        {
            assertTrue(System.nanoTime() < deadline, "the standby never connected\n" + standby.outputTail());
            Thread.sleep(50);
        }
    }

    private static String row(final OpsRun result, final String shard, final String node)
    {
        for (final String line : result.output.split("\n"))
        {
            if (line.matches(shard + "\\s+" + java.util.regex.Pattern.quote(node) + " .*"))
            {
                return line;
            }
        }
        throw new AssertionError("no row for " + node + " of shard " + shard + " in\n" + result.output);
    }

    private static String text(final Object value)
    {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
