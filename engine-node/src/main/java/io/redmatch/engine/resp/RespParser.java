package io.redmatch.engine.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Parses client commands in place from the bytes a connection has received: RESP arrays of bulk strings, and
 * inline commands ({@code PING\r\n} or {@code PING\n} typed into {@code nc}, with Redis's quoting rules) for people.
 * <p>
 * <b>Why it is hand-written.</b> SPEC §1 measured, on this machine, a Netty server on one epoll event loop doing
 * nothing but count 9-argument commands: Netty's {@code RedisDecoder} with {@code RedisBulkStringAggregator} and
 * {@code RedisArrayAggregator} reaches about 0.15–0.2M commands/s, the streaming {@code RedisDecoder} alone about
 * 0.35M/s, and a flyweight reading the {@code ByteBuf} in place, as this class does, about 1.0M/s, which is as fast
 * as {@code redis-server} doing {@code SET} in the same run. The difference is the message objects and reference
 * counts the codec creates per argument. So the hot path uses this parser, allocation free, and Netty's
 * {@code codec-redis} is the reference decoder in tests: random and hostile byte streams, fragmented anywhere, are
 * fed to both and must be decoded alike within this parser's limits.
 * <p>
 * <b>Protocol.</b> A frame that starts with {@code '*'} is an array {@code *<n>\r\n} followed by {@code n} bulk
 * strings {@code $<len>\r\n<bytes>\r\n}; {@code *0} and {@code *-1} are skipped as Redis does. Anything else is an
 * inline command: one line split on whitespace, double quotes with {@code \n \r \t \b \a \xHH} escapes, single
 * quotes with {@code \'}; an empty line is skipped. Every line must end in CRLF except an inline line, which may end
 * in a bare LF. Violations are protocol errors whose messages are Redis's ({@code Protocol error: invalid multibulk
 * length}, {@code invalid bulk length}, {@code expected '$', got 'x'}, {@code too big inline request},
 * {@code unbalanced quotes in request}); the connection answers {@code -ERR <message>} and closes.
 * <p>
 * <b>Limits.</b> At most {@link #MAX_ARGS_DEFAULT} arguments per command, {@link #MAX_BULK_LENGTH_DEFAULT} bytes per
 * argument, {@link #MAX_INLINE_LENGTH_DEFAULT} bytes per inline line, unless configured otherwise. A declared length
 * beyond a limit, huge or negative, is an error at once: nothing is allocated or awaited on its account. Argument
 * offsets grow with arguments actually received, never with a declared count.
 * <p>
 * <b>Fast path.</b> Length lines of well-formed frames ({@code $<digits>\r\n}, 1 to 10 digits) are read straight from
 * the input's memory through an Agrona {@link UnsafeBuffer}, digits parsed as they are scanned, and the CRLF after a
 * bulk string found where its length says: no {@code indexOf} and none of {@code ByteBuf.getByte}'s reference count
 * checks per byte. Anything else (a sign, more digits, a line cut short, a buffer without a memory address or array)
 * goes the general way, which alone decides on errors, so both ways give the same results.
 * <p>
 * <b>Incremental.</b> A frame that is not complete yet returns {@link Result#NEED_MORE} and the parser remembers how
 * far it got, so a command arriving in many small reads is scanned once. Between calls the caller must keep the
 * unread bytes, starting at the buffer's reader index, unchanged (it may move them to another buffer, as a
 * cumulator does) and pass the same {@link RespRequest}.
 * <p>
 * One instance per connection; not thread safe.
 */
public final class RespParser
{
    /** Default limit on arguments per command, the name included; Redis allows 1M, nothing here needs that many. */
    public static final int MAX_ARGS_DEFAULT = 64 * 1024;

    /** Default limit on the length of one argument; nothing the node accepts needs more than 1 MiB. */
    public static final int MAX_BULK_LENGTH_DEFAULT = 1024 * 1024;

    /** Default limit on an inline command line, the same as Redis's {@code PROTO_INLINE_MAX_SIZE}. */
    public static final int MAX_INLINE_LENGTH_DEFAULT = 64 * 1024;

    /** Inline scratch memory kept between inline commands; a longer line's is given back. */
    private static final int RETAINED_INLINE_CAPACITY = 8 * 1024;

    /** No valid length line ({@code *<n>} or {@code $<n>}) is longer than this, CRLF included. */
    private static final int MAX_LENGTH_LINE = 24;

    private static final String INVALID_MULTIBULK_LENGTH = "Protocol error: invalid multibulk length";
    private static final String INVALID_BULK_LENGTH = "Protocol error: invalid bulk length";
    private static final String TOO_BIG_MBULK_COUNT = "Protocol error: too big mbulk count string";
    private static final String TOO_BIG_BULK_COUNT = "Protocol error: too big bulk count string";
    private static final String TOO_BIG_INLINE = "Protocol error: too big inline request";
    private static final String UNBALANCED_QUOTES = "Protocol error: unbalanced quotes in request";
    private static final String BULK_NOT_TERMINATED = "Protocol error: expected CRLF after bulk string";

    /** A fast length line has at most this many digits: any int, and well within the general way's 18. */
    private static final int FAST_MAX_DIGITS = 10;
    /** A fast length line packs its value above these bits and its number of digits in them. */
    private static final int FAST_DIGITS_BITS = 5;
    private static final long NOT_FAST = -1;
    private static final short CRLF = (short)('\r' | '\n' << 8);

    /** What a call to {@link #parse(ByteBuf, RespRequest)} found. */
    public enum Result
    {
        /** No complete command yet: keep the bytes and call again when more arrive. */
        NEED_MORE,
        /** A command was parsed into the request and its bytes consumed (the reader index moved past them). */
        COMMAND,
        /** The input is not RESP; {@link #errorMessage()} says why. The connection should be closed. */
        PROTOCOL_ERROR
    }

    private final int maxArgs;
    private final int maxBulkLength;
    private final int maxInlineLength;
    private final InlineSplitter inlineSplitter = new InlineSplitter();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

    /** Whether {@link #view} covers the buffer being parsed; set by {@link #wrapView}. */
    private boolean viewIsMemory;
    private boolean inFrame;
    private int declaredArgs;
    private int savedFrameStart;
    private int savedPositionInFrame;
    private String errorMessage;
    private ByteBuf inlineFrame;

    /** A parser with the default limits. */
    public RespParser()
    {
        this(MAX_ARGS_DEFAULT, MAX_BULK_LENGTH_DEFAULT, MAX_INLINE_LENGTH_DEFAULT);
    }

    /**
     * A parser with the given limits.
     *
     * @param maxArgs         most arguments per command, the name included.
     * @param maxBulkLength   most bytes per argument.
     * @param maxInlineLength most bytes per inline command line.
     */
    public RespParser(final int maxArgs, final int maxBulkLength, final int maxInlineLength)
    {
        if (maxArgs < 1 || maxBulkLength < 1 || maxInlineLength < 1)
        {
            throw new IllegalArgumentException(
                "limits must be positive: maxArgs=" + maxArgs + " maxBulkLength=" + maxBulkLength +
                " maxInlineLength=" + maxInlineLength);
        }
        this.maxArgs = maxArgs;
        this.maxBulkLength = maxBulkLength;
        this.maxInlineLength = maxInlineLength;
    }

    /**
     * Parses the next command from {@code in}, starting at its reader index.
     *
     * @param in      the received bytes; on {@link Result#COMMAND} its reader index moves past the command.
     * @param request receives the command.
     * @return what was found.
     */
    public Result parse(final ByteBuf in, final RespRequest request)
    {
        while (true)
        {
            if (inFrame)
            {
                return continueArray(in, request, wrapView(in));
            }
            final int start = in.readerIndex();
            if (start >= in.writerIndex())
            {
                return Result.NEED_MORE;
            }
            final Result result;
            if (in.getByte(start) == '*')
            {
                result = startArray(in, request, start);
            }
            else
            {
                result = parseInline(in, request, start);
            }
            // a null result means an empty command was skipped: look for the next one
            if (result != null)
            {
                return result;
            }
        }
    }

    /** @return why the last call returned {@link Result#PROTOCOL_ERROR}, without the {@code ERR} code. */
    public String errorMessage()
    {
        return errorMessage;
    }

    /** Forgets a half-parsed frame, e.g. when the connection's input is discarded. */
    public void reset()
    {
        inFrame = false;
        declaredArgs = 0;
        errorMessage = null;
    }

    private Result startArray(final ByteBuf in, final RespRequest request, final int start)
    {
        final int end = in.writerIndex();
        final long line = wrapView(in) ? fastLengthLine(start, end) : NOT_FAST;
        final long fastCount = line >> FAST_DIGITS_BITS;
        if (fastCount > 0 && fastCount <= maxArgs)
        {
            return beginFrame(in, request, start, start + 1 + (int)(line & ((1 << FAST_DIGITS_BITS) - 1)) + 2,
                (int)fastCount);
        }
        final int lineFeed = indexOfLineFeed(in, start + 1, Math.min(end, start + MAX_LENGTH_LINE));
        if (lineFeed < 0)
        {
            return end - start >= MAX_LENGTH_LINE ? error(TOO_BIG_MBULK_COUNT) : Result.NEED_MORE;
        }
        final long count = parseLength(in, start + 1, lineFeed);
        if (count == INVALID_LENGTH || count < -1 || count > maxArgs)
        {
            return error(INVALID_MULTIBULK_LENGTH);
        }
        final int position = lineFeed + 1;
        if (count <= 0)
        {
            in.readerIndex(position);
            return null;
        }
        return beginFrame(in, request, start, position, (int)count);
    }

    private Result beginFrame(
        final ByteBuf in, final RespRequest request, final int start, final int position, final int count)
    {
        request.reset(in);
        inFrame = true;
        declaredArgs = count;
        savedFrameStart = start;
        savedPositionInFrame = position - start;
        // startArray wrapped the view over this buffer just before: every frame starts there
        return continueArray(in, request, viewIsMemory);
    }

    private Result continueArray(final ByteBuf in, final RespRequest request, final boolean fast)
    {
        final int frameStart = in.readerIndex();
        request.rebase(in, frameStart - savedFrameStart);
        if (fast)
        {
            request.wrapBytes(view);
        }
        savedFrameStart = frameStart;
        int position = frameStart + savedPositionInFrame;
        final int end = in.writerIndex();
        final UnsafeBuffer view = this.view;
        while (request.argCount() < declaredArgs)
        {
            if (position >= end)
            {
                return needMore(frameStart, position);
            }
            if (fast && view.getByte(position) == '$')
            {
                final long line = fastLengthLine(position, end);
                final long length = line >> FAST_DIGITS_BITS;
                if (line != NOT_FAST && length <= maxBulkLength)
                {
                    final int contentStart = position + 1 + (int)(line & ((1 << FAST_DIGITS_BITS) - 1)) + 2;
                    final long contentEnd = (long)contentStart + length;
                    if (contentEnd + 2 > end)
                    {
                        return needMore(frameStart, position);
                    }
                    final int terminator = (int)contentEnd;
                    if (view.getShort(terminator, ByteOrder.LITTLE_ENDIAN) != CRLF)
                    {
                        return error(BULK_NOT_TERMINATED);
                    }
                    request.addArg(contentStart, (int)length);
                    position = terminator + 2;
                    continue;
                }
            }
            final byte type = in.getByte(position);
            if (type != '$')
            {
                return error("Protocol error: expected '$', got '" + printable(type) + "'");
            }
            final int lineFeed = indexOfLineFeed(in, position + 1, Math.min(end, position + MAX_LENGTH_LINE));
            if (lineFeed < 0)
            {
                return end - position >= MAX_LENGTH_LINE ? error(TOO_BIG_BULK_COUNT) : needMore(frameStart, position);
            }
            final long length = parseLength(in, position + 1, lineFeed);
            if (length < 0 || length > maxBulkLength)
            {
                return error(INVALID_BULK_LENGTH);
            }
            final int contentStart = lineFeed + 1;
            final long contentEnd = (long)contentStart + length;
            if (contentEnd + 2 > end)
            {
                return needMore(frameStart, position);
            }
            final int terminator = (int)contentEnd;
            if (in.getByte(terminator) != '\r' || in.getByte(terminator + 1) != '\n')
            {
                return error(BULK_NOT_TERMINATED);
            }
            request.addArg(contentStart, (int)length);
            position = terminator + 2;
        }
        inFrame = false;
        request.frame(frameStart, position - frameStart);
        in.readerIndex(position);
        return Result.COMMAND;
    }

    private Result needMore(final int frameStart, final int position)
    {
        savedPositionInFrame = position - frameStart;
        return Result.NEED_MORE;
    }

    private Result parseInline(final ByteBuf in, final RespRequest request, final int start)
    {
        final int end = in.writerIndex();
        final int searchEnd = (int)Math.min(end, (long)start + maxInlineLength + 1);
        final int lineFeed = indexOfLineFeed(in, start, searchEnd);
        if (lineFeed < 0)
        {
            return end - start > maxInlineLength ? error(TOO_BIG_INLINE) : Result.NEED_MORE;
        }
        int lineEnd = lineFeed;
        if (lineEnd > start && in.getByte(lineEnd - 1) == '\r')
        {
            lineEnd--;
        }
        // a long line once must not pin its memory to the connection for good
        if (inlineFrame == null || inlineFrame.capacity() > RETAINED_INLINE_CAPACITY)
        {
            inlineFrame = Unpooled.buffer(128);
        }
        inlineFrame.clear();
        request.reset(inlineFrame);
        final int argCount = inlineSplitter.split(in, start, lineEnd, inlineFrame, request);
        if (argCount < 0)
        {
            return error(UNBALANCED_QUOTES);
        }
        in.readerIndex(lineFeed + 1);
        if (argCount == 0)
        {
            return null;
        }
        if (argCount > maxArgs)
        {
            return error(INVALID_MULTIBULK_LENGTH);
        }
        return Result.COMMAND;
    }

    /**
     * Points {@link #view} at the memory of {@code in}, from index 0 to its capacity.
     *
     * @return false when the buffer has neither a memory address nor an array; only the general way reads it then.
     */
    /**
     * Wraps {@link #view} over the whole of {@code in}, once per parse of a frame: the request's argument view is
     * then copied from it, so a command pays one buffer accessibility check, not one per view.
     *
     * @return true when the view covers the buffer's memory, false for a buffer without one (composite).
     */
    private boolean wrapView(final ByteBuf in)
    {
        if (in.hasMemoryAddress())
        {
            view.wrap(in.memoryAddress(), in.capacity());
            viewIsMemory = true;
        }
        else if (in.hasArray())
        {
            view.wrap(in.array(), in.arrayOffset(), in.capacity());
            viewIsMemory = true;
        }
        else
        {
            viewIsMemory = false;
        }
        return viewIsMemory;
    }

    /**
     * Reads a length line {@code <type><digits>\r\n} starting at {@code start} from {@link #view}, when it is complete
     * before {@code end} and has 1 to {@link #FAST_MAX_DIGITS} digits and no sign; the general way would read the
     * same value from it.
     *
     * @return the value shifted left by {@link #FAST_DIGITS_BITS} with the number of digits in the low bits, or
     * {@link #NOT_FAST} for any other line, left to the general way.
     */
    private long fastLengthLine(final int start, final int end)
    {
        final UnsafeBuffer view = this.view;
        if (start + Long.BYTES <= end)
        {
            final long shortLine = shortLengthLine(view.getLong(start, ByteOrder.LITTLE_ENDIAN));
            if (shortLine != NOT_FAST)
            {
                return shortLine;
            }
        }
        final int digitsStart = start + 1;
        final int digitsEnd = Math.min(end, digitsStart + FAST_MAX_DIGITS);
        long value = 0;
        int index = digitsStart;
        while (index < digitsEnd)
        {
            final int digit = view.getByte(index) - '0';
            if (digit < 0 || digit > 9)
            {
                break;
            }
            value = value * 10 + digit;
            index++;
        }
        final int digits = index - digitsStart;
        if (digits == 0 || index + 2 > end || view.getShort(index, ByteOrder.LITTLE_ENDIAN) != CRLF)
        {
            return NOT_FAST;
        }
        return value << FAST_DIGITS_BITS | digits;
    }

    /**
     * Decodes a length line of one or two digits ({@code $3\r\n}, {@code *12\r\n}: nearly every line of a command)
     * from its first eight bytes, read as one little-endian word, instead of byte by byte.
     *
     * @return what {@link #fastLengthLine} returns for such a line, or {@link #NOT_FAST} when it is not one.
     */
    private static long shortLengthLine(final long word)
    {
        final int first = (int)(word >>> 8) & 0xFF;
        final int second = (int)(word >>> 16) & 0xFF;
        final int third = (int)(word >>> 24) & 0xFF;
        if (!isDigit(first))
        {
            return NOT_FAST;
        }
        if (second == '\r' && third == '\n')
        {
            return (long)(first - '0') << FAST_DIGITS_BITS | 1;
        }
        if (isDigit(second) && third == '\r' && ((int)(word >>> 32) & 0xFF) == '\n')
        {
            return (long)((first - '0') * 10 + second - '0') << FAST_DIGITS_BITS | 2;
        }
        return NOT_FAST;
    }

    private static boolean isDigit(final int b)
    {
        return b >= '0' && b <= '9';
    }

    private Result error(final String message)
    {
        inFrame = false;
        errorMessage = message;
        return Result.PROTOCOL_ERROR;
    }

    private static final long INVALID_LENGTH = Long.MIN_VALUE;

    /**
     * Parses the digits of a length line between {@code from} and the CR before {@code lineFeed}: an optional
     * {@code '-'} and up to 18 digits.
     *
     * @return the length, or {@link #INVALID_LENGTH}.
     */
    private static long parseLength(final ByteBuf in, final int from, final int lineFeed)
    {
        final int lineEnd = lineFeed - 1;
        if (lineEnd < from || in.getByte(lineEnd) != '\r')
        {
            return INVALID_LENGTH;
        }
        int index = from;
        final boolean negative = index < lineEnd && in.getByte(index) == '-';
        if (negative)
        {
            index++;
        }
        final int digits = lineEnd - index;
        if (digits <= 0 || digits > 18)
        {
            return INVALID_LENGTH;
        }
        long value = 0;
        for (; index < lineEnd; index++)
        {
            final int digit = in.getByte(index) - '0';
            if (digit < 0 || digit > 9)
            {
                return INVALID_LENGTH;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private static int indexOfLineFeed(final ByteBuf in, final int from, final int to)
    {
        if (from >= to)
        {
            return -1;
        }
        return in.indexOf(from, to, (byte)'\n');
    }

    private static String printable(final byte b)
    {
        return b >= 0x20 && b < 0x7F ? String.valueOf((char)b) : String.format("\\x%02x", b & 0xFF);
    }
}
