package io.redmatch.engine.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.redmatch.engine.core.Decimal;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Encodes replies straight into one output buffer per connection, in RESP2 or RESP3 as the connection chose with
 * {@code HELLO}. All replies of a read batch go into the same pooled buffer, which the connection writes and
 * flushes once at the end of the batch; nothing on the hot path allocates.
 * <p>
 * Aggregate replies are written as a header followed by their elements: {@code arrayHeader(2).bulk(a).integer(b)}.
 * Types RESP2 lacks degrade as Redis degrades them: a map is a flat array of {@code 2n} elements, a set or a push an
 * array, a null a nil bulk string ({@code $-1}) or nil array ({@code *-1}), a boolean an integer, a double a bulk
 * string, a verbatim string a bulk string.
 * <p>
 * The buffer is taken from the allocator when the first byte is written and handed over with
 * {@link #takeBuffer()}. Not thread safe: a writer belongs to one connection on the node's event loop.
 */
public final class RespWriter
{
    /** RESP2, the protocol every connection starts with. */
    public static final int PROTOCOL_2 = 2;
    /** RESP3, chosen with {@code HELLO 3}. */
    public static final int PROTOCOL_3 = 3;

    /**
     * The capacity a fresh output buffer starts with; it grows as needed. Sized for a pipelined batch of order records
     * (16 × ~400 bytes) so a batch does not pay for several reallocations and copies; the buffers are pooled.
     */
    public static final int INITIAL_CAPACITY_DEFAULT = 8192;

    private static final byte[] CRLF = { '\r', '\n' };
    private static final byte[] OK = encodeSimpleString("OK");
    private static final byte[] NIL_BULK = ascii("$-1\r\n");
    private static final byte[] NIL_ARRAY = ascii("*-1\r\n");
    private static final byte[] NULL = ascii("_\r\n");
    private static final byte[] TRUE = ascii("#t\r\n");
    private static final byte[] FALSE = ascii("#f\r\n");
    private static final byte[] VERBATIM_TEXT = ascii("txt:");
    private static final int MAX_LONG_ASCII = 20;

    private final ByteBufAllocator allocator;
    private final int initialCapacity;
    /** Digits are formatted right-aligned to end here, leaving a byte before for a type and two after for CRLF. */
    private static final int DIGITS_END = MAX_LONG_ASCII + 1;
    private final byte[] digits = new byte[DIGITS_END + 2];
    private final UnsafeBuffer decimalScratch = new UnsafeBuffer(new byte[48]);
    private ByteBuf buffer;
    private int protocol = PROTOCOL_2;
    private long errorCount;

    /** A writer on unpooled heap buffers, for tests and tools. */
    public RespWriter()
    {
        this(UnpooledByteBufAllocator.DEFAULT, INITIAL_CAPACITY_DEFAULT);
    }

    /**
     * A writer taking its buffers from {@code allocator}.
     *
     * @param allocator       the channel's allocator, pooled in a server.
     * @param initialCapacity capacity of a fresh output buffer.
     */
    public RespWriter(final ByteBufAllocator allocator, final int initialCapacity)
    {
        this.allocator = allocator;
        this.initialCapacity = initialCapacity;
    }

    /** @return the protocol replies are encoded in, {@link #PROTOCOL_2} or {@link #PROTOCOL_3}. */
    public int protocol()
    {
        return protocol;
    }

    /**
     * Chooses the protocol of the following replies.
     *
     * @param protocol {@link #PROTOCOL_2} or {@link #PROTOCOL_3}.
     */
    public void protocol(final int protocol)
    {
        if (protocol != PROTOCOL_2 && protocol != PROTOCOL_3)
        {
            throw new IllegalArgumentException("protocol " + protocol);
        }
        this.protocol = protocol;
    }

    /** @return true when replies are RESP3. */
    public boolean isResp3()
    {
        return protocol == PROTOCOL_3;
    }

    /** @return the output buffer, taken from the allocator if there is none yet. */
    public ByteBuf buffer()
    {
        ByteBuf buffer = this.buffer;
        if (buffer == null)
        {
            buffer = allocator.ioBuffer(initialCapacity);
            this.buffer = buffer;
        }
        return buffer;
    }

    /** @return the bytes written and not taken yet. */
    public int pendingBytes()
    {
        return buffer == null ? 0 : buffer.readableBytes();
    }

    /**
     * Hands the written bytes over, typically to {@code channel.write}; the next reply starts a new buffer.
     *
     * @return the buffer, or null when nothing was written. The caller owns it.
     */
    public ByteBuf takeBuffer()
    {
        final ByteBuf buffer = this.buffer;
        this.buffer = null;
        return buffer;
    }

    /** Drops whatever was written and not taken, e.g. when the connection closes. */
    public void release()
    {
        final ByteBuf buffer = this.buffer;
        this.buffer = null;
        if (buffer != null)
        {
            buffer.release();
        }
    }

    /** @return how many error replies this writer has written. */
    public long errorCount()
    {
        return errorCount;
    }

    /**
     * Writes pre-encoded bytes as they are, e.g. a constant made with {@link #encodeError(String)}.
     *
     * @param encoded a complete RESP value.
     * @return this writer.
     */
    public RespWriter raw(final byte[] encoded)
    {
        if (encoded.length > 0 && encoded[0] == '-')
        {
            errorCount++;
        }
        buffer().writeBytes(encoded);
        return this;
    }

    /** Writes {@code +OK}. */
    public RespWriter ok()
    {
        buffer().writeBytes(OK);
        return this;
    }

    /**
     * Writes a simple string; it must not contain CR or LF.
     *
     * @param ascii the string, ASCII.
     * @return this writer.
     */
    public RespWriter simpleString(final CharSequence ascii)
    {
        final ByteBuf buffer = buffer();
        buffer.writeByte('+');
        ByteBufUtil.writeAscii(buffer, ascii);
        buffer.writeBytes(CRLF);
        return this;
    }

    /**
     * Writes an error. The message starts with its code, as in Redis: {@code "ERR syntax error"},
     * {@code "INVALID PRICE: not a multiple of the tick"}. CR and LF in it become spaces so the reply stays one line.
     *
     * @param message the code and message, ASCII.
     * @return this writer.
     */
    public RespWriter error(final CharSequence message)
    {
        errorCount++;
        final ByteBuf buffer = buffer();
        buffer.writeByte('-');
        final int length = message.length();
        for (int i = 0; i < length; i++)
        {
            final char c = message.charAt(i);
            buffer.writeByte(c == '\r' || c == '\n' ? ' ' : c);
        }
        buffer.writeBytes(CRLF);
        return this;
    }

    /**
     * Writes an integer.
     *
     * @param value the value.
     * @return this writer.
     */
    public RespWriter integer(final long value)
    {
        writeTypedLong(buffer(), ':', value);
        return this;
    }

    /**
     * Writes a bulk string.
     *
     * @param bytes its content.
     * @return this writer.
     */
    public RespWriter bulk(final byte[] bytes)
    {
        return bulk(bytes, 0, bytes.length);
    }

    /**
     * Writes a bulk string.
     *
     * @param bytes  holds its content.
     * @param offset first byte.
     * @param length number of bytes.
     * @return this writer.
     */
    public RespWriter bulk(final byte[] bytes, final int offset, final int length)
    {
        final ByteBuf buffer = bulkHeader(length);
        buffer.writeBytes(bytes, offset, length);
        buffer.writeBytes(CRLF);
        return this;
    }

    /**
     * Writes a bulk string copied from a {@link ByteBuf}, e.g. an argument of the request being handled.
     *
     * @param source holds its content.
     * @param index  absolute index of the first byte.
     * @param length number of bytes.
     * @return this writer.
     */
    public RespWriter bulk(final ByteBuf source, final int index, final int length)
    {
        final ByteBuf buffer = bulkHeader(length);
        buffer.writeBytes(source, index, length);
        buffer.writeBytes(CRLF);
        return this;
    }

    /**
     * Writes a bulk string copied from an Agrona buffer.
     *
     * @param source holds its content.
     * @param index  first byte.
     * @param length number of bytes.
     * @return this writer.
     */
    public RespWriter bulk(final DirectBuffer source, final int index, final int length)
    {
        final ByteBuf buffer = bulkHeader(length);
        final byte[] array = source.byteArray();
        if (array != null)
        {
            buffer.writeBytes(array, source.wrapAdjustment() + index, length);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                buffer.writeByte(source.getByte(index + i));
            }
        }
        buffer.writeBytes(CRLF);
        return this;
    }

    /**
     * Writes a bulk string of ASCII characters (each char written as one byte), e.g. a pair name or a field name.
     *
     * @param ascii the characters.
     * @return this writer.
     */
    public RespWriter bulk(final CharSequence ascii)
    {
        final ByteBuf buffer = bulkHeader(ascii.length());
        ByteBufUtil.writeAscii(buffer, ascii);
        buffer.writeBytes(CRLF);
        return this;
    }

    /**
     * Writes a bulk string encoded in UTF-8; for text that may not be ASCII, off the hot path.
     *
     * @param text the text.
     * @return this writer.
     */
    public RespWriter bulkUtf8(final CharSequence text)
    {
        final ByteBuf buffer = bulkHeader(ByteBufUtil.utf8Bytes(text));
        ByteBufUtil.writeUtf8(buffer, text);
        buffer.writeBytes(CRLF);
        return this;
    }

    /**
     * Writes a number as a bulk string of its decimal digits, as stream entry fields are.
     *
     * @param value the number.
     * @return this writer.
     */
    public RespWriter bulk(final long value)
    {
        final ByteBuf buffer = bulkHeader(asciiLength(value));
        writeLongAscii(buffer, value);
        buffer.writeBytes(CRLF);
        return this;
    }

    /**
     * Writes a fixed-point decimal as a bulk string without trailing zeros, as {@code Decimal.format} does:
     * {@code bulkDecimal(150, 2)} writes {@code "1.5"}.
     *
     * @param units the value in units of {@code 10^-scale}.
     * @param scale the number of decimals of a unit, 0 to 18.
     * @return this writer.
     */
    public RespWriter bulkDecimal(final long units, final int scale)
    {
        final int length = Decimal.format(units, scale, decimalScratch, 0);
        final ByteBuf buffer = bulkHeader(length);
        buffer.writeBytes(decimalScratch.byteArray(), 0, length);
        buffer.writeBytes(CRLF);
        return this;
    }

    /** Writes a null: {@code $-1} in RESP2, {@code _} in RESP3. */
    public RespWriter nil()
    {
        buffer().writeBytes(protocol == PROTOCOL_3 ? NULL : NIL_BULK);
        return this;
    }

    /** Writes a null where an array is expected: {@code *-1} in RESP2, {@code _} in RESP3. */
    public RespWriter nilArray()
    {
        buffer().writeBytes(protocol == PROTOCOL_3 ? NULL : NIL_ARRAY);
        return this;
    }

    /**
     * Starts an array of {@code count} elements, which follow.
     *
     * @param count number of elements.
     * @return this writer.
     */
    public RespWriter arrayHeader(final int count)
    {
        return header('*', count);
    }

    /**
     * Starts a map of {@code pairs} key/value pairs, which follow as key, value, key, value...: {@code %n} in RESP3,
     * a flat array of {@code 2n} elements in RESP2.
     *
     * @param pairs number of pairs.
     * @return this writer.
     */
    public RespWriter mapHeader(final int pairs)
    {
        return protocol == PROTOCOL_3 ? header('%', pairs) : header('*', pairs * 2);
    }

    /**
     * Starts a set of {@code count} elements: {@code ~n} in RESP3, an array in RESP2.
     *
     * @param count number of elements.
     * @return this writer.
     */
    public RespWriter setHeader(final int count)
    {
        return header(protocol == PROTOCOL_3 ? '~' : '*', count);
    }

    /**
     * Starts an out-of-band push message of {@code count} elements (Pub/Sub): {@code >n} in RESP3, an array in RESP2.
     *
     * @param count number of elements.
     * @return this writer.
     */
    public RespWriter pushHeader(final int count)
    {
        return header(protocol == PROTOCOL_3 ? '>' : '*', count);
    }

    /**
     * Writes a boolean: {@code #t}/{@code #f} in RESP3, {@code :1}/{@code :0} in RESP2.
     *
     * @param value the value.
     * @return this writer.
     */
    public RespWriter bool(final boolean value)
    {
        if (protocol == PROTOCOL_3)
        {
            buffer().writeBytes(value ? TRUE : FALSE);
            return this;
        }
        return integer(value ? 1 : 0);
    }

    /**
     * Writes a double: {@code ,<value>} in RESP3, a bulk string in RESP2. Off the hot path: it may allocate.
     *
     * @param value the value.
     * @return this writer.
     */
    public RespWriter doubleValue(final double value)
    {
        final String text = formatDouble(value);
        if (protocol == PROTOCOL_3)
        {
            final ByteBuf buffer = buffer();
            buffer.writeByte(',');
            ByteBufUtil.writeAscii(buffer, text);
            buffer.writeBytes(CRLF);
            return this;
        }
        return bulk(text);
    }

    /**
     * Writes a text reply such as {@code INFO}'s: a verbatim string of format {@code txt} in RESP3, a bulk string in
     * RESP2.
     *
     * @param text the text.
     * @return this writer.
     */
    public RespWriter verbatim(final CharSequence text)
    {
        if (protocol != PROTOCOL_3)
        {
            return bulkUtf8(text);
        }
        final int length = ByteBufUtil.utf8Bytes(text);
        final ByteBuf buffer = header('=', length + VERBATIM_TEXT.length).buffer();
        buffer.writeBytes(VERBATIM_TEXT);
        ByteBufUtil.writeUtf8(buffer, text);
        buffer.writeBytes(CRLF);
        return this;
    }

    /**
     * Encodes a complete error reply once, for a constant to write with {@link #raw(byte[])}.
     *
     * @param message the code and message, e.g. {@code "ERR syntax error"}.
     * @return the encoded reply.
     */
    public static byte[] encodeError(final String message)
    {
        return ascii("-" + message + "\r\n");
    }

    /**
     * Encodes a complete simple string reply once, for a constant to write with {@link #raw(byte[])}.
     *
     * @param text the string.
     * @return the encoded reply.
     */
    public static byte[] encodeSimpleString(final String text)
    {
        return ascii("+" + text + "\r\n");
    }

    private RespWriter header(final char type, final int count)
    {
        writeTypedLong(buffer(), type, count);
        return this;
    }

    /** Writes {@code <type><digits>\r\n} with one copy into the buffer: each write call has bounds checks to pay. */
    private void writeTypedLong(final ByteBuf buffer, final char type, final long value)
    {
        final byte[] digits = this.digits;
        final int length = formatLong(value);
        final int start = DIGITS_END - length - 1;
        digits[start] = (byte)type;
        digits[DIGITS_END] = '\r';
        digits[DIGITS_END + 1] = '\n';
        buffer.writeBytes(digits, start, length + 3);
    }

    private ByteBuf bulkHeader(final int length)
    {
        header('$', length);
        return buffer;
    }

    private void writeLongAscii(final ByteBuf buffer, final long value)
    {
        final int length = formatLong(value);
        buffer.writeBytes(digits, DIGITS_END - length, length);
    }

    /** Formats right-aligned into {@link #digits}; returns the number of bytes. */
    private int formatLong(final long value)
    {
        final byte[] digits = this.digits;
        if (value == Long.MIN_VALUE)
        {
            final byte[] min = MIN_LONG;
            System.arraycopy(min, 0, digits, DIGITS_END - min.length, min.length);
            return min.length;
        }
        long remaining = Math.abs(value);
        int index = DIGITS_END;
        do
        {
            digits[--index] = (byte)('0' + remaining % 10);
            remaining /= 10;
        }
        while (remaining != 0);
        if (value < 0)
        {
            digits[--index] = '-';
        }
        return DIGITS_END - index;
    }

    private static final byte[] MIN_LONG = ascii(Long.toString(Long.MIN_VALUE));

    private static int asciiLength(final long value)
    {
        if (value == Long.MIN_VALUE)
        {
            return MIN_LONG.length;
        }
        long remaining = Math.abs(value);
        int length = value < 0 ? 2 : 1;
        while (remaining >= 10)
        {
            remaining /= 10;
            length++;
        }
        return length;
    }

    private static String formatDouble(final double value)
    {
        if (Double.isNaN(value))
        {
            return "nan";
        }
        if (Double.isInfinite(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e17)
        {
            return Long.toString((long)value);
        }
        return Double.toString(value);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
