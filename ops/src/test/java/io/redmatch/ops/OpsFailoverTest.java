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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ops status}, {@code ops failover} and {@code ops snapshot} against real node processes replicating over
 * Aeron on loopback: a planned failover while the primary answers; after a {@code kill -9} of the primary, a
 * promotion of its caught-up standby that keeps every acknowledged order; refusal to promote a standby that is
 * unreachable or behind the committed position its primary reported, and {@code --force}.
 */
class OpsFailoverTest
{
    private static final String PAIR = "BTC-USDT";
    private static final long AWAIT_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path tempDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void plannedFailoverThenPromotionAfterKillNine() throws Exception
    {
        final Path config = config("");
        try (NodeJvm first = NodeJvm.start(tempDir.resolve("first"), "--config", config.toString());
            NodeJvm second = NodeJvm.start(tempDir.resolve("second"), "--config", config.toString(),
                "--replicaof", "127.0.0.1:" + NodeJvm.freePort()))
        {
            try (Jedis jedis = second.client())
            {
                assertEquals("OK", jedis.replicaof("127.0.0.1", first.port()));
            }
            awaitLink(second, "connected");
            place(first, "before", 20);

            OpsRun status = OpsRun.ops("status", "--nodes", first.address() + "," + second.address());
            assertEquals(0, status.code, status.output);
            assertTrue(row(status, first).contains("primary"), status.output);
            assertTrue(row(status, second).contains("standby") && row(status, second).contains("connected"),
                status.output);

            final OpsRun planned = OpsRun.ops("failover", "--primary", first.address(), "--standby", second.address());
            assertEquals(0, planned.code, planned.output);
            assertTrue(planned.output.contains("planned FAILOVER"), planned.output);
            assertTrue(planned.output.contains("is the primary of epoch 1"), planned.output);
            awaitLink(first, "connected");
            place(second, "planned", 10);
            awaitCommittedKnown(second, first);

            second.kill9();
            status = OpsRun.ops("status", "--nodes", first.address() + "," + second.address());
            assertEquals(1, status.code, "an unreachable node makes status fail: " + status.output);
            assertTrue(row(status, second).contains("unreachable"), status.output);

            final OpsRun promoted = OpsRun.ops("failover", "--primary", second.address(), "--standby", first.address());
            assertEquals(0, promoted.code, promoted.output);
            assertTrue(promoted.output.contains("is unreachable"), promoted.output);
            assertTrue(promoted.output.contains("done: REPLICAOF NO ONE on " + first.address()), promoted.output);
            assertTrue(promoted.output.contains("is the primary of epoch 2"), promoted.output);

            status = OpsRun.ops("status", "--nodes", first.address());
            assertEquals(0, status.code, status.output);
            final String row = row(status, first);
            assertTrue(row.matches(".*\\bprimary\\s+2\\b.*"), "primary of epoch 2: " + status.output);
            assertTrue(row.contains(PAIR), status.output);
            assertPresent(first, "before", 20);
            assertPresent(first, "planned", 10);
            place(first, "after", 1);

            final OpsRun snapshot = OpsRun.ops("snapshot", "--nodes", first.address());
            assertEquals(0, snapshot.code, snapshot.output);
            assertTrue(snapshot.output.contains("ok, snapshot at log seq"), snapshot.output);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void refusesAnUnreachableOrLaggingStandbyUnlessForced() throws Exception
    {
        final OpsRun nobody = OpsRun.ops("failover", "--primary", "127.0.0.1:" + NodeJvm.freePort(),
            "--standby", "127.0.0.1:" + NodeJvm.freePort());
        assertEquals(1, nobody.code, nobody.output);
        assertTrue(nobody.output.contains("refused: the standby") && nobody.output.contains("is unreachable"),
            nobody.output);

        // a standby with another log term length cannot follow its primary, but hears its committed position
        try (NodeJvm primary = NodeJvm.start(tempDir.resolve("primary"), "--config", config("").toString());
            NodeJvm standby = NodeJvm.start(tempDir.resolve("standby"), "--config",
                config("log-term-length=65536\n").toString()))
        {
            place(primary, "acked", 5);
            try (Jedis jedis = standby.client())
            {
                assertEquals("OK", jedis.replicaof("127.0.0.1", primary.port()));
            }
            awaitCommittedKnown(primary, standby);
            primary.kill9();

            final OpsRun refused = OpsRun.ops("failover", "--primary", primary.address(), "--standby", standby.address());
            assertEquals(1, refused.code, refused.output);
            assertTrue(refused.output.contains("refused: not promoting") && refused.output.contains("entries missing"),
                refused.output);
            try (Jedis jedis = standby.client())
            {
                assertEquals("slave", text(jedis.role().get(0)), "a refusal changes nothing");
            }

            final OpsRun forced = OpsRun.ops("failover", "--primary", primary.address(), "--standby", standby.address(),
                "--force");
            assertEquals(0, forced.code, forced.output);
            assertTrue(forced.output.contains("--force: promoting despite") && forced.output.contains("(forced)"),
                forced.output);
            try (Jedis jedis = standby.client())
            {
                assertEquals("master", text(jedis.role().get(0)));
            }
        }
    }

    private Path config(final String extra) throws Exception
    {
        final Path file = Files.createTempFile(tempDir, "node", ".conf");
        Files.writeString(file, "pair." + PAIR + "=TICK 0.01 LOT 0.00001 MIN_QTY 0.00001 MAKER_FEE 0.001 " +
            "TAKER_FEE 0.002\n" + extra);
        return file;
    }

    private static void place(final NodeJvm node, final String account, final int count)
    {
        try (Jedis jedis = node.client())
        {
            for (int i = 0; i < count; i++)
            {
                final Object reply = jedis.sendCommand(() -> "ORDER.PLACE".getBytes(StandardCharsets.US_ASCII), PAIR,
                    "BUY", "ACCOUNT", account, "QTY", "0.001", "PRICE", Integer.toString(100 + i), "CLIENT_ID",
                    "c" + i);
                assertNotNull(reply);
            }
        }
    }

    private static void assertPresent(final NodeJvm node, final String account, final int count)
    {
        try (Jedis jedis = node.client())
        {
            for (int i = 0; i < count; i++)
            {
                assertNotNull(jedis.sendCommand(() -> "ORDER.GET".getBytes(StandardCharsets.US_ASCII), PAIR,
                    "CLIENT_ID", account, "c" + i), account + " order c" + i + " survived the failover");
            }
        }
    }

    /** Waits until the standby heard from its primary a committed position covering the primary's log. */
    private static void awaitCommittedKnown(final NodeJvm primary, final NodeJvm standby) throws Exception
    {
        final long deadline = System.nanoTime() + AWAIT_NS;
        final long logPosition = NodeStatus.read(NodeAddress.parse(primary.address())).logPosition();
        while (NodeStatus.read(NodeAddress.parse(standby.address())).primaryCommittedPosition() < logPosition)
        {
            assertTrue(System.nanoTime() < deadline, "the standby never heard its primary's committed position\n" +
                standby.outputTail());
            Thread.sleep(50);
        }
    }

    private static void awaitLink(final NodeJvm standby, final String state) throws Exception
    {
        final long deadline = System.nanoTime() + AWAIT_NS;
        while (!state.equals(NodeStatus.read(NodeAddress.parse(standby.address())).linkState()))
        {
            assertTrue(System.nanoTime() < deadline, "link never " + state + "\n" + standby.outputTail());
            Thread.sleep(50);
        }
    }

    private static String row(final OpsRun result, final NodeJvm node)
    {
        for (final String line : result.output.split("\n"))
        {
            if (line.startsWith(node.address() + " "))
            {
                return line;
            }
        }
        throw new AssertionError("no row for " + node.address() + " in\n" + result.output);
    }

    private static String text(final Object value)
    {
        return value instanceof byte[] ? new String((byte[])value, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
