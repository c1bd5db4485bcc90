package io.redmatch.replicator;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The standby's side of acknowledgements: a small UDP publication to the primary's replication port on which it
 * sends {@link StandbyAck}s. Sending never waits: an acknowledgement that cannot go now (not connected yet,
 * back-pressured) is dropped, since the next one carries a later position anyway.
 */
public final class AckPublisher implements AutoCloseable
{
    private final ExclusivePublication publication;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[StandbyAck.FIXED_LENGTH + StandbyAck.MAX_HOST_LENGTH]);
    private final byte[] host;
    private final int port;

    /**
     * @param aeron       the standby's Aeron client.
     * @param primaryHost the primary's host.
     * @param primaryPort the primary's replication port.
     * @param host        the RESP host this standby serves on, as the primary lists it.
     * @param port        its RESP port.
     */
    public AckPublisher(
        final Aeron aeron, final String primaryHost, final int primaryPort, final String host, final int port)
    {
        final byte[] hostBytes = host.getBytes(StandardCharsets.US_ASCII);
        if (hostBytes.length > StandbyAck.MAX_HOST_LENGTH)
        {
            throw new IllegalArgumentException("host name too long: " + host);
        }
        this.publication = aeron.addExclusivePublication(
            ReplicationChannels.udp(primaryHost, primaryPort), ReplicationChannels.ACK_STREAM_ID);
        this.host = hostBytes;
        this.port = port;
    }

    /**
     * Sends an acknowledgement if it can go now.
     *
     * @param epoch    the standby's epoch.
     * @param logSeq   the log sequence it recorded.
     * @param position the log position it recorded.
     * @return true when sent.
     */
    public boolean send(final long epoch, final long logSeq, final long position)
    {
        final int length = StandbyAck.encode(buffer, 0, epoch, logSeq, position, host, port);
        return publication.offer(buffer, 0, length) > 0;
    }

    /** @return true while the primary's endpoint receives. */
    public boolean isConnected()
    {
        return publication.isConnected();
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(publication);
    }
}
