package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.redmatch.engine.resp.RespParser;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The pipeline end of one client connection, on the node's event loop: accumulates what the client sends, parses
 * every complete command of a read in place, dispatches each, and writes all their replies into one pooled buffer
 * that is written and flushed once per read batch ({@code channelReadComplete}): write many, flush once. While the
 * command log holds commands that are not yet durable, the flush waits for the {@link GroupCommit} of the batch.
 * <p>
 * Protection, so no client can hurt the node or the others:
 * <ul>
 *     <li>a malformed request gets {@code -ERR Protocol error: ...} and the connection closes once it is flushed;</li>
 *     <li>unexecuted input beyond the query buffer limit closes the connection;</li>
 *     <li>back-pressure: when the socket is not writable (the client reads slower than it asks), reading from that
 *     client stops until it drains, so a pipelining client that never reads holds at most a high water mark of
 *     replies;</li>
 *     <li>unsent output beyond the pending output limit (a subscriber that never reads, a huge reply) closes the
 *     connection at once, dropping its output;</li>
 *     <li>everything a connection holds (input, output, subscriptions, blocked command) is released when it closes,
 *     so connections opened and dropped leave nothing behind.</li>
 * </ul>
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
    private static final byte[] MAX_CLIENTS_REACHED =
        "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);

    private final EngineNode node;
    private final ServerStats stats;
    private final CommandDispatcher dispatcher;
    private final RespParser parser;
    private final RespRequest request = new RespRequest();
    private final int maxQueryBuffer;
    private final int maxPendingOutput;
    private final Runnable flushTask = this::scheduledFlush;
    private final Runnable resumeTask = this::resume;
    private ChannelHandlerContext ctx;
    private Connection connection;
    private RespWriter writer;
    private ByteBuf input;
    private boolean flushScheduled;
    private boolean held;
    private boolean closing;
    private boolean closed;
    private boolean cleanedUp;

    ConnectionHandler(final EngineNode node)
    {
        final EngineNodeContext context = node.context();
        this.node = node;
        this.stats = node.stats();
        this.dispatcher = node.dispatcher();
        this.parser = new RespParser(context.maxArgs(), context.maxBulkLength(), context.maxInlineLength());
        this.maxQueryBuffer = context.maxQueryBuffer();
        this.maxPendingOutput = context.maxPendingOutput();
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        if (node.isClosing() || node.connectionCount() >= node.context().maxClients())
        {
            stats.connectionsRejected++;
            closed = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(MAX_CLIENTS_REACHED)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        writer = new RespWriter(ctx.alloc(), RespWriter.INITIAL_CAPACITY_DEFAULT);
        connection = new Connection(
            node.nextConnectionId(),
            node,
            writer,
            this,
            address(ctx.channel().remoteAddress()),
            address(ctx.channel().localAddress()),
            System.currentTimeMillis());
        node.addConnection(connection);
        stats.connectionsReceived++;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof ByteBuf) || connection == null || closing)
        {
            ReferenceCountUtil.release(msg);
            return;
        }
        final ByteBuf received = (ByteBuf)msg;
        stats.netInputBytes += received.readableBytes();
        input = input == null ? received : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), input, received);
        connection.touch(System.currentTimeMillis());
        processInput();
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        flush();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (ctx.channel().isWritable() && !closing)
        {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        closed = true;
        closing = true;
        cleanUp();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof IOException)
        {
            LOG.debug("connection {} failed: {}", connection, cause.toString());
        }
        else
        {
            LOG.warn("connection {} failed", connection, cause);
        }
        closeNow();
    }

    /** @return the event loop the connection runs on. */
    EventExecutor executor()
    {
        return ctx.executor();
    }

    /** @return bytes of output written and not yet sent: this batch's and the socket's queue. */
    long pendingOutputBytes()
    {
        long pending = writer == null ? 0 : writer.pendingBytes();
        if (ctx != null)
        {
            final ChannelOutboundBuffer outbound = ctx.channel().unsafe().outboundBuffer();
            if (outbound != null)
            {
                pending += outbound.totalPendingWriteBytes();
            }
        }
        return pending;
    }

    /**
     * Closes the connection when its unsent output passed the limit.
     *
     * @return true when the connection is still open.
     */
    boolean enforceOutputLimit()
    {
        if (closed)
        {
            if (writer != null)
            {
                writer.release();
            }
            return false;
        }
        if (writer.pendingBytes() > maxPendingOutput || pendingOutputBytes() > maxPendingOutput)
        {
            stats.outputLimitDisconnections++;
            LOG.warn("closing client id={} addr={}: pending output over the limit of {} bytes",
                connection.id(), connection.remoteAddress(), maxPendingOutput);
            closeNow();
            return false;
        }
        return true;
    }

    /** Stops executing commands and closes once the replies written so far are flushed. */
    void closeAfterFlush()
    {
        if (!closing)
        {
            closing = true;
            requestFlush();
        }
    }

    /** Closes at once, dropping unsent output. */
    void closeNow()
    {
        closing = true;
        if (!closed)
        {
            closed = true;
            cleanUp();
            ctx.close();
        }
    }

    /** Flushes after the current task, e.g. after a publish to this subscriber. */
    void requestFlush()
    {
        if (!flushScheduled && !closed && ctx != null)
        {
            flushScheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    /** A blocked command completed: flush its reply and carry on with the buffered pipeline, in a task of its own. */
    void resumeLater()
    {
        if (!closed)
        {
            ctx.executor().execute(resumeTask);
        }
    }

    private void resume()
    {
        if (closed || connection.isBlocked())
        {
            return;
        }
        processInput();
        flush();
    }

    private void scheduledFlush()
    {
        flushScheduled = false;
        flush();
    }

    private void processInput()
    {
        final ByteBuf input = this.input;
        if (input == null)
        {
            return;
        }
        parse:
        while (!closing && !connection.isBlocked())
        {
            switch (parser.parse(input, request))
            {
                case NEED_MORE:
                    break parse;

                case PROTOCOL_ERROR:
                    stats.protocolErrors++;
                    writer.error("ERR " + parser.errorMessage());
                    LOG.debug("closing client id={} addr={}: {}",
                        connection.id(), connection.remoteAddress(), parser.errorMessage());
                    closeAfterFlush();
                    break parse;

                case COMMAND:
                    dispatcher.dispatch(connection, request, writer);
                    request.clear();
                    if (!enforceOutputLimit())
                    {
                        return;
                    }
                    break;
            }
        }
        // the request is not cleared here: after NEED_MORE it holds the arguments of a half-parsed frame
        if (!closed && input.readableBytes() > maxQueryBuffer)
        {
            stats.queryLimitDisconnections++;
            LOG.warn("closing client id={} addr={}: unexecuted input over the limit of {} bytes",
                connection.id(), connection.remoteAddress(), maxQueryBuffer);
            writer.error("ERR Protocol error: query buffer limit exceeded");
            closeAfterFlush();
        }
        compactInput();
    }

    private void compactInput()
    {
        final ByteBuf input = this.input;
        if (input == null)
        {
            return;
        }
        if (!input.isReadable() || closing)
        {
            this.input = null;
            input.release();
            parser.reset();
        }
        else
        {
            input.discardSomeReadBytes();
        }
    }

    /** @return true while the {@link GroupCommit} holds this connection's output until the log is durable. */
    boolean isHeld()
    {
        return held;
    }

    void held(final boolean held)
    {
        this.held = held;
    }

    /** The group commit made the log durable: flush what was held. */
    void flushHeld()
    {
        flush();
    }

    private void flush()
    {
        if (closed || node.groupCommit().hold(this))
        {
            return;
        }
        final ByteBuf output = writer.takeBuffer();
        if (output != null)
        {
            if (output.isReadable())
            {
                stats.netOutputBytes += output.readableBytes();
                ctx.write(output, ctx.voidPromise());
            }
            else
            {
                output.release();
            }
        }
        if (closing)
        {
            closed = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            cleanUp();
            return;
        }
        ctx.flush();
        if (!ctx.channel().isWritable())
        {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void cleanUp()
    {
        if (cleanedUp)
        {
            return;
        }
        cleanedUp = true;
        if (connection != null)
        {
            connection.markClosed();
            node.blockingKeys().abort(connection);
            node.pubSub().unsubscribeAll(connection);
            node.removeConnection(connection);
            writer.release();
        }
        if (input != null)
        {
            input.release();
            input = null;
        }
        parser.reset();
        request.clear();
    }

    private static String address(final SocketAddress address)
    {
        if (address instanceof InetSocketAddress)
        {
            final InetSocketAddress inet = (InetSocketAddress)address;
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
