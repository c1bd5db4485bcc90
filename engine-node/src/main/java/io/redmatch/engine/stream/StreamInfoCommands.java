package io.redmatch.engine.stream;

import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * {@code XINFO STREAM [FULL [COUNT n]]}, {@code XINFO GROUPS} and {@code XINFO CONSUMERS}, with every field Redis 7.2
 * gives, in its order, since client libraries (Jedis, for one) fail on a missing field. Records are maps in RESP3
 * and flat arrays in RESP2. Reads: idle times are measured to the time passed in, not a logged stamp.
 * <p>
 * The radix tree fields describe the chunks fills are stored in: {@code radix-tree-keys} is the number of chunks
 * holding entries, {@code radix-tree-nodes} one more, as for a Redis stream whose entries fit one node per key.
 * {@code max-deleted-entry-id} is always {@code 0-0}: entries leave a fill stream only by trimming at its head, which
 * Redis does not count as deletion either.
 */
final class StreamInfoCommands
{
    /** Entries and pending entries {@code XINFO STREAM FULL} lists without {@code COUNT}, as Redis. */
    static final long FULL_COUNT_DEFAULT = 10;

    private static final byte[] FULL = ascii("FULL");
    private static final byte[] COUNT = ascii("COUNT");

    private final StreamKeys keys;
    private final FillEntryWriter entries;
    private final UnsafeBuffer groupView = new UnsafeBuffer(new byte[0]);

    StreamInfoCommands(final StreamKeys keys, final FillEntryWriter entries)
    {
        this.keys = keys;
        this.entries = entries;
    }

    /** {@code XINFO STREAM key [FULL [COUNT n]]}. */
    void stream(final RespRequest request, final RespWriter out)
    {
        final int argCount = request.argCount();
        boolean full = false;
        long count = FULL_COUNT_DEFAULT;
        if (argCount > 3)
        {
            full = request.argEqualsIgnoreCase(3, FULL);
            final boolean withCount = argCount == 6 && request.argEqualsIgnoreCase(4, COUNT);
            if (!full || (argCount != 4 && !withCount))
            {
                out.error(StreamReplies.badSubcommandArgs("XINFO", "STREAM"));
                return;
            }
            if (withCount)
            {
                count = request.argLong(5, Long.MIN_VALUE);
                if (count == Long.MIN_VALUE)
                {
                    out.error(StreamReplies.NOT_AN_INTEGER);
                    return;
                }
                count = count <= 0 ? Long.MAX_VALUE : count;
            }
        }
        final FillStream stream = existingStream(request, out);
        if (stream == null)
        {
            return;
        }
        if (full)
        {
            streamFull(stream, count, out);
        }
        else
        {
            streamSummary(stream, out);
        }
    }

    /** {@code XINFO GROUPS key}. */
    void groups(final RespRequest request, final RespWriter out)
    {
        final FillStream stream = existingStream(request, out);
        if (stream == null)
        {
            return;
        }
        out.arrayHeader(stream.groupCount());
        for (int g = 0; g < stream.groupCount(); g++)
        {
            final ConsumerGroup group = stream.group(g);
            out.mapHeader(6);
            out.bulk("name").bulk(group.name());
            out.bulk("consumers").integer(group.consumerCount());
            out.bulk("pending").integer(group.pendingCount());
            out.bulk("last-delivered-id");
            entries.id(out, group.lastDeliveredSeq());
            out.bulk("entries-read").integer(group.entriesRead());
            out.bulk("lag").integer(group.lag());
        }
    }

    /**
     * {@code XINFO CONSUMERS key group}.
     *
     * @param nowMicros the time idle times are measured to.
     */
    void consumers(final RespRequest request, final RespWriter out, final long nowMicros)
    {
        final FillStream stream = existingStream(request, out);
        if (stream == null)
        {
            return;
        }
        request.wrapArg(3, groupView);
        final ConsumerGroup group = stream.findGroup(groupView, 0, groupView.capacity());
        if (group == null)
        {
            out.error(StreamReplies.noGroup(request.argString(2), request.argString(3)));
            return;
        }
        out.arrayHeader(group.consumerCount());
        for (int c = 0; c < group.consumerCount(); c++)
        {
            final StreamConsumer consumer = group.consumer(c);
            out.mapHeader(4);
            out.bulk("name").bulk(consumer.name());
            out.bulk("pending").integer(consumer.pendingCount());
            out.bulk("idle").integer(millisSince(nowMicros, consumer.seenTime()));
            out.bulk("inactive").integer(
                consumer.activeTime() == StreamConsumer.NEVER ? -1 : millisSince(nowMicros, consumer.activeTime()));
        }
    }

    private void streamSummary(final FillStream stream, final RespWriter out)
    {
        out.mapHeader(10);
        writeCommon(stream, out);
        out.bulk("groups").integer(stream.groupCount());
        final long first = stream.firstCommittedSeq();
        out.bulk("first-entry");
        if (first == 0)
        {
            out.nil();
        }
        else
        {
            entries.entry(out, stream, first);
        }
        out.bulk("last-entry");
        if (first == 0)
        {
            out.nil();
        }
        else
        {
            entries.entry(out, stream, stream.committedSeq());
        }
    }

    private void streamFull(final FillStream stream, final long count, final RespWriter out)
    {
        out.mapHeader(9);
        writeCommon(stream, out);
        out.bulk("entries");
        final long first = stream.firstCommittedSeq();
        entries.entries(out, stream, first, first == 0 ? 0 : Math.min(count, stream.length()), false);
        out.bulk("groups").arrayHeader(stream.groupCount());
        for (int g = 0; g < stream.groupCount(); g++)
        {
            groupFull(stream, stream.group(g), count, out);
        }
    }

    private void groupFull(final FillStream stream, final ConsumerGroup group, final long count, final RespWriter out)
    {
        out.mapHeader(7);
        out.bulk("name").bulk(group.name());
        out.bulk("last-delivered-id");
        entries.id(out, group.lastDeliveredSeq());
        out.bulk("entries-read").integer(group.entriesRead());
        out.bulk("lag").integer(group.lag());
        out.bulk("pel-count").integer(group.pendingCount());
        out.bulk("pending").arrayHeader((int)Math.min(count, group.pendingCount()));
        long listed = 0;
        for (long seq = group.nextPendingSeq(null, 0); seq != 0 && listed < count;
            seq = group.nextPendingSeq(null, seq))
        {
            out.arrayHeader(4);
            entries.id(out, seq);
            out.bulk(group.pendingOwner(seq).name())
                .integer(group.deliveryTime(seq) / 1000)
                .integer(group.deliveryCount(seq));
            listed++;
        }
        out.bulk("consumers").arrayHeader(group.consumerCount());
        for (int c = 0; c < group.consumerCount(); c++)
        {
            final StreamConsumer consumer = group.consumer(c);
            out.mapHeader(5);
            out.bulk("name").bulk(consumer.name());
            out.bulk("seen-time").integer(consumer.seenTime() / 1000);
            out.bulk("active-time").integer(
                consumer.activeTime() == StreamConsumer.NEVER ? -1 : consumer.activeTime() / 1000);
            out.bulk("pel-count").integer(consumer.pendingCount());
            out.bulk("pending").arrayHeader((int)Math.min(count, consumer.pendingCount()));
            long own = 0;
            for (long seq = group.nextPendingSeq(consumer, 0); seq != 0 && own < count;
                seq = group.nextPendingSeq(consumer, seq))
            {
                out.arrayHeader(3);
                entries.id(out, seq);
                out.integer(group.deliveryTime(seq) / 1000).integer(group.deliveryCount(seq));
                own++;
            }
        }
    }

    /** The fields {@code XINFO STREAM} has with and without {@code FULL}. */
    private void writeCommon(final FillStream stream, final RespWriter out)
    {
        final long length = stream.length();
        final int treeKeys = length == 0 ? 0 : stream.chunkCount();
        out.bulk("length").integer(length);
        out.bulk("radix-tree-keys").integer(treeKeys);
        out.bulk("radix-tree-nodes").integer(treeKeys + 1);
        out.bulk("last-generated-id");
        entries.id(out, stream.committedSeq());
        out.bulk("max-deleted-entry-id");
        entries.id(out, 0);
        out.bulk("entries-added").integer(stream.committedSeq());
        out.bulk("recorded-first-entry-id");
        entries.id(out, stream.firstCommittedSeq());
    }

    private FillStream existingStream(final RespRequest request, final RespWriter out)
    {
        final FillStream stream = keys.find(request, 2);
        if (stream == null)
        {
            out.error(keys.noPair() ? StreamReplies.NOPAIR : StreamReplies.NO_SUCH_KEY);
        }
        return stream;
    }

    private static long millisSince(final long nowMicros, final long thenMicros)
    {
        return Math.max(0, nowMicros - thenMicros) / 1000;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
