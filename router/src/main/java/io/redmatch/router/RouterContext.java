package io.redmatch.router;

import java.nio.file.Path;

/**
 * Configuration of a router, with defaults in named constants, validated once in {@link #conclude()}.
 */
public final class RouterContext
{
    public static final int PORT_DEFAULT = 7000;
    public static final String BIND_DEFAULT = "127.0.0.1";
    /** One event loop: on a small machine the router shares the cores with the shards and the clients. */
    public static final int THREADS_DEFAULT = 1;
    public static final long PROBE_INTERVAL_MS_DEFAULT = 500;
    public static final int PROBE_CONNECT_TIMEOUT_MS_DEFAULT = 300;
    public static final int PROBE_READ_TIMEOUT_MS_DEFAULT = 1000;
    /** A command without a reply from its shard for this long fails with -TRYAGAIN and the link is reset. */
    public static final long UPSTREAM_TIMEOUT_MS_DEFAULT = 5000;
    public static final long SHARD_FILE_CHECK_MS_DEFAULT = 1000;
    /** Commands of one client awaiting replies before the router stops reading from it. */
    public static final int MAX_PENDING_PER_CLIENT_DEFAULT = 1024;
    /** Replies held for one client (it reads slower than it asks) before it is disconnected. */
    public static final int MAX_PENDING_OUTPUT_DEFAULT = 64 * 1024 * 1024;
    public static final int MAX_CLIENTS_DEFAULT = 10_000;

    private int port = PORT_DEFAULT;
    private String bind = BIND_DEFAULT;
    private Path shardFile;
    private int threads = THREADS_DEFAULT;
    private long probeIntervalMs = PROBE_INTERVAL_MS_DEFAULT;
    private int probeConnectTimeoutMs = PROBE_CONNECT_TIMEOUT_MS_DEFAULT;
    private int probeReadTimeoutMs = PROBE_READ_TIMEOUT_MS_DEFAULT;
    private long upstreamTimeoutMs = UPSTREAM_TIMEOUT_MS_DEFAULT;
    private long shardFileCheckMs = SHARD_FILE_CHECK_MS_DEFAULT;
    private int maxPendingPerClient = MAX_PENDING_PER_CLIENT_DEFAULT;
    private int maxPendingOutput = MAX_PENDING_OUTPUT_DEFAULT;
    private int maxClients = MAX_CLIENTS_DEFAULT;

    public RouterContext port(final int port)
    {
        this.port = port;
        return this;
    }

    public int port()
    {
        return port;
    }

    public RouterContext bind(final String bind)
    {
        this.bind = bind;
        return this;
    }

    public String bind()
    {
        return bind;
    }

    public RouterContext shardFile(final Path shardFile)
    {
        this.shardFile = shardFile;
        return this;
    }

    public Path shardFile()
    {
        return shardFile;
    }

    public RouterContext threads(final int threads)
    {
        this.threads = threads;
        return this;
    }

    public int threads()
    {
        return threads;
    }

    public RouterContext probeIntervalMs(final long probeIntervalMs)
    {
        this.probeIntervalMs = probeIntervalMs;
        return this;
    }

    public long probeIntervalMs()
    {
        return probeIntervalMs;
    }

    public int probeConnectTimeoutMs()
    {
        return probeConnectTimeoutMs;
    }

    public int probeReadTimeoutMs()
    {
        return probeReadTimeoutMs;
    }

    public RouterContext upstreamTimeoutMs(final long upstreamTimeoutMs)
    {
        this.upstreamTimeoutMs = upstreamTimeoutMs;
        return this;
    }

    public long upstreamTimeoutMs()
    {
        return upstreamTimeoutMs;
    }

    public long shardFileCheckMs()
    {
        return shardFileCheckMs;
    }

    public RouterContext maxPendingPerClient(final int maxPendingPerClient)
    {
        this.maxPendingPerClient = maxPendingPerClient;
        return this;
    }

    public int maxPendingPerClient()
    {
        return maxPendingPerClient;
    }

    public int maxPendingOutput()
    {
        return maxPendingOutput;
    }

    public RouterContext maxClients(final int maxClients)
    {
        this.maxClients = maxClients;
        return this;
    }

    public int maxClients()
    {
        return maxClients;
    }

    /**
     * Checks the configuration once, before anything starts.
     *
     * @return this context.
     * @throws IllegalArgumentException on a bad value.
     */
    public RouterContext conclude()
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (shardFile == null)
        {
            throw new IllegalArgumentException("a shard file is required (--shards <file>)");
        }
        if (threads < 1 || probeIntervalMs < 10 || upstreamTimeoutMs < 10 || maxPendingPerClient < 1 ||
            maxClients < 1)
        {
            throw new IllegalArgumentException("threads, probe interval, upstream timeout and limits must be " +
                "positive (intervals at least 10 ms)");
        }
        return this;
    }

    @Override
    public String toString()
    {
        return "port=" + port + " bind=" + bind + " shards=" + shardFile + " threads=" + threads +
            " probeIntervalMs=" + probeIntervalMs + " upstreamTimeoutMs=" + upstreamTimeoutMs +
            " maxPendingPerClient=" + maxPendingPerClient + " maxPendingOutput=" + maxPendingOutput +
            " maxClients=" + maxClients;
    }
}
