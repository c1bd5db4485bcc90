package io.redmatch.engine.node;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.util.SafeEncoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Redis clients (Jedis, Lettuce in RESP2 and RESP3, redis-cli) against a real node. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealClientsTest
{
    private static final ProtocolCommand TEST_PUBLISH = () -> SafeEncoder.encode("TEST.PUBLISH");
    private static ServerFixture server;

    @BeforeAll
    static void start()
    {
        server = new ServerFixture();
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    @Test
    void jedisConnectsAndRunsConnectionCommands()
    {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port()))
        {
            assertEquals("PONG", jedis.ping());
            assertEquals("hello", jedis.echo("hello"));
            assertEquals("OK", jedis.clientSetname("jedis-test"));
            assertEquals("jedis-test", jedis.clientGetname());
            final Map<String, String> config = jedis.configGet("save");
            assertEquals(Map.of("save", ""), config);
            assertEquals(Map.of("appendonly", "no"), jedis.configGet("append*"));
            assertEquals(Map.of(), jedis.configGet("no-such-parameter"));
            final String info = jedis.info();
            assertTrue(info.contains("# Server\r\n"), info);
            assertTrue(info.contains("tcp_port:" + server.port() + "\r\n"), info);
            assertTrue(info.contains("process_id:" + ProcessHandle.current().pid() + "\r\n"), info);
            assertTrue(info.contains("# Clients\r\nconnected_clients:"), info);
            assertTrue(jedis.info("stats").contains("total_commands_processed:"));
            assertTrue(jedis.clientList().contains("name=jedis-test"));
            assertEquals("OK", SafeEncoder.encode((byte[])jedis.sendCommand(
                Protocol.Command.CLIENT, "SETINFO", "LIB-NAME", "jedis")));
            assertTrue(jedis.clientList().contains("lib-name=jedis"), jedis.clientList());
            assertTrue(jedis.clientId() > 0);
            assertEquals(2, jedis.time().size());
        }
    }

    @Test
    void jedisSpeaksResp3()
    {
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", server.port()),
            DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).clientName("r3").build()))
        {
            assertEquals("PONG", jedis.ping());
            assertEquals("r3", jedis.clientGetname());
            assertEquals(Map.of("save", ""), jedis.configGet("save"));
            assertTrue(jedis.info("server").contains("redis_version:"));
        }
    }

    @Test
    void lettuceSyncWithResp2()
    {
        lettuceSync(ProtocolVersion.RESP2);
    }

    @Test
    void lettuceSyncWithResp3()
    {
        lettuceSync(ProtocolVersion.RESP3);
    }

    private void lettuceSync(final ProtocolVersion protocol)
    {
        final RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        try (StatefulRedisConnection<String, String> connection = client.connect())
        {
            final RedisCommands<String, String> sync = connection.sync();
            assertEquals("PONG", sync.ping());
            assertEquals("hi", sync.echo("hi"));
            assertEquals("OK", sync.clientSetname("lettuce"));
            assertEquals("lettuce", sync.clientGetname());
            assertEquals(Map.of("save", ""), sync.configGet("save"));
            assertTrue(sync.info("server").contains("tcp_port:" + server.port()));
            assertTrue(sync.clientList().contains("resp=" + (protocol == ProtocolVersion.RESP3 ? 3 : 2)),
                sync.clientList());
            assertEquals(2, sync.time().size());
            assertTrue(sync.commandCount() > 10);
            assertTrue(sync.command().size() > 10);
            assertEquals(0L, testPublish(sync, "nobody", "x"));
        }
        finally
        {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void pipelinedCommandsComeBackInOrder() throws IOException
    {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port()))
        {
            final Pipeline pipeline = jedis.pipelined();
            final List<Response<Object>> responses = new ArrayList<>();
            for (int i = 0; i < 1000; i++)
            {
                responses.add(i % 2 == 0 ? pipeline.sendCommand(Protocol.Command.PING, new String[0]) :
                    pipeline.sendCommand(Protocol.Command.ECHO, "e" + i));
            }
            pipeline.sync();
            for (int i = 0; i < 1000; i++)
            {
                assertEquals(i % 2 == 0 ? "PONG" : "e" + i, SafeEncoder.encode((byte[])responses.get(i).get()));
            }
        }
        try (RespSocket raw = new RespSocket(server.port()))
        {
            final StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 1000; i++)
            {
                batch.append(i % 3 == 0 ? "PING\r\n" : RespSocket.encode("PING", "p" + i));
            }
            raw.send(batch.toString());
            for (int i = 0; i < 1000; i++)
            {
                assertEquals(i % 3 == 0 ? "PONG" : "p" + i, raw.read());
            }
        }
    }

    @Test
    void jedisReceivesInternalPublishes() throws Exception
    {
        final BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
        final CountDownLatch subscribed = new CountDownLatch(2);
        final JedisPubSub listener = new JedisPubSub()
        {
            public void onMessage(final String channel, final String message)
            {
                received.add(channel + "=" + message);
            }

            public void onPMessage(final String pattern, final String channel, final String message)
            {
                received.add(pattern + ">" + channel + "=" + message);
                if (received.size() >= 3)
                {
                    punsubscribe();
                    unsubscribe();
                }
            }

            public void onSubscribe(final String channel, final int count)
            {
                subscribed.countDown();
            }

            public void onPSubscribe(final String pattern, final int count)
            {
                subscribed.countDown();
            }
        };
        final Thread thread = new Thread(() ->
        {
            try (Jedis subscriber = new Jedis("127.0.0.1", server.port()))
            {
                subscriber.subscribe(listener, "trades:BTC-USDT");
            }
        });
        thread.start();
        try (Jedis publisher = new Jedis("127.0.0.1", server.port()))
        {
            assertTrue(awaitCount(subscribed, 1));
            listener.psubscribe("depth:*");
            assertTrue(subscribed.await(10, TimeUnit.SECONDS));
            assertEquals(1L, publisher.sendCommand(TEST_PUBLISH, "trades:BTC-USDT", "{\"seq\":1}"));
            assertEquals(1L, publisher.sendCommand(TEST_PUBLISH, "depth:BTC-USDT", "{\"seq\":2}"));
            assertEquals(0L, publisher.sendCommand(TEST_PUBLISH, "bbo:BTC-USDT", "{\"seq\":3}"));
            assertEquals("trades:BTC-USDT={\"seq\":1}", received.poll(10, TimeUnit.SECONDS));
            assertEquals("depth:*>depth:BTC-USDT={\"seq\":2}", received.poll(10, TimeUnit.SECONDS));
            listener.unsubscribe();
            listener.punsubscribe();
        }
        thread.join(10_000);
    }

    @Test
    void lettuceReceivesInternalPublishesInResp2AndResp3() throws Exception
    {
        for (final ProtocolVersion protocol : new ProtocolVersion[]{ ProtocolVersion.RESP2, ProtocolVersion.RESP3 })
        {
            final RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
            client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
            try (StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
                StatefulRedisConnection<String, String> publisher = client.connect())
            {
                final BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
                pubSub.addListener(new RedisPubSubAdapter<>()
                {
                    public void message(final String channel, final String message)
                    {
                        received.add(channel + "=" + message);
                    }

                    public void message(final String pattern, final String channel, final String message)
                    {
                        received.add(pattern + ">" + channel + "=" + message);
                    }
                });
                pubSub.sync().subscribe("trades:ETH-USDT");
                pubSub.sync().psubscribe("bbo:*");
                if (protocol == ProtocolVersion.RESP3)
                {
                    // in RESP2 subscribed mode Redis (and the node) answer ["pong", ""], which Lettuce reads as ""
                    assertEquals("PONG", pubSub.sync().ping());
                }
                assertEquals(1L, testPublish(publisher.sync(), "trades:ETH-USDT", "t1"));
                assertEquals(1L, testPublish(publisher.sync(), "bbo:ETH-USDT", "b1"));
                assertEquals("trades:ETH-USDT=t1", received.poll(10, TimeUnit.SECONDS), protocol.toString());
                assertEquals("bbo:*>bbo:ETH-USDT=b1", received.poll(10, TimeUnit.SECONDS), protocol.toString());
                pubSub.sync().unsubscribe("trades:ETH-USDT");
                pubSub.sync().punsubscribe("bbo:*");
                assertEquals(0L, testPublish(publisher.sync(), "trades:ETH-USDT", "t2"));
            }
            finally
            {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void blockedCommandHoldsItsPipelineUntilSignalled() throws Exception
    {
        try (RespSocket blocked = new RespSocket(server.port());
            RespSocket signaller = new RespSocket(server.port()))
        {
            blocked.send(RespSocket.encode("TEST.BLOCK", "fills:BTC-USDT", "0") + "PING\r\n");
            assertEquals("PONG", signaller.call("PING"));
            assertEquals(1, (int)server.onEventLoop(() -> server.node().blockingKeys().blockedCount()));
            assertEquals("OK", signaller.call("TEST.SIGNAL", "fills:BTC-USDT"));
            assertEquals("WOKE fills:BTC-USDT", blocked.read());
            assertEquals("PONG", blocked.read());

            blocked.send(RespSocket.encode("TEST.BLOCK", "k", "100") + "ECHO after\r\n");
            assertEquals("TIMEDOUT", blocked.read());
            assertEquals("after", blocked.read());
        }
    }

    @Test
    void redisCliWorks() throws Exception
    {
        assertEquals("PONG", redisCli("PING"));
        assertEquals("hello world", redisCli("ECHO", "hello world"));
        final int count = Integer.parseInt(redisCli("COMMAND", "COUNT"));
        assertTrue(count > 20, "COMMAND COUNT " + count);
        assertTrue(redisCli("COMMAND").contains("client|setname"));
        assertTrue(redisCli("COMMAND", "DOCS", "PING").contains("Returns the server's liveliness response"));
        final String info = redisCli("INFO", "server");
        assertTrue(info.contains("tcp_port:" + server.port()), info);
        assertTrue(redisCli("-3", "HELLO", "3").contains("proto"));
        assertTrue(redisCli("NOPE").contains("unknown command 'NOPE'"));
    }

    @Test
    void commandDocsHaveTheShapeRedisCliAsserts() throws IOException
    {
        // redis-cli asserts on the types of COMMAND DOCS fields when it starts interactively: check them all
        try (RespSocket client = new RespSocket(server.port()))
        {
            final List<?> docs = (List<?>)client.call("COMMAND", "DOCS");
            assertTrue(docs.size() > 40);
            for (int i = 0; i < docs.size(); i += 2)
            {
                assertInstanceOf(String.class, docs.get(i));
                checkDoc((List<?>)docs.get(i + 1));
            }
            final List<?> infos = (List<?>)client.call("COMMAND", "INFO", "ping", "client", "nope");
            assertEquals(3, infos.size());
            assertEquals(List.of("ping", -1L), ((List<?>)infos.get(0)).subList(0, 2));
            assertEquals(10, ((List<?>)infos.get(1)).size());
            assertEquals(null, infos.get(2));
        }
    }

    private static void checkDoc(final List<?> doc)
    {
        for (int i = 0; i < doc.size(); i += 2)
        {
            final String key = (String)doc.get(i);
            final Object value = doc.get(i + 1);
            switch (key)
            {
                case "summary", "since", "group", "complexity" -> assertInstanceOf(String.class, value, key);
                case "arguments" -> ((List<?>)value).forEach((argument) -> checkArgument((List<?>)argument));
                case "subcommands" ->
                {
                    final List<?> subcommands = (List<?>)value;
                    for (int k = 0; k < subcommands.size(); k += 2)
                    {
                        assertInstanceOf(String.class, subcommands.get(k));
                        checkDoc((List<?>)subcommands.get(k + 1));
                    }
                }
                default -> throw new AssertionError("unexpected doc field " + key);
            }
        }
    }

    private static void checkArgument(final List<?> argument)
    {
        boolean hasName = false;
        boolean hasType = false;
        for (int i = 0; i < argument.size(); i += 2)
        {
            final String key = (String)argument.get(i);
            final Object value = argument.get(i + 1);
            switch (key)
            {
                case "name" -> hasName = value instanceof String;
                case "type" -> hasType = value instanceof String;
                case "token" -> assertInstanceOf(String.class, value);
                case "flags" -> ((List<?>)value).forEach((flag) -> assertInstanceOf(String.class, flag));
                case "arguments" -> ((List<?>)value).forEach((nested) -> checkArgument((List<?>)nested));
                default -> throw new AssertionError("unexpected argument field " + key);
            }
        }
        assertTrue(hasName && hasType, "argument without name or type: " + argument);
    }

    private static long testPublish(
        final RedisCommands<String, String> sync, final String channel, final String message)
    {
        final ProtocolKeyword keyword = new ProtocolKeyword()
        {
            public byte[] getBytes()
            {
                return "TEST.PUBLISH".getBytes(StandardCharsets.US_ASCII);
            }

            public String name()
            {
                return "TEST.PUBLISH";
            }
        };
        return sync.dispatch(keyword, new IntegerOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add(channel).add(message));
    }

    private static boolean awaitCount(final CountDownLatch latch, final int remaining) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (latch.getCount() > remaining)
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static String redisCli(final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p",
            String.valueOf(server.port())));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return output.trim();
    }
}
