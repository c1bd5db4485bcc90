package io.redmatch.router;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One shard as the router sees it: its members and the primary it currently routes to. A daemon thread of its own
 * probes the members ({@link PrimaryProbe}) every probe interval, and at once when an event loop reports trouble
 * ({@link #recheck()}: a {@code -READONLY} reply, a lost or timed-out connection), so one hung shard never delays the
 * others' probes. Event loops read {@link #primary()} (a volatile) on every routed command.
 */
final class ShardState
{
    private static final Logger LOG = LoggerFactory.getLogger(ShardState.class);

    /** Consecutive probes the primary may leave unanswered (timeouts) before the shard is taken as without one. */
    static final int SLOW_PROBES_BEFORE_DOWN = 3;
    /** A reply on a data connection this recent shows a primary that misses probe deadlines is still serving. */
    private static final long RECENT_REPLY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    private final String name;
    private final List<InetSocketAddress> members;
    private final PrimaryProbe probe;
    /** Probe interval while the shard has no primary. */
    static final long NO_PRIMARY_INTERVAL_MS = 50;

    private final long intervalMs;
    private final Thread thread;
    private volatile InetSocketAddress primary;
    private volatile long epoch;
    private volatile String lastProbe = "not probed yet";
    private volatile boolean running = true;
    private boolean recheckRequested;
    private int slowProbes;
    /** When a connection of any event loop last got a reply from this shard. */
    private volatile long lastReplyNanos;

    ShardState(final String name, final List<InetSocketAddress> members, final PrimaryProbe probe,
        final long intervalMs)
    {
        this.name = name;
        this.members = members;
        this.probe = probe;
        this.intervalMs = intervalMs;
        this.thread = new Thread(this::run, "router-probe-" + name);
        this.thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    void stop()
    {
        running = false;
        thread.interrupt();
    }

    String name()
    {
        return name;
    }

    List<InetSocketAddress> members()
    {
        return members;
    }

    /** @return the current primary, or null while the shard has none (every command for it gets -TRYAGAIN). */
    InetSocketAddress primary()
    {
        return primary;
    }

    /** Notes that a connection got replies from this shard; called once per read of a shard connection. */
    void replied(final long nowNanos)
    {
        lastReplyNanos = nowNanos;
    }

    long epoch()
    {
        return epoch;
    }

    String lastProbe()
    {
        return lastProbe;
    }

    /** Asks for a probe now; many requests before it runs are one probe. Any thread. */
    void recheck()
    {
        synchronized (this)
        {
            recheckRequested = true;
            notifyAll();
        }
    }

    /** Probes once, on the caller's thread; used at start so the first commands find a primary. */
    void probeNow()
    {
        apply(probe.findPrimary(members));
    }

    private void run()
    {
        while (running)
        {
            try
            {
                synchronized (this)
                {
                    if (!recheckRequested)
                    {
                        // with no primary every command of the shard gets -TRYAGAIN: look again soon, so a promoted
                        // standby is found within a few tens of milliseconds instead of a whole interval
                        wait(primary == null ? Math.min(intervalMs, NO_PRIMARY_INTERVAL_MS) : intervalMs);
                    }
                    recheckRequested = false;
                }
                if (running)
                {
                    apply(probe.findPrimary(members));
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("shard {}: probe failed", name, ex);
            }
        }
    }

    private void apply(final PrimaryProbe.Result result)
    {
        lastProbe = result.summary();
        final InetSocketAddress previous = primary;
        if (result.primary() == null && previous != null && result.timedOut().contains(previous) &&
            (++slowProbes < SLOW_PROBES_BEFORE_DOWN || System.nanoTime() - lastReplyNanos < RECENT_REPLY_NANOS))
        {
            // a primary busy enough to miss a probe's deadline while it still answers the router's connections is
            // loaded, not gone; a refused connection, a "not master" answer, or silence on every connection is
            // what takes it out of routing
            LOG.info("shard {}: primary {} slow to answer the probe ({} in a row), still routed to", name,
                UpstreamConnection.describe(previous), slowProbes);
            return;
        }
        slowProbes = 0;
        if (result.primary() == null)
        {
            if (previous != null)
            {
                LOG.warn("shard {}: no primary ({}); its commands get -TRYAGAIN", name, result.summary());
            }
            primary = null;
            return;
        }
        epoch = result.epoch();
        primary = result.primary();
        if (!result.primary().equals(previous))
        {
            LOG.info("shard {}: primary is {} (epoch {})", name, UpstreamConnection.describe(result.primary()),
                result.epoch());
        }
    }

    @Override
    public String toString()
    {
        return name;
    }
}
