package io.redmatch.engine.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.redmatch.engine.core.Decimal;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RespWriterTest
{
    private final RespWriter out = new RespWriter();

    @Test
    void encodesScalars()
    {
        out.ok().simpleString("PONG").error("ERR bad\r\nthing").integer(0).integer(-12).integer(Long.MIN_VALUE)
            .integer(Long.MAX_VALUE);
        assertEquals("+OK\r\n+PONG\r\n-ERR bad  thing\r\n:0\r\n:-12\r\n:-9223372036854775808\r\n" +
            ":9223372036854775807\r\n", drain());
        assertEquals(1, out.errorCount());
    }

    @Test
    void encodesBulkStringsFromEverySource()
    {
        final ByteBuf source = Unpooled.copiedBuffer("xxhelloxx", StandardCharsets.US_ASCII);
        final UnsafeBuffer agrona = new UnsafeBuffer(new byte[16], 4, 8);
        agrona.putStringWithoutLengthAscii(0, "agrona");
        final UnsafeBuffer direct = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(8));
        direct.putStringWithoutLengthAscii(0, "direct");
        out.bulk(new byte[0]).bulk(source, 2, 5).bulk("pair").bulkUtf8("é").bulk(-30L).bulk(agrona, 0, 6)
            .bulk(direct, 0, 6);
        assertEquals("$0\r\n\r\n$5\r\nhello\r\n$4\r\npair\r\n$2\r\né\r\n$3\r\n-30\r\n$6\r\nagrona\r\n" +
            "$6\r\ndirect\r\n", drainUtf8());
    }

    @Test
    void copiesPreEncodedValuesOfEveryLengthExactly()
    {
        final StringBuilder expected = new StringBuilder();
        for (int length = 1; length <= 40; length++)
        {
            final byte[] encoded = new byte[length];
            for (int i = 0; i < length; i++)
            {
                encoded[i] = (byte)('a' + (length * 7 + i) % 26);
            }
            // after an odd prefix, so the moves land at unaligned positions too
            out.raw(new byte[] {'x'}).raw(encoded);
            expected.append('x').append(new String(encoded, StandardCharsets.US_ASCII));
        }
        assertEquals(expected.toString(), drain());
    }

    @Test
    void discardsWhatWasWrittenAndKeepsWriting()
    {
        out.bulk("dropped").integer(7);
        out.discardWritten();
        out.buffer();
        out.integer(1);
        out.discardWritten();
        out.ok().bulkDecimal(4_999_950, 3);
        assertEquals("+OK\r\n$7\r\n4999.95\r\n", drain());
        out.discardWritten();
        out.integer(3);
        out.discardWritten();
        assertEquals("", drain());
    }

    @Test
    void encodesDecimalsWithoutTrailingZeros()
    {
        out.bulkDecimal(150, 2).bulkDecimal(3_000_050_000L, 5).bulkDecimal(0, 8).bulkDecimal(7, 0).bulkDecimal(1, 8);
        assertEquals("$3\r\n1.5\r\n$7\r\n30000.5\r\n$1\r\n0\r\n$1\r\n7\r\n$10\r\n0.00000001\r\n", drain());
        out.bulkDecimal(Long.MAX_VALUE, 0).bulkDecimal(Long.MAX_VALUE, 18).bulkDecimal(1_000_000_000_000L, 2);
        assertEquals("$19\r\n" + Long.MAX_VALUE + "\r\n$20\r\n9.223372036854775807\r\n$11\r\n10000000000\r\n",
            drain());
    }

    @Test
    void degradesResp3TypesInResp2()
    {
        out.nil().nilArray().mapHeader(2).setHeader(3).pushHeader(3).bool(true).bool(false).doubleValue(1.5)
            .doubleValue(3).verbatim("a:1");
        assertEquals("$-1\r\n*-1\r\n*4\r\n*3\r\n*3\r\n:1\r\n:0\r\n$3\r\n1.5\r\n$1\r\n3\r\n$3\r\na:1\r\n", drain());
    }

    @Test
    void encodesResp3Types()
    {
        out.protocol(RespWriter.PROTOCOL_3);
        out.nil().nilArray().mapHeader(2).setHeader(3).pushHeader(3).bool(true).bool(false).doubleValue(1.5)
            .doubleValue(Double.POSITIVE_INFINITY).verbatim("a:1").arrayHeader(0);
        assertEquals("_\r\n_\r\n%2\r\n~3\r\n>3\r\n#t\r\n#f\r\n,1.5\r\n,inf\r\n=7\r\ntxt:a:1\r\n*0\r\n", drain());
    }

    @Test
    void handsTheBufferOverAndStartsAFreshOne()
    {
        assertNull(out.takeBuffer());
        out.integer(1);
        final ByteBuf first = out.takeBuffer();
        assertEquals(":1\r\n", first.toString(StandardCharsets.US_ASCII));
        out.integer(2);
        assertEquals(":2\r\n", drain());
        first.release();
    }

    @Test
    void writesRepliesWithoutAllocating()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final RespWriter pooled = new RespWriter(PooledByteBufAllocator.DEFAULT, 1 << 20);
        final byte[] field = "price".getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 3; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++)
            {
                pooled.mapHeader(3).bulk(field).bulkDecimal(3_000_050_000L + i, 5).bulk("qty").integer(i)
                    .bulk(field).nil();
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            pooled.release();
            if (round == 2)
            {
                // the first rounds warm the pool and the JIT; the last must be (nearly) free of garbage
                assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for 10k replies");
            }
        }
    }

    @Test
    void formatsNumbersAsTheReferenceFormattersDo()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final StringBuilder expected = new StringBuilder();
        // a tiny first buffer, so replies also straddle the growth of the output buffer
        final RespWriter small = new RespWriter(UnpooledByteBufAllocator.DEFAULT, 16);
        for (int i = 0; i < 20_000; i++)
        {
            final int digits = random.nextInt(1, 20);
            final long magnitude = random.nextLong(1, digits >= 19 ? Long.MAX_VALUE : Decimal.pow10(digits));
            final long value = random.nextBoolean() ? magnitude : -magnitude;
            final int scale = random.nextInt(0, Decimal.MAX_SCALE + 1);
            final String decimal = Decimal.toString(value, scale);
            final int count = random.nextInt(0, 200);
            small.integer(value).bulk(value).bulkDecimal(value, scale).arrayHeader(count).bulk(new byte[count]);
            expected.append(':').append(value).append("\r\n$").append(Long.toString(value).length()).append("\r\n")
                .append(value).append("\r\n$").append(decimal.length()).append("\r\n").append(decimal)
                .append("\r\n*").append(count).append("\r\n$").append(count).append("\r\n")
                .append(new String(new byte[count], StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        final ByteBuf buffer = small.takeBuffer();
        assertEquals(expected.toString(), buffer.toString(StandardCharsets.ISO_8859_1), "seed " + seed);
        buffer.release();
    }

    @Test
    void formatsDecimalsWithTrailingZerosAsTheReference()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final StringBuilder expected = new StringBuilder();
        for (int scale = 0; scale <= Decimal.MAX_SCALE; scale++)
        {
            for (int i = 0; i < 5_000; i++)
            {
                final long step = Decimal.pow10(random.nextInt(0, Decimal.MAX_SCALE + 1));
                final long value = random.nextLong(0, Long.MAX_VALUE) / step * step;
                final String decimal = Decimal.toString(value, scale);
                out.bulkDecimal(value, scale);
                expected.append('$').append(decimal.length()).append("\r\n").append(decimal).append("\r\n");
            }
        }
        assertEquals(expected.toString(), drain(), "seed " + seed);
    }

    @Test
    void writesCharsAsNettyWritesAscii()
    {
        final StringBuilder text = new StringBuilder();
        for (char c = 0; c < 0x200; c++)
        {
            text.append(c);
        }
        text.append('\u20ac').append('\uffff');
        out.bulk(text);
        final ByteBuf expected = Unpooled.buffer();
        expected.writeCharSequence("$" + text.length() + "\r\n", StandardCharsets.US_ASCII);
        ByteBufUtil.writeAscii(expected, text);
        expected.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
        final ByteBuf actual = out.takeBuffer();
        assertArrayEquals(ByteBufUtil.getBytes(expected), ByteBufUtil.getBytes(actual));
        expected.release();
        actual.release();
    }

    @Test
    void writesTheNextBatchIntoTheBufferTheChannelReleased()
    {
        final RespWriter pooled = new RespWriter(PooledByteBufAllocator.DEFAULT, 256);
        pooled.integer(1);
        final ByteBuf first = pooled.takeBuffer();
        first.release();
        pooled.integer(2);
        final ByteBuf second = pooled.takeBuffer();
        assertSame(first, second);
        assertEquals(":2\r\n", second.toString(StandardCharsets.US_ASCII));
        pooled.integer(3);
        final ByteBuf third = pooled.takeBuffer();
        assertNotSame(second, third, "a buffer still held by its taker is never written again");
        assertEquals(":2\r\n", second.toString(StandardCharsets.US_ASCII));
        assertEquals(":3\r\n", third.toString(StandardCharsets.US_ASCII));
        second.release();
        third.release();
        pooled.release();
        assertEquals(0, second.refCnt());
        assertEquals(0, third.refCnt());
    }

    @Test
    void rewindsToAMarkUnlessTheBufferWasTaken()
    {
        out.integer(1);
        final long mark = out.mark();
        out.bulk("half written");
        out.rewind(mark);
        out.integer(2);
        assertEquals(":1\r\n:2\r\n", drain());
        final long stale = out.mark();
        out.integer(3);
        out.takeBuffer().release();
        out.integer(4);
        out.rewind(stale);
        assertEquals(":4\r\n", drain());
    }

    @Test
    void picksUpWhereCodeWritingIntoTheBufferLeft()
    {
        out.integer(1);
        out.buffer().writeByte('x');
        out.integer(2);
        assertEquals(4 + 1 + 4, out.pendingBytes());
        assertEquals(":1\r\nx:2\r\n", drain());
    }

    private String drain()
    {
        final ByteBuf buffer = out.takeBuffer();
        final String text = buffer.toString(StandardCharsets.ISO_8859_1);
        buffer.release();
        return text;
    }

    private String drainUtf8()
    {
        final ByteBuf buffer = out.takeBuffer();
        final String text = buffer.toString(StandardCharsets.UTF_8);
        buffer.release();
        return text;
    }
}
