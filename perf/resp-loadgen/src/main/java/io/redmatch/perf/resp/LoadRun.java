package io.redmatch.perf.resp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of the load: connects every connection on a single event loop thread (the generator takes one core, so
 * the target keeps the other), paces the requests with a {@link PacingAgent}, waits for the replies and returns the
 * {@link LoadResult}.
 */
final class LoadRun
{
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long COMPLETION_MARGIN_SECONDS = 30;

    private final LoadContext context;

    LoadRun(final LoadContext context)
    {
        this.context = context;
    }

    /**
     * Runs the load.
     *
     * @return what it measured.
     * @throws InterruptedException  when interrupted while waiting.
     * @throws IllegalStateException when a connection cannot be made.
     */
    LoadResult run() throws InterruptedException
    {
        final boolean epoll = Epoll.isAvailable();
        final EventLoopGroup group = epoll ?
            new EpollEventLoopGroup(1, new DefaultThreadFactory("resp-loadgen")) :
            new NioEventLoopGroup(1, new DefaultThreadFactory("resp-loadgen"));
        final LoadConnection[] connections = new LoadConnection[context.connections()];
        try
        {
            final EventLoop eventLoop = group.next();
            final CompletableFuture<PacingAgent> agentHolder = new CompletableFuture<>();
            final LatencyRecorder recorder = new LatencyRecorder();
            final LoadConnection.LoadListener listener =
                (connection, reason) -> agentHolder.thenAccept(agent -> agent.onConnectionFailed(connection, reason));
            final Bootstrap bootstrap = new Bootstrap()
                .group(eventLoop)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000);
            for (int i = 0; i < connections.length; i++)
            {
                final LoadConnection connection = new LoadConnection(i, recorder, listener);
                connections[i] = connection;
                final ChannelFuture connected = bootstrap.handler(connection).connect(context.host(), context.port())
                    .awaitUninterruptibly();
                if (!connected.isSuccess() || !connected.channel().isActive())
                {
                    throw new IllegalStateException("cannot connect to " + context.host() + ":" + context.port() +
                        ": " + connected.cause());
                }
            }
            final RequestEncoder encoder = context.workload().newEncoder(context);
            final long startNs = System.nanoTime() + START_DELAY_NS;
            final long measureStartNs = startNs + TimeUnit.SECONDS.toNanos(context.warmupSeconds());
            recorder.window(measureStartNs, measureStartNs + TimeUnit.SECONDS.toNanos(context.durationSeconds()));
            final PacingAgent agent = new PacingAgent(eventLoop, connections, encoder, recorder, startNs, context);
            eventLoop.execute(() ->
            {
                agentHolder.complete(agent);
                agent.start();
            });
            final String stopReason = awaitCompletion(agent);
            final LoadResult[] result = new LoadResult[1];
            eventLoop.submit(() -> result[0] = new LoadResult(context, encoder.describe(), recorder,
                agent.saturated(), stopReason, epoll)).syncUninterruptibly();
            return result[0];
        }
        finally
        {
            for (final LoadConnection connection : connections)
            {
                if (connection != null)
                {
                    group.next().execute(connection::close);
                }
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private String awaitCompletion(final PacingAgent agent) throws InterruptedException
    {
        final long limitSeconds = context.warmupSeconds() + context.durationSeconds() + context.drainSeconds() +
            COMPLETION_MARGIN_SECONDS;
        try
        {
            return agent.completion().get(limitSeconds, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            return "the run failed: " + ex.getCause();
        }
        catch (final TimeoutException ex)
        {
            return "the run did not finish within " + limitSeconds + " s";
        }
    }
}
