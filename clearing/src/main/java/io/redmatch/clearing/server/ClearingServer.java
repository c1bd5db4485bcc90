package io.redmatch.clearing.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.redis.FixedRedisMessagePool;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;
import io.redmatch.clearing.ClearingService;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The RESP server of clearing, on Netty with {@code netty-codec-redis}: clearing answers a few queries off the hot
 * path, so Netty's decoder and aggregators (RESP2) serve it, behind {@link RespLimits} so a hostile frame cannot make
 * them allocate without bound.
 */
public final class ClearingServer implements AutoCloseable
{
    /** Longest inline command accepted. */
    public static final int MAX_INLINE_LENGTH = 64 * 1024;

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel channel;

    /**
     * Binds and starts serving.
     *
     * @param service the service whose state is served.
     * @param bind    listen address.
     * @param port    port; 0 picks a free one.
     */
    public ClearingServer(final ClearingService service, final String bind, final int port)
    {
        final ClearingCommands commands = new ClearingCommands(service);
        try
        {
            channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline()
                            .addLast(new RedisDecoder(MAX_INLINE_LENGTH, FixedRedisMessagePool.INSTANCE, true))
                            .addLast(new RespLimits())
                            .addLast(new RedisBulkStringAggregator())
                            .addLast(new RedisArrayAggregator())
                            .addLast(new RedisEncoder())
                            .addLast(new ClearingConnectionHandler(commands));
                    }
                })
                .bind(bind, port).syncUninterruptibly().channel();
        }
        catch (final RuntimeException ex)
        {
            group.shutdownGracefully();
            throw new IllegalStateException("cannot listen on " + bind + ":" + port + ": " + ex.getMessage(), ex);
        }
    }

    /** @return the bound port. */
    public int port()
    {
        return ((InetSocketAddress)channel.localAddress()).getPort();
    }

    @Override
    public void close()
    {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
