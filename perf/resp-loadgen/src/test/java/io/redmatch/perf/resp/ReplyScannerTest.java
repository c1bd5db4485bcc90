package io.redmatch.perf.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReplyScannerTest
{
    private static final String ORDER_RECORD =
        "*6\r\n$8\r\norder_id\r\n:7\r\n$9\r\nclient_id\r\n$-1\r\n$5\r\nfills\r\n*1\r\n*3\r\n:1\r\n$5\r\n30000\r\n" +
        "$5\r\n0.001\r\n";

    @Test
    void findsTheEndOfEachSimpleType()
    {
        for (final String reply : new String[]{ "+OK\r\n", "-ERR no\r\n", ":42\r\n", "$3\r\nabc\r\n", "$-1\r\n",
            "*-1\r\n", "*0\r\n", "_\r\n", ",1.5\r\n", "#t\r\n", "(123\r\n", "=7\r\ntxt:abc\r\n" })
        {
            assertEquals(reply.length(), ReplyScanner.replyEnd(ascii(reply + "+NEXT\r\n"), 0), reply);
        }
    }

    @Test
    void findsTheEndOfNestedAggregates()
    {
        assertEquals(ORDER_RECORD.length(), ReplyScanner.replyEnd(ascii(ORDER_RECORD + ":1\r\n"), 0));
        final String map = "%2\r\n+a\r\n*2\r\n:1\r\n:2\r\n+b\r\n_\r\n";
        assertEquals(map.length(), ReplyScanner.replyEnd(ascii(map + ":1\r\n"), 0));
        final String withAttribute = "|1\r\n+key\r\n+value\r\n:5\r\n";
        assertEquals(withAttribute.length(), ReplyScanner.replyEnd(ascii(withAttribute + ":1\r\n"), 0));
    }

    @Test
    void saysIncompleteForEveryProperPrefix()
    {
        for (int length = 0; length < ORDER_RECORD.length(); length++)
        {
            assertEquals(ReplyScanner.INCOMPLETE, ReplyScanner.replyEnd(ascii(ORDER_RECORD.substring(0, length)), 0),
                "prefix of " + length + " bytes");
        }
    }

    @Test
    void scansFromTheGivenStart()
    {
        final ByteBuf in = ascii("+OK\r\n:12\r\n");
        assertEquals(10, ReplyScanner.replyEnd(in, 5));
    }

    @Test
    void refusesWhatIsNotResp()
    {
        assertThrows(IllegalStateException.class, () -> ReplyScanner.replyEnd(ascii("hello\r\n"), 0));
        assertThrows(IllegalStateException.class, () -> ReplyScanner.replyEnd(ascii("$x\r\nabc\r\n"), 0));
    }

    private static ByteBuf ascii(final String text)
    {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
