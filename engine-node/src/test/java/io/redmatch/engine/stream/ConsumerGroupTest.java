package io.redmatch.engine.stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.redmatch.engine.stream.FillStreamTest.T0;
import static io.redmatch.engine.stream.FillStreamTest.appendFill;
import static io.redmatch.engine.stream.FillStreamTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsumerGroupTest
{
    private final FillStream stream = new FillStream(FillStreamTest.SPEC, FillStreamTest::accountName);

    private void fills(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            appendFill(stream, stream.lastSeq() + 1, T0);
        }
        stream.commit(stream.lastSeq());
    }

    private static StreamConsumer consumer(final ConsumerGroup group, final String name, final long now)
    {
        final UnsafeBuffer bytes = bytes(name);
        return group.findOrCreateConsumer(bytes, 0, bytes.capacity(), now);
    }

    @Test
    void deliversNewEntriesAndTracksThemAsPending()
    {
        fills(5);
        final ConsumerGroup group = stream.createGroup(bytes("g"), 0, 1, 0);
        final StreamConsumer c1 = consumer(group, "c1", T0 + 1);
        assertEquals(0, group.entriesRead());
        assertEquals(5, group.lag());
        assertTrue(group.hasNewEntries());

        assertEquals(2, group.deliverNew(c1, 2, false, T0 + 10));
        assertEquals(2, group.lastDeliveredSeq());
        assertEquals(2, group.pendingCount());
        assertEquals(2, c1.pendingCount());
        assertEquals(1, group.lowestPendingSeq());
        assertEquals(2, group.highestPendingSeq());
        assertEquals(T0 + 10, group.deliveryTime(1));
        assertEquals(1, group.deliveryCount(2));
        assertSame(c1, group.pendingOwner(2));
        assertEquals(T0 + 10, c1.seenTime());
        assertEquals(T0 + 10, c1.activeTime());
        assertEquals(2, group.entriesRead());
        assertEquals(3, group.lag());

        final StreamConsumer c2 = consumer(group, "c2", T0 + 20);
        assertEquals(StreamConsumer.NEVER, c2.activeTime());
        assertEquals(3, group.deliverNew(c2, 0, false, T0 + 20));
        assertFalse(group.hasNewEntries());
        assertEquals(0, group.deliverNew(c2, 10, false, T0 + 30), "nothing new");
        assertEquals(T0 + 20, c2.seenTime(), "a read that finds nothing changes nothing, not even the seen time");
        assertEquals(T0 + 20, c2.activeTime());
        assertEquals(5, group.pendingCount());
        assertEquals(0, group.lag());
        assertFalse(group.isPending(6));
        assertThrows(IllegalArgumentException.class, () -> group.deliveryTime(6));
    }

    @Test
    void deliversAppendedEntriesBeforeTheyAreCommitted()
    {
        fills(2);
        appendFill(stream, 3, T0);
        final ConsumerGroup group = stream.createGroup(bytes("g"), 0, 1, 0);
        assertEquals(3, group.deliverNew(consumer(group, "c", T0), 0, false, T0));
        assertEquals(2, group.entriesRead(), "readers' counters stop at the commit watermark");
        assertEquals(0, group.lag());
    }

    @Test
    void historyReadsWalkOneConsumersPendingEntries()
    {
        fills(6);
        final ConsumerGroup group = stream.createGroup(bytes("g"), 0, 1, 0);
        final StreamConsumer c1 = consumer(group, "c1", T0);
        final StreamConsumer c2 = consumer(group, "c2", T0);
        group.deliverNew(c1, 2, false, T0 + 1);
        group.deliverNew(c2, 2, false, T0 + 2);
        group.deliverNew(c1, 2, false, T0 + 3);
        assertTrue(group.ack(2));

        final List<Long> c1Pending = new ArrayList<>();
        for (long seq = group.nextPendingSeq(c1, 0); seq != 0; seq = group.nextPendingSeq(c1, seq))
        {
            c1Pending.add(seq);
        }
        assertEquals(List.of(1L, 5L, 6L), c1Pending);
        assertEquals(3, group.nextPendingSeq(c2, 1));
        assertEquals(0, group.nextPendingSeq(c2, 4));
        assertEquals(3, group.nextPendingSeq(null, 1));
        assertEquals(0, group.nextPendingSeq(null, 6));

        group.redeliver(5, T0 + 50);
        group.redeliver(5, T0 + 60);
        assertEquals(3, group.deliveryCount(5));
        assertEquals(T0 + 60, group.deliveryTime(5));
        assertThrows(IllegalArgumentException.class, () -> group.redeliver(2, T0));
    }

    @Test
    void acknowledgingShrinksThePendingList()
    {
        fills(10);
        final ConsumerGroup group = stream.createGroup(bytes("g"), 0, 1, 0);
        final StreamConsumer c = consumer(group, "c", T0);
        group.deliverNew(c, 10, false, T0);
        assertTrue(group.ack(1));
        assertFalse(group.ack(1));
        assertFalse(group.ack(11));
        assertFalse(group.ack(0));
        assertTrue(group.ack(10));
        assertTrue(group.ack(3));
        assertEquals(2, group.lowestPendingSeq());
        assertEquals(9, group.highestPendingSeq());
        assertTrue(group.ack(2));
        assertEquals(4, group.lowestPendingSeq());
        for (long seq = 4; seq <= 9; seq++)
        {
            assertTrue(group.ack(seq));
        }
        assertEquals(0, group.pendingCount());
        assertEquals(0, c.pendingCount());
        assertEquals(0, group.lowestPendingSeq());
        assertEquals(0, group.highestPendingSeq());
        assertEquals(0, group.nextPendingSeq(null, 0));
    }

    @Test
    void noAckDeliversWithoutPending()
    {
        fills(3);
        final ConsumerGroup group = stream.createGroup(bytes("g"), 0, 1, 0);
        final StreamConsumer c = consumer(group, "c", T0);
        assertEquals(3, group.deliverNew(c, 0, true, T0));
        assertEquals(3, group.lastDeliveredSeq());
        assertEquals(0, group.pendingCount());
        assertEquals(T0, c.activeTime());
    }

    @Test
    void setIdBackwardsRedeliversAndReassignsPendingEntries()
    {
        fills(4);
        final ConsumerGroup group = stream.createGroup(bytes("g"), 0, 1, 0);
        final StreamConsumer c1 = consumer(group, "c1", T0);
        final StreamConsumer c2 = consumer(group, "c2", T0);
        group.deliverNew(c1, 0, false, T0 + 1);
        group.redeliver(2, T0 + 2);
        group.lastDeliveredSeq(1);
        assertEquals(2, group.deliverNew(c2, 2, false, T0 + 5));
        assertEquals(3, group.lastDeliveredSeq());
        assertEquals(4, group.pendingCount());
        assertEquals(2, c1.pendingCount());
        assertEquals(2, c2.pendingCount());
        assertSame(c2, group.pendingOwner(2));
        assertEquals(1, group.deliveryCount(2));
        assertEquals(T0 + 5, group.deliveryTime(3));
        assertSame(c1, group.pendingOwner(4));

        // back to the start after the pending entries moved up: the window widens downwards
        assertTrue(group.ack(1));
        assertTrue(group.ack(2));
        group.lastDeliveredSeq(0);
        assertEquals(1, group.deliverNew(c1, 1, false, T0 + 6));
        assertEquals(1, group.lowestPendingSeq());
        assertEquals(4, group.highestPendingSeq());
        assertEquals(3, group.pendingCount());
        assertThrows(IllegalArgumentException.class, () -> group.lastDeliveredSeq(-1));

        // past the end: nothing to deliver until the stream gets there
        group.lastDeliveredSeq(100);
        assertEquals(0, group.deliverNew(c1, 0, false, T0 + 7));
        assertEquals(4, group.entriesRead());
        assertEquals(0, group.lag());
    }

    @Test
    void deletingAConsumerDropsItsPendingEntries()
    {
        fills(6);
        final ConsumerGroup group = stream.createGroup(bytes("g"), 0, 1, 0);
        final StreamConsumer c1 = consumer(group, "c1", T0);
        final StreamConsumer c2 = consumer(group, "c2", T0);
        group.deliverNew(c1, 2, false, T0);
        group.deliverNew(c2, 2, false, T0);
        group.deliverNew(c1, 2, false, T0);
        assertEquals(4, group.deleteConsumer(c1));
        assertEquals(1, group.consumerCount());
        assertEquals(2, group.pendingCount());
        assertEquals(3, group.lowestPendingSeq());
        assertEquals(4, group.highestPendingSeq());
        assertNull(group.findConsumer(bytes("c1"), 0, 2));

        // the freed id is reused by the next consumer, whose entries are its own
        final StreamConsumer c3 = consumer(group, "c3", T0);
        assertEquals(c1.id(), c3.id());
        assertEquals(0, c3.pendingCount());
        assertEquals(0, group.nextPendingSeq(c3, 0));
        assertEquals(2, group.deleteConsumer(c2));
        assertEquals(0, group.pendingCount());
    }

    @Test
    void consumersAreUniqueAndListedInNameOrder()
    {
        final ConsumerGroup group = stream.createGroup(bytes("g"), 0, 1, 0);
        assertNotNull(group.createConsumer(bytes("worker-2"), 0, 8, T0));
        assertNotNull(group.createConsumer(bytes("worker-10"), 0, 9, T0));
        assertNotNull(group.createConsumer(bytes("a"), 0, 1, T0));
        assertNull(group.createConsumer(bytes("a"), 0, 1, T0 + 1));
        final StreamConsumer existing = group.findConsumer(bytes("a"), 0, 1);
        assertSame(existing, consumer(group, "a", T0 + 2));
        assertEquals(T0, existing.seenTime());
        assertEquals(3, group.consumerCount());
        assertEquals("a", name(group.consumer(0)));
        assertEquals("worker-10", name(group.consumer(1)));
        assertEquals("worker-2", name(group.consumer(2)));
    }

    @Test
    void skipsEntriesTrimmedBeforeTheGroupWasCreated()
    {
        final FillStream shortLived = new FillStream(FillStreamTest.SPEC, FillStreamTest::accountName, 10);
        for (int seq = 1; seq <= 5; seq++)
        {
            appendFill(shortLived, seq, T0);
        }
        shortLived.commit(5);
        assertEquals(5, shortLived.trim(T0 + 100));
        appendFill(shortLived, 6, T0 + 100);
        shortLived.commit(6);
        final ConsumerGroup group = shortLived.createGroup(bytes("late"), 0, 4, 0);
        final StreamConsumer c = group.createConsumer(bytes("c"), 0, 1, T0);
        assertEquals(1, group.deliverNew(c, 0, false, T0 + 100));
        assertEquals(6, group.lowestPendingSeq());
        assertEquals(6, group.entriesRead());
    }

    @Test
    void matchesAReferenceModelUnderRandomOperations()
    {
        final long seed = System.nanoTime();
        try
        {
            runRandomOperations(seed, 20_000);
        }
        catch (final AssertionError | RuntimeException ex)
        {
            throw new AssertionError("seed " + seed + "L", ex);
        }
    }

    private void runRandomOperations(final long seed, final int steps)
    {
        final Random random = new Random(seed);
        final FillStream fills = new FillStream(FillStreamTest.SPEC, FillStreamTest::accountName);
        final ConsumerGroup group = fills.createGroup(bytes("g"), 0, 1, 0);
        final String[] names = { "c0", "c1", "c2", "c3" };
        final TreeMap<Long, long[]> model = new TreeMap<>();
        long modelLastDelivered = 0;
        long now = T0;
        for (int step = 0; step < steps; step++)
        {
            now += 1 + random.nextInt(10);
            final int op = random.nextInt(100);
            if (op < 30)
            {
                final int count = 1 + random.nextInt(20);
                for (int i = 0; i < count; i++)
                {
                    appendFill(fills, fills.lastSeq() + 1, now);
                }
                fills.commit(fills.lastSeq());
            }
            else if (op < 55)
            {
                final int consumerIndex = random.nextInt(names.length);
                final StreamConsumer consumer = consumer(group, names[consumerIndex], now);
                final int maxCount = random.nextInt(30);
                final boolean noAck = random.nextInt(10) == 0;
                final long delivered = group.deliverNew(consumer, maxCount, noAck, now);
                final long available = fills.lastSeq() - modelLastDelivered;
                assertEquals(maxCount == 0 ? available : Math.min(maxCount, available), delivered);
                for (long seq = modelLastDelivered + 1; seq <= modelLastDelivered + delivered; seq++)
                {
                    if (!noAck)
                    {
                        model.put(seq, new long[]{ consumer.id(), now, 1 });
                    }
                }
                modelLastDelivered += delivered;
            }
            else if (op < 85 && !model.isEmpty())
            {
                final long seq = random.nextInt(4) == 0 ?
                    1 + random.nextInt((int)Math.max(1, fills.lastSeq())) :
                    randomKey(model, random);
                assertEquals(model.remove(seq) != null, group.ack(seq));
            }
            else if (op < 92 && !model.isEmpty())
            {
                final long seq = randomKey(model, random);
                group.redeliver(seq, now);
                final long[] entry = model.get(seq);
                entry[1] = now;
                entry[2]++;
            }
            else if (op < 94 && group.consumerCount() > 0)
            {
                final StreamConsumer consumer = group.consumer(random.nextInt(group.consumerCount()));
                final long dropped = group.deleteConsumer(consumer);
                final long[] removed = { 0 };
                model.values().removeIf((entry) ->
                {
                    final boolean owned = entry[0] == consumer.id();
                    removed[0] += owned ? 1 : 0;
                    return owned;
                });
                assertEquals(removed[0], dropped);
            }
            else if (op < 95)
            {
                modelLastDelivered = Math.max(0, modelLastDelivered - random.nextInt(50));
                group.lastDeliveredSeq(modelLastDelivered);
            }
            else if (group.consumerCount() == 0)
            {
                consumer(group, names[random.nextInt(names.length)], now);
            }
            checkAgainstModel(group, model, modelLastDelivered);
        }
    }

    private static long randomKey(final TreeMap<Long, long[]> model, final Random random)
    {
        final long low = model.firstKey();
        final long high = model.lastKey();
        final Long key = model.ceilingKey(low + (long)(random.nextDouble() * (high - low + 1)));
        return key == null ? high : key;
    }

    private static void checkAgainstModel(
        final ConsumerGroup group, final TreeMap<Long, long[]> model, final long lastDelivered)
    {
        assertEquals(lastDelivered, group.lastDeliveredSeq());
        assertEquals(model.size(), group.pendingCount());
        assertEquals(model.isEmpty() ? 0 : model.firstKey(), group.lowestPendingSeq());
        assertEquals(model.isEmpty() ? 0 : model.lastKey(), group.highestPendingSeq());
        long ownedTotal = 0;
        for (int i = 0; i < group.consumerCount(); i++)
        {
            ownedTotal += group.consumer(i).pendingCount();
        }
        assertEquals(model.size(), ownedTotal);
        if (model.size() < 64)
        {
            long seq = 0;
            for (final Map.Entry<Long, long[]> entry : model.entrySet())
            {
                seq = group.nextPendingSeq(null, seq);
                assertEquals(entry.getKey(), seq);
                assertEquals(entry.getValue()[0], group.pendingOwner(seq).id());
                assertEquals(entry.getValue()[1], group.deliveryTime(seq));
                assertEquals(entry.getValue()[2], group.deliveryCount(seq));
            }
            assertEquals(0, group.nextPendingSeq(null, seq));
        }
    }

    private static String name(final StreamConsumer consumer)
    {
        return new String(consumer.name(), StandardCharsets.US_ASCII);
    }
}
