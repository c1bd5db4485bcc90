package io.redmatch.engine.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redmatch.engine.core.Decimal;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RespParserTest
{
    private final RespParser parser = new RespParser();
    private final RespRequest request = new RespRequest();

    @Test
    void parsesArrayOfBulkStrings()
    {
        final ByteBuf in = ascii("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
        assertEquals(RespParser.Result.COMMAND, parser.parse(in, request));
        assertEquals(List.of("SET", "k", ""), args());
        assertEquals(0, request.frameOffset());
        assertEquals(in.writerIndex(), request.frameLength());
        assertFalse(in.isReadable());
        assertEquals(RespParser.Result.NEED_MORE, parser.parse(in, request));
    }

    @Test
    void parsesEveryCommandWhenFedOneByteAtATime()
    {
        final String stream = "*1\r\n$4\r\nPING\r\n" + "PING\r\n" + "ECHO hello\n" + "*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n";
        final byte[] bytes = stream.getBytes(StandardCharsets.US_ASCII);
        final ByteBuf in = Unpooled.buffer();
        final List<List<String>> commands = new ArrayList<>();
        for (final byte b : bytes)
        {
            in.writeByte(b);
            while (true)
            {
                final RespParser.Result result = parser.parse(in, request);
                if (result == RespParser.Result.NEED_MORE)
                {
                    break;
                }
                assertEquals(RespParser.Result.COMMAND, result);
                commands.add(args());
            }
        }
        assertEquals(List.of(List.of("PING"), List.of("PING"), List.of("ECHO", "hello"), List.of("ECHO", "hi")),
            commands);
    }

    @Test
    void resumesAFrameWhoseBytesMovedToAnotherBuffer()
    {
        final ByteBuf first = ascii("*2\r\n$4\r\nECHO\r\n$5\r\nhel");
        assertEquals(RespParser.Result.NEED_MORE, parser.parse(first, request));
        // a cumulator copies the unread bytes elsewhere and appends the rest
        final ByteBuf moved = Unpooled.buffer();
        moved.writeBytes("garbage".getBytes(StandardCharsets.US_ASCII));
        moved.readerIndex(moved.writerIndex());
        moved.writeBytes(first, first.readerIndex(), first.readableBytes());
        moved.writeBytes("lo\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(RespParser.Result.COMMAND, parser.parse(moved, request));
        assertEquals(List.of("ECHO", "hello"), args());
        assertEquals(7, request.frameOffset());
    }

    @Test
    void readsLengthLinesBeyondTheFastPathTheGeneralWay()
    {
        // leading zeros up to the fast path's ten digits, then beyond it, in direct and heap buffers alike
        final String frames = "*0000000002\r\n$0000000004\r\nECHO\r\n$00000000002\r\nhi\r\n" +
            "*000000000001\r\n$4\r\nPING\r\n";
        for (final ByteBuf in : List.of(ascii(frames), Unpooled.directBuffer().writeBytes(ascii(frames))))
        {
            assertEquals(RespParser.Result.COMMAND, parser.parse(in, request));
            assertEquals(List.of("ECHO", "hi"), args());
            assertEquals(RespParser.Result.COMMAND, parser.parse(in, request));
            assertEquals(List.of("PING"), args());
            in.release();
        }
        assertError("*1\r\n$-4\r\nPING\r\n", "Protocol error: invalid bulk length");
        assertError("*1\r\n$+4\r\nPING\r\n", "Protocol error: invalid bulk length");
        assertError("*1\r\n$4\rPING\r\n", "Protocol error: invalid bulk length");
        assertError("*1\r\n$4\r\nPINGxx", "Protocol error: expected CRLF after bulk string");
        assertError("*1\r\n$99999999999\r\n", "Protocol error: invalid bulk length");
        assertError("*+1\r\n$4\r\nPING\r\n", "Protocol error: invalid multibulk length");
    }

    @Test
    void skipsEmptyAndNullArraysAndEmptyLines()
    {
        final ByteBuf in = ascii("*0\r\n*-1\r\n\r\n\n   \r\n*1\r\n$4\r\nPING\r\n");
        assertEquals(RespParser.Result.COMMAND, parser.parse(in, request));
        assertEquals(List.of("PING"), args());
    }

    @Test
    void splitsInlineCommandsWithRedisQuoting()
    {
        assertEquals(List.of("SET", "a b", "c\"d", "x\ny", "AB"),
            inline("SET \"a b\" 'c\"d' \"x\\ny\" \"\\x41\\x42\"\r\n"));
        assertEquals(List.of("it's"), inline("'it\\'s'\n"));
        assertEquals(List.of("foobar"), inline("foo\"bar\"\n"));
        assertEquals(List.of("PING"), inline("  PING  \t\n"));
    }

    @Test
    void rewritesInlineCommandsAsCanonicalFrames()
    {
        inline("ECHO \"a b\"\r\n");
        final String frame = request.buffer().toString(
            request.frameOffset(), request.frameLength(), StandardCharsets.US_ASCII);
        assertEquals("*2\r\n$4\r\nECHO\r\n$3\r\na b\r\n", frame);
    }

    @Test
    void refusesUnbalancedQuotes()
    {
        assertError("\"abc\r\n", "Protocol error: unbalanced quotes in request");
        assertError("'abc\r\n", "Protocol error: unbalanced quotes in request");
        assertError("\"abc\"def\r\n", "Protocol error: unbalanced quotes in request");
    }

    @Test
    void refusesTooBigInlineRequests()
    {
        final RespParser small = new RespParser(16, 16, 8);
        final ByteBuf in = ascii("PINGPINGPING");
        assertEquals(RespParser.Result.PROTOCOL_ERROR, small.parse(in, request));
        assertEquals("Protocol error: too big inline request", small.errorMessage());
        final ByteBuf waiting = ascii("PINGPING");
        assertEquals(RespParser.Result.NEED_MORE, new RespParser(16, 16, 8).parse(waiting, request));
    }

    @Test
    void refusesBadMultibulkLengths()
    {
        assertError("*abc\r\n", "Protocol error: invalid multibulk length");
        assertError("*-2\r\n", "Protocol error: invalid multibulk length");
        assertError("*\r\n", "Protocol error: invalid multibulk length");
        assertError("*3\n$3\r\n", "Protocol error: invalid multibulk length");
        assertError("*99999999999999999999\r\n", "Protocol error: invalid multibulk length");
        assertError("*999999999999999999999999999999\r\n", "Protocol error: too big mbulk count string");
        assertError("*1000000000\r\n", "Protocol error: invalid multibulk length");
        assertError("*65537\r\n", "Protocol error: invalid multibulk length");
    }

    @Test
    void refusesBadBulkLengthsWithoutAllocating()
    {
        assertError("*1\r\n$-1\r\n", "Protocol error: invalid bulk length");
        assertError("*1\r\n$abc\r\n", "Protocol error: invalid bulk length");
        assertError("*1\r\n$1048577\r\n", "Protocol error: invalid bulk length");
        assertError("*1\r\n$9223372036854775807\r\n", "Protocol error: invalid bulk length");
        assertError("*1\r\n$12345678901234567890123\r\n", "Protocol error: too big bulk count string");
    }

    @Test
    void refusesAnythingButBulkStringsInAnArray()
    {
        assertError("*1\r\n:1\r\n", "Protocol error: expected '$', got ':'");
        assertError("*2\r\n$4\r\nECHO\r\n*1\r\n$1\r\na\r\n", "Protocol error: expected '$', got '*'");
        assertError("*1\r\n$4\r\nPINGxx", "Protocol error: expected CRLF after bulk string");
    }

    @Test
    void waitsForADeclaredCountWithoutGrowingTheArguments()
    {
        final ByteBuf in = ascii("*65536\r\n$1\r\na\r\n");
        assertEquals(RespParser.Result.NEED_MORE, parser.parse(in, request));
        assertEquals(1, request.argCount());
    }

    @Test
    void parsesRedisIntegersStrictly()
    {
        assertEquals(0, longOf("0"));
        assertEquals(-5, longOf("-5"));
        assertEquals(Long.MAX_VALUE, longOf("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, longOf("-9223372036854775808"));
        for (final String invalid : new String[]{ "", "-", "+1", "01", "-0", "1a", " 1", "9223372036854775808",
            "-9223372036854775809", "1.0", "99999999999999999999999" })
        {
            assertEquals(-42, longOf(invalid), invalid);
        }
    }

    @Test
    void comparesTokensIgnoringCase()
    {
        parser.parse(ascii("*2\r\n$5\r\nlImIt\r\n$3\r\nabc\r\n"), request);
        assertTrue(request.argEqualsIgnoreCase(0, "LIMIT".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(request.argEqualsIgnoreCase(0, "limit"));
        assertFalse(request.argEqualsIgnoreCase(0, "LIMITS".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(request.argEquals(1, "ABC".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(request.argEquals(1, "abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void wrapsArgumentsInPlaceForDecimalParsingOnHeapAndDirectBuffers()
    {
        final String frame = "*2\r\n$5\r\nPRICE\r\n$7\r\n30000.5\r\n";
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        for (final ByteBuf in : new ByteBuf[]{ ascii(frame), direct(frame), Unpooled.wrappedBuffer(ascii(frame.substring(0, 20)), ascii(frame.substring(20))) })
        {
            final RespParser fresh = new RespParser();
            assertEquals(RespParser.Result.COMMAND, fresh.parse(in, request));
            request.wrapArg(1, view);
            assertEquals(7, view.capacity());
            assertEquals(300005, Decimal.parse(view, 0, view.capacity(), 1));
            in.release();
        }
    }

    private List<String> inline(final String line)
    {
        final RespParser fresh = new RespParser();
        assertEquals(RespParser.Result.COMMAND, fresh.parse(ascii(line), request), line);
        return args();
    }

    private void assertError(final String input, final String message)
    {
        final RespParser fresh = new RespParser();
        final ByteBuf in = ascii(input);
        RespParser.Result result;
        do
        {
            result = fresh.parse(in, request);
        }
        while (result == RespParser.Result.COMMAND);
        assertEquals(RespParser.Result.PROTOCOL_ERROR, result, input);
        assertEquals(message, fresh.errorMessage(), input);
    }

    private long longOf(final String text)
    {
        final ByteBuf in = ascii("*1\r\n$" + text.length() + "\r\n" + text + "\r\n");
        assertEquals(RespParser.Result.COMMAND, new RespParser().parse(in, request));
        return request.argLong(0, -42);
    }

    private List<String> args()
    {
        final List<String> args = new ArrayList<>();
        for (int i = 0; i < request.argCount(); i++)
        {
            args.add(request.argString(i));
        }
        return args;
    }

    private static ByteBuf ascii(final String text)
    {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static ByteBuf direct(final String text)
    {
        final ByteBuf buffer = Unpooled.directBuffer(text.length());
        buffer.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        return buffer;
    }
}
