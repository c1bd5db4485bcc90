package io.redmatch.engine.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.Arrays;

/**
 * Splits an inline command line into arguments the way Redis's {@code sdssplitargs} does, and writes them as a RESP
 * array of bulk strings so the rest of the node only ever sees canonical frames. Inline commands are typed by people,
 * so this is a slow path: it copies.
 */
final class InlineSplitter
{
    private static final int RETAINED_CAPACITY = 8 * 1024;

    private ByteBuf tokens = Unpooled.buffer(128);
    private int[] tokenEnds = new int[16];

    /**
     * Splits {@code [from, to)} of {@code line}.
     *
     * @param line    the received bytes.
     * @param from    first byte of the line.
     * @param to      end of the line, its line terminator excluded.
     * @param frame   receives the RESP array; the request's arguments point into it.
     * @param request receives the arguments and the frame.
     * @return the number of arguments, or -1 when quotes are unbalanced.
     */
    int split(final ByteBuf line, final int from, final int to, final ByteBuf frame, final RespRequest request)
    {
        if (tokens.capacity() > RETAINED_CAPACITY)
        {
            tokens = Unpooled.buffer(128);
        }
        tokens.clear();
        int count = 0;
        int p = from;
        while (true)
        {
            while (p < to && isSpace(line.getByte(p)))
            {
                p++;
            }
            if (p >= to)
            {
                break;
            }
            p = readToken(line, p, to);
            if (p < 0)
            {
                return -1;
            }
            if (count == tokenEnds.length)
            {
                tokenEnds = Arrays.copyOf(tokenEnds, count * 2);
            }
            tokenEnds[count++] = tokens.writerIndex();
        }
        writeFrame(count, frame, request);
        return count;
    }

    /** @return the index after the token, or -1 when a quote is not closed properly. */
    private int readToken(final ByteBuf line, final int start, final int to)
    {
        boolean inDoubleQuotes = false;
        boolean inSingleQuotes = false;
        int p = start;
        while (true)
        {
            if (inDoubleQuotes)
            {
                if (p >= to)
                {
                    return -1;
                }
                final byte b = line.getByte(p);
                if (b == '\\' && p + 3 < to && line.getByte(p + 1) == 'x' &&
                    isHex(line.getByte(p + 2)) && isHex(line.getByte(p + 3)))
                {
                    tokens.writeByte((hexValue(line.getByte(p + 2)) << 4) | hexValue(line.getByte(p + 3)));
                    p += 4;
                }
                else if (b == '\\' && p + 1 < to)
                {
                    tokens.writeByte(unescape(line.getByte(p + 1)));
                    p += 2;
                }
                else if (b == '"')
                {
                    return closeQuote(line, p, to);
                }
                else
                {
                    tokens.writeByte(b);
                    p++;
                }
            }
            else if (inSingleQuotes)
            {
                if (p >= to)
                {
                    return -1;
                }
                final byte b = line.getByte(p);
                if (b == '\\' && p + 1 < to && line.getByte(p + 1) == '\'')
                {
                    tokens.writeByte('\'');
                    p += 2;
                }
                else if (b == '\'')
                {
                    return closeQuote(line, p, to);
                }
                else
                {
                    tokens.writeByte(b);
                    p++;
                }
            }
            else
            {
                if (p >= to)
                {
                    return p;
                }
                final byte b = line.getByte(p);
                if (b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0)
                {
                    return p;
                }
                if (b == '"')
                {
                    inDoubleQuotes = true;
                }
                else if (b == '\'')
                {
                    inSingleQuotes = true;
                }
                else
                {
                    tokens.writeByte(b);
                }
                p++;
            }
        }
    }

    /** A closing quote must be followed by a space or the end of the line, as in Redis. */
    private static int closeQuote(final ByteBuf line, final int quote, final int to)
    {
        final int next = quote + 1;
        if (next < to && !isSpace(line.getByte(next)))
        {
            return -1;
        }
        return next;
    }

    private void writeFrame(final int count, final ByteBuf frame, final RespRequest request)
    {
        frame.writeByte('*');
        writeDecimal(frame, count);
        frame.writeByte('\r').writeByte('\n');
        int tokenStart = 0;
        for (int i = 0; i < count; i++)
        {
            final int length = tokenEnds[i] - tokenStart;
            frame.writeByte('$');
            writeDecimal(frame, length);
            frame.writeByte('\r').writeByte('\n');
            request.addArg(frame.writerIndex(), length);
            frame.writeBytes(tokens, tokenStart, length);
            frame.writeByte('\r').writeByte('\n');
            tokenStart = tokenEnds[i];
        }
        request.frame(0, frame.writerIndex());
    }

    private static void writeDecimal(final ByteBuf buffer, final int value)
    {
        ByteBufUtil.writeAscii(buffer, Integer.toString(value));
    }

    private static byte unescape(final byte b)
    {
        switch (b)
        {
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'b':
                return '\b';
            case 'a':
                return 7;
            default:
                return b;
        }
    }

    private static boolean isSpace(final byte b)
    {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0B || b == '\f' || b == 0;
    }

    private static int hexValue(final byte b)
    {
        if (b <= '9')
        {
            return b - '0';
        }
        return (b | 0x20) - 'a' + 10;
    }

    private static boolean isHex(final byte b)
    {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }
}
