package io.redmatch.engine.stream;

import io.netty.buffer.Unpooled;
import io.redmatch.engine.node.BlockedCommand;
import io.redmatch.engine.node.Connection;
import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.Sequencer;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * {@code XREADGROUP GROUP g c [COUNT n] [BLOCK ms] [NOACK] STREAMS key... id...}: delivers new entries ({@code >})
 * to a consumer, adding them to the group's pending list, or reads the consumer's pending entries back (an ID).
 * <p>
 * A {@code WRITE} command: it is stamped and logged before it runs, and every delivery time it records is that
 * stamp. It delivers every entry appended before it in log order, not only committed ones, so a standby replaying the
 * log delivers the same entries; those entries precede it in the log, so they are durable whenever its reply is.
 * <p>
 * <b>Reads that change nothing are not logged.</b> {@link #changesState} tells the dispatcher, before it sequences
 * the command, whether it will change anything: it will when the consumer does not exist yet (the read creates it),
 * when a {@code >} stream has an entry after the group's last delivered one ({@link ConsumerGroup#hasNewEntries()}),
 * or when an ID stream has an entry of the consumer pending after that ID (reading it back counts a delivery). A read
 * with none of these (a consumer polling an idle stream, an error) changes nothing, not even the consumer's seen
 * time, so it is neither stamped nor logged and answers as a read does; the check and {@link #read} resolve the
 * request with the same code and decide with the same predicates, so they agree.
 * <p>
 * <b>Blocking and determinism.</b> When nothing is new and {@code BLOCK} is given, the connection waits; the read had
 * no effect (or only created its consumer, and then it was logged). When a commit of one of its streams wakes it with
 * something to deliver, the same command is stamped and logged at that moment, and the delivery happens under that
 * stamp, at that point of the log. A standby or a restart replaying the log finds the entries there and delivers
 * exactly what the primary delivered. The order of effects is the order of the log, whatever the timing of the
 * wake-up.
 */
final class StreamGroupReader
{
    private final StreamKeys keys;
    private final FillEntryWriter entries;
    private final EngineNode node;
    private final Sequencer sequencer;
    private final StreamReadArgs readArgs = new StreamReadArgs();
    private final long readCountMax;
    private final UnsafeBuffer groupView = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer consumerView = new UnsafeBuffer(new byte[0]);
    private FillStream[] streams = new FillStream[8];
    private ConsumerGroup[] groups = new ConsumerGroup[8];
    private long[] afterSeqs = new long[8];
    private StreamConsumer[] consumers = new StreamConsumer[8];
    private long[] firstDelivered = new long[8];
    private long[] deliveredCounts = new long[8];

    StreamGroupReader(
        final StreamKeys keys, final FillEntryWriter entries, final EngineNode node, final long readCountMax)
    {
        this.keys = keys;
        this.entries = entries;
        this.node = node;
        this.sequencer = node.sequencer();
        this.readCountMax = readCountMax;
    }

    /**
     * Tells whether an {@code XREADGROUP} run now would change any state; see the class comment.
     *
     * @param request the command.
     * @return false when it would find nothing to deliver or re-read for a consumer that exists, or answer an error.
     */
    boolean changesState(final RespRequest request)
    {
        final int streamCount = resolve(request, null);
        if (streamCount < 0)
        {
            return false;
        }
        for (int i = 0; i < streamCount; i++)
        {
            final ConsumerGroup group = groups[i];
            final StreamConsumer consumer = group.findConsumer(consumerView, 0, consumerView.capacity());
            if (consumer == null)
            {
                return true;
            }
            final boolean delivers = afterSeqs[i] == StreamReadArgs.NEW_ONLY ?
                group.hasNewEntries() : group.nextPendingSeq(consumer, afterSeqs[i]) != 0;
            if (delivers)
            {
                return true;
            }
        }
        return false;
    }

    /** Handles {@code XREADGROUP}. */
    void read(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final int streamCount = resolve(request, out);
        if (streamCount < 0)
        {
            return;
        }
        final long count = readArgs.count() == 0 ? readCountMax : Math.min(readArgs.count(), readCountMax);
        final boolean served = serve(
            out, streamCount, consumerView, count, readArgs.noAck(), sequencer.engineTime());
        if (served)
        {
            return;
        }
        if (readArgs.blockMillis() == StreamReadArgs.NO_BLOCK)
        {
            out.nilArray();
            return;
        }
        block(connection, request, out, streamCount, count);
    }

    /**
     * Parses a request and resolves its streams and groups into the working arrays, and the consumer's name into
     * {@code consumerView}, changing nothing.
     *
     * @param out where to write an error, or null to only tell there is one.
     * @return how many streams are listed, or -1 on an error.
     */
    private int resolve(final RespRequest request, final RespWriter out)
    {
        final String error = readArgs.parse(request, true);
        if (error != null)
        {
            return error(out, error);
        }
        final int streamCount = readArgs.streamCount();
        ensureCapacity(streamCount);
        for (int i = 0; i < streamCount; i++)
        {
            streams[i] = keys.find(request, readArgs.keyArg(i));
            if (streams[i] == null && keys.noPair())
            {
                return error(out, StreamReplies.NOPAIR);
            }
        }
        final int groupArg = readArgs.groupArg();
        request.wrapArg(groupArg, groupView);
        for (int i = 0; i < streamCount; i++)
        {
            groups[i] = streams[i] == null ? null : streams[i].findGroup(groupView, 0, groupView.capacity());
            if (groups[i] == null)
            {
                return out == null ? -1 : error(out, StreamReplies.noGroupForRead(
                    request.argString(readArgs.keyArg(i)), request.argString(groupArg)));
            }
            afterSeqs[i] = readArgs.afterSeq(i);
        }
        request.wrapArg(groupArg + 1, consumerView);
        return streamCount;
    }

    private static int error(final RespWriter out, final String message)
    {
        if (out != null)
        {
            out.error(message);
        }
        return -1;
    }

    private void block(
        final Connection connection, final RespRequest request, final RespWriter out, final int streamCount,
        final long count)
    {
        final byte[] frame = new byte[request.frameLength()];
        request.buffer().getBytes(request.frameOffset(), frame);
        final BlockedGroupRead blocked = new BlockedGroupRead(
            frame, Arrays.copyOf(streams, streamCount), request.argBytes(readArgs.groupArg()),
            request.argBytes(readArgs.groupArg() + 1), count, readArgs.noAck());
        final String[] waitKeys = new String[streamCount];
        for (int i = 0; i < streamCount; i++)
        {
            waitKeys[i] = streams[i].keyName();
        }
        try
        {
            connection.block(blocked, readArgs.blockMillis(), waitKeys);
        }
        catch (final IllegalStateException ex)
        {
            // a command replayed from the log never waits: its wake-up, if it had one, is a log entry of its own
            out.nilArray();
        }
    }

    /**
     * Delivers to the consumer and writes the reply, for streams {@code 0..streamCount-1} of the working arrays,
     * whose groups are resolved. Changes nothing when the consumer exists and there is nothing to deliver or read
     * back, as {@link #changesState} expects.
     *
     * @return false, with nothing written, when every ID is {@code >} and nothing was new.
     */
    private boolean serve(
        final RespWriter out, final int streamCount, final DirectBuffer consumerName, final long count,
        final boolean noAck, final long now)
    {
        final int nameLength = consumerName.capacity();
        int streamsInReply = 0;
        for (int i = 0; i < streamCount; i++)
        {
            final ConsumerGroup group = groups[i];
            final StreamConsumer consumer = group.findOrCreateConsumer(consumerName, 0, nameLength, now);
            consumers[i] = consumer;
            if (afterSeqs[i] == StreamReadArgs.NEW_ONLY)
            {
                final long delivered = group.deliverNew(consumer, count, noAck, now);
                deliveredCounts[i] = delivered;
                firstDelivered[i] = group.lastDeliveredSeq() - delivered + 1;
                streamsInReply += delivered > 0 ? 1 : 0;
            }
            else
            {
                streamsInReply++;
            }
        }
        if (streamsInReply == 0)
        {
            return false;
        }
        FillEntryWriter.streamsHeader(out, streamsInReply);
        for (int i = 0; i < streamCount; i++)
        {
            final FillStream stream = streams[i];
            if (afterSeqs[i] == StreamReadArgs.NEW_ONLY)
            {
                if (deliveredCounts[i] > 0)
                {
                    FillEntryWriter.streamHeader(out, stream.key());
                    entries.entries(out, stream, firstDelivered[i], deliveredCounts[i], false);
                }
            }
            else
            {
                FillEntryWriter.streamHeader(out, stream.key());
                writeHistory(out, stream, groups[i], consumers[i], afterSeqs[i], count, now);
            }
        }
        return true;
    }

    /**
     * Writes the consumer's pending entries after a position, each delivered once more, as Redis does; with none,
     * the read changes nothing.
     */
    private void writeHistory(
        final RespWriter out, final FillStream stream, final ConsumerGroup group, final StreamConsumer consumer,
        final long afterSeq, final long count, final long now)
    {
        long pending = 0;
        for (long seq = group.nextPendingSeq(consumer, afterSeq); seq != 0 && pending < count;
            seq = group.nextPendingSeq(consumer, seq))
        {
            pending++;
        }
        out.arrayHeader((int)pending);
        if (pending > 0)
        {
            group.seen(consumer, now);
        }
        long written = 0;
        for (long seq = group.nextPendingSeq(consumer, afterSeq); seq != 0 && written < count;
            seq = group.nextPendingSeq(consumer, seq))
        {
            group.redeliver(seq, now);
            entries.entry(out, stream, seq);
            written++;
        }
    }

    private void ensureCapacity(final int streamCount)
    {
        if (streams.length < streamCount)
        {
            streams = new FillStream[streamCount];
            groups = new ConsumerGroup[streamCount];
            afterSeqs = new long[streamCount];
            consumers = new StreamConsumer[streamCount];
            firstDelivered = new long[streamCount];
            deliveredCounts = new long[streamCount];
        }
    }

    /**
     * An {@code XREADGROUP BLOCK} whose IDs are all {@code >}, waiting for new entries. Keeps its request's bytes to
     * log them when it wakes with something to deliver; see the class comment.
     */
    private final class BlockedGroupRead implements BlockedCommand
    {
        private final byte[] frame;
        private final FillStream[] blockedStreams;
        private final UnsafeBuffer groupName;
        private final UnsafeBuffer consumerName;
        private final long count;
        private final boolean noAck;

        private BlockedGroupRead(
            final byte[] frame, final FillStream[] blockedStreams, final byte[] groupName, final byte[] consumerName,
            final long count, final boolean noAck)
        {
            this.frame = frame;
            this.blockedStreams = blockedStreams;
            this.groupName = new UnsafeBuffer(groupName);
            this.consumerName = new UnsafeBuffer(consumerName);
            this.count = count;
            this.noAck = noAck;
        }

        public boolean onSignal(final Connection connection, final String key, final RespWriter out)
        {
            if (!"master".equals(node.role()))
            {
                out.error(StreamReplies.UNBLOCKED_ROLE);
                return true;
            }
            final int streamCount = blockedStreams.length;
            ensureCapacity(streamCount);
            boolean anythingNew = false;
            for (int i = 0; i < streamCount; i++)
            {
                final FillStream stream = blockedStreams[i];
                final ConsumerGroup group = stream.findGroup(groupName, 0, groupName.capacity());
                if (group == null)
                {
                    out.error(StreamReplies.GROUP_GONE);
                    return true;
                }
                streams[i] = stream;
                groups[i] = group;
                afterSeqs[i] = StreamReadArgs.NEW_ONLY;
                anythingNew |= group.hasNewEntries();
            }
            if (!anythingNew)
            {
                return false;
            }
            sequencer.sequence(Unpooled.wrappedBuffer(frame), 0, frame.length);
            if (!serve(out, streamCount, consumerName, count, noAck, sequencer.engineTime()))
            {
                out.nilArray();
            }
            return true;
        }

        public void onTimeout(final Connection connection, final RespWriter out)
        {
            out.nilArray();
        }
    }
}
