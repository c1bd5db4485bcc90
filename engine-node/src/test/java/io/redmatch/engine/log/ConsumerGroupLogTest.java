package io.redmatch.engine.log;

import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.EngineNodeContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer group on a node with a data dir, as the clearing service uses it: polling an idle stream leaves the
 * command log as it is, while deliveries, reads of pending entries back and acknowledgements are logged, and a
 * restart replaying the log rebuilds the same groups, pending lists and delivery counts, including a delivery to a
 * blocked reader woken by a fill.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsumerGroupLogTest
{
    private static final String PAIR = "BTC-USDT";
    private static final String STREAM = "fills:" + PAIR;
    private static final String[] POLL =
        { "XREADGROUP", "GROUP", "clearing", "clearing-1", "COUNT", "2000", "STREAMS", STREAM, ">" };

    @TempDir
    Path tempDir;

    @Test
    void idlePollingLeavesTheLogAsItIsAndDeliveriesSurviveARestart() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        final GroupState before;
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals("OK", client.call("XGROUP", "CREATE", STREAM, "clearing", "0"));
            trade(client, "a", 3);
            assertEquals(2, entries(client.call(
                "XREADGROUP", "GROUP", "clearing", "clearing-1", "COUNT", "2", "STREAMS", STREAM, ">")).size());
            assertEquals(1L, client.call("XACK", STREAM, "clearing", "1"));
            assertEquals(1, entries(send(client, pollAs("clearing-2"))).size());
            final List<?> readBack = entries(client.call(
                "XREADGROUP", "GROUP", "clearing", "clearing-1", "STREAMS", STREAM, "0"));
            assertEquals("2-0", ((List<?>)readBack.get(0)).get(0), "fill 2 read back: its delivery count is 2");

            final String position = client.info("persistence", "log_position");
            final String logEntries = client.info("persistence", "log_entries");
            final long unloggedBefore = Long.parseLong(client.info("stats", "total_unlogged_writes"));
            final List<String[]> polls = new ArrayList<>();
            for (int i = 0; i < 200; i++)
            {
                polls.add(POLL);
            }
            for (final Object reply : client.pipeline(polls))
            {
                assertNull(reply, "nothing new to deliver");
            }
            assertNull(client.call("XREADGROUP", "GROUP", "clearing", "clearing-1", "COUNT", "2000", "BLOCK", "1",
                "STREAMS", STREAM, ">"), "a blocking poll times out");
            assertEquals(List.of(List.of(STREAM, List.of())), client.call(
                "XREADGROUP", "GROUP", "clearing", "clearing-2", "STREAMS", STREAM, "3"), "nothing pending after 3");
            assertEquals(0L, client.call("XACK", STREAM, "clearing", "1"), "acknowledged already");
            assertEquals(0L, client.call("XACK", STREAM, "clearing", "4"), "never delivered");
            assertEquals("NOGROUP No such key '" + STREAM + "' or consumer group 'other' in XREADGROUP with GROUP " +
                "option", client.error("XREADGROUP", "GROUP", "other", "c", "STREAMS", STREAM, ">"));
            assertEquals(position, client.info("persistence", "log_position"), "the log did not grow");
            assertEquals(logEntries, client.info("persistence", "log_entries"));
            assertEquals(unloggedBefore + 205, Long.parseLong(client.info("stats", "total_unlogged_writes")));

            checkPipelinedRepliesKeepTheirOrder(client);
            before = GroupState.of(client);
            assertEquals(2L, before.pendingSummary().get(0), "fills 2 and 3 pending: " + before);
        }
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals(before, GroupState.of(client), "the same groups after replaying the log");
            assertNull(send(client, POLL), "fill 4 was delivered before the restart");
        }
    }

    @Test
    void aBlockedReadWokenByAFillIsLoggedAndSurvivesARestart() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        final GroupState before;
        try (EngineNode node = start(dataDir);
            LogTestClient reader = new LogTestClient(node.port());
            LogTestClient trader = new LogTestClient(node.port()))
        {
            assertEquals("OK", trader.call("XGROUP", "CREATE", STREAM, "clearing", "$"));
            assertNull(send(reader, POLL), "the first read creates the consumer: logged");
            final long entriesBeforeBlocking = Long.parseLong(trader.info("persistence", "log_entries"));

            final CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> reader.call("XREADGROUP",
                "GROUP", "clearing", "clearing-1", "COUNT", "2000", "BLOCK", "30000", "STREAMS", STREAM, ">"));
            while (!"1".equals(trader.info("clients", "blocked_clients")))
            {
                Thread.sleep(5);
            }
            assertEquals(entriesBeforeBlocking, Long.parseLong(trader.info("persistence", "log_entries")),
                "a read that blocks with nothing to deliver is not logged");
            trade(trader, "b", 1);
            final List<?> delivered = entries(blocked.get(30, TimeUnit.SECONDS));
            assertEquals("1-0", ((List<?>)delivered.get(0)).get(0));
            assertEquals(entriesBeforeBlocking + 3, Long.parseLong(trader.info("persistence", "log_entries")),
                "two orders and the woken read's delivery");

            assertNull(send(reader, POLL));
            assertEquals(entriesBeforeBlocking + 3, Long.parseLong(trader.info("persistence", "log_entries")));
            before = GroupState.of(trader);
            assertEquals(List.of(1L, "1-0", "1-0", List.of(List.of("clearing-1", "1"))), before.pendingSummary());
        }
        try (EngineNode node = start(dataDir); LogTestClient client = new LogTestClient(node.port()))
        {
            assertEquals(before, GroupState.of(client), "the same groups after replaying the log");
            assertNull(send(client, POLL), "fill 1 was delivered before the restart");
            trade(client, "c", 1);
            assertEquals("2-0", ((List<?>)entries(send(client, POLL)).get(0)).get(0));
        }
    }

    /**
     * Replies of commands that are not logged, pipelined between logged ones, come back in the order of the requests,
     * released with the logged ones by the group commit.
     */
    private static void checkPipelinedRepliesKeepTheirOrder(final LogTestClient client)
    {
        final List<Object> replies = client.pipeline(List.of(
            new String[]{ "ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "p-s", "QTY", "0.001", "PRICE", "50" },
            POLL,
            new String[]{ "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "p-b", "QTY", "0.001", "PRICE", "50" },
            POLL,
            POLL,
            new String[]{ "XACK", STREAM, "clearing", "1" },
            new String[]{ "XACK", STREAM, "clearing", "4" },
            new String[]{ "XACK", STREAM, "clearing", "4" },
            new String[]{ "XPENDING", STREAM, "clearing" }));
        assertEquals("NEW", LogTestClient.record(replies.get(0)).get("status"));
        assertNull(replies.get(1), "no fill yet");
        assertEquals("FILLED", LogTestClient.record(replies.get(2)).get("status"));
        assertEquals("4-0", ((List<?>)entries(replies.get(3)).get(0)).get(0), "the fill the order before made");
        assertNull(replies.get(4));
        assertEquals(List.of(0L, 1L, 0L), replies.subList(5, 8));
        assertEquals(2L, ((List<?>)replies.get(8)).get(0), "fills 2 and 3 pending");
    }

    /** Makes {@code fills} fills, one per crossing pair of orders. */
    private static void trade(final LogTestClient client, final String prefix, final int fills)
    {
        for (int i = 0; i < fills; i++)
        {
            client.record("ORDER.PLACE", PAIR, "SELL", "ACCOUNT", prefix + "-s", "QTY", "0.001", "PRICE", "100");
            assertEquals("FILLED", client.record(
                "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", prefix + "-b", "QTY", "0.001", "PRICE", "100").get("status"));
        }
    }

    private static String[] pollAs(final String consumer)
    {
        final String[] poll = POLL.clone();
        poll[3] = consumer;
        return poll;
    }

    private static Object send(final LogTestClient client, final String[] command)
    {
        return client.call(command[0], Arrays.copyOfRange(command, 1, command.length));
    }

    /** The entries of the one stream in an {@code XREADGROUP} reply. */
    private static List<?> entries(final Object reply)
    {
        final List<?> streams = (List<?>)reply;
        assertEquals(1, streams.size(), "one stream: " + reply);
        return (List<?>)((List<?>)streams.get(0)).get(1);
    }

    /** What a node shows of its consumer groups, without anything measured to the wall clock. */
    private record GroupState(String digest, List<?> pendingSummary, Object groups, Object streamFull)
    {
        static GroupState of(final LogTestClient client)
        {
            return new GroupState(client.digest(), (List<?>)client.call("XPENDING", STREAM, "clearing"),
                client.call("XINFO", "GROUPS", STREAM), client.call("XINFO", "STREAM", STREAM, "FULL"));
        }
    }

    private EngineNode start(final Path dataDir)
    {
        try
        {
            final Path file = Files.createTempFile(tempDir, "node", ".conf");
            Files.writeString(file, "pair." + PAIR + "=TICK 0.01 LOT 0.001\n");
            return new EngineNode(new EngineNodeContext()
                .loadConfig(file).port(0).bindAddress("127.0.0.1").dataDir(dataDir)).start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
