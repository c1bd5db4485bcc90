package io.redmatch.tools;

import io.redmatch.engine.node.EngineNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import redis.clients.jedis.Jedis;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.redmatch.tools.ToolTestNode.PAIR;
import static io.redmatch.tools.ToolTestNode.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DigestCompareToolTest
{
    @TempDir
    Path tempDir;

    @Test
    void sameStateSameDigestOtherwiseNonZero() throws Exception
    {
        try (EngineNode a = ToolTestNode.start(tempDir.resolve("a"));
            EngineNode b = ToolTestNode.start(tempDir.resolve("b"));
            Jedis toA = new Jedis("127.0.0.1", a.port());
            Jedis toB = new Jedis("127.0.0.1", b.port()))
        {
            final String nodeA = "127.0.0.1:" + a.port();
            final String nodeB = "127.0.0.1:" + b.port();
            assertEquals(0, compare(nodeA, nodeB), "two fresh nodes with the same pair");

            send(toA, "ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "alice", "QTY", "0.5", "PRICE", "30000");
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            assertEquals(1, new CommandLine(new DigestCompareTool(ToolTestNode.capture(bytes)))
                .execute(nodeA, nodeB));
            final String text = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith(nodeA + " ") && text.contains("\n" + nodeB + " ") &&
                text.contains("DIFFERENT"), text);

            send(toB, "ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "alice", "QTY", "0.5", "PRICE", "30000");
            assertEquals(1, compare(nodeA, nodeB), "engine time stamps differ between two nodes fed by hand");
            assertEquals(0, compare(nodeA, nodeA), "a node agrees with itself");

            final int closedPort;
            try (ServerSocket socket = new ServerSocket(0))
            {
                closedPort = socket.getLocalPort();
            }
            assertEquals(2, compare(nodeA, "127.0.0.1:" + closedPort, "--timeout-ms", "1000"));
        }
    }

    private static int compare(final String... args)
    {
        return new CommandLine(new DigestCompareTool(ToolTestNode.capture(new ByteArrayOutputStream())))
            .execute(args);
    }
}
