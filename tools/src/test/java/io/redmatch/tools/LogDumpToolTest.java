package io.redmatch.tools;

import io.redmatch.engine.node.EngineNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import redis.clients.jedis.Jedis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.redmatch.tools.ToolTestNode.PAIR;
import static io.redmatch.tools.ToolTestNode.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogDumpToolTest
{
    @TempDir
    Path tempDir;

    @Test
    void printsEveryEntryWithItsStampsAndArguments() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        try (EngineNode node = ToolTestNode.start(dataDir); Jedis jedis = new Jedis("127.0.0.1", node.port()))
        {
            send(jedis, "ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "alice", "QTY", "0.5", "PRICE", "30000");
            send(jedis, "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "bob", "QTY", "0.2", "PRICE", "30010",
                "CLIENT_ID", "b:1");
            send(jedis, "ORDER.CANCEL", PAIR, "1");
        }
        final List<String> lines = dump("--data-dir", dataDir.toString());
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("# recording "), lines.get(0));
        assertTrue(lines.get(1).matches(
            "\\d+ seq=1 epoch=0 time=\\d+ \\S+Z PAIR\\.ADD BTC-USDT TICK 0\\.01 LOT 0\\.001"),
            lines.get(1));
        assertTrue(lines.get(3).endsWith(
            " seq=3 " + lines.get(3).split(" seq=3 ")[1].split(" ORDER")[0] +
            " ORDER.PLACE BTC-USDT BUY ACCOUNT bob QTY 0.2 PRICE 30010 CLIENT_ID b:1"), lines.get(3));
        assertTrue(lines.get(4).contains(" seq=4 ") && lines.get(4).endsWith("ORDER.CANCEL BTC-USDT 1"), lines.get(4));
        final long first = Long.parseLong(lines.get(1).split(" ")[0]);
        final long second = Long.parseLong(lines.get(2).split(" ")[0]);
        assertTrue(first > 0 && second > first, "positions grow: " + first + ", " + second);

        final List<String> window = dump("--data-dir", dataDir.toString(), "--from", "2", "--limit", "2");
        assertEquals(3, window.size(), String.join("\n", window));
        assertTrue(window.get(1).contains(" seq=2 ") && window.get(2).contains(" seq=3 "), String.join("\n", window));
    }

    @Test
    void quotesArgumentsThatAreNotPlainAscii()
    {
        final StringBuilder line = new StringBuilder();
        LogDumpTool.appendArgument(line, "a b\"\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("\"a b\\x22\\x0a\"", line.toString());
    }

    @Test
    void aDirWithoutALogIsAnError()
    {
        assertEquals(1, new CommandLine(new LogDumpTool()).execute("--data-dir", tempDir.resolve("none").toString()));
    }

    private static List<String> dump(final String... args)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int exitCode = new CommandLine(new LogDumpTool(ToolTestNode.capture(bytes))).execute(args);
        assertEquals(0, exitCode, bytes.toString(StandardCharsets.UTF_8));
        return Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\n"));
    }
}
