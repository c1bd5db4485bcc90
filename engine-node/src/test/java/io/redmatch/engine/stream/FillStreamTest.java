package io.redmatch.engine.stream;

import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.core.Side;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FillStreamTest
{
    static final PairSpec SPEC = PairSpec.of("BTC-USD", "0.01", "0.00001", null, "0.001", "0.002");
    static final long HOUR = 3600L * 1_000_000;
    static final long T0 = 1_700_000_000_000_000L;
    static final String[] ACCOUNTS = { "alice", "bob", "carol:1" };

    private final FillStream stream = new FillStream(SPEC, FillStreamTest::accountName);

    static byte[] accountName(final int accountId)
    {
        return ACCOUNTS[accountId].getBytes(StandardCharsets.US_ASCII);
    }

    static UnsafeBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Appends fill {@code seq} with values derived from it, at time {@code ts}. */
    static void appendFill(final FillStream stream, final long seq, final long ts)
    {
        stream.append(
            seq, 3_000_000 + seq, 100_000, (3_000_000 + seq) * 100_000, seq % 2 == 0 ? Side.BUY : Side.SELL,
            1000 + seq, 2000 + seq, 0, 1, 7, 9, ts);
    }

    static String field(final FillStream stream, final long seq, final int field)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final int length = stream.formatField(seq, field, buffer, 0);
        return buffer.getStringWithoutLengthAscii(0, length);
    }

    @Test
    void readsBackEveryFieldAsTheStreamShowsIt()
    {
        stream.append(1, 3_000_050, 150_000, 450_007_500_000L, Side.BUY, 11, 12, 0, 2, 150, 45_001, T0);
        stream.append(2, 2_999_900, 1_000, 2_999_900_000L, Side.SELL, 13, 14, 1, 0, 300, 2, T0 + 5);
        stream.commit(2);

        final String[] first = new String[FillField.COUNT];
        for (int f = 0; f < FillField.COUNT; f++)
        {
            first[f] = field(stream, 1, f);
        }
        assertArrayEquals(new String[]{
            "1", "BTC-USD", "30000.5", "1.5", "45000.75", "BUY", "11", "12", "alice", "carol:1",
            "0.0000015", "0.00045001", Long.toString(T0) }, first);
        // the seller takes quote at the quote's 8 decimals; the maker, a buyer, pays its fee in base
        assertEquals("SELL", field(stream, 2, FillField.TAKER_SIDE));
        assertEquals("0.000003", field(stream, 2, FillField.TAKER_FEE));
        assertEquals("0.00000002", field(stream, 2, FillField.MAKER_FEE));
        assertEquals("29999", field(stream, 2, FillField.PRICE));
        assertEquals("0.01", field(stream, 2, FillField.QTY));
        assertEquals("299.99", field(stream, 2, FillField.QUOTE_QTY));
        assertEquals("bob", field(stream, 2, FillField.TAKER_ACCOUNT));
        assertEquals(T0 + 5, stream.ts(2));
        assertEquals(Side.SELL, stream.takerSide(2));
        assertEquals(13, stream.takerOrderId(2));
        assertEquals(14, stream.makerOrderId(2));
        assertEquals(1, stream.takerAccountId(2));
        assertEquals(0, stream.makerAccountId(2));
        assertEquals("ts", new String(FillField.name(FillField.TS), StandardCharsets.US_ASCII));
        assertEquals("quote_qty", new String(FillField.name(FillField.QUOTE_QTY), StandardCharsets.US_ASCII));
        assertEquals("fills:BTC-USD", new String(stream.key(), StandardCharsets.US_ASCII));
    }

    @Test
    void refusesAFillOutOfSequence()
    {
        assertThrows(IllegalArgumentException.class, () -> appendFill(stream, 2, T0));
        appendFill(stream, 1, T0);
        assertThrows(IllegalArgumentException.class, () -> appendFill(stream, 1, T0));
        assertThrows(IllegalArgumentException.class, () -> appendFill(stream, 3, T0));
        assertEquals(1, stream.lastSeq());
    }

    @Test
    void commitIsTheHighWatermarkOfWhatReadersSee()
    {
        final List<Long> commits = new ArrayList<>();
        stream.commitListener((s) -> commits.add(s.committedSeq()));
        assertEquals(0, stream.length());
        assertEquals(0, stream.firstCommittedSeq());

        appendFill(stream, 1, T0);
        appendFill(stream, 2, T0);
        assertEquals(0, stream.length());
        assertEquals(0, stream.committedSeq());
        assertEquals(2, stream.lastSeq());

        stream.commit(1);
        assertEquals(1, stream.length());
        assertEquals(1, stream.firstCommittedSeq());
        stream.commit(1);
        stream.commit(0);
        stream.commit(2);
        assertEquals(2, stream.length());
        assertEquals(List.of(1L, 2L), commits);
        assertThrows(IllegalArgumentException.class, () -> stream.commit(3));
        assertEquals(2, stream.committedSeq());
    }

    @Test
    void holdsManyChunksAndReadsEachFillBack()
    {
        final int count = FillStream.CHUNK_SIZE * 9 + 17;
        for (int seq = 1; seq <= count; seq++)
        {
            appendFill(stream, seq, T0 + seq);
        }
        stream.commit(count);
        assertEquals(count, stream.length());
        assertEquals(10, stream.chunkCount());
        for (int seq = 1; seq <= count; seq++)
        {
            assertEquals(3_000_000 + seq, stream.price(seq));
            assertEquals(T0 + seq, stream.ts(seq));
            assertEquals(1000 + seq, stream.takerOrderId(seq));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> stream.price(count + 1));
        assertThrows(IndexOutOfBoundsException.class, () -> stream.price(0));
    }

    @Test
    void withoutGroupsTrimsByAgeAlone()
    {
        final FillStream shortLived = new FillStream(SPEC, FillStreamTest::accountName, HOUR);
        for (int seq = 1; seq <= 10; seq++)
        {
            appendFill(shortLived, seq, T0 + seq);
        }
        shortLived.commit(10);
        // exactly the retention old is not older than it
        assertEquals(0, shortLived.trim(T0 + 1 + HOUR));
        assertEquals(3, shortLived.trim(T0 + 4 + HOUR));
        assertEquals(4, shortLived.firstSeq());
        assertEquals(7, shortLived.length());
        assertThrows(IndexOutOfBoundsException.class, () -> shortLived.price(3));

        // appending trims with the new fill's time
        appendFill(shortLived, 11, T0 + 8 + HOUR);
        assertEquals(8, shortLived.firstSeq());
        shortLived.commit(11);
        assertEquals(4, shortLived.length());

        assertEquals(4, shortLived.trim(T0 + 100 * HOUR));
        assertEquals(12, shortLived.firstSeq());
        assertEquals(0, shortLived.length());
        assertEquals(0, shortLived.firstCommittedSeq());
        assertEquals(0, shortLived.trim(T0 + 200 * HOUR));

        appendFill(shortLived, 12, T0 + 200 * HOUR);
        shortLived.commit(12);
        assertEquals(1, shortLived.length());
        assertEquals(12, shortLived.firstCommittedSeq());
    }

    @Test
    void keepsWhatAGroupHasNotAcknowledged()
    {
        final FillStream shortLived = new FillStream(SPEC, FillStreamTest::accountName, HOUR);
        for (int seq = 1; seq <= 10; seq++)
        {
            appendFill(shortLived, seq, T0 + seq);
        }
        shortLived.commit(10);
        final ConsumerGroup group = shortLived.createGroup(bytes("clearing"), 0, 8, 0);
        final StreamConsumer consumer = group.createConsumer(bytes("c1"), 0, 2, T0);
        final long late = T0 + 10 * HOUR;

        assertEquals(0, shortLived.trim(late), "nothing delivered yet");
        assertEquals(4, group.deliverNew(consumer, 4, false, T0 + 20));
        assertEquals(0, shortLived.trim(late), "delivered but pending");
        assertTrue(group.ack(1));
        assertTrue(group.ack(3));
        assertEquals(1, shortLived.trim(late), "2 is still pending");
        assertTrue(group.ack(2));
        assertEquals(2, shortLived.trim(late));
        assertEquals(4, shortLived.firstSeq());
        assertTrue(group.ack(4));
        assertEquals(1, shortLived.trim(late), "5 and on were never delivered");

        // a NOACK read delivers past entries without making them pending
        assertEquals(3, group.deliverNew(consumer, 3, true, T0 + 30));
        assertEquals(3, shortLived.trim(late));
        assertEquals(8, shortLived.firstSeq());

        // a second group that has read nothing holds everything back
        final ConsumerGroup other = shortLived.createGroup(bytes("audit"), 0, 5, 7);
        group.deliverNew(consumer, 0, true, T0 + 40);
        assertEquals(0, shortLived.trim(late));
        other.deliverNew(other.createConsumer(bytes("a"), 0, 1, T0), 0, true, T0 + 50);
        assertEquals(3, shortLived.trim(late));
        assertEquals(0, shortLived.length());

        // and a young fill stays whatever the groups did
        appendFill(shortLived, 11, late);
        shortLived.commit(11);
        group.deliverNew(consumer, 0, true, late);
        other.deliverNew(other.consumer(0), 0, true, late);
        assertEquals(0, shortLived.trim(late + HOUR));
        assertEquals(1, shortLived.trim(late + HOUR + 1));
    }

    @Test
    void destroyingAGroupReleasesWhatItHeld()
    {
        final FillStream shortLived = new FillStream(SPEC, FillStreamTest::accountName, HOUR);
        for (int seq = 1; seq <= 5; seq++)
        {
            appendFill(shortLived, seq, T0);
        }
        shortLived.commit(5);
        shortLived.createGroup(bytes("g"), 0, 1, 0);
        assertEquals(0, shortLived.trim(T0 + 2 * HOUR));
        assertTrue(shortLived.destroyGroup(bytes("g"), 0, 1));
        assertFalse(shortLived.destroyGroup(bytes("g"), 0, 1));
        assertEquals(5, shortLived.trim(T0 + 2 * HOUR));
    }

    @Test
    void groupsAreUniqueAndListedInNameOrder()
    {
        assertNotNull(stream.createGroup(bytes("zeta"), 0, 4, 0));
        assertNotNull(stream.createGroup(bytes("alpha"), 0, 5, 0));
        assertNotNull(stream.createGroup(bytes("Beta"), 0, 4, 0));
        assertNotNull(stream.createGroup(bytes("alp"), 0, 3, 0));
        assertNull(stream.createGroup(bytes("alpha"), 0, 5, 3), "BUSYGROUP");
        assertEquals(4, stream.groupCount());
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < stream.groupCount(); i++)
        {
            names.add(new String(stream.group(i).name(), StandardCharsets.US_ASCII));
        }
        assertEquals(List.of("Beta", "alp", "alpha", "zeta"), names);

        final UnsafeBuffer request = bytes("xxalphayy");
        final ConsumerGroup alpha = stream.findGroup(request, 2, 5);
        assertNotNull(alpha);
        assertEquals(0, alpha.lastDeliveredSeq());
        assertSame(stream, alpha.stream());
        assertNull(stream.findGroup(request, 2, 4));
        assertNull(stream.findGroup(request, 0, 9));
    }

    @Test
    void digestCoversFillsAndGroupsButNotTheCommitWatermark()
    {
        final FillStream other = new FillStream(SPEC, FillStreamTest::accountName);
        for (final FillStream each : List.of(stream, other))
        {
            for (int seq = 1; seq <= 4; seq++)
            {
                appendFill(each, seq, T0 + seq);
            }
            final ConsumerGroup group = each.createGroup(bytes("g"), 0, 1, 0);
            group.deliverNew(group.createConsumer(bytes("c"), 0, 1, T0), 2, false, T0 + 9);
        }
        stream.commit(4);
        other.commit(2);
        assertEquals(digest(stream), digest(other));

        other.group(0).redeliver(1, T0 + 10);
        assertFalse(digest(stream).equals(digest(other)));
    }

    private static List<String> digest(final FillStream stream)
    {
        final List<String> values = new ArrayList<>();
        stream.digest(new StreamStateSink()
        {
            public void add(final long value)
            {
                values.add(Long.toString(value));
            }

            public void add(final byte[] bytes)
            {
                values.add(new String(bytes, StandardCharsets.US_ASCII));
            }
        });
        return values;
    }

    @Test
    void steadyStateAppendCommitAndTrimAllocateNothing()
    {
        final FillStream shortLived = new FillStream(SPEC, FillStreamTest::accountName, HOUR);
        final ConsumerGroup group = shortLived.createGroup(bytes("g"), 0, 1, 0);
        final StreamConsumer consumer = group.createConsumer(bytes("c"), 0, 1, T0);
        final long step = HOUR / 2_000;
        long seq = 0;
        // warm up until the stream holds an hour of fills and trims one per append, with its group keeping pace
        for (int i = 0; i < 50_000; i++)
        {
            seq = appendDeliverAck(shortLived, group, consumer, seq, step);
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 100_000; i++)
        {
            seq = appendDeliverAck(shortLived, group, consumer, seq, step);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes");
        assertTrue(shortLived.length() <= 2_001 + FillStream.CHUNK_SIZE, "length " + shortLived.length());
    }

    private static long appendDeliverAck(
        final FillStream stream, final ConsumerGroup group, final StreamConsumer consumer, final long lastSeq,
        final long step)
    {
        final long seq = lastSeq + 1;
        final long ts = T0 + seq * step;
        appendFill(stream, seq, ts);
        stream.commit(seq);
        group.deliverNew(consumer, 1, false, ts);
        group.ack(seq);
        return seq;
    }
}
