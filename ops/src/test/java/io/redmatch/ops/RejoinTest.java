package io.redmatch.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A former primary with an uncommitted tail rejoins the new primary: under {@code --ack local} the primary takes
 * writes its standby never got (the standby is down), snapshots them, and is killed with {@code kill -9}; the standby
 * is promoted and takes more writes; the old primary, started as a primary again, refuses {@code REPLICAOF} the new
 * one at runtime with what to do (its tail is discarded only at start-up); restarted on its data dir with {@code --replicaof} the new one
 * discards its tail (and the snapshot of it), says which log seqs it discarded, and converges to the new primary's
 * {@code DEBUG DIGEST}: the discarded orders are gone, the others are there.
 */
class RejoinTest
{
    private static final String PAIR = "BTC-USDT";
    private static final long AWAIT_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path tempDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void formerPrimaryDiscardsItsUncommittedTailAndConverges() throws Exception
    {
        final Path config = tempDir.resolve("node.conf");
        Files.writeString(config, "pair." + PAIR + "=TICK 0.01 LOT 0.00001 MIN_QTY 0.00001 MAKER_FEE 0.001 " +
            "TAKER_FEE 0.002\n");
        final Path oldPrimaryDir = tempDir.resolve("old-primary");
        final Path newPrimaryDir = tempDir.resolve("new-primary");
        long lostFrom;
        try (NodeJvm oldPrimary = NodeJvm.start(oldPrimaryDir, "--config", config.toString(), "--ack", "local"))
        {
            try (NodeJvm standby = NodeJvm.start(newPrimaryDir, "--config", config.toString(),
                "--replicaof", oldPrimary.address()))
            {
                place(oldPrimary, "shared", 10, "SELL", 200);
                awaitSamePosition(oldPrimary, standby);
                standby.kill9();
            }
            lostFrom = status(oldPrimary).logPosition() + 1;
            place(oldPrimary, "lost", 5, "BUY", 100);
            final StringWriter snapshot = new StringWriter();
            assertEquals(0, OpsMain.execute(new PrintWriter(snapshot, true), "snapshot", "--nodes",
                oldPrimary.address()), snapshot.toString());
            assertTrue(status(oldPrimary).logPosition() >= lostFrom + 4);
            oldPrimary.kill9();
        }

        // the standby comes back with the shared orders only, its primary gone: promoted, it starts epoch 1
        try (NodeJvm newPrimary = NodeJvm.start(newPrimaryDir, "--config", config.toString(),
            "--replicaof", "127.0.0.1:" + NodeJvm.freePort()))
        {
            try (Jedis jedis = newPrimary.client())
            {
                assertEquals("OK", jedis.replicaofNoOne());
            }
            final NodeStatus promoted = status(newPrimary);
            assertEquals(1, promoted.epoch());
            final long epochStartSeq = Long.parseLong(promoted.replication().get("epoch_start_seq"));
            assertEquals(lostFrom, epochStartSeq, "the new term starts where the lost entries did");
            place(newPrimary, "after", 5, "BUY", 150);

            try (NodeJvm asPrimary = NodeJvm.start(oldPrimaryDir, "--config", config.toString(), "--ack", "local");
                Jedis jedis = asPrimary.client())
            {
                final String refused = assertThrows(JedisDataException.class,
                    () -> jedis.replicaof("127.0.0.1", newPrimary.port())).getMessage();
                assertTrue(refused.contains("holds log seq " + lostFrom + " to ") &&
                    refused.contains("uncommitted tail") && refused.contains("restart this node with --replicaof"),
                    refused);
                assertEquals("master", status(asPrimary).role(), "a refused REPLICAOF changes nothing");
                asPrimary.kill9();
            }
            try (NodeJvm rejoined = NodeJvm.start(oldPrimaryDir, "--config", config.toString(),
                "--replicaof", newPrimary.address()))
            {
                awaitSamePosition(newPrimary, rejoined);
                assertEquals(digest(newPrimary), digest(rejoined), "the rejoined node converges to the new primary");
                final Matcher discarded = Pattern.compile("DISCARDING the uncommitted tail of this node's log: log " +
                    "seq (\\d+) to (\\d+) \\((\\d+) entries").matcher(rejoined.output());
                assertTrue(discarded.find(), rejoined.outputTail());
                System.out.println("RejoinTest: the rejoined node logged: " + discarded.group());
                assertEquals(lostFrom, Long.parseLong(discarded.group(1)));
                assertTrue(Long.parseLong(discarded.group(2)) >= lostFrom + 4, discarded.group());
                assertTrue(rejoined.output().contains("holds state of the discarded log tail"),
                    "the snapshot of the discarded tail is deleted\n" + rejoined.outputTail());
                for (int i = 0; i < 5; i++)
                {
                    assertNull(get(rejoined, "lost", i), "a discarded order is gone");
                    assertNotNull(get(rejoined, "after", i));
                }
                for (int i = 0; i < 10; i++)
                {
                    assertNotNull(get(rejoined, "shared", i));
                }
                assertEquals("slave", status(rejoined).role());
            }
        }
    }

    private static NodeStatus status(final NodeJvm node)
    {
        return NodeStatus.read(NodeAddress.parse(node.address()));
    }

    private static void place(final NodeJvm node, final String account, final int count, final String side,
        final int basePrice)
    {
        try (Jedis jedis = node.client())
        {
            for (int i = 0; i < count; i++)
            {
                assertNotNull(jedis.sendCommand(() -> "ORDER.PLACE".getBytes(StandardCharsets.US_ASCII), PAIR, side,
                    "ACCOUNT", account, "QTY", "0.001", "PRICE", Integer.toString(basePrice + i), "CLIENT_ID", "c" + i));
            }
        }
    }

    private static Object get(final NodeJvm node, final String account, final int i)
    {
        try (Jedis jedis = node.client())
        {
            return jedis.sendCommand(() -> "ORDER.GET".getBytes(StandardCharsets.US_ASCII), PAIR, "CLIENT_ID",
                account, "c" + i);
        }
    }

    private static String digest(final NodeJvm node)
    {
        try (Jedis jedis = node.client())
        {
            final Object reply = jedis.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "DIGEST");
            return new String((byte[])reply, StandardCharsets.UTF_8);
        }
    }

    private static void awaitSamePosition(final NodeJvm primary, final NodeJvm standby) throws Exception
    {
        final long deadline = System.nanoTime() + AWAIT_NS;
        while (status(standby).committedPosition() != status(primary).logPosition())
        {
            assertTrue(System.nanoTime() < deadline, "the standby never caught up\n" + standby.outputTail());
            Thread.sleep(50);
        }
    }
}
