package io.redmatch.tools;

import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.EngineNodeContext;
import redis.clients.jedis.Jedis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real engine node in this JVM with a data dir, serving BTC-USDT, and a way to run a tool and keep its output. */
final class ToolTestNode
{
    static final String PAIR = "BTC-USDT";

    private ToolTestNode()
    {
    }

    static EngineNode start(final Path dataDir) throws IOException
    {
        final Path config = Files.createTempFile(dataDir.getParent(), "node", ".conf");
        Files.writeString(config, "pair." + PAIR + "=TICK 0.01 LOT 0.001\n");
        return new EngineNode(new EngineNodeContext().loadConfig(config).port(0).bindAddress("127.0.0.1")
            .dataDir(dataDir)).start();
    }

    static Object send(final Jedis jedis, final String... args)
    {
        final byte[] name = args[0].getBytes(StandardCharsets.US_ASCII);
        return jedis.sendCommand(() -> name, java.util.Arrays.copyOfRange(args, 1, args.length));
    }

    static PrintStream capture(final ByteArrayOutputStream bytes)
    {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
