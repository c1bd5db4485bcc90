package io.redmatch.clearing;

import io.redmatch.clearing.ledger.Ledger;
import io.redmatch.clearing.ledger.LedgerOptions;
import io.redmatch.clearing.ledger.LedgerRecord;
import io.redmatch.clearing.ledger.LedgerSteps;
import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.EngineNodeContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RESP API of clearing with real clients (Jedis, redis-cli, raw sockets) against a clearing service that pulls
 * from a real engine node (in this JVM, no log): replies, Redis-style errors, hostile input that never crashes it, and
 * {@code LEDGER.CHECK} failing on a ledger that does not match the fills.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClearingServerTest
{
    @TempDir
    Path tempDir;

    private EngineNode engine;
    private ClearingService clearing;

    @BeforeEach
    void start() throws Exception
    {
        engine = new EngineNode(new EngineNodeContext().port(0).bindAddress("127.0.0.1")).start();
        try (Jedis jedis = engine())
        {
            jedis.sendCommand(() -> SafeEncoder.encode("PAIR.ADD"), "BTC-USDT", "TICK", "0.01", "LOT", "0.00001",
                "MAKER_FEE", "0.001", "TAKER_FEE", "0.002");
            order(jedis, "SELL", "alice", "0.5", "30000");
            order(jedis, "BUY", "bob", "0.2", "30010");
        }
        clearing = startClearing();
        awaitCursor(1);
    }

    @AfterEach
    void stop()
    {
        if (clearing != null)
        {
            clearing.close();
        }
        engine.close();
    }

    @Test
    void balancesCursorsAndInfo()
    {
        try (Jedis jedis = clearing())
        {
            assertEquals(List.of("BTC", "-0.2", "USDT", "5994"), strings(jedis.sendCommand(cmd("BALANCE"), "alice")));
            assertEquals(List.of("BTC", "0.1996", "USDT", "-6000"), strings(jedis.sendCommand(cmd("BALANCE"),
                "bob")));
            assertEquals(List.of("BTC", "0.0004", "USDT", "6"), strings(jedis.sendCommand(cmd("BALANCE"), "@fees")));
            assertEquals("0.1996", SafeEncoder.encode((byte[])jedis.sendCommand(cmd("BALANCE"), "bob", "BTC")));
            assertEquals("0", SafeEncoder.encode((byte[])jedis.sendCommand(cmd("BALANCE"), "bob", "ETH")));
            assertEquals(List.of(), jedis.sendCommand(cmd("BALANCE"), "nobody"));
            final List<?> cursor = (List<?>)jedis.sendCommand(cmd("LEDGER.CURSOR"));
            assertEquals("BTC-USDT", SafeEncoder.encode((byte[])cursor.get(0)));
            assertEquals(1L, cursor.get(1));
            assertEquals(1L, jedis.sendCommand(cmd("LEDGER.CURSOR"), "BTC-USDT"));
            final String info = jedis.info();
            assertTrue(info.contains("process_id:" + ProcessHandle.current().pid()), info);
            assertTrue(info.contains("tcp_port:" + clearing.port()), info);
            assertTrue(info.contains("pair_BTC-USDT:state=active,cursor=1,"), info);
            assertTrue(info.contains("fills_per_sec:"), info);
            assertTrue(info.contains("alarms:0"), info);
            assertEquals("OK", SafeEncoder.encode((byte[])jedis.sendCommand(cmd("LEDGER.CHECK"))));
            assertEquals(List.of(), jedis.sendCommand(cmd("LEDGER.ALARMS")));
        }
    }

    @Test
    void redisStyleReplies()
    {
        try (Jedis jedis = clearing())
        {
            assertEquals("PONG", jedis.ping());
            assertEquals("hi", jedis.echo("hi"));
            assertEquals("OK", SafeEncoder.encode((byte[])jedis.sendCommand(cmd("CLIENT"), "SETNAME", "t")));
            assertTrue((Long)jedis.sendCommand(cmd("COMMAND"), "COUNT") >= 10);
            assertEquals(List.of(), jedis.sendCommand(cmd("COMMAND"), "DOCS"));
            assertTrue(strings(jedis.sendCommand(cmd("HELLO"), "2")).contains("redmatch-clearing"));
            assertError(jedis, "NOPROTO", "HELLO", "3");
            assertError(jedis, "ERR unknown command 'NOPE', with args beginning with: 'x'", "NOPE", "x");
            assertError(jedis, "ERR wrong number of arguments for 'balance' command", "BALANCE");
            assertError(jedis, "ERR syntax error", "BALANCE", "a", "b", "c");
            assertError(jedis, "INVALID ACCOUNT", "BALANCE", "a b");
            assertError(jedis, "INVALID ACCOUNT", "BALANCE", "x".repeat(65));
            assertError(jedis, "INVALID ASSET", "BALANCE", "alice", "B C");
            assertEquals("PONG", jedis.ping(), "the connection survives its errors");
        }
    }

    @Test
    void hostileInputGetsAnErrorAndNeverHurtsOthers() throws Exception
    {
        final String[] hostile = {
            "*99999999\r\n",
            "*1\r\n$999999999\r\n",
            "*1\r\n$99999999\r\n",
            "*2\r\n*1\r\n$4\r\nPING\r\n$1\r\nx\r\n",
            "$abc\r\n",
            "*1\r\n:5\r\n",
            "*-5\r\n*1\r\n$4\r\nPING\r\n",
        };
        try (Jedis bystander = clearing())
        {
            for (final String input : hostile)
            {
                final long start = System.nanoTime();
                final String reply = exchange(input);
                System.out.println("hostile " + input.replace("\r\n", "\\r\\n") + " -> " + reply.trim() + " in " +
                    (System.nanoTime() - start) / 1_000_000 + " ms");
                assertTrue(reply.startsWith("-ERR Protocol error") || reply.startsWith("+PONG") ||
                    reply.startsWith("-ERR"), input + " → " + reply);
                assertEquals("PONG", bystander.ping(), "after " + input);
            }
            assertTrue(exchange("*1\r\n$99999999\r\n").contains("argument too long"));
            assertTrue(exchange("*99999999\r\n").contains("too many arguments"));
            assertEquals("+PONG\r\n", exchange("PING\r\n"), "inline commands work");
            assertEquals("+OK\r\n", exchange("QUIT\r\n"));
        }
    }

    @Test
    void aDestroyedConsumerGroupIsCreatedAgainAndClearingGoesOn() throws Exception
    {
        try (Jedis jedis = engine())
        {
            assertEquals(1L, jedis.xgroupDestroy("fills:BTC-USDT", "clearing"));
            order(jedis, "BUY", "carol", "0.1", "30000");
        }
        awaitCursor(2);
        try (Jedis jedis = clearing())
        {
            assertEquals("0.0998", SafeEncoder.encode((byte[])jedis.sendCommand(cmd("BALANCE"), "carol", "BTC")));
            assertEquals("OK", SafeEncoder.encode((byte[])jedis.sendCommand(cmd("LEDGER.CHECK"))));
        }
        try (Jedis jedis = engine())
        {
            assertEquals(2, jedis.xinfoGroups("fills:BTC-USDT").get(0).getLastDeliveredId().getTime());
        }
    }

    @Test
    void redisCliTalksToIt() throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-cli")), "redis-cli is installed");
        assertEquals("PONG", redisCli("PING"));
        assertEquals("BTC\n-0.2\nUSDT\n5994", redisCli("BALANCE", "alice"));
        assertTrue(redisCli("INFO", "clearing").contains("pair_BTC-USDT:state=active"));
    }

    @Test
    void aLedgerThatDoesNotMatchTheFillsFailsTheCheck() throws Exception
    {
        clearing.close();
        clearing = null;
        try (Ledger ledger = Ledger.open(tempDir.resolve("clearing"), LedgerOptions.defaults(), LedgerSteps.NONE))
        {
            final BigDecimal alice = ledger.balance("alice", "BTC");
            ledger.commit(new LedgerRecord(ledger.lastBatchId() + 1, List.of(),
                Map.of("alice BTC", alice.add(BigDecimal.ONE))));
        }
        clearing = startClearing();
        try (Jedis jedis = clearing())
        {
            final JedisDataException ex = assertThrows(JedisDataException.class,
                () -> jedis.sendCommand(cmd("LEDGER.CHECK")));
            assertTrue(ex.getMessage().contains("asset BTC sums to 1"), ex.getMessage());
            assertTrue(ex.getMessage().contains("alice BTC is 0.8 in the ledger, -0.2 from the fills"),
                ex.getMessage());
        }
        assertEquals(1, new CommandLine(new ClearingMain()).execute("check", "--port",
            String.valueOf(clearing.port())));
        assertEquals(2, new CommandLine(new ClearingMain()).execute("check", "--port",
            String.valueOf(JvmProcess.freePort())));
    }

    private ClearingService startClearing()
    {
        return new ClearingService(new ClearingContext().port(0).dataDir(tempDir.resolve("clearing"))
            .engines(List.of("127.0.0.1:" + engine.port())).maxBalances(1000).walLimitBytes(1 << 20)
            .pairRefreshMs(100).conclude());
    }

    private void awaitCursor(final long seq) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (clearing.ledger().cursors().getOrDefault("BTC-USDT", 0L) < seq)
        {
            assertTrue(System.nanoTime() < deadline, "clearing applied fill " + seq);
            Thread.sleep(20);
        }
    }

    private Jedis engine()
    {
        return new Jedis("127.0.0.1", engine.port());
    }

    private Jedis clearing()
    {
        return new Jedis(new HostAndPort("127.0.0.1", clearing.port()),
            DefaultJedisClientConfig.builder().socketTimeoutMillis(30_000).build());
    }

    private static void order(final Jedis jedis, final String side, final String account, final String qty,
        final String price)
    {
        jedis.sendCommand(cmd("ORDER.PLACE"), "BTC-USDT", side, "ACCOUNT", account, "QTY", qty, "PRICE", price);
    }

    /** Sends raw bytes and returns the first reply line (or everything up to the close). */
    private String exchange(final String input) throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", clearing.port()))
        {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(input.getBytes(StandardCharsets.UTF_8));
            out.flush();
            final InputStream in = socket.getInputStream();
            final ByteArrayOutputStream reply = new ByteArrayOutputStream();
            int next;
            while ((next = in.read()) >= 0)
            {
                reply.write(next);
                if (reply.toString(StandardCharsets.UTF_8).endsWith("\r\n"))
                {
                    break;
                }
            }
            return reply.toString(StandardCharsets.UTF_8);
        }
    }

    private String redisCli(final String... args) throws Exception
    {
        final List<String> command = new java.util.ArrayList<>(List.of("redis-cli", "-p",
            String.valueOf(clearing.port())));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static void assertError(final Jedis jedis, final String prefix, final String... args)
    {
        final JedisDataException ex = assertThrows(JedisDataException.class,
            () -> jedis.sendCommand(cmd(args[0]), java.util.Arrays.copyOfRange(args, 1, args.length)));
        assertTrue(ex.getMessage().startsWith(prefix), ex.getMessage());
    }

    private static redis.clients.jedis.commands.ProtocolCommand cmd(final String name)
    {
        return () -> SafeEncoder.encode(name);
    }

    private static List<String> strings(final Object reply)
    {
        final List<String> strings = new java.util.ArrayList<>();
        for (final Object item : (List<?>)reply)
        {
            strings.add(item instanceof byte[] ? SafeEncoder.encode((byte[])item) : String.valueOf(item));
        }
        return strings;
    }
}
