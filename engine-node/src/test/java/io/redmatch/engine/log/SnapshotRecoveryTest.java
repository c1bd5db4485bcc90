package io.redmatch.engine.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.EngineNodeContext;
import io.redmatch.engine.snapshot.SnapshotFile;
import io.redmatch.engine.snapshot.SnapshotStore;
import io.redmatch.replicator.SnapshotFetcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots in a node of this JVM: a snapshot restores exactly the state it copied ({@code DEBUG DIGEST} equal), a
 * snapshot plus the log after it gives the state a replay of the whole log gives, a damaged snapshot is passed over
 * for an older one with a WARN line naming it, and log segments below the snapshots are purged without losing
 * anything. Real processes killed during a background snapshot are in {@link CrashRecoveryTest}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SnapshotRecoveryTest
{
    private static final String PAIR = VariedState.PAIR;

    @TempDir
    Path tempDir;

    @Test
    void aSnapshotRestoresTheSameState() throws Exception
    {
        final long seed = seed();
        final Path dataDir = tempDir.resolve("node");
        final String digest;
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            VariedState.build(client, new Random(seed), 12);
            assertTrue(Long.parseLong(client.info("pairs", "pairs")) == 2, "seed " + seed);
            assertEquals("OK", client.call("SAVE"), "seed " + seed);
            digest = client.digest();
            assertEquals("ok", client.info("persistence", "last_snapshot_status"));
            assertEquals(client.info("persistence", "log_entries"), client.info("persistence", "last_snapshot_seq"));
            assertEquals(Long.parseLong(client.info("persistence", "last_snapshot_time")), client.call("LASTSAVE"));
        }
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals(digest, client.digest(), "seed " + seed + ": the state after loading the snapshot");
            assertNotEquals("none", client.info("persistence", "recovery_snapshot"));
            assertEquals("0", client.info("persistence", "recovery_entries"), "nothing to replay after it");
            assertEquals("HALTED", client.record("PAIR.INFO", VariedState.SECOND_PAIR).get("status"));
            final long lastFill = (Long)client.call("XLEN", "fills:" + PAIR);
            assertTrue(lastFill > 10, "seed " + seed + ": fills made " + lastFill);
            final List<?> pending = (List<?>)client.call("XPENDING", "fills:" + PAIR, "clearing");
            assertTrue((Long)pending.get(0) > 0, "seed " + seed + ": the group's pending entries are back");
            int pendingStops = 0;
            for (final String account : List.of("alice", "bob", "carol", "dave", "erin", "frank"))
            {
                for (final Object order : (List<?>)client.call("ORDER.LIST", PAIR, "ACCOUNT", account))
                {
                    pendingStops += "PENDING_TRIGGER".equals(LogTestClient.record(order).get("status")) ? 1 : 0;
                }
            }
            assertTrue(pendingStops > 0, "seed " + seed + ": pending stops are back");
        }
    }

    @Test
    void aSnapshotAndTheLogAfterItGiveWhatTheWholeLogGives() throws Exception
    {
        final long seed = seed();
        final Random random = new Random(seed);
        final Path dataDir = tempDir.resolve("node");
        final String digest;
        final long tail;
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            VariedState.build(client, random, 6);
            assertEquals("OK", client.call("SAVE"));
            final long atSnapshot = Long.parseLong(client.info("persistence", "log_entries"));
            client.pipeline(List.<String[]>of(new String[]{"PAIR.RESUME", VariedState.SECOND_PAIR}));
            VariedState.build(client, random, 6);
            tail = Long.parseLong(client.info("persistence", "log_entries")) - atSnapshot;
            digest = client.digest();
        }
        final Path fullLog = tempDir.resolve("full-log");
        copyTree(dataDir, fullLog);
        deleteTree(fullLog.resolve(SnapshotStore.DIR_NAME));
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals(digest, client.digest(), "seed " + seed + ": snapshot + log tail");
            assertEquals(String.valueOf(tail), client.info("persistence", "recovery_entries"));
        }
        try (EngineNode node = start(fullLog); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals("none", client.info("persistence", "recovery_snapshot"));
            assertEquals(digest, client.digest(), "seed " + seed + ": the whole log");
        }
    }

    @Test
    void aDamagedSnapshotIsSkippedForAnOlderOne() throws Exception
    {
        final long seed = seed();
        for (final Damage damage : Damage.values())
        {
            final Random random = new Random(seed);
            final Path dataDir = tempDir.resolve("damaged-" + damage);
            final String digest;
            try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
            {
                VariedState.build(client, random, 3);
                assertEquals("OK", client.call("SAVE"));
                VariedState.build(client, random, 3);
                assertEquals("OK", client.call("SAVE"));
                client.pipeline(List.<String[]>of(new String[]{"ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "late", "QTY",
                    "0.001", "PRICE", "1"}));
                digest = client.digest();
            }
            final List<Path> snapshots = new SnapshotStore(dataDir).list();
            assertEquals(2, snapshots.size());
            damage.apply(snapshots.get(0));
            final ListAppender<ILoggingEvent> warnings = capture(SnapshotLoader.class);
            try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
            {
                assertEquals(snapshots.get(1).getFileName().toString(), client.info("persistence", "recovery_snapshot"),
                    damage.name());
                assertEquals(digest, client.digest(), "seed " + seed + ", " + damage + ": the same state");
            }
            finally
            {
                release(SnapshotLoader.class, warnings);
            }
            assertTrue(warnings.list.stream().anyMatch(event -> event.getLevel() == Level.WARN &&
                event.getFormattedMessage().contains(snapshots.get(0).toString()) &&
                event.getFormattedMessage().contains(damage.reason)), damage + ": WARN naming the file and why, got " +
                warnings.list);
        }
    }

    @Test
    void withEverySnapshotDamagedTheWholeLogIsReplayed() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        final String digest;
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            VariedState.build(client, new Random(seed()), 3);
            assertEquals("OK", client.call("SAVE"));
            digest = client.digest();
        }
        Damage.TRUNCATED.apply(new SnapshotStore(dataDir).list().get(0));
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals("none", client.info("persistence", "recovery_snapshot"));
            assertEquals(digest, client.digest());
        }
    }

    @Test
    void segmentsBelowTheKeptSnapshotsArePurged() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        final Path archiveDir = dataDir.resolve("log").resolve("archive");
        final String[] config = {"log-term-length=65536", "log-segment-length=65536", "snapshot-keep=2"};
        final Random random = new Random(seed());
        final String digest;
        try (EngineNode node = start(dataDir, config); LogTestClient client = new LogTestClient(node.port()))
        {
            long purged = 0;
            for (int save = 0; save < 3; save++)
            {
                VariedState.build(client, random, 30);
                assertEquals("OK", client.call("SAVE"));
                final List<Path> kept = new SnapshotStore(dataDir).list();
                assertEquals(Math.min(save + 1, 2), kept.size(), "snapshot-keep=2");
                final long start = Long.parseLong(client.info("persistence", "log_start_position"));
                assertTrue(start <= SnapshotFile.readHeader(kept.get(kept.size() - 1)).logPosition(),
                    "the log of the oldest kept snapshot is still there");
                purged = Long.parseLong(client.info("persistence", "log_purged_segments"));
            }
            assertTrue(purged > 0, "segments purged: " + purged);
            assertFalse(Files.exists(archiveDir.resolve("0-0.rec")), "the first segment file is gone");
            VariedState.build(client, random, 2);
            digest = client.digest();
        }
        try (EngineNode node = start(dataDir, config); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals(digest, client.digest(), "recovered after the purge");
        }
        Damage.BAD_MAGIC.apply(new SnapshotStore(dataDir).list().get(0));
        try (EngineNode node = start(dataDir, config); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals(digest, client.digest(), "recovered from the older snapshot and the log kept for it");
        }
    }

    @Test
    void snapshotFetchServesTheNewestSnapshotInChunks() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            assertTrue(client.error("SNAPSHOT.FETCH", "LATEST", "0", "100").startsWith("ERR no snapshot on this node"));
            VariedState.build(client, new Random(seed()), 20);
            assertEquals("OK", client.call("SAVE"));
            final Path file = new SnapshotStore(dataDir).list().get(0);
            final String name = file.getFileName().toString();
            final List<?> head = (List<?>)client.call("SNAPSHOT.FETCH", "LATEST", "0", "16");
            assertEquals(name, head.get(0));
            assertEquals(Files.size(file), head.get(1));
            assertEquals(SnapshotFile.readHeader(file).logSeq(), head.get(2));
            assertEquals(SnapshotFile.readHeader(file).logPosition(), head.get(3));
            assertEquals("RMSNAPSH", ((String)head.get(4)).substring(0, 8));
            final List<?> tail = (List<?>)client.call("SNAPSHOT.FETCH", name, String.valueOf(Files.size(file) - 3),
                "100");
            assertEquals(3, ((String)tail.get(4)).length(), "the last chunk is short");
            assertTrue(client.error("SNAPSHOT.FETCH", "../node.lock", "0", "10").startsWith("ERR no snapshot"));
            assertTrue(client.error("SNAPSHOT.FETCH", "LATEST", "0", "0").startsWith("ERR SNAPSHOT.FETCH needs"));
            assertTrue(client.error("SNAPSHOT.FETCH", "LATEST", "-1", "10").startsWith("ERR SNAPSHOT.FETCH needs"));

            final Path copy = tempDir.resolve("copy.rms");
            final SnapshotFetcher.Fetched fetched = SnapshotFetcher.fetch("127.0.0.1", node.port(), copy);
            assertEquals(name, fetched.name());
            assertEquals(-1, Files.mismatch(file, copy), "the copy is the file, byte for byte");
        }
    }

    @Test
    void saveAndBgsaveReplyAsRedisDoes() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals("Background saving started", client.call("BGSAVE"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!"0".equals(client.info("persistence", "snapshot_in_progress")) && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertEquals("ok", client.info("persistence", "last_snapshot_status"));
            assertEquals(1, new SnapshotStore(dataDir).list().size());
            assertTrue(client.error("BGSAVE", "NOW").startsWith("ERR syntax error"));
            assertTrue(client.error("SAVE", "x").startsWith("ERR wrong number of arguments"));
            assertTrue((Long)client.call("LASTSAVE") > 1_600_000_000L);
        }
    }

    @Test
    void periodicSnapshotsFollowTheEntriesAppended() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        try (EngineNode node = start(dataDir, "snapshot-every-entries=100");
            LogTestClient client = new LogTestClient(node.port()))
        {
            VariedState.build(client, new Random(seed()), 4);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (new SnapshotStore(dataDir).list().isEmpty() && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            assertFalse(new SnapshotStore(dataDir).list().isEmpty(), "a snapshot after 100 entries");
        }
    }

    /** Ways a snapshot file gets damaged, with the words of the reason the WARN line must give. */
    enum Damage
    {
        FLIPPED_BYTE("checksum mismatch")
        {
            void apply(final Path file) throws IOException
            {
                flip(file, Files.size(file) / 2);
            }
        },
        TRUNCATED("truncated")
        {
            void apply(final Path file) throws IOException
            {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                {
                    raf.setLength(raf.length() - 7);
                }
            }
        },
        BAD_MAGIC("bad magic")
        {
            void apply(final Path file) throws IOException
            {
                flip(file, 0);
            }
        },
        NEWER_VERSION("header checksum mismatch")
        {
            void apply(final Path file) throws IOException
            {
                flip(file, 8);
            }
        };

        final String reason;

        Damage(final String reason)
        {
            this.reason = reason;
        }

        abstract void apply(Path file) throws IOException;
    }

    static void flip(final Path file, final long position) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            final int value = raf.read();
            raf.seek(position);
            raf.write(value ^ 0x5A);
        }
    }

    private static long seed()
    {
        final long seed = Long.getLong("redmatch.test.seed", System.nanoTime());
        System.out.println("SnapshotRecoveryTest seed " + seed + " (-Dredmatch.test.seed=" + seed + ")");
        return seed;
    }

    private static ListAppender<ILoggingEvent> capture(final Class<?> type)
    {
        final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger)LoggerFactory.getLogger(type)).addAppender(appender);
        return appender;
    }

    private static void release(final Class<?> type, final ListAppender<ILoggingEvent> appender)
    {
        ((Logger)LoggerFactory.getLogger(type)).detachAppender(appender);
    }

    static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : (Iterable<Path>)files.sorted(java.util.Comparator.reverseOrder())::iterator)
            {
                Files.delete(file);
            }
        }
    }

    private EngineNode start(final Path dataDir, final String... config)
    {
        try
        {
            final Path file = Files.createTempFile(tempDir, "node", ".conf");
            Files.writeString(file, "pair." + PAIR + "=TICK 0.01 LOT 0.001\n" + String.join("\n", config) + "\n");
            final EngineNodeContext context = new EngineNodeContext()
                .loadConfig(file).port(0).bindAddress("127.0.0.1").dataDir(dataDir);
            return new EngineNode(context).start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
