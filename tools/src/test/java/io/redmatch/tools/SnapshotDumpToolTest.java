package io.redmatch.tools;

import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import redis.clients.jedis.Jedis;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.redmatch.tools.ToolTestNode.PAIR;
import static io.redmatch.tools.ToolTestNode.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotDumpToolTest
{
    @TempDir
    Path tempDir;

    @Test
    void printsTheHeaderSectionsCountsAndOrders() throws Exception
    {
        final Path dataDir = tempDir.resolve("node");
        try (EngineNode node = ToolTestNode.start(dataDir); Jedis jedis = new Jedis("127.0.0.1", node.port()))
        {
            send(jedis, "ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "alice", "QTY", "0.5", "PRICE", "30000");
            send(jedis, "ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "carol", "QTY", "0.1", "PRICE", "30005",
                "CLIENT_ID", "c1");
            send(jedis, "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "bob", "QTY", "0.2", "PRICE", "30000");
            send(jedis, "ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "bob", "QTY", "0.1", "PRICE", "29000", "STOP", "29500");
            send(jedis, "XGROUP", "CREATE", "fills:" + PAIR, "clearing", "0");
            assertEquals("OK", jedis.save());
        }
        final Path file = new SnapshotStore(dataDir).list().get(0);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, new CommandLine(new SnapshotDumpTool(ToolTestNode.capture(bytes)))
            .execute(file.toString(), "--orders"));
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("format_version: 1\n"), text);
        assertTrue(text.contains("log_seq: 6\n"), text);
        assertTrue(text.contains("  ENGINE offset=80 length="), text);
        assertTrue(text.contains("  PAIR offset="), text);
        assertTrue(text.contains("  END offset="), text);
        assertTrue(text.contains("accounts: 3\n"), text);
        assertTrue(text.contains("last_order_id: 4\n"), text);
        assertTrue(text.contains("pair BTC-USDT:\n"), text);
        assertTrue(text.contains(
            "  open_orders: 3 (bids 0 in 0 levels, asks 2 in 2 levels, pending stops buy 0 sell 1)"),
            text);
        assertTrue(text.contains("  closed_orders: 1\n"), text);
        assertTrue(text.contains("last_fill_seq: 1 last_trade_price: 30000"), text);
        assertTrue(text.contains("  group clearing: last_delivered 0 pending 0 consumers 0"), text);
        assertTrue(text.contains("  order 1 alice SELL LIMIT PARTIALLY_FILLED price=30000 stop=- open=0.3 filled=0.2"),
            text);
        assertTrue(text.contains("  order 2 carol SELL LIMIT NEW price=30005 stop=- open=0.1 filled=0 ") &&
            text.contains("client_id=c1"), text);
        assertTrue(text.contains("  order 4 bob SELL STOP_LIMIT PENDING_TRIGGER price=29000 stop=29500"), text);

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(raf.length() - 30);
            raf.write(raf.read() ^ 0x5A);
        }
        assertEquals(3, new CommandLine(new SnapshotDumpTool(ToolTestNode.capture(new ByteArrayOutputStream())))
            .execute(file.toString()), "a damaged file is reported, not printed");
    }
}
