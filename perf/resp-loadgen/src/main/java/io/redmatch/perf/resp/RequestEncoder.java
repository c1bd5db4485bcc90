package io.redmatch.perf.resp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Writes the load's requests as RESP arrays of bulk strings. One instance per run, called on the event loop only.
 */
interface RequestEncoder
{
    /**
     * Writes request number {@code requestIndex} (from 0, in send order) for a connection.
     *
     * @param requestIndex    the request's position in the whole run.
     * @param connectionIndex the connection it goes out on, from 0.
     * @param out             where its bytes go.
     */
    void encode(long requestIndex, int connectionIndex, ByteBuf out);

    /** @return a one-line description for the report, e.g. the command with placeholders. */
    String describe();

    /** Writes {@code *<count>\r\n}. */
    static void writeArrayHeader(final ByteBuf out, final int count)
    {
        out.writeByte('*');
        writeDigits(out, count);
        out.writeByte('\r').writeByte('\n');
    }

    /** Writes {@code $<length>\r\n<bytes>\r\n}. */
    static void writeBulk(final ByteBuf out, final byte[] bytes)
    {
        writeBulk(out, bytes, 0, bytes.length);
    }

    /** Writes {@code $<length>\r\n<bytes>\r\n} of a slice of {@code bytes}. */
    static void writeBulk(final ByteBuf out, final byte[] bytes, final int offset, final int length)
    {
        out.writeByte('$');
        writeDigits(out, length);
        out.writeByte('\r').writeByte('\n');
        out.writeBytes(bytes, offset, length);
        out.writeByte('\r').writeByte('\n');
    }

    /** @return the RESP encoding of a bulk string, for the constant parts of a request, encoded once. */
    static byte[] bulk(final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        return ("$" + bytes.length + "\r\n" + value + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes a non-negative integer in decimal. */
    static void writeDigits(final ByteBuf out, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("negative: " + value);
        }
        long divisor = 1;
        while (divisor <= value / 10)
        {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10)
        {
            out.writeByte('0' + (int)((value / divisor) % 10));
        }
    }
}
