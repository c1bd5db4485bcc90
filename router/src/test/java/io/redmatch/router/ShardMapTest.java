package io.redmatch.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ShardMapTest
{
    @Test
    void parsesShardsPairsAndComments()
    {
        final ShardMap map = ShardMap.parse("f", List.of(
            "# comment", "", "shard A 127.0.0.1:7001 127.0.0.1:7002  # primary and standby",
            "shard B 127.0.0.1:7003", "pair BTC-USDT A", "pair ETH-USDT B"));
        assertEquals(List.of("A", "B"), List.copyOf(map.shards().keySet()));
        assertEquals(2, map.shards().get("A").members().size());
        assertEquals("B", map.pairs().get("ETH-USDT"));
    }

    @Test
    void refusesInvalidFilesNamingTheLine()
    {
        assertError("f:3: pair BTC-USDT is already assigned to shard A on line 2",
            "shard A 127.0.0.1:7001", "pair BTC-USDT A", "pair BTC-USDT A");
        assertError("f:2: pair BTC-USDT names shard Z", "shard A 127.0.0.1:7001", "pair BTC-USDT Z");
        assertError("f:1: unknown declaration 'shards'", "shards A 127.0.0.1:7001");
        assertError("f:1: 'localhost' is not a member address", "shard A localhost");
        assertError("f:1: '127.0.0.1:99999': port out of range", "shard A 127.0.0.1:99999");
        assertError("f:2: member 127.0.0.1:7001 is already a member of shard A",
            "shard A 127.0.0.1:7001", "shard B 127.0.0.1:7001");
        assertError("f:2: shard A is declared twice", "shard A 127.0.0.1:7001", "shard A 127.0.0.1:7002");
        assertError("f:1: 'btc-usdt' is not a pair name", "pair btc-usdt A");
        assertError("f: no shard declared", "# empty");
    }

    private static void assertError(final String expectedStart, final String... lines)
    {
        final ShardMapException error =
            assertThrows(ShardMapException.class, () -> ShardMap.parse("f", List.of(lines)));
        assertTrue(error.getMessage().startsWith(expectedStart), error.getMessage());
    }

    @Test
    void scannerFindsReplyBoundariesOfEveryType()
    {
        final String[] replies = {"+OK\r\n", "-ERR x\r\n", ":12\r\n", "$3\r\nabc\r\n", "$-1\r\n", "*-1\r\n", "_\r\n",
            "*2\r\n$1\r\na\r\n*1\r\n:1\r\n", "%1\r\n+k\r\n*0\r\n", ">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\np\r\n",
            "|1\r\n+a\r\n+b\r\n:5\r\n", "=7\r\ntxt:abc\r\n", ",1.5\r\n", "#t\r\n", "~1\r\n(123\r\n"};
        for (final String reply : replies)
        {
            final ByteBuf whole = Unpooled.copiedBuffer(reply + "+NEXT\r\n", StandardCharsets.US_ASCII);
            assertEquals(reply.length(), ReplyScanner.scan(whole, 0, whole.writerIndex()), reply);
            for (int cut = 0; cut < reply.length(); cut++)
            {
                assertEquals(ReplyScanner.NEED_MORE, ReplyScanner.scan(whole, 0, cut), reply + " cut at " + cut);
            }
        }
        final ByteBuf bad = Unpooled.copiedBuffer("?what\r\n", StandardCharsets.US_ASCII);
        assertEquals(ReplyScanner.MALFORMED, ReplyScanner.scan(bad, 0, bad.writerIndex()));
    }
}
