package io.redmatch.engine.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.redmatch.engine.core.Decimal;
import org.agrona.AsciiEncoding;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * <b>Flyweight encoding.</b> Writing through {@code ByteBuf.writeBytes} costs a bounds check, a reference count check
 * and a writer index update per call, and an order record takes about a hundred calls. So the writer wraps an Agrona
 * {@link UnsafeBuffer} over the output buffer's memory, reserves a generous bound once per reply element, writes
 * straight into the memory, and keeps the write position to itself: the {@code ByteBuf}'s writer index is brought up
 * to date only where someone else looks at the buffer ({@link #buffer()}, {@link #takeBuffer()}). Numbers and
 * decimals are formatted in place, never through a scratch copy.
 * <p>
 * The buffer is taken from the allocator when the first byte is written and handed over with
 * {@link #takeBuffer()}. The writer keeps a reference to the buffer it handed over and, once the channel has sent and
 * released it, writes the next batch into the same memory, sparing the pool an allocation and a release per batch.
 * Not thread safe: a writer belongs to one connection on the node's event loop.
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

    /**
     * A buffer handed over and released by the channel is written again only up to this capacity, so one huge reply
     * does not pin its memory to an idle connection for good; Redis keeps a 16 KiB reply buffer per client likewise.
     */
    public static final int RETAINED_CAPACITY_MAX = 64 * 1024;

    private static final byte[] OK = encodeSimpleString("OK");
    private static final byte[] NIL_BULK = ascii("$-1\r\n");
    private static final byte[] NIL_ARRAY = ascii("*-1\r\n");
    private static final byte[] NULL = ascii("_\r\n");
    private static final byte[] TRUE = ascii("#t\r\n");
    private static final byte[] FALSE = ascii("#f\r\n");
    private static final byte[] VERBATIM_TEXT = ascii("txt:");
    private static final short CRLF = (short)('\r' | '\n' << 8);
    /** Reads eight or four bytes of a pre-encoded constant at once, see {@link #putEncoded}. */
    private static final VarHandle BYTES_AS_LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BYTES_AS_INT =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Constants up to this long are copied a word at a time by {@link #putEncoded}; longer ones by putBytes. */
    private static final int MAX_WORD_COPY = 32;
    /** The most bytes {@code <type><long>\r\n} takes: a type, a sign and 19 digits, CRLF. */
    private static final int MAX_TYPED_LONG_LENGTH = 1 + 20 + 2;
    /** The most bytes a bulk header takes: {@code $}, up to 10 digits of an int length, CRLF. */
    private static final int MAX_BULK_HEADER_LENGTH = 1 + 10 + 2;
    /** The most bytes a formatted decimal takes: a sign, 19 digits and a point, or {@code "0."} and 18 decimals. */
    private static final int MAX_DECIMAL_LENGTH = 21;

    private final ByteBufAllocator allocator;
    private final int initialCapacity;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer decimalScratch = new UnsafeBuffer(new byte[48]);
    private ByteBuf buffer;
    private ByteBuf sent;
    /** Where the next byte goes in {@link #buffer}; ahead of its writer index while the writer owns it. */
    private int position;
    /** Bytes of {@link #buffer} that {@link #view} covers; -1 after the buffer was exposed, forcing a reload. */
    private int limit = -1;
    private int generation;
    private int protocol = PROTOCOL_2;
    private long errorCount;
    private boolean repliesDiscarded;

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

    /**
     * The output buffer, its writer index up to date, for code that writes into it directly; the writer picks up
     * from the buffer's writer index at its next write.
     *
     * @return the output buffer, taken from the allocator if there is none yet.
     */
    public ByteBuf buffer()
    {
        final ByteBuf buffer = acquire();
        if (limit >= 0)
        {
            buffer.writerIndex(position);
            limit = -1;
        }
        return buffer;
    }

    /** @return the bytes written and not taken yet. */
    public int pendingBytes()
    {
        final ByteBuf buffer = this.buffer;
        if (buffer == null)
        {
            return 0;
        }
        return (limit >= 0 ? position : buffer.writerIndex()) - buffer.readerIndex();
    }

    /**
     * Marks how far the output has been written, to go back to with {@link #rewind(long)}, e.g. to drop a reply
     * half written when its handler failed.
     *
     * @return the mark.
     */
    public long mark()
    {
        final int index = buffer == null ? 0 : (limit >= 0 ? position : buffer.writerIndex());
        return (long)generation << 32 | index;
    }

    /**
     * Drops what was written since {@code mark}, unless the buffer was handed over since.
     *
     * @param mark from {@link #mark()}.
     */
    public void rewind(final long mark)
    {
        final ByteBuf buffer = this.buffer;
        final int index = (int)mark;
        if (buffer != null && (int)(mark >>> 32) == generation)
        {
            final ByteBuf synced = buffer();
            if (synced.writerIndex() >= index)
            {
                synced.writerIndex(index);
            }
        }
    }

    /**
     * Hands the written bytes over, typically to {@code channel.write}; the next reply starts a new buffer.
     *
     * @return the buffer, or null when nothing was written. The caller owns it and must release it once.
     */
    public ByteBuf takeBuffer()
    {
        final ByteBuf buffer = this.buffer;
        if (buffer == null)
        {
            return null;
        }
        if (limit >= 0)
        {
            buffer.writerIndex(position);
        }
        this.buffer = null;
        limit = -1;
        generation++;
        releaseSent();
        if (buffer.capacity() <= RETAINED_CAPACITY_MAX)
        {
            sent = buffer.retain();
        }
        return buffer;
    }

    /**
     * Drops whatever was written and not taken but keeps the buffer, and the view over it, for the next reply: for a
     * writer whose replies nobody reads (a replay of the log), where handing each reply over and taking a buffer back
     * would cost more than the reply. A buffer grown past {@link #RETAINED_CAPACITY_MAX} is given back instead.
     */
    public void discardWritten()
    {
        final ByteBuf buffer = this.buffer;
        if (buffer == null)
        {
            return;
        }
        if (buffer.capacity() > RETAINED_CAPACITY_MAX)
        {
            release();
        }
        else if (limit >= 0)
        {
            position = buffer.readerIndex();
        }
        else
        {
            buffer.writerIndex(buffer.readerIndex());
        }
    }

    /** Drops whatever was written and not taken, e.g. when the connection closes. */
    public void release()
    {
        final ByteBuf buffer = this.buffer;
        this.buffer = null;
        limit = -1;
        generation++;
        releaseSent();
        if (buffer != null)
        {
            buffer.release();
        }
    }

    /** @return true when nobody reads this writer's replies; see {@link #repliesDiscarded(boolean)}. */
    public boolean repliesDiscarded()
    {
        return repliesDiscarded;
    }

    /**
     * Marks this writer as one whose replies nobody reads, as when the command log is replayed: handlers may then
     * skip encoding a large reply (an order record) since it is dropped anyway. Errors are still written, so that
     * {@link #errorCount()} holds.
     *
     * @param repliesDiscarded true when the replies are dropped.
     */
    public void repliesDiscarded(final boolean repliesDiscarded)
    {
        this.repliesDiscarded = repliesDiscarded;
    }

    /** @return how many error replies this writer has written. */
    public long errorCount()
    {
        return errorCount;
    }

    /**
     * Writes pre-encoded bytes as they are, e.g. a constant made with {@link #encodeError(String)} or
     * {@link #encodeBulk(String)}.
     *
     * @param encoded a complete RESP value.
     * @return this writer.
     */
    public RespWriter raw(final byte[] encoded)
    {
        final int length = encoded.length;
        if (length > 0 && encoded[0] == '-')
        {
            errorCount++;
        }
        final int index = reserve(length);
        putEncoded(index, encoded, length);
        position = index + length;
        return this;
    }

    /** Writes {@code +OK}. */
    public RespWriter ok()
    {
        return constant(OK);
    }

    /**
     * Writes a simple string; it must not contain CR or LF.
     *
     * @param ascii the string, ASCII.
     * @return this writer.
     */
    public RespWriter simpleString(final CharSequence ascii)
    {
        final int length = ascii.length();
        int index = reserve(length + 3);
        view.putByte(index++, (byte)'+');
        index = putAscii(index, ascii, length);
        putCrlf(index);
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
        final int length = message.length();
        int index = reserve(length + 3);
        final UnsafeBuffer view = this.view;
        view.putByte(index++, (byte)'-');
        for (int i = 0; i < length; i++)
        {
            final char c = message.charAt(i);
            view.putByte(index++, c == '\r' || c == '\n' ? (byte)' ' : (byte)c);
        }
        putCrlf(index);
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
        return typedLong((byte)':', value);
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
        final int index = bulkHeader(length);
        view.putBytes(index, bytes, offset, length);
        putCrlf(index + length);
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
        final int contentIndex = bulkHeader(length);
        source.getBytes(index, buffer, contentIndex, length);
        putCrlf(contentIndex + length);
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
        final int contentIndex = bulkHeader(length);
        view.putBytes(contentIndex, source, index, length);
        putCrlf(contentIndex + length);
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
        final int length = ascii.length();
        final int index = bulkHeader(length);
        putCrlf(putAscii(index, ascii, length));
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
        final int length = ByteBufUtil.utf8Bytes(text);
        bulkHeader(length);
        final ByteBuf buffer = buffer();
        ByteBufUtil.reserveAndWriteUtf8(buffer, text, length);
        buffer.writeShortLE(CRLF);
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
        final int index = bulkHeader(asciiLength(value), AsciiDigits.SLACK);
        putCrlf(index + AsciiDigits.putLong(view, index, value));
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
        if (units < 0 || scale > AsciiDigits.MAX_FRACTION_SCALE)
        {
            // rare (no price or quantity of an order record is negative): Decimal.format keeps the signed rules
            final int length = Decimal.format(units, scale, decimalScratch, 0);
            return bulk(decimalScratch, 0, length);
        }
        final long integerPart = dividePow10(units, scale);
        final long fraction = units - integerPart * Decimal.pow10(scale);
        final int fractionDigits = fraction == 0 ? 0 : AsciiDigits.fractionDigits(fraction, scale);
        final int integerDigits = AsciiEncoding.digitCount(integerPart);
        final int length = fractionDigits == 0 ? integerDigits : integerDigits + 1 + fractionDigits;
        final UnsafeBuffer view = this.view;
        int index = reserve(MAX_BULK_HEADER_LENGTH + MAX_DECIMAL_LENGTH + 2 + AsciiDigits.SLACK);
        view.putByte(index++, (byte)'$');
        index += putNatural(index, length);
        view.putShort(index, CRLF, ByteOrder.LITTLE_ENDIAN);
        index += 2;
        index += AsciiDigits.putNatural(view, index, integerPart);
        if (fractionDigits != 0)
        {
            view.putByte(index++, (byte)'.');
            AsciiDigits.putFraction(view, index, fraction, scale);
            index += fractionDigits;
        }
        putCrlf(index);
        return this;
    }

    /**
     * {@code units / 10^scale}, with a constant divisor per scale, which the compiler turns into a multiplication: a
     * 64-bit division by a variable costs several times as much, and a record formats half a dozen decimals.
     */
    private static long dividePow10(final long units, final int scale)
    {
        switch (scale)
        {
            case 0: return units;
            case 1: return units / 10L;
            case 2: return units / 100L;
            case 3: return units / 1_000L;
            case 4: return units / 10_000L;
            case 5: return units / 100_000L;
            case 6: return units / 1_000_000L;
            case 7: return units / 10_000_000L;
            case 8: return units / 100_000_000L;
            case 9: return units / 1_000_000_000L;
            case 10: return units / 10_000_000_000L;
            case 11: return units / 100_000_000_000L;
            case 12: return units / 1_000_000_000_000L;
            case 13: return units / 10_000_000_000_000L;
            case 14: return units / 100_000_000_000_000L;
            case 15: return units / 1_000_000_000_000_000L;
            case 16: return units / 10_000_000_000_000_000L;
            default: return units / Decimal.pow10(scale);
        }
    }

    /** Writes a null: {@code $-1} in RESP2, {@code _} in RESP3. */
    public RespWriter nil()
    {
        return constant(protocol == PROTOCOL_3 ? NULL : NIL_BULK);
    }

    /** Writes a null where an array is expected: {@code *-1} in RESP2, {@code _} in RESP3. */
    public RespWriter nilArray()
    {
        return constant(protocol == PROTOCOL_3 ? NULL : NIL_ARRAY);
    }

    /**
     * Starts an array of {@code count} elements, which follow.
     *
     * @param count number of elements.
     * @return this writer.
     */
    public RespWriter arrayHeader(final int count)
    {
        return typedLong((byte)'*', count);
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
        return protocol == PROTOCOL_3 ? typedLong((byte)'%', pairs) : typedLong((byte)'*', pairs * 2L);
    }

    /**
     * Starts a set of {@code count} elements: {@code ~n} in RESP3, an array in RESP2.
     *
     * @param count number of elements.
     * @return this writer.
     */
    public RespWriter setHeader(final int count)
    {
        return typedLong(protocol == PROTOCOL_3 ? (byte)'~' : (byte)'*', count);
    }

    /**
     * Starts an out-of-band push message of {@code count} elements (Pub/Sub): {@code >n} in RESP3, an array in RESP2.
     *
     * @param count number of elements.
     * @return this writer.
     */
    public RespWriter pushHeader(final int count)
    {
        return typedLong(protocol == PROTOCOL_3 ? (byte)'>' : (byte)'*', count);
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
            return constant(value ? TRUE : FALSE);
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
            final int length = text.length();
            int index = reserve(length + 3);
            view.putByte(index++, (byte)',');
            putCrlf(putAscii(index, text, length));
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
        typedLong((byte)'=', length + VERBATIM_TEXT.length);
        final ByteBuf buffer = buffer();
        buffer.writeBytes(VERBATIM_TEXT);
        ByteBufUtil.reserveAndWriteUtf8(buffer, text, length);
        buffer.writeShortLE(CRLF);
        return this;
    }

    /**
     * Encodes a complete bulk string once, for a constant such as a field name to write with {@link #raw(byte[])}.
     *
     * @param ascii the string, ASCII.
     * @return the encoded bulk string.
     */
    public static byte[] encodeBulk(final String ascii)
    {
        return ascii("$" + ascii.length() + "\r\n" + ascii + "\r\n");
    }

    /**
     * Encodes a complete bulk string once, for a constant to write with {@link #raw(byte[])}.
     *
     * @param content the string's bytes.
     * @return the encoded bulk string.
     */
    public static byte[] encodeBulk(final byte[] content)
    {
        final byte[] header = ascii("$" + content.length + "\r\n");
        final byte[] encoded = new byte[header.length + content.length + 2];
        System.arraycopy(header, 0, encoded, 0, header.length);
        System.arraycopy(content, 0, encoded, header.length, content.length);
        encoded[encoded.length - 2] = '\r';
        encoded[encoded.length - 1] = '\n';
        return encoded;
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

    private RespWriter constant(final byte[] encoded)
    {
        final int length = encoded.length;
        final int index = reserve(length);
        putEncoded(index, encoded, length);
        position = index + length;
        return this;
    }

    /**
     * Copies a short pre-encoded constant (a field name, an enum value, a nil: 4 to 23 bytes) with 8-byte moves, the
     * last one overlapping, or two overlapping 4-byte moves; {@code putBytes} goes through {@code Unsafe.copyMemory}, whose argument checks cost more
     * than the copy itself at these sizes (measured at 7% of the event loop writing order records).
     */
    private void putEncoded(final int index, final byte[] encoded, final int length)
    {
        final UnsafeBuffer view = this.view;
        if (length >= 8 && length <= 16)
        {
            view.putLong(index, (long)BYTES_AS_LONG.get(encoded, 0), ByteOrder.LITTLE_ENDIAN);
            view.putLong(index + length - 8, (long)BYTES_AS_LONG.get(encoded, length - 8), ByteOrder.LITTLE_ENDIAN);
        }
        else if (length > 16 && length <= MAX_WORD_COPY)
        {
            // field names like filled_qty and values like PARTIALLY_FILLED: whole words from the start, then one
            // last word ending at the end, overlapping the one before
            for (int offset = 0; offset < length - 8; offset += 8)
            {
                view.putLong(index + offset, (long)BYTES_AS_LONG.get(encoded, offset), ByteOrder.LITTLE_ENDIAN);
            }
            view.putLong(index + length - 8, (long)BYTES_AS_LONG.get(encoded, length - 8), ByteOrder.LITTLE_ENDIAN);
        }
        else if (length >= 4 && length < 8)
        {
            view.putInt(index, (int)BYTES_AS_INT.get(encoded, 0), ByteOrder.LITTLE_ENDIAN);
            view.putInt(index + length - 4, (int)BYTES_AS_INT.get(encoded, length - 4), ByteOrder.LITTLE_ENDIAN);
        }
        else
        {
            view.putBytes(index, encoded);
        }
    }

    private RespWriter typedLong(final byte type, final long value)
    {
        final UnsafeBuffer view = this.view;
        final int index = reserve(MAX_TYPED_LONG_LENGTH);
        view.putByte(index, type);
        final int digits = value >= 0 && value < 100 ? putSmallNatural(index + 1, (int)value) :
            AsciiDigits.putLong(view, index + 1, value);
        putCrlf(index + 1 + digits);
        return this;
    }

    /**
     * Writes a natural number of one or two digits by hand: most lengths and counts in replies are that small, and
     * the general formatting pays for a digit count and a loop.
     */
    private int putSmallNatural(final int index, final int value)
    {
        if (value < 10)
        {
            view.putByte(index, (byte)('0' + value));
            return 1;
        }
        view.putByte(index, (byte)('0' + value / 10));
        view.putByte(index + 1, (byte)('0' + value % 10));
        return 2;
    }

    private int putNatural(final int index, final int value)
    {
        return value < 100 ? putSmallNatural(index, value) : view.putNaturalIntAscii(index, value);
    }

    /** Writes {@code $<length>\r\n} and reserves room for the content and its CRLF; returns the content's index. */
    private int bulkHeader(final int length)
    {
        return bulkHeader(length, 0);
    }

    /** As {@link #bulkHeader(int)}, reserving {@code slack} more bytes the content's formatting may write over. */
    private int bulkHeader(final int length, final int slack)
    {
        final UnsafeBuffer view = this.view;
        int index = reserve(MAX_BULK_HEADER_LENGTH + length + 2 + slack);
        view.putByte(index++, (byte)'$');
        index += putNatural(index, length);
        view.putShort(index, CRLF, ByteOrder.LITTLE_ENDIAN);
        position = index + 2;
        return index + 2;
    }

    /** Writes CRLF at {@code index}, which ends the element being written. */
    private void putCrlf(final int index)
    {
        view.putShort(index, CRLF, ByteOrder.LITTLE_ENDIAN);
        position = index + 2;
    }

    /** Each char as one byte, the way Netty's {@code ByteBufUtil.writeAscii} does ({@code '?'} beyond 0xFF). */
    private int putAscii(final int index, final CharSequence ascii, final int length)
    {
        final UnsafeBuffer view = this.view;
        for (int i = 0; i < length; i++)
        {
            final char c = ascii.charAt(i);
            view.putByte(index + i, c > 0xFF ? (byte)'?' : (byte)c);
        }
        return index + length;
    }

    /**
     * Makes room for {@code length} more bytes and returns where they go; the caller writes them and advances
     * {@link #position}.
     */
    private int reserve(final int length)
    {
        final int position = this.position;
        if (length <= limit - position)
        {
            return position;
        }
        return reserveSlowly(length);
    }

    private int reserveSlowly(final int length)
    {
        final ByteBuf buffer = acquire();
        if (limit >= 0)
        {
            buffer.writerIndex(position);
        }
        final int index = buffer.writerIndex();
        buffer.ensureWritable(length);
        wrapView(buffer);
        position = index;
        return index;
    }

    private ByteBuf acquire()
    {
        ByteBuf buffer = this.buffer;
        if (buffer == null)
        {
            buffer = reuseSent();
            if (buffer == null)
            {
                buffer = allocator.ioBuffer(initialCapacity);
            }
            this.buffer = buffer;
            limit = -1;
        }
        return buffer;
    }

    /** @return the buffer handed over last if the channel has sent and released it, cleared; otherwise null. */
    private ByteBuf reuseSent()
    {
        final ByteBuf sent = this.sent;
        if (sent != null)
        {
            this.sent = null;
            if (sent.refCnt() == 1)
            {
                return sent.clear();
            }
            sent.release();
        }
        return null;
    }

    private void releaseSent()
    {
        final ByteBuf sent = this.sent;
        if (sent != null)
        {
            this.sent = null;
            sent.release();
        }
    }

    private void wrapView(final ByteBuf buffer)
    {
        final int capacity = buffer.capacity();
        if (buffer.hasMemoryAddress())
        {
            view.wrap(buffer.memoryAddress(), capacity);
        }
        else if (buffer.hasArray())
        {
            view.wrap(buffer.array(), buffer.arrayOffset(), capacity);
        }
        else
        {
            final ByteBuffer memory = buffer.internalNioBuffer(0, capacity);
            view.wrap(memory, memory.position(), capacity);
        }
        limit = capacity;
    }

    private static final byte[] MIN_LONG = ascii(Long.toString(Long.MIN_VALUE));

    private static int asciiLength(final long value)
    {
        if (value == Long.MIN_VALUE)
        {
            return MIN_LONG.length;
        }
        return value < 0 ? 1 + AsciiEncoding.digitCount(-value) : AsciiEncoding.digitCount(value);
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
