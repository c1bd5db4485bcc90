package io.redmatch.replicator;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;

import java.util.function.Consumer;

/**
 * The primary's side of acknowledgements: subscribes to {@link ReplicationChannels#ACK_STREAM_ID} on its replication
 * port and hands every {@link StandbyAck} to a listener. Polled by the primary's event loop.
 */
public final class AckAdapter implements AutoCloseable
{
    private final Subscription subscription;
    private final FragmentHandler handler;

    /**
     * @param aeron    the primary's Aeron client.
     * @param host     the address of the replication port.
     * @param port     the replication port.
     * @param listener receives each acknowledgement.
     */
    public AckAdapter(final Aeron aeron, final String host, final int port, final Consumer<StandbyAck> listener)
    {
        this.subscription = aeron.addSubscription(ReplicationChannels.udp(host, port), ReplicationChannels.ACK_STREAM_ID);
        this.handler = (buffer, offset, length, header) ->
        {
            final StandbyAck ack = StandbyAck.decode(buffer, offset, length);
            if (ack != null)
            {
                listener.accept(ack);
            }
        };
    }

    /**
     * Reads the acknowledgements received so far.
     *
     * @param limit most to read.
     * @return how many were read.
     */
    public int poll(final int limit)
    {
        return subscription.poll(handler, limit);
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(subscription);
    }
}
