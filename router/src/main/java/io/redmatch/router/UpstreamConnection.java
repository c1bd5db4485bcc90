package io.redmatch.router;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection from the router to a shard's primary, on the event loop of the clients that use it, so handing a
 * command over and completing its reply needs no lock or queue between threads. Commands are copied as RESP frames
 * into one output buffer per read batch of the clients and flushed once; replies are cut at frame boundaries
 * ({@link ReplyScanner}) and handed to the waiting {@link ReplySlot}s in order. A connection in subscriber mode has
 * no slots: every frame goes to its {@link PushListener}.
 * <p>
 * Failure handling: a lost connection fails its waiting commands with {@code -TRYAGAIN} and asks the shard for an
 * immediate probe; so does a {@code -READONLY} reply (the member is no longer primary).
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnection.class);
    private static final byte[] HELLO_3 = "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] READONLY = "-READONLY".getBytes(StandardCharsets.US_ASCII);
    private static final int LOW_WATER_MARK = 256 * 1024;
    private static final int HIGH_WATER_MARK = 1024 * 1024;

    /** Receives every frame of a subscriber connection. */
    interface PushListener
    {
        void onPush(ByteBuf in, int offset, int length);

        void onClosed(UpstreamConnection connection);
    }

    private final EventLoopState loop;
    private final ShardState shard;
    private final InetSocketAddress address;
    private final boolean resp3;
    private final PushListener pushListener;
    private final ArrayDeque<ReplySlot> waiting = new ArrayDeque<>();
    private final List<ClientSession> heldClients = new ArrayList<>();
    private Channel channel;
    private ByteBuf output;
    private ByteBuf input;
    private boolean active;
    private boolean closed;
    private boolean dirty;

    private UpstreamConnection(final EventLoopState loop, final ShardState shard, final InetSocketAddress address,
        final boolean resp3, final PushListener pushListener)
    {
        this.loop = loop;
        this.shard = shard;
        this.address = address;
        this.resp3 = resp3;
        this.pushListener = pushListener;
    }

    /**
     * Opens a connection on {@code loop}'s event loop; commands sent before it is up wait in its output buffer.
     *
     * @param pushListener null for a command connection, else the subscriber that gets every frame.
     */
    static UpstreamConnection open(final EventLoopState loop, final ShardState shard, final InetSocketAddress address,
        final boolean resp3, final PushListener pushListener)
    {
        final UpstreamConnection connection = new UpstreamConnection(loop, shard, address, resp3, pushListener);
        final EventLoop eventLoop = loop.eventLoop();
        final ChannelFuture future = new Bootstrap()
            .group(eventLoop)
            .channel(loop.router().socketChannelClass())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
            .handler(connection)
            .connect(address);
        connection.channel = future.channel();
        if (resp3)
        {
            connection.sendBytes(HELLO_3, ReplySlot.DISCARD);
        }
        future.addListener(done ->
        {
            if (done.isSuccess())
            {
                connection.active = true;
                connection.flush();
            }
            else
            {
                connection.failAll("cannot connect to " + describe(address) + ": " + done.cause().getMessage());
            }
        });
        return connection;
    }

    ShardState shard()
    {
        return shard;
    }

    InetSocketAddress address()
    {
        return address;
    }

    boolean isClosed()
    {
        return closed;
    }

    boolean isWritable()
    {
        return !active || channel.isWritable();
    }

    /** @return commands sent and not yet answered. */
    int waitingCount()
    {
        return waiting.size();
    }

    /** @return when the oldest unanswered command was sent, or 0 when none waits. */
    long oldestSentAtNanos()
    {
        final ReplySlot oldest = waiting.peek();
        return oldest == null ? 0 : oldest.sentAtNanos;
    }

    /**
     * Queues a command; it leaves at the next {@link #flush()} (the end of the client's read batch).
     *
     * @param slot where its reply goes; null on a subscriber connection.
     */
    void send(final ByteBuf source, final int offset, final int length, final ReplySlot slot)
    {
        if (closed)
        {
            if (slot != null)
            {
                slot.fail(Errors.encode("TRYAGAIN shard " + shard.name() + ": connection to its primary lost"));
            }
            return;
        }
        outputBuffer().writeBytes(source, offset, length);
        enqueue(slot);
    }

    void sendBytes(final byte[] frame, final ReplySlot slot)
    {
        if (closed)
        {
            if (slot != null)
            {
                slot.fail(Errors.encode("TRYAGAIN shard " + shard.name() + ": connection to its primary lost"));
            }
            return;
        }
        outputBuffer().writeBytes(frame);
        enqueue(slot);
    }

    private void enqueue(final ReplySlot slot)
    {
        if (slot != null)
        {
            slot.sentAtNanos = System.nanoTime();
            waiting.add(slot);
        }
        if (!dirty)
        {
            dirty = true;
            loop.markDirty(this);
        }
    }

    private ByteBuf outputBuffer()
    {
        if (output == null)
        {
            output = channel.alloc().ioBuffer(1024);
        }
        return output;
    }

    /** Writes what was queued since the last flush, once the connection is up. */
    void flush()
    {
        dirty = false;
        if (active && !closed && output != null)
        {
            final ByteBuf batch = output;
            output = null;
            channel.writeAndFlush(batch, channel.voidPromise());
        }
    }

    /** Stops reading {@code client} until this connection drains (the shard reads slower than clients send). */
    boolean hold(final ClientSession client)
    {
        if (heldClients.contains(client))
        {
            return false;
        }
        heldClients.add(client);
        return true;
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (ctx.channel().isWritable())
        {
            releaseHeld();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void releaseHeld()
    {
        if (heldClients.isEmpty())
        {
            return;
        }
        final List<ClientSession> released = new ArrayList<>(heldClients);
        heldClients.clear();
        for (final ClientSession client : released)
        {
            client.release(this);
        }
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof ByteBuf received) || closed)
        {
            ReferenceCountUtil.release(msg);
            return;
        }
        input = input == null ? received : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), input, received);
        int position = input.readerIndex();
        final int end = input.writerIndex();
        while (position < end)
        {
            final int frameEnd = ReplyScanner.scan(input, position, end);
            if (frameEnd == ReplyScanner.NEED_MORE)
            {
                break;
            }
            if (frameEnd == ReplyScanner.MALFORMED)
            {
                LOG.error("shard {} at {} sent a malformed reply; closing the connection", shard.name(),
                    describe(address));
                closeAfterFailure("malformed reply from shard " + shard.name());
                return;
            }
            deliver(input, position, frameEnd - position);
            position = frameEnd;
            if (closed)
            {
                return;
            }
        }
        if (position > input.readerIndex())
        {
            shard.replied(System.nanoTime());
        }
        input.readerIndex(position);
        if (!input.isReadable())
        {
            input.release();
            input = null;
        }
        else
        {
            input.discardSomeReadBytes();
        }
    }

    private void deliver(final ByteBuf in, final int offset, final int length)
    {
        if (pushListener != null)
        {
            pushListener.onPush(in, offset, length);
            return;
        }
        final ReplySlot slot = waiting.poll();
        if (slot == null)
        {
            LOG.error("shard {} sent a reply nobody asked for; closing the connection", shard.name());
            closeAfterFailure("unexpected reply from shard " + shard.name());
            return;
        }
        if (startsWith(in, offset, length, READONLY))
        {
            shard.recheck();
        }
        slot.complete(in, offset, length);
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        loop.flushClients();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        failAll("connection to its primary " + describe(address) + " lost");
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (!(cause instanceof IOException))
        {
            LOG.warn("upstream connection to {} failed", describe(address), cause);
        }
        closeAfterFailure(String.valueOf(cause.getMessage()));
    }

    /** Closes the connection on purpose (replaced, cancelled, client gone); waiting commands get {@code -TRYAGAIN}. */
    void close(final String why)
    {
        close(why, false);
    }

    /** Closes the connection because the shard failed it (timeout, bad reply), and has the shard probed at once. */
    void closeAfterFailure(final String why)
    {
        close(why, true);
    }

    private void failAll(final String why)
    {
        close(why, true);
    }

    private void close(final String why, final boolean probe)
    {
        if (closed)
        {
            return;
        }
        closed = true;
        active = false;
        loop.forget(this);
        if (probe)
        {
            shard.recheck();
        }
        if (channel != null)
        {
            channel.close();
        }
        if (output != null)
        {
            output.release();
            output = null;
        }
        if (input != null)
        {
            input.release();
            input = null;
        }
        final byte[] error = Errors.encode("TRYAGAIN shard " + shard.name() + ": " + why +
            (waiting.isEmpty() ? "" : "; a write in flight may or may not have been applied (retry with CLIENT_ID)"));
        ReplySlot slot;
        while ((slot = waiting.poll()) != null)
        {
            slot.fail(error);
        }
        releaseHeld();
        loop.flushClients();
        if (pushListener != null)
        {
            pushListener.onClosed(this);
        }
    }

    static boolean startsWith(final ByteBuf in, final int offset, final int length, final byte[] prefix)
    {
        if (length < prefix.length)
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (in.getByte(offset + i) != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    static String describe(final InetSocketAddress address)
    {
        return address.getHostString() + ":" + address.getPort();
    }

    boolean isResp3()
    {
        return resp3;
    }

    @Override
    public String toString()
    {
        return "upstream " + shard.name() + "@" + describe(address) + (resp3 ? " (RESP3)" : "") +
            " waiting=" + waiting.size();
    }
}
