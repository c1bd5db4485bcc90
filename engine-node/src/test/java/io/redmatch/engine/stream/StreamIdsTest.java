package io.redmatch.engine.stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.redmatch.engine.stream.FillStreamTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamIdsTest
{
    private final StreamIds ids = new StreamIds();

    private long start(final String id)
    {
        final UnsafeBuffer buffer = bytes(id);
        return ids.rangeStart(buffer, 0, buffer.capacity());
    }

    private long end(final String id)
    {
        final UnsafeBuffer buffer = bytes(id);
        return ids.rangeEnd(buffer, 0, buffer.capacity());
    }

    private long after(final String id)
    {
        final UnsafeBuffer buffer = bytes(id);
        return ids.afterSeq(buffer, 0, buffer.capacity());
    }

    private long exact(final String id)
    {
        final UnsafeBuffer buffer = bytes(id);
        return ids.exactSeq(buffer, 0, buffer.capacity());
    }

    @Test
    void parsesRedisIds()
    {
        assertTrue(ids.parse(bytes("5-3"), 0, 3));
        assertEquals(5, ids.ms());
        assertEquals(3, ids.seqPart());
        assertTrue(ids.seqGiven());
        assertTrue(ids.parse(bytes("007"), 0, 3));
        assertEquals(7, ids.ms());
        assertEquals(0, ids.seqPart());
        assertFalse(ids.seqGiven());
        assertTrue(ids.parse(bytes("18446744073709551615-18446744073709551615"), 0, 41));
        assertEquals(-1L, ids.ms());
        assertEquals(-1L, ids.seqPart());
        for (final String bad : new String[]{
            "", "-", "+", "1-", "-1", "1-x", "x", "1.5", "1 ", " 1", "18446744073709551616", "1-18446744073709551616",
            "1-2-3", "(1", "0x10" })
        {
            final UnsafeBuffer buffer = bytes(bad);
            assertFalse(ids.parse(buffer, 0, buffer.capacity()), bad);
        }
    }

    @Test
    void mapsRangeBoundsOntoFillSequences()
    {
        assertEquals(0, start("-"));
        assertEquals(StreamIds.MAX_SEQ, end("+"));
        assertEquals(StreamIds.MAX_SEQ, start("+"));
        assertEquals(0, end("-"));
        assertEquals(5, start("5"));
        assertEquals(5, start("5-0"));
        assertEquals(6, start("5-1"));
        assertEquals(6, start("(5"));
        assertEquals(6, start("(5-0"));
        assertEquals(6, start("(5-7"));
        assertEquals(5, end("5"));
        assertEquals(5, end("5-9"));
        assertEquals(4, end("(5"));
        assertEquals(4, end("(5-0"));
        assertEquals(5, end("(5-1"));
        assertEquals(0, end("(1"));
        assertEquals(0, end("(0-1"));
        assertEquals(StreamIds.MAX_SEQ, start("18446744073709551615"));
        assertEquals(StreamIds.MAX_SEQ, start("(9223372036854775807"));
        assertEquals(StreamIds.MAX_SEQ, end("9223372036854775808"));
        assertEquals(StreamIds.INVALID_START, start("(18446744073709551615-18446744073709551615"));
        assertEquals(0, end("(0"));
        assertEquals(StreamIds.INVALID_END, end("(0-0"));
        assertEquals(StreamIds.INVALID, start("(-"));
        assertEquals(StreamIds.INVALID, start("(+"));
        assertEquals(StreamIds.INVALID, end("(+"));
        assertEquals(StreamIds.INVALID, start("abc"));
        assertEquals(StreamIds.INVALID, end(""));
    }

    @Test
    void mapsReadPositionsAndExactIds()
    {
        assertEquals(0, after("0"));
        assertEquals(0, after("0-0"));
        assertEquals(7, after("7-5"));
        assertEquals(StreamIds.MAX_SEQ, after("18446744073709551615"));
        assertEquals(StreamIds.INVALID, after("-"));
        assertEquals(StreamIds.INVALID, after("$"));
        assertEquals(StreamIds.INVALID, after(">"));
        assertEquals(StreamIds.INVALID, after("(1"));

        assertEquals(12, exact("12"));
        assertEquals(12, exact("12-0"));
        assertEquals(StreamIds.NO_ENTRY, exact("12-1"));
        assertEquals(StreamIds.NO_ENTRY, exact("0"));
        assertEquals(StreamIds.NO_ENTRY, exact("18446744073709551615"));
        assertEquals(StreamIds.INVALID, exact("+"));
    }
}
