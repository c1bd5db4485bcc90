package io.redmatch.engine.resp;

import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Flyweight over the arguments of one command parsed by {@link RespParser}, in place in the buffer that holds the
 * request's bytes: nothing is copied and nothing is allocated per command.
 * <p>
 * Argument 0 is the command name. The view is valid only while the handler that received it runs: the bytes are
 * overwritten or released afterwards, so a handler that needs an argument later (a blocked command, say) copies it.
 * <p>
 * {@link #frameOffset()} and {@link #frameLength()} delimit the whole command as a RESP array of bulk strings in
 * {@link #buffer()}, which is what the command log records. An inline command (typed into {@code nc}) is rewritten as
 * such an array by the parser, so every frame a handler sees is canonical RESP.
 */
public final class RespRequest
{
    private static final int INITIAL_ARG_CAPACITY = 16;
    private static final int RETAINED_ARG_CAPACITY = 1024;
    private static final int MAX_LONG_DIGITS = 20;

    private ByteBuf buffer;
    private int argCount;
    private int[] argOffsets = new int[INITIAL_ARG_CAPACITY];
    private int[] argLengths = new int[INITIAL_ARG_CAPACITY];
    private int frameOffset;
    private int frameLength;
    private byte[] copyScratch;
    private byte[] bytesScratch;
    /**
     * Over the whole of {@link #buffer}, indexed like it, wrapped at most once per command: reading arguments through
     * it costs one reference-count check per command instead of one per argument (or per byte with
     * {@code ByteBuf.getByte}).
     */
    private final UnsafeBuffer bytes = new UnsafeBuffer(new byte[0]);
    private boolean bytesWrapped;

    /** @return the number of arguments, the command name included. */
    public int argCount()
    {
        return argCount;
    }

    /** @return the buffer the arguments live in. */
    public ByteBuf buffer()
    {
        return buffer;
    }

    /** @return absolute index in {@link #buffer()} of the first byte of argument {@code i}. */
    public int argOffset(final int i)
    {
        checkIndex(i);
        return argOffsets[i];
    }

    /** @return length in bytes of argument {@code i}. */
    public int argLength(final int i)
    {
        checkIndex(i);
        return argLengths[i];
    }

    /** @return absolute index in {@link #buffer()} where the command's RESP frame starts. */
    public int frameOffset()
    {
        return frameOffset;
    }

    /** @return length in bytes of the command's RESP frame. */
    public int frameLength()
    {
        return frameLength;
    }

    /**
     * Compares argument {@code i} with an upper-case ASCII token, ignoring the case of ASCII letters in the argument.
     *
     * @param i          the argument.
     * @param upperAscii the token, upper case, e.g. {@code "LIMIT".getBytes(US_ASCII)} held in a constant.
     * @return true when they are equal.
     */
    public boolean argEqualsIgnoreCase(final int i, final byte[] upperAscii)
    {
        checkIndex(i);
        final int length = argLengths[i];
        if (length != upperAscii.length)
        {
            return false;
        }
        final UnsafeBuffer view = bytes();
        final int offset = argOffsets[i];
        for (int k = 0; k < length; k++)
        {
            if (toUpperAscii(view.getByte(offset + k)) != upperAscii[k])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares argument {@code i} with an ASCII token ignoring the case of letters on both sides; for slow paths.
     *
     * @param i     the argument.
     * @param token the token.
     * @return true when they are equal.
     */
    public boolean argEqualsIgnoreCase(final int i, final String token)
    {
        checkIndex(i);
        final int length = argLengths[i];
        if (length != token.length())
        {
            return false;
        }
        final int offset = argOffsets[i];
        for (int k = 0; k < length; k++)
        {
            final char c = token.charAt(k);
            if (c > 0x7F || toUpperAscii(buffer.getByte(offset + k)) != toUpperAscii((byte)c))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares argument {@code i} with bytes exactly, case included.
     *
     * @param i     the argument.
     * @param bytes the expected bytes.
     * @return true when they are equal.
     */
    public boolean argEquals(final int i, final byte[] bytes)
    {
        checkIndex(i);
        final int length = argLengths[i];
        if (length != bytes.length)
        {
            return false;
        }
        final UnsafeBuffer view = bytes();
        final int offset = argOffsets[i];
        for (int k = 0; k < length; k++)
        {
            if (view.getByte(offset + k) != bytes[k])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses argument {@code i} as a Redis integer: an optional {@code '-'} then decimal digits, no {@code '+'}, no
     * leading zeros, no spaces, within {@code long} range ({@code "-0"} is refused as Redis does).
     *
     * @param i            the argument.
     * @param invalidValue what to return when it is not such an integer.
     * @return the value, or {@code invalidValue}.
     */
    public long argLong(final int i, final long invalidValue)
    {
        checkIndex(i);
        return parseLong(buffer, argOffsets[i], argLengths[i], invalidValue);
    }

    /**
     * Decodes argument {@code i} as UTF-8; allocates, so for slow paths only.
     *
     * @param i the argument.
     * @return the argument as a string.
     */
    public String argString(final int i)
    {
        checkIndex(i);
        return buffer.toString(argOffsets[i], argLengths[i], StandardCharsets.UTF_8);
    }

    /**
     * Copies argument {@code i}; allocates, so for slow paths, or for a blocked command that must keep it.
     *
     * @param i the argument.
     * @return a copy of its bytes.
     */
    public byte[] argBytes(final int i)
    {
        checkIndex(i);
        final byte[] bytes = new byte[argLengths[i]];
        buffer.getBytes(argOffsets[i], bytes);
        return bytes;
    }

    /**
     * Points {@code view} at the bytes of argument {@code i} without copying them, so Agrona-based parsers such as
     * {@code Decimal.parse(DirectBuffer, int, int, int)} read them in place: the view spans exactly the argument, from
     * index 0 to {@code argLength(i)}. The view is valid only while the current handler runs.
     *
     * @param i    the argument.
     * @param view the buffer to wrap over it.
     */
    public void wrapArg(final int i, final UnsafeBuffer view)
    {
        checkIndex(i);
        final int offset = argOffsets[i];
        final int length = argLengths[i];
        final ByteBuf buffer = this.buffer;
        if (buffer.hasMemoryAddress())
        {
            view.wrap(buffer.memoryAddress() + offset, length);
        }
        else if (buffer.hasArray())
        {
            view.wrap(buffer.array(), buffer.arrayOffset() + offset, length);
        }
        else
        {
            // a composite or otherwise opaque buffer only comes from tests; pay a copy rather than fail
            if (copyScratch == null || copyScratch.length < length)
            {
                copyScratch = new byte[Math.max(length, 64)];
            }
            buffer.getBytes(offset, copyScratch, 0, length);
            view.wrap(copyScratch, 0, length);
        }
    }

    /**
     * The bytes of the request's buffer, indexed like {@link #buffer()}: argument {@code i} is at
     * {@code argOffset(i)} for {@code argLength(i)} bytes. Lets a handler read several arguments in place (parse a
     * decimal, look up a name) without wrapping a view per argument. Valid only while the current handler runs.
     *
     * @return a view over the request's buffer.
     */
    public UnsafeBuffer bytes()
    {
        if (!bytesWrapped)
        {
            wrapBytes();
        }
        return bytes;
    }

    /**
     * Makes {@link #bytes()} a copy of the parser's view over the request's buffer, which the parser has just
     * wrapped: copying an address costs nothing, asking a pooled buffer for it costs a reference-count check.
     */
    void wrapBytes(final UnsafeBuffer parserView)
    {
        bytes.wrap(parserView);
        bytesWrapped = true;
    }

    private void wrapBytes()
    {
        final ByteBuf buffer = this.buffer;
        if (buffer.hasMemoryAddress())
        {
            bytes.wrap(buffer.memoryAddress(), buffer.capacity());
        }
        else if (buffer.hasArray())
        {
            bytes.wrap(buffer.array(), buffer.arrayOffset(), buffer.capacity());
        }
        else
        {
            // a composite or otherwise opaque buffer only comes from tests; pay a copy of what it holds
            final int length = buffer.writerIndex();
            if (bytesScratch == null || bytesScratch.length < length)
            {
                bytesScratch = new byte[Math.max(length, 64)];
            }
            buffer.getBytes(0, bytesScratch, 0, length);
            bytes.wrap(bytesScratch, 0, length);
        }
        bytesWrapped = true;
    }

    /**
     * Parses a Redis integer from bytes; see {@link #argLong(int, long)}.
     *
     * @param buffer       holds the bytes.
     * @param offset       absolute index of the first byte.
     * @param length       number of bytes.
     * @param invalidValue what to return when they are not an integer.
     * @return the value, or {@code invalidValue}.
     */
    public static long parseLong(final ByteBuf buffer, final int offset, final int length, final long invalidValue)
    {
        if (length <= 0 || length > MAX_LONG_DIGITS)
        {
            return invalidValue;
        }
        int index = offset;
        final int end = offset + length;
        final boolean negative = buffer.getByte(index) == '-';
        if (negative)
        {
            index++;
            if (index == end)
            {
                return invalidValue;
            }
        }
        final byte first = buffer.getByte(index);
        if (first == '0')
        {
            return index + 1 == end && !negative ? 0 : invalidValue;
        }
        // accumulate as a negative number so Long.MIN_VALUE has room
        long value = 0;
        for (; index < end; index++)
        {
            final int digit = buffer.getByte(index) - '0';
            if (digit < 0 || digit > 9)
            {
                return invalidValue;
            }
            if (value < Long.MIN_VALUE / 10)
            {
                return invalidValue;
            }
            final long shifted = value * 10;
            if (shifted < Long.MIN_VALUE + digit)
            {
                return invalidValue;
            }
            value = shifted - digit;
        }
        if (negative)
        {
            return value;
        }
        return value == Long.MIN_VALUE ? invalidValue : -value;
    }

    /** @return the upper case of an ASCII letter, any other byte unchanged. */
    static byte toUpperAscii(final byte b)
    {
        return b >= 'a' && b <= 'z' ? (byte)(b - 32) : b;
    }

    void reset(final ByteBuf buffer)
    {
        this.buffer = buffer;
        bytesWrapped = false;
        argCount = 0;
        frameOffset = 0;
        frameLength = 0;
    }

    void addArg(final int offset, final int length)
    {
        if (argCount == argOffsets.length)
        {
            final int capacity = argCount * 2;
            argOffsets = Arrays.copyOf(argOffsets, capacity);
            argLengths = Arrays.copyOf(argLengths, capacity);
        }
        argOffsets[argCount] = offset;
        argLengths[argCount] = length;
        argCount++;
    }

    void frame(final int offset, final int length)
    {
        frameOffset = offset;
        frameLength = length;
    }

    /** Moves every argument by {@code delta} bytes, when the bytes of a half-parsed frame moved in its buffer. */
    void rebase(final ByteBuf buffer, final int delta)
    {
        this.buffer = buffer;
        bytesWrapped = false;
        if (delta != 0)
        {
            for (int i = 0; i < argCount; i++)
            {
                argOffsets[i] += delta;
            }
        }
    }

    /**
     * Forgets the current command once it is done, and gives back the memory of a huge one, so a single command
     * with many arguments costs nothing lasting.
     */
    public void clear()
    {
        if (argOffsets.length > RETAINED_ARG_CAPACITY)
        {
            argOffsets = new int[INITIAL_ARG_CAPACITY];
            argLengths = new int[INITIAL_ARG_CAPACITY];
        }
        argCount = 0;
        buffer = null;
        bytesWrapped = false;
    }

    private void checkIndex(final int i)
    {
        if (i < 0 || i >= argCount)
        {
            throw new IndexOutOfBoundsException("argument " + i + " of " + argCount);
        }
    }
}
