package io.redmatch.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.redmatch.engine.resp.RespParser;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One client connection: parses its commands in place ({@link RespParser}), routes each ({@link CommandDispatcher}),
 * and writes the replies back in the order the commands came, whichever shard answers first. Replies that arrive
 * before an earlier one are held in their {@link PendingReply}; the head of the queue goes straight into the output
 * buffer, which is flushed once per read batch.
 * <p>
 * Back-pressure: the router stops reading a client (and stops parsing what it already has) while it has
 * {@code maxPendingPerClient} commands awaiting replies, while its socket is not writable (it reads slower than it
 * asks), or while a shard connection it sent to is not writable (the shard reads slower than clients send). So what
 * the router holds per client is bounded by that many commands and replies; output beyond the pending output limit
 * closes the connection.
 */
final class ClientSession extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    private static final byte[] MAX_CLIENTS = Errors.encode("ERR max number of clients reached");
    /** Input not yet parsed beyond this closes the connection; commands themselves are limited by the parser. */
    private static final int MAX_QUERY_BUFFER = 64 * 1024 * 1024;

    private final Router router;
    private final EventLoopState loop;
    private final RouterStats stats;
    private final int maxPending;
    private final RespParser parser = new RespParser();
    private final RespRequest request = new RespRequest();
    private final ArrayDeque<PendingReply> pending = new ArrayDeque<>();
    private final ArrayDeque<PendingReply> spareReplies = new ArrayDeque<>();
    private final Runnable resumeTask = this::resume;
    private ChannelHandlerContext ctx;
    private RespWriter writer;
    private RespWriter deferredWriter;
    private ByteBuf input;
    private long id;
    private String name = "";
    private long createdAtMillis;
    private String remoteAddress = "?";
    private boolean closing;
    private boolean closed;
    private boolean dirty;
    private boolean resumeScheduled;
    private boolean readingPaused;
    private int heldByUpstreams;
    private Map<ShardState, UpstreamConnection> blockingConnections;
    private Subscriptions subscriptions;

    ClientSession(final Router router, final EventLoopState loop)
    {
        this.router = router;
        this.loop = loop;
        this.stats = router.stats();
        this.maxPending = router.context().maxPendingPerClient();
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        if (stats.connectedClients.incrementAndGet() > router.context().maxClients())
        {
            stats.connectedClients.decrementAndGet();
            stats.connectionsRejected.increment();
            closed = true;
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(MAX_CLIENTS)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        stats.connectionsReceived.increment();
        id = router.nextClientId();
        createdAtMillis = System.currentTimeMillis();
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress address)
        {
            remoteAddress = address.getHostString() + ":" + address.getPort();
        }
        writer = new RespWriter(ctx.alloc(), RespWriter.INITIAL_CAPACITY_DEFAULT);
        deferredWriter = new RespWriter(ctx.alloc(), 256);
        router.clients().put(id, this);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof ByteBuf received) || closed || closing || writer == null)
        {
            ReferenceCountUtil.release(msg);
            return;
        }
        input = input == null ? received : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), input, received);
        processInput();
        if (input != null && input.readableBytes() > MAX_QUERY_BUFFER)
        {
            LOG.warn("closing client id={} addr={}: unparsed input over {} bytes", id, remoteAddress,
                MAX_QUERY_BUFFER);
            closeNow();
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        // this client's replies, and any other client's completed while this one's commands ran; its commands for
        // the shards leave at the end of the event loop's pass, with other clients' (EventLoopState.markDirty)
        loop.flushClients();
        updateAutoRead();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (ctx.channel().isWritable())
        {
            scheduleResume();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        cleanUp();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (!(cause instanceof IOException))
        {
            LOG.warn("client id={} addr={} failed", id, remoteAddress, cause);
        }
        closeNow();
    }

    private void processInput()
    {
        while (input != null && input.isReadable() && canProcess())
        {
            final RespParser.Result result = parser.parse(input, request);
            if (result == RespParser.Result.NEED_MORE)
            {
                break;
            }
            if (result == RespParser.Result.PROTOCOL_ERROR)
            {
                stats.protocolErrors.increment();
                localError("ERR " + parser.errorMessage());
                closeAfterFlush();
                break;
            }
            stats.commandsProcessed.increment();
            CommandDispatcher.dispatch(this, request);
            request.clear();
        }
        if (input != null)
        {
            if (!input.isReadable() || closing)
            {
                input.release();
                input = null;
            }
            else
            {
                input.discardSomeReadBytes();
            }
        }
    }

    private boolean canProcess()
    {
        return !closing && !closed && pending.size() < maxPending && heldByUpstreams == 0 &&
            ctx.channel().isWritable();
    }

    private void updateAutoRead()
    {
        if (!closed)
        {
            readingPaused = !canProcess();
            ctx.channel().config().setAutoRead(!readingPaused);
        }
    }

    private void scheduleResume()
    {
        if (!resumeScheduled && !closed)
        {
            resumeScheduled = true;
            ctx.executor().execute(resumeTask);
        }
    }

    private void resume()
    {
        resumeScheduled = false;
        if (closed)
        {
            return;
        }
        processInput();
        loop.flushClients();
        flushOutput();
        updateAutoRead();
    }

    /** A shard connection this client sent to drained: reading may go on. */
    void release(final UpstreamConnection upstream)
    {
        heldByUpstreams = Math.max(0, heldByUpstreams - 1);
        scheduleResume();
    }

    // ---- routing, called by the dispatcher while a command is being processed

    RespRequest request()
    {
        return request;
    }

    Router router()
    {
        return router;
    }

    EventLoopState loop()
    {
        return loop;
    }

    boolean isResp3()
    {
        return writer.isResp3();
    }

    void protocol(final int protocol)
    {
        writer.protocol(protocol);
        deferredWriter.protocol(protocol);
    }

    long id()
    {
        return id;
    }

    String name()
    {
        return name;
    }

    void name(final String name)
    {
        this.name = name;
    }

    String remoteAddress()
    {
        return remoteAddress;
    }

    long createdAtMillis()
    {
        return createdAtMillis;
    }

    int pendingCount()
    {
        return pending.size();
    }

    Subscriptions subscriptions()
    {
        if (subscriptions == null)
        {
            subscriptions = new Subscriptions(this);
        }
        return subscriptions;
    }

    int subscriptionCount()
    {
        return subscriptions == null ? 0 : subscriptions.count();
    }

    boolean inSubscribedMode()
    {
        return subscriptions != null && subscriptions.count() > 0 && !writer.isResp3();
    }

    /**
     * Sends the current command, as received, to the primary of {@code shard}; its reply takes the command's place
     * in the reply order.
     *
     * @param blocking true for a command that may block (BLOCK): it goes on this client's own connection.
     */
    void forward(final ShardState shard, final boolean blocking)
    {
        forwardFrame(shard, blocking, request.buffer(), request.frameOffset(), request.frameLength(), enqueue());
    }

    /**
     * Sends a frame to the primary of {@code shard}, its reply to {@code slot}.
     */
    void forwardFrame(final ShardState shard, final boolean blocking, final ByteBuf frame, final int offset,
        final int length, final ReplySlot slot)
    {
        final InetSocketAddress primary = shard.primary();
        if (primary == null)
        {
            stats.tryAgainReplies.increment();
            slot.fail(Errors.encode("TRYAGAIN shard " + shard.name() + " has no primary at the moment (" +
                shard.lastProbe() + ")"));
            return;
        }
        stats.commandsForwarded.increment();
        final UpstreamConnection upstream = blocking ? blockingConnection(shard, primary) :
            loop.shared(shard, primary, isResp3());
        upstream.send(frame, offset, length, slot);
        if (!upstream.isWritable() && upstream.hold(this))
        {
            heldByUpstreams++;
        }
    }

    private UpstreamConnection blockingConnection(final ShardState shard, final InetSocketAddress primary)
    {
        if (blockingConnections == null)
        {
            blockingConnections = new IdentityHashMap<>();
        }
        UpstreamConnection connection = blockingConnections.get(shard);
        if (connection == null || connection.isClosed() || !connection.address().equals(primary) ||
            connection.isResp3() != isResp3())
        {
            if (connection != null)
            {
                connection.close("replaced");
            }
            connection = UpstreamConnection.open(loop, shard, primary, isResp3(), null);
            blockingConnections.put(shard, connection);
        }
        return connection;
    }

    /** Closes the blocking connection to {@code shard}, abandoning a command blocked on it. */
    void cancelBlocking(final ShardState shard)
    {
        if (blockingConnections != null)
        {
            final UpstreamConnection connection = blockingConnections.remove(shard);
            if (connection != null)
            {
                connection.close("blocking read cancelled");
            }
        }
    }

    /** @return a new slot at the end of the reply order. */
    PendingReply enqueue()
    {
        PendingReply reply = spareReplies.poll();
        if (reply == null)
        {
            reply = new PendingReply(this);
        }
        pending.add(reply);
        return reply;
    }

    /**
     * @return the writer for a reply the router computes now: the output itself when no reply is pending before it,
     * else a scratch writer whose bytes {@link #endLocal()} queues behind the pending ones.
     */
    RespWriter beginLocal()
    {
        return pending.isEmpty() ? writer : deferredWriter;
    }

    /** Ends a reply begun with {@link #beginLocal()}. */
    void endLocal()
    {
        if (deferredWriter.pendingBytes() > 0)
        {
            final PendingReply reply = enqueue();
            reply.held = deferredWriter.takeBuffer();
            reply.done = true;
        }
        markDirty();
    }

    void localRaw(final byte[] encoded)
    {
        beginLocal().raw(encoded);
        endLocal();
    }

    void localError(final String message)
    {
        beginLocal().error(message);
        endLocal();
    }

    /** Writes a Pub/Sub message from a shard at once: pushes are not replies and keep no place in the order. */
    void push(final ByteBuf in, final int offset, final int length)
    {
        if (closed)
        {
            return;
        }
        writer.buffer().writeBytes(in, offset, length);
        markDirty();
    }

    /** A reply for {@code reply}, from a shard or a fan-out. */
    void onReply(final PendingReply reply, final ByteBuf in, final int offset, final int length)
    {
        if (closed)
        {
            return;
        }
        if (pending.peek() == reply)
        {
            writer.buffer().writeBytes(in, offset, length);
            pending.poll();
            recycle(reply);
            drainCompleted();
            markDirty();
        }
        else
        {
            reply.held = ctx.alloc().buffer(length).writeBytes(in, offset, length);
            reply.done = true;
        }
    }

    private void drainCompleted()
    {
        PendingReply head;
        while ((head = pending.peek()) != null && head.done)
        {
            writer.buffer().writeBytes(head.held);
            head.held.release();
            head.held = null;
            pending.poll();
            recycle(head);
        }
        if (readingPaused && pending.size() < maxPending && !closing)
        {
            scheduleResume();
        }
    }

    private void recycle(final PendingReply reply)
    {
        reply.done = false;
        reply.held = null;
        if (spareReplies.size() < maxPending)
        {
            spareReplies.add(reply);
        }
    }

    private void markDirty()
    {
        if (!dirty)
        {
            dirty = true;
            loop.markDirty(this);
        }
    }

    /** Sends the output written so far; closes the connection when its unsent output is over the limit. */
    void flushOutput()
    {
        dirty = false;
        if (closed || writer == null)
        {
            return;
        }
        drainCompleted();
        if (writer.pendingBytes() > 0)
        {
            ctx.writeAndFlush(writer.takeBuffer(), ctx.voidPromise());
        }
        final ChannelOutboundBuffer outbound = ctx.channel().unsafe().outboundBuffer();
        if (outbound != null && outbound.totalPendingWriteBytes() > router.context().maxPendingOutput())
        {
            stats.outputLimitDisconnections.increment();
            LOG.warn("closing client id={} addr={}: pending output over {} bytes", id, remoteAddress,
                router.context().maxPendingOutput());
            closeNow();
            return;
        }
        if (closing && pending.isEmpty())
        {
            ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
            closed = true;
        }
    }

    /** Stops reading; the connection closes once every pending reply is sent (QUIT, a protocol error). */
    void closeAfterFlush()
    {
        closing = true;
        markDirty();
    }

    void closeNow()
    {
        closing = true;
        ctx.close();
    }

    private void cleanUp()
    {
        if (closed && writer == null)
        {
            return;
        }
        closed = true;
        closing = true;
        if (writer != null)
        {
            router.clients().remove(id);
            stats.connectedClients.decrementAndGet();
            writer.release();
            deferredWriter.release();
            writer = null;
        }
        if (input != null)
        {
            input.release();
            input = null;
        }
        PendingReply reply;
        while ((reply = pending.poll()) != null)
        {
            if (reply.held != null)
            {
                reply.held.release();
                reply.held = null;
            }
        }
        if (blockingConnections != null)
        {
            blockingConnections.values().forEach(connection -> connection.close("client gone"));
            blockingConnections.clear();
        }
        if (subscriptions != null)
        {
            subscriptions.closeAll();
        }
    }

    boolean isClosed()
    {
        return closed;
    }

    /** A place in a client's reply order. */
    static final class PendingReply extends ReplySlot
    {
        private final ClientSession session;
        private ByteBuf held;
        private boolean done;

        PendingReply(final ClientSession session)
        {
            this.session = session;
        }

        @Override
        void complete(final ByteBuf in, final int offset, final int length)
        {
            session.onReply(this, in, offset, length);
        }

        @Override
        void fail(final byte[] encodedError)
        {
            final ByteBuf error = io.netty.buffer.Unpooled.wrappedBuffer(encodedError);
            session.onReply(this, error, 0, encodedError.length);
        }
    }

    @Override
    public String toString()
    {
        return "client id=" + id + " addr=" + remoteAddress + " name=" + name + " pending=" + pending.size();
    }
}
