package io.redmatch.engine.stream;

import io.redmatch.engine.snapshot.SnapshotFormatException;
import io.redmatch.engine.snapshot.SnapshotReader;
import io.redmatch.engine.snapshot.SnapshotWriter;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A consumer group of a {@link FillStream}: the last entry delivered to it, its consumers, and its pending entries
 * list (PEL): entries delivered to a consumer and not acknowledged yet, each with its owner, delivery time and
 * delivery count.
 * <p>
 * New entries are delivered in sequence order, so the PEL is held as a window of consecutive sequences, from the
 * lowest pending entry to the highest, in primitive arrays indexed by sequence: delivering, acknowledging and looking
 * up an entry cost O(1) and allocate nothing once the window has grown to its working size. The window never spans
 * more than the entries the stream still holds, since the stream keeps every entry a group has pending.
 * <p>
 * Every time is engine time in microseconds passed in by the caller, never a clock read here, so applying the same
 * commands gives the same state. Confined to the matching thread.
 */
public final class ConsumerGroup
{
    /** Marks a window slot that holds no pending entry. */
    static final int NO_CONSUMER = -1;

    private static final int INITIAL_WINDOW_CAPACITY = 64;

    private final FillStream stream;
    private final byte[] name;
    private long lastDeliveredSeq;
    private long pendingCount;

    private long windowStart = 1;
    private long windowEnd = 1;
    private int windowMask = INITIAL_WINDOW_CAPACITY - 1;
    private int[] owner = newOwners(INITIAL_WINDOW_CAPACITY);
    private long[] deliveryTime = new long[INITIAL_WINDOW_CAPACITY];
    private long[] deliveryCount = new long[INITIAL_WINDOW_CAPACITY];

    private final List<StreamConsumer> consumersByName = new ArrayList<>();
    private StreamConsumer[] consumersById = new StreamConsumer[4];

    ConsumerGroup(final FillStream stream, final byte[] name, final long lastDeliveredSeq)
    {
        this.stream = stream;
        this.name = name;
        this.lastDeliveredSeq = lastDeliveredSeq;
    }

    /** @return the group's name; the caller must not change the array. */
    public byte[] name()
    {
        return name;
    }

    /** @return the stream this group reads. */
    public FillStream stream()
    {
        return stream;
    }

    /** @return the sequence of the last entry delivered to the group, 0 when none; its ID is {@code <seq>-0}. */
    public long lastDeliveredSeq()
    {
        return lastDeliveredSeq;
    }

    /**
     * Moves the group's last delivered entry, as {@code XGROUP SETID} does; the pending list stays as it is.
     *
     * @param seq the new last delivered sequence, 0 to deliver the whole stream again.
     */
    public void lastDeliveredSeq(final long seq)
    {
        if (seq < 0)
        {
            throw new IllegalArgumentException("negative sequence " + seq);
        }
        lastDeliveredSeq = seq;
    }

    /**
     * Redis's {@code entries-read}: how many of the stream's committed entries the group has been delivered. Exact
     * here, because entry IDs are the gapless fill sequence.
     *
     * @return the count of committed entries up to the last delivered one.
     */
    public long entriesRead()
    {
        return Math.min(lastDeliveredSeq, stream.committedSeq());
    }

    /** @return how many committed entries the group has not been delivered yet, Redis's {@code lag}. */
    public long lag()
    {
        return stream.committedSeq() - entriesRead();
    }

    /** @return how many entries are pending in the group. */
    public long pendingCount()
    {
        return pendingCount;
    }

    /** @return the lowest pending sequence, or 0 when nothing is pending. */
    public long lowestPendingSeq()
    {
        return pendingCount == 0 ? 0 : windowStart;
    }

    /** @return the highest pending sequence, or 0 when nothing is pending. */
    public long highestPendingSeq()
    {
        return pendingCount == 0 ? 0 : windowEnd - 1;
    }

    /** @return how many consumers the group has. */
    public int consumerCount()
    {
        return consumersByName.size();
    }

    /**
     * A consumer by its position in name order (unsigned bytes), the order Redis lists consumers in.
     *
     * @param index from 0 to {@link #consumerCount()} - 1.
     * @return the consumer.
     */
    public StreamConsumer consumer(final int index)
    {
        return consumersByName.get(index);
    }

    /**
     * Looks a consumer up by the bytes of its name, without allocating.
     *
     * @return the consumer, or null when the group has none of that name.
     */
    public StreamConsumer findConsumer(final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = consumerIndex(buffer, offset, length);
        return index >= 0 ? consumersByName.get(index) : null;
    }

    /**
     * Creates a consumer, as {@code XGROUP CREATECONSUMER} and a first {@code XREADGROUP} do.
     *
     * @param now engine time (µs), its first seen time.
     * @return the new consumer, or null when one of that name exists.
     */
    public StreamConsumer createConsumer(final DirectBuffer buffer, final int offset, final int length, final long now)
    {
        final int index = consumerIndex(buffer, offset, length);
        if (index >= 0)
        {
            return null;
        }
        final int id = freeConsumerId();
        final StreamConsumer consumer = new StreamConsumer(ByteKeys.copy(buffer, offset, length), id, now);
        consumersById[id] = consumer;
        consumersByName.add(-index - 1, consumer);
        return consumer;
    }

    /**
     * Finds a consumer, creating it when it does not exist yet, as {@code XREADGROUP} does.
     *
     * @param now engine time (µs), the new consumer's first seen time.
     * @return the consumer.
     */
    public StreamConsumer findOrCreateConsumer(
        final DirectBuffer buffer, final int offset, final int length, final long now)
    {
        final StreamConsumer consumer = findConsumer(buffer, offset, length);
        return consumer != null ? consumer : createConsumer(buffer, offset, length, now);
    }

    /**
     * Deletes a consumer and drops the entries it had pending from the group's pending list, as
     * {@code XGROUP DELCONSUMER} does: they stay in the stream but are no longer pending in this group.
     *
     * @param consumer a consumer of this group.
     * @return how many entries it had pending.
     */
    public long deleteConsumer(final StreamConsumer consumer)
    {
        final long dropped = consumer.pendingCount();
        if (dropped > 0)
        {
            final int id = consumer.id();
            for (long seq = windowStart; seq < windowEnd; seq++)
            {
                final int slot = slot(seq);
                if (owner[slot] == id)
                {
                    owner[slot] = NO_CONSUMER;
                }
            }
            consumer.addPending(-dropped);
            pendingCount -= dropped;
            shrinkWindow();
        }
        consumersById[consumer.id()] = null;
        consumersByName.remove(consumer);
        return dropped;
    }

    /**
     * Tells whether {@link #deliverNew} would deliver anything: whether the stream holds an entry after the group's
     * last delivered one, up to the last appended. An {@code XREADGROUP ... >} for which this is false changes
     * nothing and is not logged.
     *
     * @return true when there is an entry to deliver.
     */
    public boolean hasNewEntries()
    {
        return Math.max(lastDeliveredSeq + 1, stream.firstSeq()) <= stream.lastSeq();
    }

    /**
     * Delivers new entries to a consumer, as {@code XREADGROUP ... >} does: the entries after the group's last
     * delivered one, up to the last appended. Each becomes pending for the consumer with delivery count 1 and
     * delivery time {@code now}, unless {@code noAck}; the group's last delivered entry moves to the last one given,
     * and the consumer's seen and active times to {@code now}. When there is nothing to deliver
     * ({@link #hasNewEntries()} is false), nothing changes, not even the consumer's seen time: such a read is not
     * logged, so it must leave no trace a replay would miss.
     * <p>
     * Reads up to the last appended entry rather than the commit watermark because this is a logged write: entries
     * appended before it precede it in the command log, so they are durable whenever its reply is released, and a
     * standby replaying the log delivers exactly the same entries.
     *
     * @param consumer the consumer reading.
     * @param maxCount most entries to deliver; 0 or less for no limit.
     * @param noAck    true to deliver without adding the entries to the pending list.
     * @param now      engine time (µs) of the command.
     * @return how many entries were delivered: they are the sequences from {@code lastDeliveredSeq() - count + 1} to
     * {@link #lastDeliveredSeq()}.
     */
    public long deliverNew(final StreamConsumer consumer, final long maxCount, final boolean noAck, final long now)
    {
        if (!hasNewEntries())
        {
            return 0;
        }
        consumer.seen(now);
        final long from = Math.max(lastDeliveredSeq + 1, stream.firstSeq());
        final long available = stream.lastSeq() - from + 1;
        final long count = maxCount <= 0 ? available : Math.min(maxCount, available);
        final long to = from + count - 1;
        if (!noAck)
        {
            cover(from, to);
            for (long seq = from; seq <= to; seq++)
            {
                assignPending(seq, consumer, now);
            }
        }
        lastDeliveredSeq = to;
        consumer.active(now);
        return count;
    }

    /**
     * The next entry pending after a sequence, in sequence order: for one consumer, as a history read
     * ({@code XREADGROUP} with an ID) walks it, or for any consumer, as {@code XPENDING} does.
     *
     * @param consumer whose pending entries to walk, or null for all of them.
     * @param afterSeq the sequence to start after.
     * @return the next pending sequence, or 0 when there is none.
     */
    public long nextPendingSeq(final StreamConsumer consumer, final long afterSeq)
    {
        if (pendingCount == 0 || (consumer != null && consumer.pendingCount() == 0))
        {
            return 0;
        }
        final int id = consumer == null ? NO_CONSUMER : consumer.id();
        for (long seq = Math.max(afterSeq + 1, windowStart); seq < windowEnd; seq++)
        {
            final int entryOwner = owner[slot(seq)];
            if (entryOwner != NO_CONSUMER && (id == NO_CONSUMER || entryOwner == id))
            {
                return seq;
            }
        }
        return 0;
    }

    /** @return true when the entry is pending in this group. */
    public boolean isPending(final long seq)
    {
        return seq >= windowStart && seq < windowEnd && owner[slot(seq)] != NO_CONSUMER;
    }

    /**
     * @param seq a pending entry.
     * @return the consumer it is pending for.
     */
    public StreamConsumer pendingOwner(final long seq)
    {
        checkPending(seq);
        return consumersById[owner[slot(seq)]];
    }

    /**
     * @param seq a pending entry.
     * @return engine time (µs) it was last delivered.
     */
    public long deliveryTime(final long seq)
    {
        checkPending(seq);
        return deliveryTime[slot(seq)];
    }

    /**
     * @param seq a pending entry.
     * @return how many times it has been delivered.
     */
    public long deliveryCount(final long seq)
    {
        checkPending(seq);
        return deliveryCount[slot(seq)];
    }

    /**
     * Records that a pending entry was delivered again by a history read: its delivery count goes up by one and its
     * delivery time becomes {@code now}, as in Redis.
     *
     * @param seq a pending entry.
     * @param now engine time (µs) of the command.
     */
    public void redeliver(final long seq, final long now)
    {
        checkPending(seq);
        final int slot = slot(seq);
        deliveryCount[slot]++;
        deliveryTime[slot] = now;
    }

    /**
     * Records that a consumer read its pending entries back, for its seen time.
     *
     * @param consumer the consumer.
     * @param now      engine time (µs) of the command.
     */
    public void seen(final StreamConsumer consumer, final long now)
    {
        consumer.seen(now);
    }

    /**
     * Acknowledges an entry, as {@code XACK} does: it leaves the pending list.
     *
     * @param seq the entry's sequence.
     * @return true when it was pending, false when it was not (already acknowledged, never delivered, or unknown).
     */
    public boolean ack(final long seq)
    {
        if (seq < windowStart || seq >= windowEnd)
        {
            return false;
        }
        final int slot = slot(seq);
        final int entryOwner = owner[slot];
        if (entryOwner == NO_CONSUMER)
        {
            return false;
        }
        owner[slot] = NO_CONSUMER;
        consumersById[entryOwner].addPending(-1);
        pendingCount--;
        shrinkWindow();
        return true;
    }

    /**
     * The first sequence this group has not acknowledged: the lowest pending one, or the one after the last
     * delivered, whichever is lower. The stream may trim only below it.
     */
    long ackFloorSeq()
    {
        final long afterDelivered = lastDeliveredSeq + 1;
        return pendingCount == 0 ? afterDelivered : Math.min(windowStart, afterDelivered);
    }

    /** Feeds the group's state to a digest; see {@link FillStream#digest(StreamStateSink)}. */
    void digest(final StreamStateSink sink)
    {
        sink.add(name);
        sink.add(lastDeliveredSeq);
        sink.add(pendingCount);
        for (long seq = nextPendingSeq(null, 0); seq != 0; seq = nextPendingSeq(null, seq))
        {
            final int slot = slot(seq);
            sink.add(seq);
            sink.add(consumersById[owner[slot]].name());
            sink.add(deliveryTime[slot]);
            sink.add(deliveryCount[slot]);
        }
        sink.add(consumersByName.size());
        for (int c = 0; c < consumersByName.size(); c++)
        {
            final StreamConsumer consumer = consumersByName.get(c);
            sink.add(consumer.name());
            sink.add(consumer.pendingCount());
            sink.add(consumer.seenTime());
            sink.add(consumer.activeTime());
        }
    }

    /** Writes the group for a snapshot: what {@link #digest} covers, with the consumers' internal ids. */
    void writeSnapshot(final SnapshotWriter out)
    {
        out.putBytes(name).putLong(lastDeliveredSeq).putLong(pendingCount).putLong(windowStart).putLong(windowEnd);
        out.putInt(consumersByName.size());
        for (int c = 0; c < consumersByName.size(); c++)
        {
            final StreamConsumer consumer = consumersByName.get(c);
            out.putBytes(consumer.name()).putInt(consumer.id()).putLong(consumer.pendingCount())
                .putLong(consumer.seenTime()).putLong(consumer.activeTime());
        }
        for (long seq = nextPendingSeq(null, 0); seq != 0; seq = nextPendingSeq(null, seq))
        {
            final int slot = slot(seq);
            out.putLong(seq).putInt(owner[slot]).putLong(deliveryTime[slot]).putLong(deliveryCount[slot]);
        }
    }

    /**
     * Reads a group written by {@link #writeSnapshot}.
     *
     * @param stream its stream.
     * @param in     the snapshot.
     * @return the group, not yet added to the stream.
     * @throws SnapshotFormatException when the values are not consistent.
     */
    static ConsumerGroup readSnapshot(final FillStream stream, final SnapshotReader in)
    {
        final byte[] name = in.getBytes();
        if (name == null)
        {
            throw new SnapshotFormatException(stream.keyName() + ": a consumer group without a name");
        }
        final ConsumerGroup group = new ConsumerGroup(stream, name, Math.max(0, in.getLong()));
        final long pending = in.getLong();
        final long start = in.getLong();
        final long end = in.getLong();
        if (pending < 0 || start > end || end - start > (1 << 30) || (pending > 0 && end - start < pending))
        {
            throw new SnapshotFormatException(stream.keyName() + ": pending window " + start + ".." + end + " of " +
                pending + " entries");
        }
        final int consumerCount = in.getCount(4 + 4 + 3 * 8);
        long consumersPending = 0;
        for (int c = 0; c < consumerCount; c++)
        {
            final byte[] consumerName = in.getBytes();
            final int id = in.getInt();
            if (consumerName == null || id < 0 || id > (1 << 20) ||
                (id < group.consumersById.length && group.consumersById[id] != null))
            {
                throw new SnapshotFormatException(stream.keyName() + ": consumer id " + id + " is not valid");
            }
            final StreamConsumer consumer = new StreamConsumer(consumerName, id, 0);
            consumer.addPending(in.getLong());
            consumer.seen(in.getLong());
            consumer.active(in.getLong());
            consumersPending += consumer.pendingCount();
            if (id >= group.consumersById.length)
            {
                group.consumersById = Arrays.copyOf(group.consumersById, Integer.highestOneBit(id) << 1);
            }
            group.consumersById[id] = consumer;
            group.consumersByName.add(consumer);
        }
        if (consumersPending != pending)
        {
            throw new SnapshotFormatException(stream.keyName() + ": consumers hold " + consumersPending +
                " pending entries, the group " + pending);
        }
        group.windowStart = start;
        group.windowEnd = end;
        if (pending > 0 && end - start > group.owner.length)
        {
            group.grow(end - start, true);
        }
        group.clearSlots(start, end);
        group.pendingCount = pending;
        for (long i = 0; i < pending; i++)
        {
            final long seq = in.getLong();
            final int ownerId = in.getInt();
            if (seq < start || seq >= end || ownerId < 0 || ownerId >= group.consumersById.length ||
                group.consumersById[ownerId] == null)
            {
                throw new SnapshotFormatException(stream.keyName() + ": pending entry " + seq + " is not valid");
            }
            final int slot = group.slot(seq);
            group.owner[slot] = ownerId;
            group.deliveryTime[slot] = in.getLong();
            group.deliveryCount[slot] = in.getLong();
        }
        return group;
    }

    private void assignPending(final long seq, final StreamConsumer consumer, final long now)
    {
        final int slot = slot(seq);
        final int previousOwner = owner[slot];
        if (previousOwner == NO_CONSUMER)
        {
            pendingCount++;
        }
        else
        {
            // delivered again after SETID moved the group back: the entry changes hands, as in Redis
            consumersById[previousOwner].addPending(-1);
        }
        owner[slot] = consumer.id();
        deliveryTime[slot] = now;
        deliveryCount[slot] = 1;
        consumer.addPending(1);
    }

    /** Widens the window to include every sequence from {@code from} to {@code to}, growing its arrays if needed. */
    private void cover(final long from, final long to)
    {
        final boolean empty = pendingCount == 0;
        final long newStart = empty ? from : Math.min(windowStart, from);
        final long newEnd = empty ? to + 1 : Math.max(windowEnd, to + 1);
        final long span = newEnd - newStart;
        if (span > owner.length)
        {
            grow(span, empty);
        }
        if (empty)
        {
            clearSlots(newStart, newEnd);
        }
        else
        {
            clearSlots(newStart, windowStart);
            clearSlots(windowEnd, newEnd);
        }
        windowStart = newStart;
        windowEnd = newEnd;
    }

    private void grow(final long span, final boolean empty)
    {
        if (span > (1 << 30))
        {
            throw new IllegalStateException("pending window of " + span + " entries");
        }
        final int capacity = Integer.highestOneBit((int)span - 1) << 1;
        final int newMask = capacity - 1;
        final int[] newOwner = newOwners(capacity);
        final long[] newTime = new long[capacity];
        final long[] newCount = new long[capacity];
        if (!empty)
        {
            for (long seq = windowStart; seq < windowEnd; seq++)
            {
                final int from = slot(seq);
                final int to = (int)(seq & newMask);
                newOwner[to] = owner[from];
                newTime[to] = deliveryTime[from];
                newCount[to] = deliveryCount[from];
            }
        }
        owner = newOwner;
        deliveryTime = newTime;
        deliveryCount = newCount;
        windowMask = newMask;
    }

    private void clearSlots(final long from, final long to)
    {
        for (long seq = from; seq < to; seq++)
        {
            owner[slot(seq)] = NO_CONSUMER;
        }
    }

    /** Keeps the window tight around the pending entries so its span stays bounded by what is pending. */
    private void shrinkWindow()
    {
        if (pendingCount == 0)
        {
            windowStart = windowEnd;
            return;
        }
        while (owner[slot(windowStart)] == NO_CONSUMER)
        {
            windowStart++;
        }
        while (owner[slot(windowEnd - 1)] == NO_CONSUMER)
        {
            windowEnd--;
        }
    }

    private int slot(final long seq)
    {
        return (int)(seq & windowMask);
    }

    private void checkPending(final long seq)
    {
        if (!isPending(seq))
        {
            throw new IllegalArgumentException("entry " + seq + " is not pending");
        }
    }

    private int consumerIndex(final DirectBuffer buffer, final int offset, final int length)
    {
        int low = 0;
        int high = consumersByName.size() - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final int cmp = ByteKeys.compare(consumersByName.get(mid).name(), buffer, offset, length);
            if (cmp < 0)
            {
                low = mid + 1;
            }
            else if (cmp > 0)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -(low + 1);
    }

    /** Lowest free id, so ids are reused in a deterministic way and the id table stays as small as the group. */
    private int freeConsumerId()
    {
        for (int id = 0; id < consumersById.length; id++)
        {
            if (consumersById[id] == null)
            {
                return id;
            }
        }
        final int id = consumersById.length;
        consumersById = Arrays.copyOf(consumersById, id * 2);
        return id;
    }

    private static int[] newOwners(final int capacity)
    {
        final int[] owners = new int[capacity];
        Arrays.fill(owners, NO_CONSUMER);
        return owners;
    }
}
