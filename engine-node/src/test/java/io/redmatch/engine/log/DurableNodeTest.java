package io.redmatch.engine.log;

import io.redmatch.engine.node.Command;
import io.redmatch.engine.node.CommandGroup;
import io.redmatch.engine.node.CommandTable;
import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.EngineNodeContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node with a data dir, in this JVM: its state survives restarts through the command log, a torn tail is cut at
 * the last whole entry, damage before the tail stops it from starting, it answers {@code -LOADING} while replaying
 * and {@code -MISCONF} once the log fails. Crashes of a real process are in {@link CrashRecoveryTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DurableNodeTest
{
    private static final String PAIR = "BTC-USDT";

    @TempDir
    Path tempDir;

    @Test
    void stateSurvivesARestartAndTradingContinues() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        final String digest;
        final long lastFill;
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals("1", client.info("persistence", "log_enabled"));
            for (int i = 0; i < 20; i++)
            {
                client.record("ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "s" + i % 3, "QTY", "0.002", "PRICE",
                    String.valueOf(100 + i % 5));
                client.record("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "b" + i % 4, "QTY", "0.003", "PRICE",
                    String.valueOf(101 + i % 3));
            }
            lastFill = (Long)client.call("XLEN", "fills:" + PAIR);
            assertTrue(lastFill > 5, "fills made: " + lastFill);
            digest = client.digest();
            assertEquals(String.valueOf(41), client.info("persistence", "log_entries"));
            assertEquals(String.valueOf(41), client.info("persistence", "log_committed_seq"));
        }
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals(digest, client.digest(), "the same state after a restart");
            assertEquals("41", client.info("persistence", "recovery_entries"));
            assertEquals(List.of(PAIR), client.call("PAIRS"), "the configured pair is not added twice");
            assertEquals("41", client.info("persistence", "log_entries"));
            client.record("ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "late", "QTY", "0.001", "PRICE", "1");
            assertEquals(lastFill + 1, (Long)client.call("XLEN", "fills:" + PAIR), "the fill sequence goes on");
            final List<?> entry = (List<?>)((List<?>)client.call(
                "XRANGE", "fills:" + PAIR, String.valueOf(lastFill + 1), "+")).get(0);
            assertEquals((lastFill + 1) + "-0", entry.get(0));
        }
    }

    @Test
    void aTornLastEntryIsCutAndTheRestRecovered() throws Exception
    {
        for (final Damage damage : Damage.values())
        {
            final Path dataDir = tempDir.resolve("torn-" + damage);
            final long[] ends = writeOrders(dataDir, 12);
            damage.apply(segmentFile(dataDir), ends[ends.length - 2], ends[ends.length - 1]);
            try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
            {
                assertNotEquals("none", client.info("persistence", "recovery_tail_cut"), damage.name());
                assertEquals(String.valueOf(ends.length - 1), client.info("persistence", "recovery_entries"),
                    damage.name());
                assertTrue(client.record("ORDER.GET", PAIR, "11") != null, damage.name());
                assertNull(client.call("ORDER.GET", PAIR, "12"), damage + ": the torn order is gone");
                assertEquals(12L, client.record(
                    "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "again", "QTY", "0.001", "PRICE", "1").get("order_id"));
            }
            try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
            {
                assertEquals("none", client.info("persistence", "recovery_tail_cut"), damage.name());
                assertEquals(String.valueOf(ends.length), client.info("persistence", "recovery_entries"));
                assertEquals("again", client.record("ORDER.GET", PAIR, "12").get("account"), damage.name());
            }
        }
    }

    @Test
    void anEntryTornAcrossTwoSegmentFilesIsCut() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        final String[] config = {"log-term-length=65536", "log-segment-length=65536"};
        final String longAccount = "x".repeat(7_000);
        int whole = 0;
        long spanningStart = -1;
        try (EngineNode node = start(dataDir, 0, null, config); LogTestClient client = new LogTestClient(node.port()))
        {
            whole = Integer.parseInt(client.info("persistence", "log_entries"));
            while (spanningStart < 0)
            {
                final long before = Long.parseLong(client.info("persistence", "log_position"));
                client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", longAccount, "QTY", "1", "PRICE", "1");
                final long after = Long.parseLong(client.info("persistence", "log_position"));
                if (before < 65_536 && after > 65_536 + 1_024)
                {
                    spanningStart = before;
                }
                else
                {
                    whole++;
                    assertTrue(after < 65_536, "no entry spanned the segment boundary");
                }
            }
        }
        final Path second = dataDir.resolve("log").resolve("archive").resolve("0-65536.rec");
        try (RandomAccessFile raf = new RandomAccessFile(second.toFile(), "rw"))
        {
            raf.write(new byte[32]);
        }
        try (EngineNode node = start(dataDir, 0, null, config); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals(String.valueOf(whole), client.info("persistence", "recovery_entries"));
            assertEquals(String.valueOf(spanningStart), client.info("persistence", "log_position"));
            assertEquals("NEW", client.record(
                "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "after", "QTY", "0.001", "PRICE", "1").get("status"));
        }
        try (EngineNode node = start(dataDir, 0, null, config); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals(String.valueOf(whole + 1), client.info("persistence", "recovery_entries"));
            assertEquals("none", client.info("persistence", "recovery_tail_cut"));
        }
    }

    @Test
    void damageBeforeTheTailStopsTheNodeFromStarting() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        final long[] ends = writeOrders(dataDir, 12);
        flip(segmentFile(dataDir), ends[4] + 32 + LogEntry.HEADER_LENGTH + 3);
        final IllegalStateException error = assertThrows(IllegalStateException.class, () -> start(dataDir));
        assertTrue(error.getMessage().contains("corrupt"), error.getMessage());
        assertTrue(Files.exists(segmentFile(dataDir)), "nothing is cut");
    }

    @Test
    void answersLoadingWhileReplayingTheLog() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        final int port = LogTestClient.freePort();
        try (EngineNode node = start(dataDir, port, new SlowWrites()); LogTestClient client = new LogTestClient(port))
        {
            final List<String[]> writes = new ArrayList<>();
            for (int i = 0; i < SlowWrites.COUNT; i++)
            {
                writes.add(new String[] {"TEST.SLOWWRITE"});
            }
            client.pipeline(writes);
        }
        final CompletableFuture<EngineNode> starting =
            CompletableFuture.supplyAsync(() -> start(dataDir, port, new SlowWrites()));
        try
        {
            final LogTestClient client = LogTestClient.connectWhenUp(port, 30);
            try (client)
            {
                assertEquals("PONG", client.call("PING"));
                int loadingReplies = 0;
                while (!starting.isDone())
                {
                    try
                    {
                        client.call("ORDER.GET", PAIR, "1");
                    }
                    catch (final JedisDataException ex)
                    {
                        assertTrue(ex.getMessage().startsWith("LOADING "), ex.getMessage());
                        loadingReplies++;
                    }
                }
                starting.get(60, TimeUnit.SECONDS);
                assertTrue(loadingReplies > 0, "no -LOADING seen during a replay of " + SlowWrites.COUNT + " entries");
                assertEquals("0", client.info("persistence", "loading"));
                assertEquals(String.valueOf(SlowWrites.COUNT + 1), client.info("persistence", "recovery_entries"));
                assertNull(client.call("ORDER.GET", PAIR, "1"));
            }
        }
        finally
        {
            starting.get(60, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void refusesWritesWithMisconfOnceTheLogCannotBeWritten() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            client.record("ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "a", "QTY", "0.001", "PRICE", "10");
            final ArchiveCommandLog log = persistence(node).log();
            // as a failing disk would: the archive stops recording the log
            node.eventLoop().submit(() -> log.archive().archive().tryStopRecordingByIdentity(log.recordingId())).get();
            try (LogTestClient victim = new LogTestClient(node.port()))
            {
                victim.call("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "b", "QTY", "0.001", "PRICE", "9");
            }
            catch (final RuntimeException expected)
            {
                // the write that found the log failed loses its connection, its outcome unknown to it
            }
            try (LogTestClient other = new LogTestClient(node.port()))
            {
                assertTrue(other.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "c", "QTY", "0.001", "PRICE", "9")
                    .startsWith("MISCONF "));
                assertEquals("PONG", other.call("PING"));
                assertEquals("a", other.record("ORDER.GET", PAIR, "1").get("account"));
                assertEquals("failed", other.info("persistence", "log_status"));
            }
        }
    }

    @Test
    void aCommandTooLongForTheLogIsRefused() throws Exception
    {
        try (EngineNode node = start(tempDir.resolve("node"), 0, null, "log-term-length=65536");
            LogTestClient client = new LogTestClient(node.port()))
        {
            final String error = client.error(
                "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "x".repeat(10_000), "QTY", "1", "PRICE", "1");
            assertTrue(error.startsWith("ERR command of ") && error.contains("too long"), error);
            assertEquals("NEW", client.record(
                "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "x", "QTY", "0.001", "PRICE", "1").get("status"));
        }
    }

    @Test
    void withTheLogOffNothingIsKept() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        try (EngineNode node = start(dataDir, 0, null, "log=off"); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals("0", client.info("persistence", "log_enabled"));
            client.record("ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "a", "QTY", "0.001", "PRICE", "10");
        }
        assertFalse(Files.exists(dataDir.resolve("log")));
        try (EngineNode node = start(dataDir, 0, null, "log=off"); LogTestClient client = new LogTestClient(node.port()))
        {
            assertNull(client.call("ORDER.GET", PAIR, "1"));
        }
    }

    @Test
    void aBlockedReaderGetsFillsOnceTheyAreDurable() throws Exception
    {
        try (EngineNode node = start(tempDir.resolve("node"));
            LogTestClient reader = new LogTestClient(node.port());
            LogTestClient trader = new LogTestClient(node.port()))
        {
            trader.record("ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "a", "QTY", "0.001", "PRICE", "10");
            final CompletableFuture<Object> read = CompletableFuture.supplyAsync(
                () -> reader.call("XREAD", "BLOCK", "20000", "STREAMS", "fills:" + PAIR, "$"));
            while (!"1".equals(trader.info("clients", "blocked_clients")))
            {
                Thread.sleep(5);
            }
            trader.record("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "b", "QTY", "0.001", "PRICE", "10");
            final List<?> streams = (List<?>)read.get(20, TimeUnit.SECONDS);
            final List<?> entries = (List<?>)((List<?>)streams.get(0)).get(1);
            assertEquals("1-0", ((List<?>)entries.get(0)).get(0));
        }
    }

    /** Ways a crash can tear the last entry, applied between the end of the previous entry and the end of the last. */
    private enum Damage
    {
        ZEROED_PAYLOAD
        {
            void apply(final Path file, final long start, final long end) throws IOException
            {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                {
                    raf.seek(start + 32 + LogEntry.HEADER_LENGTH);
                    raf.write(new byte[16]);
                }
            }
        },
        FLIPPED_BYTE
        {
            void apply(final Path file, final long start, final long end) throws IOException
            {
                flip(file, start + 32 + LogEntry.HEADER_LENGTH + 5);
            }
        },
        TRUNCATED_MID_ENTRY
        {
            void apply(final Path file, final long start, final long end) throws IOException
            {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                {
                    raf.setLength(start + (end - start) / 2);
                }
            }
        },
        TRUNCATED_MID_HEADER
        {
            void apply(final Path file, final long start, final long end) throws IOException
            {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                {
                    raf.setLength(start + 12);
                }
            }
        },
        GARBAGE_FRAME_LENGTH
        {
            void apply(final Path file, final long start, final long end) throws IOException
            {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                {
                    raf.seek(start);
                    raf.writeInt(0x7F00_0000);
                }
            }
        };

        abstract void apply(Path file, long start, long end) throws IOException;
    }

    /** A write command that takes a while, so the replay of a few hundred lasts long enough to be seen. */
    private static final class SlowWrites implements CommandGroup
    {
        static final int COUNT = 400;

        public void register(final CommandTable table, final EngineNode node)
        {
            table.register("TEST.SLOWWRITE", 1, Command.WRITE, (connection, request, out) ->
            {
                final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3);
                while (System.nanoTime() < until)
                {
                    Thread.onSpinWait();
                }
                out.ok();
            });
        }
    }

    /** @return the log position after each of the pair add and {@code count} orders, in order. */
    private long[] writeOrders(final Path dataDir, final int count) throws Exception
    {
        final long[] ends = new long[count + 1];
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            ends[0] = Long.parseLong(client.info("persistence", "log_position"));
            for (int i = 1; i <= count; i++)
            {
                client.record("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "acct" + i, "QTY", "0.001", "PRICE",
                    String.valueOf(i));
                ends[i] = Long.parseLong(client.info("persistence", "log_position"));
            }
        }
        return ends;
    }

    private static void flip(final Path file, final long position) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            final int value = raf.read();
            raf.seek(position);
            raf.write(value ^ 0x5A);
        }
    }

    private static Path segmentFile(final Path dataDir)
    {
        return dataDir.resolve("log").resolve("archive").resolve("0-0.rec");
    }

    private static PersistenceCommands persistence(final EngineNode node)
    {
        for (final CommandGroup group : node.context().commandGroups())
        {
            if (group instanceof PersistenceCommands)
            {
                return (PersistenceCommands)group;
            }
        }
        throw new IllegalStateException("no persistence group");
    }

    private EngineNode start(final Path dataDir)
    {
        return start(dataDir, 0, null);
    }

    private EngineNode start(final Path dataDir, final int port, final CommandGroup extra, final String... config)
    {
        try
        {
            final Path file = Files.createTempFile(tempDir, "node", ".conf");
            Files.writeString(file, "pair." + PAIR + "=TICK 0.01 LOT 0.001\n" + String.join("\n", config) + "\n");
            final EngineNodeContext context = new EngineNodeContext()
                .loadConfig(file).port(port).bindAddress("127.0.0.1").dataDir(dataDir);
            if (extra != null)
            {
                context.addCommandGroup(extra);
            }
            return new EngineNode(context).start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
