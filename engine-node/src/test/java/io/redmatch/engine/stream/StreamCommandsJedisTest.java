package io.redmatch.engine.stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamConsumerInfo;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamFullInfo;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamInfo;
import redis.clients.jedis.resps.StreamPendingEntry;
import redis.clients.jedis.resps.StreamPendingSummary;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream commands through Jedis, the client clearing uses, in RESP2 and RESP3. */
@Timeout(60)
class StreamCommandsJedisTest
{
    private static final String KEY = "fills:BTC-USD";

    private StreamNodeFixture fixture;
    private FillStream stream;

    @BeforeEach
    void startNode()
    {
        fixture = new StreamNodeFixture();
        stream = fixture.addPair("BTC-USD");
    }

    @AfterEach
    void stopNode()
    {
        fixture.close();
    }

    private Jedis jedis(final RedisProtocol protocol)
    {
        return new Jedis(
            new HostAndPort("127.0.0.1", fixture.port()),
            DefaultJedisClientConfig.builder().protocol(protocol).timeoutMillis(20_000).build());
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = { "RESP2", "RESP3" })
    void readsRangesAndStreamInfo(final RedisProtocol protocol)
    {
        fixture.fills(stream, 7);
        try (Jedis jedis = jedis(protocol))
        {
            final List<StreamEntry> all = jedis.xrange(KEY, "-", "+");
            assertEquals(7, all.size());
            final StreamEntry first = all.get(0);
            assertEquals(new StreamEntryID(1, 0), first.getID());
            final Map<String, String> fields = first.getFields();
            assertEquals(java.util.Set.of(
                "seq", "pair", "price", "qty", "quote_qty", "taker_side", "taker_order_id", "maker_order_id",
                "taker_account", "maker_account", "taker_fee", "maker_fee", "ts"), fields.keySet());
            assertEquals("1", fields.get("seq"));
            assertEquals("BTC-USD", fields.get("pair"));
            assertEquals("30000.25", fields.get("price"));
            assertEquals("0.1", fields.get("qty"));
            assertEquals("3000.025", fields.get("quote_qty"));
            assertEquals("BUY", fields.get("taker_side"));
            assertEquals("101", fields.get("taker_order_id"));
            assertEquals("bob", fields.get("taker_account"));
            assertEquals("carol", fields.get("maker_account"));
            assertEquals("0.00000007", fields.get("taker_fee"));
            assertEquals("0.00000011", fields.get("maker_fee"));
            assertEquals("SELL", jedis.xrange(KEY, "3", "3").get(0).getFields().get("taker_side"));

            assertEquals(List.of("3-0", "4-0"), ids(jedis.xrange(KEY, "(2", "+", 2)));
            assertEquals(List.of("7-0", "6-0", "5-0"), ids(jedis.xrevrange(KEY, "+", "(4")));
            assertEquals(List.of("5-0"), ids(jedis.xrevrange(KEY, "(6", "-", 1)));
            assertTrue(jedis.xrange(KEY, "(7", "+").isEmpty());
            assertEquals(7, jedis.xlen(KEY));

            final StreamInfo info = jedis.xinfoStream(KEY);
            assertEquals(7, info.getLength());
            assertEquals(new StreamEntryID(7, 0), info.getLastGeneratedId());
            assertEquals(new StreamEntryID(1, 0), info.getFirstEntry().getID());
            assertEquals(new StreamEntryID(7, 0), info.getLastEntry().getID());
            assertEquals(0, info.getGroups());
            assertEquals(1, info.getRadixTreeKeys());
            assertEquals(7L, info.getStreamInfo().get("entries-added"));
            assertEquals(new StreamEntryID(0, 0), info.getStreamInfo().get("max-deleted-entry-id"));
            assertEquals(new StreamEntryID(1, 0), info.getStreamInfo().get("recorded-first-entry-id"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = { "RESP2", "RESP3" })
    void consumerGroupLifeCycle(final RedisProtocol protocol)
    {
        fixture.fills(stream, 5);
        try (Jedis jedis = jedis(protocol))
        {
            assertEquals("OK", jedis.xgroupCreate(KEY, "clearing", new StreamEntryID(0, 0), false));
            assertEquals("OK", jedis.xgroupCreate(KEY, "audit", StreamEntryID.XGROUP_LAST_ENTRY, true));
            final JedisDataException busy = assertThrows(
                JedisDataException.class, () -> jedis.xgroupCreate(KEY, "clearing", new StreamEntryID(0, 0), false));
            assertEquals("BUSYGROUP Consumer Group name already exists", busy.getMessage());

            final List<Map.Entry<String, List<StreamEntry>>> delivered = jedis.xreadGroup(
                "clearing", "c1", XReadGroupParams.xReadGroupParams().count(3),
                Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
            assertEquals(1, delivered.size());
            assertEquals(KEY, delivered.get(0).getKey());
            assertEquals(List.of("1-0", "2-0", "3-0"), ids(delivered.get(0).getValue()));

            final List<Map.Entry<String, List<StreamEntry>>> history = jedis.xreadGroup(
                "clearing", "c1", XReadGroupParams.xReadGroupParams(), Map.of(KEY, new StreamEntryID(1, 0)));
            assertEquals(List.of("2-0", "3-0"), ids(history.get(0).getValue()));

            final StreamPendingSummary summary = jedis.xpending(KEY, "clearing");
            assertEquals(3, summary.getTotal());
            assertEquals(new StreamEntryID(1, 0), summary.getMinId());
            assertEquals(new StreamEntryID(3, 0), summary.getMaxId());
            assertEquals(Map.of("c1", 3L), summary.getConsumerMessageCount());

            final List<StreamPendingEntry> pending = jedis.xpending(
                KEY, "clearing", XPendingParams.xPendingParams("-", "+", 10).consumer("c1"));
            assertEquals(3, pending.size());
            assertEquals("c1", pending.get(1).getConsumerName());
            assertEquals(2, pending.get(1).getDeliveredTimes());
            assertTrue(pending.get(1).getIdleTime() >= 0);

            assertEquals(2, jedis.xack(KEY, "clearing", new StreamEntryID(1, 0), new StreamEntryID(2, 0)));
            assertEquals(0, jedis.xack(KEY, "clearing", new StreamEntryID(1, 0)));

            final List<StreamGroupInfo> groups = jedis.xinfoGroups(KEY);
            assertEquals(List.of("audit", "clearing"), groups.stream().map(StreamGroupInfo::getName).toList());
            final StreamGroupInfo clearing = groups.get(1);
            assertEquals(1, clearing.getConsumers());
            assertEquals(1, clearing.getPending());
            assertEquals(new StreamEntryID(3, 0), clearing.getLastDeliveredId());
            assertEquals(3L, clearing.getGroupInfo().get("entries-read"));
            assertEquals(2L, clearing.getGroupInfo().get("lag"));
            assertEquals(new StreamEntryID(5, 0), groups.get(0).getLastDeliveredId());
            assertEquals(0L, groups.get(0).getGroupInfo().get("lag"));

            final List<StreamConsumerInfo> consumers = jedis.xinfoConsumers2(KEY, "clearing");
            assertEquals(1, consumers.size());
            assertEquals("c1", consumers.get(0).getName());
            assertEquals(1, consumers.get(0).getPending());
            assertTrue(consumers.get(0).getIdle() >= 0);
            assertTrue(consumers.get(0).getInactive() >= 0);

            final StreamFullInfo full = jedis.xinfoStreamFull(KEY);
            assertEquals(5, full.getLength());
            assertEquals(5, full.getEntries().size());
            assertEquals(2, full.getGroups().size());
            assertEquals(1, full.getGroups().get(1).getPelCount());
            assertEquals(1, full.getGroups().get(1).getConsumers().size());

            assertTrue(jedis.xgroupCreateConsumer(KEY, "clearing", "c2"));
            assertFalse(jedis.xgroupCreateConsumer(KEY, "clearing", "c2"));
            assertEquals(1, jedis.xgroupDelConsumer(KEY, "clearing", "c1"));
            assertEquals("OK", jedis.xgroupSetID(KEY, "clearing", new StreamEntryID(4, 0)));
            assertEquals(1, jedis.xgroupDestroy(KEY, "audit"));
            assertEquals(0, jedis.xgroupDestroy(KEY, "audit"));
            assertEquals(1, jedis.xinfoStream(KEY).getGroups());
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = { "RESP2", "RESP3" })
    void xreadBlockIsWokenByACommit(final RedisProtocol protocol) throws Exception
    {
        final FillStream eth = fixture.addPair("ETH-USD");
        fixture.fills(stream, 2);
        try (Jedis jedis = jedis(protocol))
        {
            final CompletableFuture<List<Map.Entry<String, List<StreamEntry>>>> read = CompletableFuture.supplyAsync(
                () -> jedis.xread(XReadParams.xReadParams().block(0),
                    Map.of(KEY, StreamEntryID.XREAD_NEW_ENTRY, "fills:ETH-USD", StreamEntryID.XREAD_NEW_ENTRY)));
            awaitBlocked(1);
            assertFalse(read.isDone());
            fixture.fills(eth, 1);
            final List<Map.Entry<String, List<StreamEntry>>> result = read.get(10, TimeUnit.SECONDS);
            assertEquals(1, result.size());
            assertEquals("fills:ETH-USD", result.get(0).getKey());
            assertEquals(List.of("1-0"), ids(result.get(0).getValue()));
            assertEquals("ETH-USD", result.get(0).getValue().get(0).getFields().get("pair"));

            assertNull(jedis.xread(XReadParams.xReadParams().block(50), Map.of(KEY, StreamEntryID.XREAD_NEW_ENTRY)));
        }
    }

    @Test
    void xreadGroupBlockIsWokenByACommitAndLoggedAgain() throws Exception
    {
        try (Jedis jedis = jedis(RedisProtocol.RESP2))
        {
            jedis.xgroupCreate(KEY, "clearing", StreamEntryID.XGROUP_LAST_ENTRY, false);
            final CompletableFuture<List<Map.Entry<String, List<StreamEntry>>>> read = CompletableFuture.supplyAsync(
                () -> jedis.xreadGroup("clearing", "c1", XReadGroupParams.xReadGroupParams().block(0).count(10),
                    Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)));
            awaitBlocked(1);
            assertEquals(2, fixture.loggedCommands().size(), "XGROUP CREATE and the first XREADGROUP");
            fixture.fills(stream, 2);
            final List<Map.Entry<String, List<StreamEntry>>> result = read.get(10, TimeUnit.SECONDS);
            assertEquals(List.of("1-0", "2-0"), ids(result.get(0).getValue()));
            assertEquals(3, fixture.loggedCommands().size(), "the wake-up is logged as a command of its own");
            assertEquals(2, jedis.xpending(KEY, "clearing").getTotal());
        }
    }

    @Test
    void blockedGroupReaderLearnsItsGroupIsGone() throws Exception
    {
        try (Jedis jedis = jedis(RedisProtocol.RESP2); Jedis admin = jedis(RedisProtocol.RESP2))
        {
            jedis.xgroupCreate(KEY, "clearing", StreamEntryID.XGROUP_LAST_ENTRY, false);
            final CompletableFuture<Object> read = CompletableFuture.supplyAsync(
                () -> jedis.xreadGroup("clearing", "c1", XReadGroupParams.xReadGroupParams().block(0),
                    Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)));
            awaitBlocked(1);
            admin.xgroupDestroy(KEY, "clearing");
            final Exception failure = assertThrows(Exception.class, () -> read.get(10, TimeUnit.SECONDS));
            assertTrue(failure.getCause().getMessage().startsWith("NOGROUP"), failure.getCause().getMessage());
        }
    }

    @Test
    void unservedPairIsNoPair()
    {
        try (Jedis jedis = jedis(RedisProtocol.RESP2))
        {
            final JedisDataException error = assertThrows(JedisDataException.class, () -> jedis.xlen("fills:NOPE-X"));
            assertEquals("NOPAIR pair not served by this node", error.getMessage());
            assertThrows(JedisDataException.class, () -> jedis.xrange("fills:NOPE-X", "-", "+"));
            assertEquals(0, jedis.xlen("other"));
            assertTrue(jedis.xrange("other", "-", "+").isEmpty());
        }
    }

    private void awaitBlocked(final int connections) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fixture.onLoop(() -> fixture.node.blockingKeys().blockedCount()) < connections)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("no connection blocked");
            }
            Thread.sleep(5);
        }
    }

    private static List<String> ids(final List<StreamEntry> entries)
    {
        return entries.stream().map((entry) -> entry.getID().toString()).toList();
    }
}
