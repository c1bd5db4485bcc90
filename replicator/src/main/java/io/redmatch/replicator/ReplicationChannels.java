package io.redmatch.replicator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The Aeron channels and stream ids of replication, in one place.
 * <p>
 * Each node has one UDP <em>replication port</em>: its Aeron Archive's control endpoint (stream
 * {@link #ARCHIVE_CONTROL_STREAM_ID}), where a standby asks for a replay of the command log, and, on the same
 * endpoint, the stream {@link #ACK_STREAM_ID} on which standbys acknowledge what they recorded. A standby receives
 * the replay on an endpoint of its own with an ephemeral port ({@link #REPLAY_STREAM_ID}); nothing else is fixed.
 */
public final class ReplicationChannels
{
    /** Stream id of the archive's control requests on the replication port (Aeron Archive's default). */
    public static final int ARCHIVE_CONTROL_STREAM_ID = 10;

    /** Stream id of standby acknowledgements, sent to the primary's replication port. */
    public static final int ACK_STREAM_ID = 1003;

    /** Stream id of the log replayed from the primary's archive to a standby. */
    public static final int REPLAY_STREAM_ID = 1004;

    private ReplicationChannels()
    {
    }

    /**
     * @param host a host name or address.
     * @param port a UDP port, 0 for an ephemeral one.
     * @return the unicast UDP channel of that endpoint.
     */
    public static String udp(final String host, final int port)
    {
        return "aeron:udp?endpoint=" + host + ":" + port;
    }

    /**
     * Picks a UDP port that is free now on an address, for a node configured without a replication port.
     *
     * @param host the address to bind.
     * @return the port.
     */
    public static int freeUdpPort(final String host)
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0)))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot find a free UDP port on " + host, ex);
        }
    }
}
