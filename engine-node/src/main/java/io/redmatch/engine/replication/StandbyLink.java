package io.redmatch.engine.replication;

/**
 * What a primary knows of one standby, from its acknowledgements. Confined to the primary's event loop.
 */
final class StandbyLink
{
    private final String host;
    private final int port;
    private long epoch;
    private long ackedLogSeq;
    private long ackedPosition;
    private long lastAckNs;
    private long lastProgressNs;
    private boolean outOfSync;

    StandbyLink(final String host, final int port)
    {
        this.host = host;
        this.port = port;
    }

    /** @return true when the acknowledgement moved the acked log sequence. */
    boolean onAck(final long epoch, final long logSeq, final long position, final long nowNs)
    {
        this.epoch = epoch;
        lastAckNs = nowNs;
        if (logSeq > ackedLogSeq)
        {
            ackedLogSeq = logSeq;
            ackedPosition = position;
            lastProgressNs = nowNs;
            return true;
        }
        return false;
    }

    String host()
    {
        return host;
    }

    int port()
    {
        return port;
    }

    long epoch()
    {
        return epoch;
    }

    long ackedLogSeq()
    {
        return ackedLogSeq;
    }

    long ackedPosition()
    {
        return ackedPosition;
    }

    long lastAckNs()
    {
        return lastAckNs;
    }

    long lastProgressNs()
    {
        return lastProgressNs;
    }

    boolean outOfSync()
    {
        return outOfSync;
    }

    void outOfSync(final boolean outOfSync)
    {
        this.outOfSync = outOfSync;
    }
}
