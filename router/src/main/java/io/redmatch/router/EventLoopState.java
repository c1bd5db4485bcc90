package io.redmatch.router;

import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one event loop owns: its shared upstream connections (one per shard and protocol, multiplexed by every client
 * of the loop), the connections and clients with output to flush at the end of the current read, and the check that
 * times out commands a shard does not answer. Touched by its event loop's thread only.
 */
final class EventLoopState
{
    private static final long TIMEOUT_CHECK_MS = 100;

    private final Router router;
    private final EventLoop eventLoop;
    private final Map<ShardState, UpstreamConnection> resp2 = new IdentityHashMap<>();
    private final Map<ShardState, UpstreamConnection> resp3 = new IdentityHashMap<>();
    private final List<UpstreamConnection> dirtyUpstreams = new ArrayList<>();
    private final List<ClientSession> dirtyClients = new ArrayList<>();
    private final long upstreamTimeoutNanos;
    private final Runnable upstreamFlushTask = this::flushUpstreams;
    private boolean upstreamFlushScheduled;

    EventLoopState(final Router router, final EventLoop eventLoop)
    {
        this.router = router;
        this.eventLoop = eventLoop;
        this.upstreamTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(router.context().upstreamTimeoutMs());
        eventLoop.scheduleAtFixedRate(this::checkTimeouts, TIMEOUT_CHECK_MS, TIMEOUT_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    Router router()
    {
        return router;
    }

    EventLoop eventLoop()
    {
        return eventLoop;
    }

    /**
     * @return the loop's shared connection to {@code primary} of {@code shard} in the given protocol, opened when
     * missing; a connection to a former primary is closed and replaced.
     */
    UpstreamConnection shared(final ShardState shard, final InetSocketAddress primary, final boolean useResp3)
    {
        final Map<ShardState, UpstreamConnection> connections = useResp3 ? resp3 : resp2;
        UpstreamConnection connection = connections.get(shard);
        if (connection != null && !connection.isClosed() && connection.address().equals(primary))
        {
            return connection;
        }
        if (connection != null)
        {
            connection.close("shard " + shard.name() + " has a new primary");
        }
        connection = UpstreamConnection.open(this, shard, primary, useResp3, null);
        connections.put(shard, connection);
        return connection;
    }

    /** Drops a closed connection from the shared ones. */
    void forget(final UpstreamConnection connection)
    {
        final Map<ShardState, UpstreamConnection> connections = connection.isResp3() ? resp3 : resp2;
        connections.remove(connection.shard(), connection);
    }

    /**
     * Queues a connection's flush for the end of this pass of the event loop, after every client that is ready has
     * been read: the commands of many clients leave in one write to the shard (fewer system calls here, bigger
     * batches for the node's group commit).
     */
    void markDirty(final UpstreamConnection connection)
    {
        dirtyUpstreams.add(connection);
        if (!upstreamFlushScheduled)
        {
            upstreamFlushScheduled = true;
            eventLoop.execute(upstreamFlushTask);
        }
    }

    void markDirty(final ClientSession client)
    {
        dirtyClients.add(client);
    }

    /** Sends what clients of this loop queued for the shards during the current read. */
    void flushUpstreams()
    {
        upstreamFlushScheduled = false;
        for (int i = 0; i < dirtyUpstreams.size(); i++)
        {
            dirtyUpstreams.get(i).flush();
        }
        dirtyUpstreams.clear();
    }

    /** Sends the replies completed during the current read of a shard connection to their clients. */
    void flushClients()
    {
        for (int i = 0; i < dirtyClients.size(); i++)
        {
            dirtyClients.get(i).flushOutput();
        }
        dirtyClients.clear();
    }

    /** @return the number of shared upstream connections of this loop. */
    int sharedConnectionCount()
    {
        return resp2.size() + resp3.size();
    }

    private void checkTimeouts()
    {
        final long now = System.nanoTime();
        checkTimeouts(resp2, now);
        checkTimeouts(resp3, now);
    }

    private void checkTimeouts(final Map<ShardState, UpstreamConnection> connections, final long now)
    {
        if (connections.isEmpty())
        {
            return;
        }
        for (final UpstreamConnection connection : new ArrayList<>(connections.values()))
        {
            final long oldest = connection.oldestSentAtNanos();
            if (oldest != 0 && now - oldest > upstreamTimeoutNanos)
            {
                router.stats().upstreamTimeouts.increment();
                connection.closeAfterFailure("no reply from its primary " +
                    UpstreamConnection.describe(connection.address()) + " within " +
                    router.context().upstreamTimeoutMs() + " ms");
            }
        }
    }
}
