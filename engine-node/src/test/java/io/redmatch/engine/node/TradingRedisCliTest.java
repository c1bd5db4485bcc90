package io.redmatch.engine.node;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A person at {@code redis-cli} trading on a real node: formatted RESP2 and RESP3 output, inline commands, errors. */
@Timeout(60)
class TradingRedisCliTest
{
    private static final String PAIR = "BTC-EUR";
    private static final Path REDIS_CLI = Path.of("/usr/bin/redis-cli");

    private static TradingNode node;

    @BeforeAll
    static void startNode()
    {
        assumeTrue(Files.isExecutable(REDIS_CLI), "redis-cli is not installed");
        node = TradingNode.start();
    }

    @AfterAll
    static void stopNode()
    {
        if (node != null)
        {
            node.close();
        }
    }

    @Test
    void tradesFromRedisCli() throws Exception
    {
        assertEquals("OK", cli("PAIR.ADD", PAIR, "TICK", "0.5", "LOT", "0.001"));
        assertEquals("1) \"BTC-EUR\"", cli("PAIRS"));

        final String resting = cli("order.place", PAIR, "sell", "account", "alice", "qty", "0.25", "price", "30000");
        assertTrue(resting.startsWith(" 1) \"order_id\"\n 2) (integer) 1\n 3) \"client_id\"\n 4) (nil)\n" +
            " 5) \"account\"\n 6) \"alice\"\n 7) \"pair\"\n 8) \"BTC-EUR\"\n"), resting);
        assertTrue(resting.contains("15) \"status\"\n16) \"NEW\"\n"), resting);
        assertTrue(resting.contains("27) \"fills\"\n28) (empty array)\n"), resting);

        final String taker = cli("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "bob", "QTY", "0.1", "PRICE", "30000.5");
        assertTrue(taker.contains("27) \"fills\"\n28) 1) 1) (integer) 1\n       2) \"30000\"\n       3) \"0.1\"\n"),
            taker);
        assertTrue(taker.contains("25) \"avg_price\"\n26) \"30000\"\n"), taker);

        assertEquals("(nil)", cli("ORDER.GET", PAIR, "99"));
        assertEquals("(error) NOPAIR pair not served by this node", cli("ORDER.GET", "ETH-EUR", "1"));
        assertEquals("(error) ERR syntax error", cli("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "QTY", "1", "X"));
        assertEquals("(integer) 1", cli("ORDER.CANCELALL", PAIR, "ACCOUNT", "alice"));

        final String bbo = cli("-3", "BOOK.BBO", PAIR);
        assertEquals("1# \"bid_price\" => (nil)\n2# \"bid_qty\" => (nil)\n3# \"ask_price\" => (nil)\n" +
            "4# \"ask_qty\" => (nil)", bbo);
        final String record = cli("-3", "ORDER.GET", PAIR, "2");
        assertTrue(record.startsWith(" 1# \"order_id\" => (integer) 2\n 2# \"client_id\" => (nil)\n"), record);
        assertEquals("(nil)", cli("-3", "ORDER.GET", PAIR, "99"));
        assertTrue(cli("DEBUG", "DIGEST").matches("[0-9a-f]{40}"));
    }

    @Test
    void inlineCommandsTypedIntoAPipe() throws Exception
    {
        cli("PAIR.ADD", "ETH-EUR", "TICK", "0.01", "LOT", "0.01");
        final String output = cliWithInput(
            "ORDER.PLACE ETH-EUR BUY ACCOUNT carol QTY 1 PRICE 2000 CLIENT_ID \"c-1\"\n" +
            "ORDER.GET ETH-EUR CLIENT_ID carol c-1\n" +
            "BOOK.DEPTH ETH-EUR 1\n");
        assertTrue(output.contains("\"c-1\""), output);
        assertTrue(output.contains("bids\n2) 1) \"2000\"\n   2) \"1\"\n   3) (integer) 1\n") ||
            output.contains("\"bids\"\n2) 1) 1) \"2000\"\n      2) \"1\"\n      3) (integer) 1\n"), output);
    }

    private static String cli(final String... args) throws Exception
    {
        return run(null, args);
    }

    private static String cliWithInput(final String input) throws Exception
    {
        return run(input);
    }

    private static String run(final String input, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(
            REDIS_CLI.toString(), "-h", TradingNode.HOST, "-p", Integer.toString(node.port()), "--no-raw"));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null)
        {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        final String output = read(process.getInputStream());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "redis-cli did not exit");
        return output.stripTrailing();
    }

    private static String read(final InputStream in) throws IOException
    {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
