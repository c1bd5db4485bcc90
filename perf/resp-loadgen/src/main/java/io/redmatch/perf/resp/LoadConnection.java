package io.redmatch.perf.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One client connection of the load, on the event loop: the requests the {@link PacingAgent} gives it are gathered
 * into one buffer per sending round and written with one flush; replies, which come back in request order, are
 * matched to the intended send times queued in that order and handed to the {@link LatencyRecorder}.
 */
final class LoadConnection extends ByteToMessageDecoder
{
    private static final int INITIAL_IN_FLIGHT = 1024;
    private static final int ROUND_BUFFER_BYTES = 4096;
    private static final int ERROR_TEXT_MAX = 200;

    private final int index;
    private final LatencyRecorder recorder;
    private final LoadListener listener;
    private final LongFifo intendedTimes = new LongFifo(INITIAL_IN_FLIGHT);
    private Channel channel;
    private ByteBuf round;

    /** Told when a connection can no longer take part. */
    interface LoadListener
    {
        /**
         * The connection broke or the target misbehaved.
         *
         * @param connection the connection.
         * @param reason     what happened.
         */
        void onConnectionFailed(LoadConnection connection, String reason);
    }

    LoadConnection(final int index, final LatencyRecorder recorder, final LoadListener listener)
    {
        this.index = index;
        this.recorder = recorder;
        this.listener = listener;
    }

    int index()
    {
        return index;
    }

    /** @return requests sent on this connection and not answered yet. */
    int inFlight()
    {
        return intendedTimes.size();
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
    }

    /**
     * Adds a request to this round's buffer.
     *
     * @param requestIndex the request's number in the run.
     * @param intendedNs   when it was meant to leave, {@link System#nanoTime()} clock.
     * @param nowNs        now, same clock.
     * @param encoder      writes the request.
     */
    void send(final long requestIndex, final long intendedNs, final long nowNs, final RequestEncoder encoder)
    {
        if (round == null)
        {
            round = channel.alloc().directBuffer(ROUND_BUFFER_BYTES);
        }
        encoder.encode(requestIndex, index, round);
        intendedTimes.add(intendedNs);
        recorder.onSend(intendedNs, nowNs);
    }

    /** Writes and flushes what this round gathered, if anything. */
    void flushRound()
    {
        final ByteBuf buffer = round;
        if (buffer != null)
        {
            round = null;
            channel.writeAndFlush(buffer, channel.voidPromise());
        }
    }

    /** Closes the connection, dropping a round not yet flushed. */
    void close()
    {
        if (round != null)
        {
            round.release();
            round = null;
        }
        if (channel != null)
        {
            channel.close();
        }
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        final long nowNs = System.nanoTime();
        while (in.isReadable())
        {
            final int start = in.readerIndex();
            final int end = ReplyScanner.replyEnd(in, start);
            if (end == ReplyScanner.INCOMPLETE)
            {
                return;
            }
            if (intendedTimes.size() == 0)
            {
                in.skipBytes(in.readableBytes());
                listener.onConnectionFailed(this, "a reply came with no request waiting for it");
                return;
            }
            final String error = in.getByte(start) == '-' ? errorText(in, start, end) : null;
            in.readerIndex(end);
            recorder.onReply(intendedTimes.remove(), nowNs, error);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        super.channelInactive(ctx);
        listener.onConnectionFailed(this, "the target closed the connection with " + intendedTimes.size() +
            " requests in flight");
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        listener.onConnectionFailed(this, cause.toString());
        ctx.close();
    }

    private static String errorText(final ByteBuf in, final int start, final int end)
    {
        final int length = Math.min(ERROR_TEXT_MAX, Math.max(0, end - start - 3));
        return in.toString(start + 1, length, StandardCharsets.US_ASCII);
    }
}
