package io.redmatch.engine.stream;

import io.redmatch.engine.node.BlockedCommand;
import io.redmatch.engine.node.Connection;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The plain readers of fill streams: {@code XRANGE}, {@code XREVRANGE}, {@code XLEN} and {@code XREAD}. They see
 * committed entries only, change nothing, and are not logged. A key that is not {@code fills:<PAIR>} reads as a
 * stream that does not exist; {@code fills:<PAIR>} of a pair not served here is {@code -NOPAIR}.
 */
final class StreamReadCommands
{
    private static final byte[] COUNT = "COUNT".getBytes(StandardCharsets.US_ASCII);

    private final StreamKeys keys;
    private final StreamReadArgs readArgs = new StreamReadArgs();
    private final StreamIds ids = new StreamIds();
    private final FillEntryWriter entries;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final long readCountMax;
    private FillStream[] readStreams = new FillStream[8];
    private long[] readAfter = new long[8];

    StreamReadCommands(final StreamKeys keys, final FillEntryWriter entries, final long readCountMax)
    {
        this.keys = keys;
        this.entries = entries;
        this.readCountMax = readCountMax;
    }

    /** {@code XRANGE key start end [COUNT n]} and, reversed, {@code XREVRANGE key end start [COUNT n]}. */
    void range(final RespRequest request, final RespWriter out, final boolean reverse)
    {
        final int argCount = request.argCount();
        request.wrapArg(reverse ? 3 : 2, view);
        final long first = ids.rangeStart(view, 0, view.capacity());
        if (first < 0)
        {
            out.error(first == StreamIds.INVALID_START ? StreamReplies.INVALID_START : StreamReplies.INVALID_ID);
            return;
        }
        request.wrapArg(reverse ? 2 : 3, view);
        final long last = ids.rangeEnd(view, 0, view.capacity());
        if (last < 0)
        {
            out.error(last == StreamIds.INVALID_END ? StreamReplies.INVALID_END : StreamReplies.INVALID_ID);
            return;
        }
        long count = 0;
        boolean counted = false;
        for (int i = 4; i < argCount; i += 2)
        {
            if (!request.argEqualsIgnoreCase(i, COUNT) || i + 1 >= argCount)
            {
                out.error(StreamReplies.SYNTAX);
                return;
            }
            count = request.argLong(i + 1, Long.MIN_VALUE);
            if (count == Long.MIN_VALUE)
            {
                out.error(StreamReplies.NOT_AN_INTEGER);
                return;
            }
            counted = true;
        }
        final FillStream stream = keys.find(request, 1);
        if (stream == null && keys.noPair())
        {
            out.error(StreamReplies.NOPAIR);
            return;
        }
        if (stream == null)
        {
            out.arrayHeader(0);
            return;
        }
        if (counted && count <= 0)
        {
            // Redis answers a null array to a COUNT that is zero or negative on a stream that exists
            out.nilArray();
            return;
        }
        final long from = Math.max(first, stream.firstSeq());
        final long to = Math.min(last, stream.committedSeq());
        long available = to - from + 1;
        if (available <= 0)
        {
            out.arrayHeader(0);
            return;
        }
        if (counted && count < available)
        {
            available = count;
        }
        if (reverse)
        {
            entries.entries(out, stream, to - available + 1, available, true);
        }
        else
        {
            entries.entries(out, stream, from, available, false);
        }
    }

    /** {@code XLEN key}. */
    void length(final RespRequest request, final RespWriter out)
    {
        final FillStream stream = keys.find(request, 1);
        if (stream == null && keys.noPair())
        {
            out.error(StreamReplies.NOPAIR);
            return;
        }
        out.integer(stream == null ? 0 : stream.length());
    }

    /** {@code XREAD [COUNT n] [BLOCK ms] STREAMS key... id...}. */
    void read(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final String error = readArgs.parse(request, false);
        if (error != null)
        {
            out.error(error);
            return;
        }
        final int streamCount = readArgs.streamCount();
        if (readStreams.length < streamCount)
        {
            readStreams = new FillStream[streamCount];
            readAfter = new long[streamCount];
        }
        for (int i = 0; i < streamCount; i++)
        {
            final FillStream stream = keys.find(request, readArgs.keyArg(i));
            if (stream == null && keys.noPair())
            {
                out.error(StreamReplies.NOPAIR);
                return;
            }
            final long afterSeq = readArgs.afterSeq(i);
            readStreams[i] = stream;
            readAfter[i] = afterSeq != StreamReadArgs.AFTER_LAST ? afterSeq :
                (stream == null ? 0 : stream.committedSeq());
        }
        final long count = readArgs.count() == 0 ? readCountMax : Math.min(readArgs.count(), readCountMax);
        if (write(out, readStreams, readAfter, streamCount, count))
        {
            return;
        }
        if (readArgs.blockMillis() == StreamReadArgs.NO_BLOCK)
        {
            out.nilArray();
            return;
        }
        final BlockedRead blocked = new BlockedRead(
            Arrays.copyOf(readStreams, streamCount), Arrays.copyOf(readAfter, streamCount), count);
        final String[] waitKeys = new String[streamCount];
        for (int i = 0; i < streamCount; i++)
        {
            waitKeys[i] = readStreams[i] != null ? readStreams[i].keyName() : request.argString(readArgs.keyArg(i));
        }
        connection.block(blocked, readArgs.blockMillis(), waitKeys);
    }

    /**
     * Writes the committed entries after each position, if there are any.
     *
     * @return false, with nothing written, when no stream has an entry to give.
     */
    private boolean write(
        final RespWriter out, final FillStream[] streams, final long[] afterSeqs, final int streamCount,
        final long count)
    {
        int streamsWithEntries = 0;
        for (int i = 0; i < streamCount; i++)
        {
            if (available(streams[i], afterSeqs[i], count) > 0)
            {
                streamsWithEntries++;
            }
        }
        if (streamsWithEntries == 0)
        {
            return false;
        }
        FillEntryWriter.streamsHeader(out, streamsWithEntries);
        for (int i = 0; i < streamCount; i++)
        {
            final FillStream stream = streams[i];
            final long available = available(stream, afterSeqs[i], count);
            if (available > 0)
            {
                FillEntryWriter.streamHeader(out, stream.key());
                entries.entries(out, stream, Math.max(afterSeqs[i] + 1, stream.firstSeq()), available, false);
            }
        }
        return true;
    }

    private static long available(final FillStream stream, final long afterSeq, final long count)
    {
        if (stream == null)
        {
            return 0;
        }
        final long from = Math.max(afterSeq + 1, stream.firstSeq());
        return Math.min(count, stream.committedSeq() - from + 1);
    }

    /** An {@code XREAD BLOCK} waiting for commits, with its {@code $} positions resolved when it was issued. */
    private final class BlockedRead implements BlockedCommand
    {
        private final FillStream[] streams;
        private final long[] afterSeqs;
        private final long count;

        private BlockedRead(final FillStream[] streams, final long[] afterSeqs, final long count)
        {
            this.streams = streams;
            this.afterSeqs = afterSeqs;
            this.count = count;
        }

        public boolean onSignal(final Connection connection, final String key, final RespWriter out)
        {
            return write(out, streams, afterSeqs, streams.length, count);
        }

        public void onTimeout(final Connection connection, final RespWriter out)
        {
            out.nilArray();
        }
    }
}
