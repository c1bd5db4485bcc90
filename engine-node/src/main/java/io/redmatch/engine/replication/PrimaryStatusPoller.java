package io.redmatch.engine.replication;

import io.redmatch.replicator.PrimaryEndpoint;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a standby last heard from its primary about the primary's own commit: its committed log sequence and whether
 * it marks this standby out of sync (it degraded to local acks while this standby was behind). Asked over RESP
 * ({@code INFO replication}) every {@value #POLL_MILLIS} ms on a thread of its own, so that after the primary dies
 * the standby can still tell ops failover the last committed position it knows of, and whether it was in sync.
 * <p>
 * The answer is as old as the last poll: under {@code ack standby} the primary commits nothing the standby has not
 * recorded, so it only confirms; under {@code ack local} it bounds what a promotion would lose to one poll interval.
 */
final class PrimaryStatusPoller implements AutoCloseable
{
    static final long POLL_MILLIS = 200;

    private final int standbyPort;
    private final ScheduledExecutorService executor;
    private volatile String host;
    private volatile int port;
    private volatile long committedLogSeq = -1;
    private volatile boolean outOfSync;
    private volatile long lastAnswerMillis;

    /**
     * @param host        the primary's host.
     * @param port        its RESP port.
     * @param standbyPort this standby's RESP port, by which the primary lists it.
     */
    PrimaryStatusPoller(final String host, final int port, final int standbyPort)
    {
        this.host = host;
        this.port = port;
        this.standbyPort = standbyPort;
        executor = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "redmatch-primary-status");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Asks another primary from now on; what the old one said is kept until the new one answers. */
    void target(final String newHost, final int newPort)
    {
        host = newHost;
        port = newPort;
    }

    /** @return the primary's committed log sequence when it last answered, -1 before it ever did. */
    long committedLogSeq()
    {
        return committedLogSeq;
    }

    /** @return true when the primary, at its last answer, marked this standby out of sync. */
    boolean outOfSync()
    {
        return outOfSync;
    }

    /** @return milliseconds since the primary last answered, -1 when it never did. */
    long millisSinceAnswer()
    {
        final long last = lastAnswerMillis;
        return last == 0 ? -1 : System.currentTimeMillis() - last;
    }

    private void poll()
    {
        try
        {
            final Map<String, String> fields = PrimaryEndpoint.replicationInfo(host, port);
            if (!"master".equals(fields.get("role")))
            {
                return;
            }
            final String committed = fields.get("committed_position");
            if (committed != null)
            {
                committedLogSeq = Long.parseLong(committed.trim());
            }
            outOfSync = isMarkedOutOfSync(fields);
            lastAnswerMillis = System.currentTimeMillis();
        }
        catch (final RuntimeException unreachable)
        {
            // the primary is gone or busy: what it said last stands, and millisSinceAnswer shows how old it is
        }
    }

    private boolean isMarkedOutOfSync(final Map<String, String> fields)
    {
        final String portField = ",port=" + standbyPort + ",";
        for (final Map.Entry<String, String> field : fields.entrySet())
        {
            if (field.getKey().startsWith("slave") && field.getValue().contains(portField))
            {
                return field.getValue().contains("state=out_of_sync");
            }
        }
        return false;
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
    }
}
