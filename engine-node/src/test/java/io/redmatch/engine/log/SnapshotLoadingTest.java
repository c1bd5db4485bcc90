package io.redmatch.engine.log;

import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.EngineNodeContext;
import io.redmatch.engine.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first part of recovery (data dir, log tail, archive, snapshot load) runs off the event loop: the node answers
 * {@code -LOADING} to commands that need the state and serves {@code PING}, {@code INFO} and {@code ROLE} while a
 * snapshot loads, then serves the loaded state. The load is held at a known point so the test does not depend on how
 * long loading takes: the newest "snapshot" is a named pipe, whose read blocks until the test writes to it (a few bytes
 * that are no snapshot, so recovery skips it with a warning and loads the real one).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotLoadingTest
{
    private static final String PAIR = "BTC-USDT";
    private static final int RESTING = 2_000;

    @TempDir
    Path tempDir;

    @Test
    void answersLoadingWhileTheSnapshotLoadsThenServesIt() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        final int port = LogTestClient.freePort();
        final String digest;
        try (EngineNode node = new EngineNode(context(dataDir, port)).start();
            LogTestClient client = new LogTestClient(port))
        {
            final List<String[]> orders = new ArrayList<>();
            for (int i = 0; i < RESTING; i++)
            {
                final boolean buy = (i & 1) == 0;
                orders.add(new String[]{"ORDER.PLACE", PAIR, buy ? "BUY" : "SELL", "ACCOUNT", "a" + (i % 10), "QTY",
                    "0.001", "PRICE", String.valueOf(buy ? 900 - i % 50 : 1100 + i % 50)});
            }
            client.pipeline(orders);
            assertEquals("OK", client.call("SAVE"));
            client.call("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "after", "QTY", "0.001", "PRICE", "1000");
            digest = client.digest();
        }

        final Path pipe = heldSnapshot(dataDir);
        final CompletableFuture<EngineNode> starting =
            CompletableFuture.supplyAsync(() -> new EngineNode(context(dataDir, port)).start());
        try
        {
            try (LogTestClient client = LogTestClient.connectWhenUp(port, 60))
            {
                awaitSnapshotPhase(client);
                final String error = client.error("ORDER.GET", PAIR, "1");
                assertTrue(error.startsWith("LOADING "), error);
                assertTrue(client.error("DEBUG", "DIGEST").startsWith("LOADING "));
                assertTrue(client.error("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "x", "QTY", "0.001", "PRICE", "1")
                    .startsWith("LOADING "));
                assertEquals("1", client.info("persistence", "loading"));
                assertEquals("snapshot", client.info("persistence", "loading_phase"));
                assertFalse(client.call("INFO", "pairs").toString().contains("pair_" + PAIR),
                    "the pairs are not read while another thread loads them");
                assertEquals("master", ((List<?>)client.call("ROLE")).get(0));
                assertFalse(starting.isDone());

                release(pipe);
                starting.get(60, TimeUnit.SECONDS);
                assertEquals("0", client.info("persistence", "loading"));
                assertNotEquals("none", client.info("persistence", "recovery_snapshot"));
                assertEquals("1", client.info("persistence", "recovery_entries"), "one entry after the snapshot");
                assertEquals(digest, client.digest());
                final Map<String, Object> order = client.record("ORDER.GET", PAIR, "1");
                assertEquals("NEW", order.get("status"));
                assertTrue(client.call("INFO", "pairs").toString().contains("open_orders=" + (RESTING + 1)));
            }
        }
        finally
        {
            release(pipe);
            starting.get(60, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void closesCleanlyWhileTheSnapshotLoads() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        final int port = LogTestClient.freePort();
        try (EngineNode node = new EngineNode(context(dataDir, port)).start();
            LogTestClient client = new LogTestClient(port))
        {
            client.call("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "QTY", "0.001", "PRICE", "1000");
            assertEquals("OK", client.call("SAVE"));
        }
        final Path pipe = heldSnapshot(dataDir);
        final EngineNode node = new EngineNode(context(dataDir, port));
        final CompletableFuture<EngineNode> starting = CompletableFuture.supplyAsync(node::start);
        try (LogTestClient client = LogTestClient.connectWhenUp(port, 60))
        {
            awaitSnapshotPhase(client);
        }
        final CompletableFuture<Void> closing = CompletableFuture.runAsync(node::close);
        release(pipe);
        closing.get(60, TimeUnit.SECONDS);
        // the close races the end of the load it released: either the start saw the node stop before it recovered,
        // or recovery won and the close stopped a recovered node; both must leave the data dir whole
        try
        {
            starting.get(60, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            assertTrue(ex.getCause().getMessage().contains("stopped before it recovered"), ex.getCause().toString());
        }

        try (EngineNode restarted = new EngineNode(context(dataDir, port)).start();
            LogTestClient client = new LogTestClient(port))
        {
            assertEquals("NEW", client.record("ORDER.GET", PAIR, "1").get("status"));
        }
    }

    /** Puts a named pipe where the newest snapshot would be: reading it blocks until {@link #release}. */
    private static Path heldSnapshot(final Path dataDir) throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dataDir);
        final Path pipe = store.dir().resolve(SnapshotStore.fileName(Long.MAX_VALUE / 2));
        final Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        assertEquals(pipe, store.list().get(0));
        return pipe;
    }

    /**
     * Ends the read of the pipe, once: a few bytes that are no snapshot, which recovery skips. Opened for reading and
     * writing, the pipe opens at once whether or not the reader is there yet.
     */
    private static void release(final Path pipe) throws IOException
    {
        if (!Files.exists(pipe))
        {
            return;
        }
        try (FileChannel channel = FileChannel.open(pipe, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap("not a snapshot".getBytes(StandardCharsets.US_ASCII)));
        }
        Files.delete(pipe);
    }

    /** Waits until recovery reaches the snapshot (the pipe holds it there): only the start order decides when. */
    private static void awaitSnapshotPhase(final LogTestClient client) throws InterruptedException
    {
        while (!"snapshot".equals(client.info("persistence", "loading_phase")))
        {
            assertEquals("1", client.info("persistence", "loading"));
            Thread.sleep(10);
        }
    }

    private EngineNodeContext context(final Path dataDir, final int port)
    {
        try
        {
            final Path file = Files.createTempFile(tempDir, "node", ".conf");
            Files.writeString(file, "pair." + PAIR + "=TICK 0.01 LOT 0.001\nsnapshot-every-entries=0\n" +
                "snapshot-every-seconds=0\n");
            return new EngineNodeContext().loadConfig(file).port(port).bindAddress("127.0.0.1").dataDir(dataDir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
