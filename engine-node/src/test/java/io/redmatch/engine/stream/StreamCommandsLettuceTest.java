package io.redmatch.engine.stream;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.models.stream.PendingMessages;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream commands through Lettuce, in RESP2 and RESP3 (Lettuce's default once the server speaks HELLO 3). */
@Timeout(60)
class StreamCommandsLettuceTest
{
    private static final String KEY = "fills:BTC-USD";

    private StreamNodeFixture fixture;
    private FillStream stream;
    private RedisClient client;

    @BeforeEach
    void startNode()
    {
        fixture = new StreamNodeFixture();
        stream = fixture.addPair("BTC-USD");
    }

    @AfterEach
    void stopNode()
    {
        if (client != null)
        {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        fixture.close();
    }

    private StatefulRedisConnection<String, String> connect(final ProtocolVersion protocol)
    {
        client = RedisClient.create(RedisURI.create("127.0.0.1", fixture.port()));
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        return client.connect();
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = { "RESP2", "RESP3" })
    void readsAndConsumesFills(final ProtocolVersion protocol) throws Exception
    {
        fixture.fills(stream, 4);
        try (StatefulRedisConnection<String, String> connection = connect(protocol))
        {
            final RedisCommands<String, String> redis = connection.sync();

            final List<StreamMessage<String, String>> all = redis.xrange(KEY, Range.create("-", "+"));
            assertEquals(List.of("1-0", "2-0", "3-0", "4-0"), all.stream().map(StreamMessage::getId).toList());
            final Map<String, String> body = all.get(2).getBody();
            assertEquals("3", body.get("seq"));
            assertEquals("SELL", body.get("taker_side"));
            assertEquals("0.3", body.get("qty"));
            assertEquals(13, body.size());
            assertEquals(List.of("4-0", "3-0"), redis.xrevrange(KEY, Range.create("-", "+"), Limit.from(2))
                .stream().map(StreamMessage::getId).toList());
            assertEquals(4, redis.xlen(KEY));

            final List<Object> info = redis.xinfoStream(KEY);
            assertEquals("length", info.get(0));
            assertEquals(4L, info.get(1));
            assertTrue(info.contains("radix-tree-keys"));
            assertTrue(info.contains("first-entry"));

            assertEquals("OK", redis.xgroupCreate(XReadArgs.StreamOffset.from(KEY, "0"), "clearing"));
            assertEquals("OK", redis.xgroupCreate(
                XReadArgs.StreamOffset.from(KEY, "$"), "audit", XGroupCreateArgs.Builder.mkstream()));
            final List<StreamMessage<String, String>> delivered = redis.xreadgroup(
                Consumer.from("clearing", "c1"), XReadArgs.Builder.count(3), XReadArgs.StreamOffset.lastConsumed(KEY));
            assertEquals(List.of("1-0", "2-0", "3-0"), delivered.stream().map(StreamMessage::getId).toList());
            assertEquals(KEY, delivered.get(0).getStream());

            final PendingMessages summary = redis.xpending(KEY, "clearing");
            assertEquals(3, summary.getCount());
            assertEquals("1-0", summary.getMessageIds().getLower().getValue());
            assertEquals("3-0", summary.getMessageIds().getUpper().getValue());
            assertEquals(Map.of("c1", 3L), summary.getConsumerMessageCount());
            final PendingMessages none = redis.xpending(KEY, "audit");
            assertEquals(0, none.getCount());

            final List<PendingMessage> pending = redis.xpending(
                KEY, Consumer.from("clearing", "c1"), Range.create("-", "+"), Limit.from(10));
            assertEquals(3, pending.size());
            assertEquals("c1", pending.get(0).getConsumer());
            assertEquals(1, pending.get(0).getRedeliveryCount());

            assertEquals(2, redis.xack(KEY, "clearing", "1-0", "2-0"));
            final List<Object> groups = redis.xinfoGroups(KEY);
            assertEquals(2, groups.size());
            assertEquals(Map.class.isInstance(groups.get(0)) ? 6 : 12, sizeOf(groups.get(0)));
            final List<Object> consumers = redis.xinfoConsumers(KEY, "clearing");
            assertEquals(1, consumers.size());
            assertFalse(redis.xinfoStream(KEY).isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = { "RESP2", "RESP3" })
    void blockingReadsAreWokenByCommits(final ProtocolVersion protocol) throws Exception
    {
        fixture.fills(stream, 1);
        try (StatefulRedisConnection<String, String> connection = connect(protocol);
            StatefulRedisConnection<String, String> groupConnection = client.connect())
        {
            connection.sync().xgroupCreate(XReadArgs.StreamOffset.from(KEY, "$"), "clearing");
            final RedisFuture<List<StreamMessage<String, String>>> read = connection.async().xread(
                XReadArgs.Builder.block(Duration.ofSeconds(30)), XReadArgs.StreamOffset.latest(KEY));
            final RedisFuture<List<StreamMessage<String, String>>> groupRead = groupConnection.async().xreadgroup(
                Consumer.from("clearing", "c1"), XReadArgs.Builder.block(Duration.ofSeconds(30)),
                XReadArgs.StreamOffset.lastConsumed(KEY));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (fixture.onLoop(() -> fixture.node.blockingKeys().blockedCount()) < 2)
            {
                assertTrue(System.nanoTime() < deadline, "readers did not block");
                Thread.sleep(5);
            }
            fixture.fills(stream, 2);
            assertEquals(List.of("2-0", "3-0"),
                read.get(10, TimeUnit.SECONDS).stream().map(StreamMessage::getId).toList());
            assertEquals(List.of("2-0", "3-0"),
                groupRead.get(10, TimeUnit.SECONDS).stream().map(StreamMessage::getId).toList());
            assertEquals(2, connection.sync().xpending(KEY, "clearing").getCount());
        }
    }

    private static int sizeOf(final Object record)
    {
        return record instanceof Map<?, ?> map ? map.size() : ((List<?>)record).size();
    }
}
