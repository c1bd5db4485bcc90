package io.redmatch.engine.node;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty bootstrap of the node's RESP server: one acceptor thread, and ONE event loop thread for every client
 * connection, which is the node's single writer. Epoll when the platform has it, NIO otherwise.
 */
final class RespServer
{
    private static final int ACCEPT_BACKLOG = 1024;
    private static final long STOP_TIMEOUT_MS = 5_000;

    private final EngineNode node;
    private EventLoopGroup acceptGroup;
    private EventLoopGroup workerGroup;
    private EventLoop eventLoop;
    private Channel serverChannel;
    private boolean epoll;

    RespServer(final EngineNode node)
    {
        this.node = node;
    }

    void start()
    {
        final EngineNodeContext context = node.context();
        epoll = context.epoll() && Epoll.isAvailable();
        final Class<? extends ServerChannel> channelClass;
        if (epoll)
        {
            acceptGroup = new EpollEventLoopGroup(1, new DefaultThreadFactory("redmatch-accept"));
            workerGroup = new EpollEventLoopGroup(1, new DefaultThreadFactory("redmatch-node"));
            channelClass = EpollServerSocketChannel.class;
        }
        else
        {
            acceptGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("redmatch-accept"));
            workerGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("redmatch-node"));
            channelClass = NioServerSocketChannel.class;
        }
        eventLoop = workerGroup.next();

        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(acceptGroup, workerGroup)
            .channel(channelClass)
            .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(context.writeLowWaterMark(), context.writeHighWaterMark()))
            .childHandler(new ChannelInitializer<>()
            {
                protected void initChannel(final Channel channel)
                {
                    channel.pipeline().addLast(new ConnectionHandler(node));
                }
            });
        try
        {
            serverChannel = bootstrap.bind(context.bindAddress(), context.port()).sync().channel();
        }
        catch (final Exception ex)
        {
            stopGroups();
            throw new IllegalStateException(
                "cannot listen on " + context.bindAddress() + ":" + context.port() + ": " + ex.getMessage(), ex);
        }
    }

    /** Stops accepting, runs {@code onEventLoop} on the node's event loop, then stops the threads. */
    void stop(final Runnable onEventLoop)
    {
        if (serverChannel != null)
        {
            serverChannel.close().awaitUninterruptibly(STOP_TIMEOUT_MS);
        }
        if (eventLoop != null && !eventLoop.isShuttingDown())
        {
            eventLoop.submit(onEventLoop).awaitUninterruptibly(STOP_TIMEOUT_MS);
        }
        stopGroups();
    }

    EventLoop eventLoop()
    {
        return eventLoop;
    }

    int port()
    {
        return serverChannel == null ? -1 : ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    String transportName()
    {
        return epoll ? "epoll" : "nio";
    }

    private void stopGroups()
    {
        if (acceptGroup != null)
        {
            acceptGroup.shutdownGracefully(0, STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        if (workerGroup != null)
        {
            workerGroup.shutdownGracefully(0, STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(STOP_TIMEOUT_MS);
        }
        if (acceptGroup != null)
        {
            acceptGroup.terminationFuture().awaitUninterruptibly(STOP_TIMEOUT_MS);
        }
    }
}
