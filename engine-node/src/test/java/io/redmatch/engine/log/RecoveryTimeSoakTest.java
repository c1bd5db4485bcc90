package io.redmatch.engine.log;

import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.EngineNodeContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The recovery figures of {@code docs/PERFORMANCE.md}, run with {@code mvn -Psoak}: the time to restart with
 * {@code redmatch.soak.entries} (default ten million) log entries after the last snapshot, and the pause and load
 * time of a snapshot of {@code redmatch.soak.resting} (default one million) resting orders. Prints the figures; the
 * only assertions are on the state (digest equal after restart), never on time.
 */
@Tag("soak")
@Timeout(value = 3600, unit = TimeUnit.SECONDS)
class RecoveryTimeSoakTest
{
    private static final String PAIR = "BTC-USDT";
    private static final int BATCH = 10_000;

    @TempDir
    Path tempDir;

    @Test
    void restartAfterManyLogEntries() throws Exception
    {
        final long entries = Long.getLong("redmatch.soak.entries", 10_000_000L);
        final Path dataDir = tempDir.resolve("node");
        final String[] config = {"snapshot-every-entries=0", "snapshot-every-seconds=0", "fill-retention-seconds=0",
            "closed-order-retention-seconds=0"};
        final String digest;
        long written = 0;
        final long startNs = System.nanoTime();
        try (EngineNode node = start(dataDir, config); LogTestClient client = new LogTestClient(node.port()))
        {
            while (written < entries)
            {
                final List<String[]> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH && written < entries; i++, written++)
                {
                    // a sell then a buy at the same price: every pair of entries rests an order and trades it
                    batch.add(new String[]{"ORDER.PLACE", PAIR, (written & 1) == 0 ? "SELL" : "BUY", "ACCOUNT",
                        "acct" + (written % 97), "QTY", "0.001", "PRICE", String.valueOf(100 + (written >> 1) % 50)});
                }
                client.pipeline(batch);
            }
            digest = client.digest();
            System.out.printf("RecoveryTimeSoakTest: wrote %d entries in %d s, log position %s%n", written,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs),
                client.info("persistence", "log_position"));
        }
        try (EngineNode node = start(dataDir, config); LogTestClient client = new LogTestClient(node.port()))
        {
            final long millis = Long.parseLong(client.info("persistence", "recovery_time_ms"));
            final long cpuMillis = Long.parseLong(client.info("persistence", "recovery_cpu_ms"));
            System.out.printf("RecoveryTimeSoakTest: recovered %s entries in %d ms (%d ms CPU on the event loop): " +
                "%.2f s per million entries (%.2f s of CPU)%n", client.info("persistence", "recovery_entries"), millis,
                cpuMillis, millis / 1000.0 / (written / 1e6), cpuMillis / 1000.0 / (written / 1e6));
            assertEquals(digest, client.digest());
        }
    }

    @Test
    void snapshotOfManyRestingOrders() throws Exception
    {
        final long resting = Long.getLong("redmatch.soak.resting", 1_000_000L);
        final Path dataDir = tempDir.resolve("node");
        final String[] config = {"snapshot-every-entries=0", "snapshot-every-seconds=0"};
        final String digest;
        try (EngineNode node = start(dataDir, config); LogTestClient client = new LogTestClient(node.port()))
        {
            long placed = 0;
            while (placed < resting)
            {
                final List<String[]> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH && placed < resting; i++, placed++)
                {
                    // bids below 1000, asks above: nothing trades, every order rests
                    final boolean buy = (placed & 1) == 0;
                    batch.add(new String[]{"ORDER.PLACE", PAIR, buy ? "BUY" : "SELL", "ACCOUNT",
                        "acct" + (placed % 1000), "QTY", "0.001", "PRICE",
                        String.valueOf(buy ? 999 - placed % 500 : 1001 + placed % 500)});
                }
                client.pipeline(batch);
            }
            for (int round = 0; round < 3; round++)
            {
                assertEquals("OK", client.call("SAVE"));
                System.out.printf("RecoveryTimeSoakTest: SAVE of %d resting orders: %s bytes, pause %s us, " +
                    "total %s ms%n", resting, client.info("persistence", "last_snapshot_size_bytes"),
                    client.info("persistence", "last_snapshot_pause_us"),
                    client.info("persistence", "last_snapshot_duration_ms"));
            }
            assertEquals("Background saving started", client.call("BGSAVE"));
            while (!"0".equals(client.info("persistence", "snapshot_in_progress")))
            {
                Thread.sleep(10);
            }
            System.out.printf("RecoveryTimeSoakTest: BGSAVE of %d resting orders: pause %s us, total %s ms%n",
                resting, client.info("persistence", "last_snapshot_pause_us"),
                client.info("persistence", "last_snapshot_duration_ms"));
            digest = client.digest();
        }
        final int port = LogTestClient.freePort();
        final CompletableFuture<EngineNode> starting = CompletableFuture.supplyAsync(() -> start(dataDir, port, config));
        try (LogTestClient client = LogTestClient.connectWhenUp(port, 60))
        {
            // the state loads on its own thread: PING and INFO are answered throughout, the rest gets -LOADING
            long loadingReplies = 0;
            long longestGapNs = 0;
            long lastReplyNs = System.nanoTime();
            while (!starting.isDone())
            {
                final String phase = client.info("persistence", "loading_phase");
                final long nowNs = System.nanoTime();
                longestGapNs = Math.max(longestGapNs, nowNs - lastReplyNs);
                lastReplyNs = nowNs;
                if ("snapshot".equals(phase))
                {
                    loadingReplies++;
                }
            }
            starting.get();
            assertNotEquals("none", client.info("persistence", "recovery_snapshot"));
            System.out.printf("RecoveryTimeSoakTest: loaded the snapshot of %d resting orders in %s ms " +
                "(recovery %s ms, %s ms of CPU); %d INFO replies with loading_phase:snapshot meanwhile, longest gap " +
                "between replies %d ms%n", resting, client.info("persistence", "recovery_snapshot_load_ms"),
                client.info("persistence", "recovery_time_ms"), client.info("persistence", "recovery_cpu_ms"),
                loadingReplies, TimeUnit.NANOSECONDS.toMillis(longestGapNs));
            assertEquals(digest, client.digest());
        }
        finally
        {
            starting.get().close();
        }
    }

    private EngineNode start(final Path dataDir, final String... config)
    {
        return start(dataDir, 0, config);
    }

    private EngineNode start(final Path dataDir, final int port, final String... config)
    {
        try
        {
            final Path file = Files.createTempFile(tempDir, "node", ".conf");
            Files.writeString(file, "pair." + PAIR + "=TICK 0.01 LOT 0.001\n" + String.join("\n", config) + "\n");
            return new EngineNode(new EngineNodeContext().loadConfig(file).port(port).bindAddress("127.0.0.1")
                .dataDir(dataDir)).start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
