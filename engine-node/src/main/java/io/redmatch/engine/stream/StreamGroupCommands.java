package io.redmatch.engine.stream;

import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.Sequencer;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Consumer groups of fill streams: {@code XGROUP}, {@code XACK} and {@code XPENDING}. {@code XGROUP} and {@code XACK}
 * change state, so they are {@code WRITE} commands, stamped and logged by the sequencer before they run; every time
 * they record is the engine time of that stamp. An {@code XACK} that acknowledges nothing changes nothing and is not
 * logged ({@link #ackChangesState}). {@code XREADGROUP} lives in {@link StreamGroupReader}.
 */
final class StreamGroupCommands
{
    private static final byte[] MKSTREAM = ascii("MKSTREAM");
    private static final byte[] ENTRIESREAD = ascii("ENTRIESREAD");
    private static final byte[] IDLE = ascii("IDLE");
    private static final byte[] DOLLAR = ascii("$");

    private final StreamKeys keys;
    private final FillEntryWriter entries;
    private final EngineNode node;
    private final Sequencer sequencer;
    private final StreamIds ids = new StreamIds();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer groupView = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer consumerView = new UnsafeBuffer(new byte[0]);
    private boolean mkStreamGiven;

    StreamGroupCommands(final StreamKeys keys, final FillEntryWriter entries, final EngineNode node)
    {
        this.keys = keys;
        this.entries = entries;
        this.node = node;
        this.sequencer = node.sequencer();
    }

    /** {@code XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n]}. */
    void create(final RespRequest request, final RespWriter out)
    {
        final String error = parseGroupOptions(request, 5, true, "CREATE");
        if (error != null)
        {
            out.error(error);
            return;
        }
        final long idSeq = groupIdSeq(request, 4);
        if (idSeq == StreamIds.INVALID)
        {
            out.error(StreamReplies.INVALID_ID);
            return;
        }
        final FillStream stream = keys.find(request, 2);
        if (stream == null)
        {
            out.error(keys.noPair() ? StreamReplies.NOPAIR :
                (mkStreamGiven ? StreamReplies.MKSTREAM_NOT_FILLS : StreamReplies.KEY_MUST_EXIST));
            return;
        }
        request.wrapArg(3, groupView);
        final long lastDelivered = idSeq == StreamReadArgs.AFTER_LAST ? stream.lastSeq() : idSeq;
        if (stream.createGroup(groupView, 0, groupView.capacity(), lastDelivered) == null)
        {
            out.error(StreamReplies.BUSYGROUP);
            return;
        }
        out.ok();
    }

    /** {@code XGROUP SETID key group id|$ [ENTRIESREAD n]}. */
    void setId(final RespRequest request, final RespWriter out)
    {
        final String error = parseGroupOptions(request, 5, false, "SETID");
        if (error != null)
        {
            out.error(error);
            return;
        }
        final long idSeq = groupIdSeq(request, 4);
        if (idSeq == StreamIds.INVALID)
        {
            out.error(StreamReplies.INVALID_ID);
            return;
        }
        final ConsumerGroup group = existingGroup(request, out);
        if (group != null)
        {
            group.lastDeliveredSeq(idSeq == StreamReadArgs.AFTER_LAST ? group.stream().lastSeq() : idSeq);
            out.ok();
        }
    }

    /** {@code XGROUP DESTROY key group}: 1 when the group existed. */
    void destroy(final RespRequest request, final RespWriter out)
    {
        final FillStream stream = streamForGroupCommand(request, out);
        if (stream == null)
        {
            return;
        }
        request.wrapArg(3, groupView);
        final boolean destroyed = stream.destroyGroup(groupView, 0, groupView.capacity());
        if (destroyed)
        {
            // consumers blocked on the group learn it is gone
            node.signal(stream.keyName());
        }
        out.integer(destroyed ? 1 : 0);
    }

    /** {@code XGROUP CREATECONSUMER key group consumer}: 1 when created, 0 when it existed. */
    void createConsumer(final RespRequest request, final RespWriter out)
    {
        final ConsumerGroup group = existingGroup(request, out);
        if (group != null)
        {
            request.wrapArg(4, consumerView);
            final StreamConsumer created = group.createConsumer(
                consumerView, 0, consumerView.capacity(), sequencer.engineTime());
            out.integer(created != null ? 1 : 0);
        }
    }

    /** {@code XGROUP DELCONSUMER key group consumer}: how many entries it had pending. */
    void deleteConsumer(final RespRequest request, final RespWriter out)
    {
        final ConsumerGroup group = existingGroup(request, out);
        if (group != null)
        {
            request.wrapArg(4, consumerView);
            final StreamConsumer consumer = group.findConsumer(consumerView, 0, consumerView.capacity());
            out.integer(consumer == null ? 0 : group.deleteConsumer(consumer));
        }
    }

    /**
     * Tells whether an {@code XACK} run now would change any state: only when one of its IDs is pending in the group.
     * One that acknowledges nothing (IDs acknowledged already, a group or key that does not exist, an error) is not
     * logged.
     *
     * @param request the command.
     * @return true when it acknowledges at least one entry.
     */
    boolean ackChangesState(final RespRequest request)
    {
        final ConsumerGroup group = ackGroup(request, null);
        if (group == null)
        {
            return false;
        }
        for (int i = 3, argCount = request.argCount(); i < argCount; i++)
        {
            request.wrapArg(i, view);
            final long seq = ids.exactSeq(view, 0, view.capacity());
            if (seq > 0 && group.isPending(seq))
            {
                return true;
            }
        }
        return false;
    }

    /** {@code XACK key group id...}: how many were pending and are now acknowledged. */
    void ack(final RespRequest request, final RespWriter out)
    {
        final ConsumerGroup group = ackGroup(request, out);
        if (group == null)
        {
            return;
        }
        long acknowledged = 0;
        for (int i = 3, argCount = request.argCount(); i < argCount; i++)
        {
            request.wrapArg(i, view);
            final long seq = ids.exactSeq(view, 0, view.capacity());
            if (seq > 0 && group.ack(seq))
            {
                acknowledged++;
            }
        }
        if (acknowledged > 0)
        {
            // acknowledging may release the head of the stream; this command's stamp is a point of the log
            group.stream().trim(sequencer.engineTime());
        }
        out.integer(acknowledged);
    }

    /**
     * Checks an {@code XACK} and finds the group it acknowledges in, changing nothing.
     *
     * @param out where to write the reply when there is no group to acknowledge in (0, or an error), or null.
     * @return the group, or null when the command acknowledges nothing.
     */
    private ConsumerGroup ackGroup(final RespRequest request, final RespWriter out)
    {
        request.wrapArg(1, view);
        if (!FillStreamRegistry.isFillsKey(view, 0, view.capacity()))
        {
            // Redis acknowledges nothing on a key that does not exist, whatever the IDs
            return nothingToAck(out, null);
        }
        for (int i = 3, argCount = request.argCount(); i < argCount; i++)
        {
            request.wrapArg(i, view);
            if (ids.exactSeq(view, 0, view.capacity()) == StreamIds.INVALID)
            {
                return nothingToAck(out, StreamReplies.INVALID_ID);
            }
        }
        final FillStream stream = keys.find(request, 1);
        if (stream == null)
        {
            return nothingToAck(out, StreamReplies.NOPAIR);
        }
        request.wrapArg(2, groupView);
        final ConsumerGroup group = stream.findGroup(groupView, 0, groupView.capacity());
        return group != null ? group : nothingToAck(out, null);
    }

    /** Answers an {@code XACK} that acknowledges nothing, when {@code out} is given: its error, or else 0. */
    private static ConsumerGroup nothingToAck(final RespWriter out, final String error)
    {
        if (out != null)
        {
            if (error != null)
            {
                out.error(error);
            }
            else
            {
                out.integer(0);
            }
        }
        return null;
    }

    /**
     * {@code XPENDING key group} (summary) and {@code XPENDING key group [IDLE ms] start end count [consumer]}
     * (extended).
     *
     * @param nowMicros the time idle times are measured to; a read, so not a logged stamp.
     */
    void pending(final RespRequest request, final RespWriter out, final long nowMicros)
    {
        final int argCount = request.argCount();
        if (argCount == 3)
        {
            final ConsumerGroup group = groupForPending(request, out);
            if (group != null)
            {
                pendingSummary(group, out);
            }
            return;
        }
        int i = 3;
        long minIdleMillis = 0;
        if (request.argEqualsIgnoreCase(i, IDLE))
        {
            if (argCount < 8)
            {
                out.error(StreamReplies.SYNTAX);
                return;
            }
            minIdleMillis = request.argLong(i + 1, Long.MIN_VALUE);
            if (minIdleMillis == Long.MIN_VALUE)
            {
                out.error(StreamReplies.NOT_AN_INTEGER);
                return;
            }
            i += 2;
        }
        if (argCount - i != 3 && argCount - i != 4)
        {
            out.error(StreamReplies.SYNTAX);
            return;
        }
        request.wrapArg(i, view);
        final long first = ids.rangeStart(view, 0, view.capacity());
        if (first < 0)
        {
            out.error(first == StreamIds.INVALID_START ? StreamReplies.INVALID_START : StreamReplies.INVALID_ID);
            return;
        }
        request.wrapArg(i + 1, view);
        final long last = ids.rangeEnd(view, 0, view.capacity());
        if (last < 0)
        {
            out.error(last == StreamIds.INVALID_END ? StreamReplies.INVALID_END : StreamReplies.INVALID_ID);
            return;
        }
        final long count = request.argLong(i + 2, Long.MIN_VALUE);
        if (count == Long.MIN_VALUE)
        {
            out.error(StreamReplies.NOT_AN_INTEGER);
            return;
        }
        final ConsumerGroup group = groupForPending(request, out);
        if (group == null)
        {
            return;
        }
        StreamConsumer consumer = null;
        if (argCount - i == 4)
        {
            request.wrapArg(i + 3, consumerView);
            consumer = group.findConsumer(consumerView, 0, consumerView.capacity());
            if (consumer == null)
            {
                out.arrayHeader(0);
                return;
            }
        }
        final long minIdleMicros = Math.max(0, minIdleMillis) * 1000;
        final long matching = walkPending(group, consumer, first, last, count, minIdleMicros, nowMicros, null);
        out.arrayHeader((int)matching);
        walkPending(group, consumer, first, last, count, minIdleMicros, nowMicros, out);
    }

    private void pendingSummary(final ConsumerGroup group, final RespWriter out)
    {
        out.arrayHeader(4);
        if (group.pendingCount() == 0)
        {
            out.integer(0).nil().nil().nilArray();
            return;
        }
        out.integer(group.pendingCount());
        entries.id(out, group.lowestPendingSeq());
        entries.id(out, group.highestPendingSeq());
        int owners = 0;
        for (int c = 0; c < group.consumerCount(); c++)
        {
            owners += group.consumer(c).pendingCount() > 0 ? 1 : 0;
        }
        out.arrayHeader(owners);
        for (int c = 0; c < group.consumerCount(); c++)
        {
            final StreamConsumer consumer = group.consumer(c);
            if (consumer.pendingCount() > 0)
            {
                out.arrayHeader(2).bulk(consumer.name());
                entries.number(out, consumer.pendingCount());
            }
        }
    }

    /**
     * Walks the pending entries an extended {@code XPENDING} selects, writing them when {@code out} is given.
     *
     * @return how many it selects.
     */
    private long walkPending(
        final ConsumerGroup group, final StreamConsumer consumer, final long first, final long last, final long count,
        final long minIdleMicros, final long nowMicros, final RespWriter out)
    {
        long selected = 0;
        for (long seq = group.nextPendingSeq(consumer, first - 1);
            seq != 0 && seq <= last && selected < count;
            seq = group.nextPendingSeq(consumer, seq))
        {
            final long idleMicros = Math.max(0, nowMicros - group.deliveryTime(seq));
            if (idleMicros < minIdleMicros)
            {
                continue;
            }
            selected++;
            if (out != null)
            {
                out.arrayHeader(4);
                entries.id(out, seq);
                out.bulk(group.pendingOwner(seq).name()).integer(idleMicros / 1000).integer(group.deliveryCount(seq));
            }
        }
        return selected;
    }

    /** The group of an {@code XGROUP} subcommand, after the key and group checks, or null once an error is written. */
    private ConsumerGroup existingGroup(final RespRequest request, final RespWriter out)
    {
        final FillStream stream = streamForGroupCommand(request, out);
        if (stream == null)
        {
            return null;
        }
        request.wrapArg(3, groupView);
        final ConsumerGroup group = stream.findGroup(groupView, 0, groupView.capacity());
        if (group == null)
        {
            out.error(StreamReplies.noGroup(request.argString(2), request.argString(3)));
        }
        return group;
    }

    private FillStream streamForGroupCommand(final RespRequest request, final RespWriter out)
    {
        final FillStream stream = keys.find(request, 2);
        if (stream == null)
        {
            out.error(keys.noPair() ? StreamReplies.NOPAIR : StreamReplies.KEY_MUST_EXIST);
        }
        return stream;
    }

    private ConsumerGroup groupForPending(final RespRequest request, final RespWriter out)
    {
        final FillStream stream = keys.find(request, 1);
        if (stream == null && keys.noPair())
        {
            out.error(StreamReplies.NOPAIR);
            return null;
        }
        request.wrapArg(2, groupView);
        final ConsumerGroup group = stream == null ? null : stream.findGroup(groupView, 0, groupView.capacity());
        if (group == null)
        {
            out.error(StreamReplies.noGroupForPending(request.argString(1), request.argString(2)));
        }
        return group;
    }

    /**
     * Checks the options after the ID of {@code CREATE} and {@code SETID}, noting whether {@code MKSTREAM} was given.
     *
     * @return null when they are well formed, else the error to reply.
     */
    private String parseGroupOptions(
        final RespRequest request, final int firstOption, final boolean create, final String subcommand)
    {
        mkStreamGiven = false;
        final int argCount = request.argCount();
        for (int i = firstOption; i < argCount; i++)
        {
            if (create && request.argEqualsIgnoreCase(i, MKSTREAM))
            {
                mkStreamGiven = true;
                continue;
            }
            if (request.argEqualsIgnoreCase(i, ENTRIESREAD) && i + 1 < argCount)
            {
                // entries-read is exact here, since IDs are the gapless fill sequence: the value is checked, not kept
                final long entriesRead = request.argLong(i + 1, Long.MIN_VALUE);
                if (entriesRead == Long.MIN_VALUE)
                {
                    return StreamReplies.NOT_AN_INTEGER;
                }
                if (entriesRead < -1)
                {
                    return StreamReplies.ENTRIESREAD_RANGE;
                }
                i++;
                continue;
            }
            return StreamReplies.badSubcommandArgs("XGROUP", subcommand);
        }
        return null;
    }

    /** The last delivered sequence an {@code XGROUP} ID argument sets: {@link StreamReadArgs#AFTER_LAST} for $. */
    private long groupIdSeq(final RespRequest request, final int arg)
    {
        if (request.argEquals(arg, DOLLAR))
        {
            return StreamReadArgs.AFTER_LAST;
        }
        request.wrapArg(arg, view);
        return ids.lastDeliveredSeq(view, 0, view.capacity());
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
