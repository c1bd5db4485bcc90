package io.redmatch.router;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The router: a RESP server whose clients' commands go to the primaries of the shards that own their pairs. Its
 * event loops run client connections and their upstream connections together ({@link EventLoopState}); the
 * {@link Topology} knows the shard map and each shard's primary.
 */
public final class Router implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    /** Reported by {@code HELLO} and {@code INFO}: the Redis version whose behaviour the router follows. */
    static final String VERSION = "7.2.0";
    private static final int LOW_WATER_MARK = 256 * 1024;
    private static final int HIGH_WATER_MARK = 1024 * 1024;

    private final RouterContext context;
    private final Topology topology;
    private final RouterStats stats = new RouterStats();
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> socketChannelClass;
    private final Map<EventLoop, EventLoopState> loops = new ConcurrentHashMap<>();
    private final Map<Long, ClientSession> clients = new ConcurrentHashMap<>();
    private final AtomicLong nextClientId = new AtomicLong();
    private final long startedAtMillis = System.currentTimeMillis();
    private final Channel serverChannel;

    private Router(final RouterContext context) throws InterruptedException
    {
        this.context = context;
        this.topology = new Topology(context);
        final Class<? extends ServerSocketChannel> serverChannelClass;
        if (Epoll.isAvailable())
        {
            group = new EpollEventLoopGroup(context.threads());
            serverChannelClass = EpollServerSocketChannel.class;
            socketChannelClass = EpollSocketChannel.class;
        }
        else
        {
            group = new NioEventLoopGroup(context.threads());
            serverChannelClass = NioServerSocketChannel.class;
            socketChannelClass = NioSocketChannel.class;
        }
        try
        {
            serverChannel = new ServerBootstrap()
                .group(group)
                .channel(serverChannelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                    new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel channel)
                    {
                        channel.pipeline().addLast(new ClientSession(Router.this, loopState(channel.eventLoop())));
                    }
                })
                .bind(new InetSocketAddress(context.bind(), context.port()))
                .sync()
                .channel();
        }
        catch (final RuntimeException | InterruptedException ex)
        {
            group.shutdownGracefully();
            topology.close();
            throw ex;
        }
    }

    /**
     * Starts a router: loads the shard map, probes every shard once, then listens.
     *
     * @param context the configuration, concluded here.
     * @return the running router.
     * @throws InterruptedException when interrupted while binding.
     */
    public static Router start(final RouterContext context) throws InterruptedException
    {
        context.conclude();
        final Router router = new Router(context);
        LOG.info("router listening on {}:{} ({})", context.bind(), router.port(), context);
        return router;
    }

    /** @return the port the router listens on (the configured one, or the one chosen for port 0). */
    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    RouterContext context()
    {
        return context;
    }

    Topology topology()
    {
        return topology;
    }

    RouterStats stats()
    {
        return stats;
    }

    Class<? extends SocketChannel> socketChannelClass()
    {
        return socketChannelClass;
    }

    long startedAtMillis()
    {
        return startedAtMillis;
    }

    Map<Long, ClientSession> clients()
    {
        return clients;
    }

    long nextClientId()
    {
        return nextClientId.incrementAndGet();
    }

    int sharedUpstreamCount()
    {
        return loops.values().stream().mapToInt(EventLoopState::sharedConnectionCount).sum();
    }

    static long processId()
    {
        return ProcessHandle.current().pid();
    }

    private EventLoopState loopState(final EventLoop eventLoop)
    {
        return loops.computeIfAbsent(eventLoop, loop -> new EventLoopState(this, loop));
    }

    /** Waits until the router's channel closes. */
    public void awaitClose() throws InterruptedException
    {
        serverChannel.closeFuture().sync();
    }

    @Override
    public void close()
    {
        serverChannel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        topology.close();
    }
}
