package io.redmatch.engine.replication;

import io.redmatch.replicator.PrimaryEndpoint;

import java.util.Map;

/**
 * Whether a primary told {@code REPLICAOF <host> <port>} at runtime holds an uncommitted tail: entries from the log
 * seq where the other node's term began ({@code epoch_start_seq}), which the other never had. Such a tail is
 * discarded only when the node starts ({@link RejoinTailDiscard}, with {@code --replicaof}), since the state built
 * from it must be rebuilt without it; at runtime the node refuses with what to do. Blocking: not for the event loop.
 */
final class RejoinCheck
{
    private RejoinCheck()
    {
    }

    /**
     * @param host       the node to follow.
     * @param port       its RESP port.
     * @param epoch      this node's epoch.
     * @param lastLogSeq this node's last log seq.
     * @return why this node cannot follow it as it is, or null when it can (as far as its term start tells).
     */
    static String tailError(final String host, final int port, final long epoch, final long lastLogSeq)
    {
        final Map<String, String> other;
        try
        {
            other = PrimaryEndpoint.replicationInfo(host, port);
        }
        catch (final RuntimeException ex)
        {
            return null;
        }
        final long otherEpoch = parse(other.get("epoch"));
        final long epochStartSeq = parse(other.get("epoch_start_seq"));
        if (otherEpoch <= epoch || epochStartSeq <= 0 || lastLogSeq < epochStartSeq)
        {
            return null;
        }
        return "ERR this node holds log seq " + epochStartSeq + " to " + lastLogSeq + " of epoch " + epoch + ", which " +
            host + ":" + port + " never had (its epoch " + otherEpoch + " began at log seq " + epochStartSeq + "): an " +
            "uncommitted tail. It is discarded when the node starts: restart this node with --replicaof " + host + ":" +
            port;
    }

    private static long parse(final String value)
    {
        try
        {
            return value == null ? -1 : Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }
}
