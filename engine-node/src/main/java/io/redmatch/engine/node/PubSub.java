package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;
import io.redmatch.engine.resp.RespWriter;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The node's Pub/Sub: who subscribes to which channel or pattern, and delivery of the node's own messages. Clients
 * subscribe ({@code SUBSCRIBE}, {@code PSUBSCRIBE}) but cannot publish: the market data channels belong to the node,
 * whose command handlers publish after their command has written its reply:
 * <pre>{@code
 * if (pubSub.hasSubscribers(tradesChannel))   // a map lookup; skip building the payload when nobody listens
 * {
 *     final int length = encodeTrade(scratch);
 *     pubSub.publish(tradesChannel, scratch, 0, length);
 * }
 * }</pre>
 * A message goes into each subscriber's output buffer, as a RESP3 push frame or a RESP2 array as the subscriber
 * chose, and is flushed after the current task. A subscriber whose unsent output passes the node's limit is
 * disconnected, like any slow reader. Channel names are compared as bytes: Java strings here hold one byte per char
 * (ISO-8859-1), which is what ASCII channel names such as {@code trades:BTC-USDT} already are.
 * <p>
 * Confined to the node's event loop.
 */
public final class PubSub
{
    private static final byte[] MESSAGE = ascii("message");
    private static final byte[] PMESSAGE = ascii("pmessage");

    private final Map<String, ArrayList<Connection>> channelSubscribers = new HashMap<>();
    private final Map<String, ArrayList<Connection>> patternSubscribers = new HashMap<>();
    private final ArrayList<String> patternList = new ArrayList<>();
    private long messagesPublished;
    private boolean muted;

    private DirectBuffer directPayload;
    private ByteBuf byteBufPayload;
    private byte[] bytesPayload;
    private CharSequence charsPayload;
    private int payloadOffset;
    private int payloadLength;

    PubSub()
    {
    }

    /**
     * Tells whether a message on {@code channel} would reach anyone, to skip encoding it when not.
     *
     * @param channel the channel, e.g. {@code "trades:BTC-USDT"}; keep it in a field so its hash is computed once.
     * @return true when a connection subscribes to the channel or to a pattern matching it.
     */
    public boolean hasSubscribers(final String channel)
    {
        if (muted)
        {
            return false;
        }
        if (!channelSubscribers.isEmpty() && channelSubscribers.containsKey(channel))
        {
            return true;
        }
        final ArrayList<String> patterns = this.patternList;
        for (int i = 0, size = patterns.size(); i < size; i++)
        {
            if (GlobMatcher.matches(patterns.get(i), channel, false))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Publishes a message whose payload is in an Agrona buffer.
     *
     * @param channel the channel.
     * @param payload holds the payload.
     * @param offset  first byte.
     * @param length  number of bytes.
     * @return the number of connections that received it.
     */
    public int publish(final String channel, final DirectBuffer payload, final int offset, final int length)
    {
        directPayload = payload;
        return deliver(channel, offset, length);
    }

    /**
     * Publishes a message whose payload is in a Netty buffer.
     *
     * @param channel the channel.
     * @param payload holds the payload.
     * @param index   absolute index of the first byte.
     * @param length  number of bytes.
     * @return the number of connections that received it.
     */
    public int publish(final String channel, final ByteBuf payload, final int index, final int length)
    {
        byteBufPayload = payload;
        return deliver(channel, index, length);
    }

    /**
     * Publishes a message.
     *
     * @param channel the channel.
     * @param payload the payload bytes.
     * @return the number of connections that received it.
     */
    public int publish(final String channel, final byte[] payload)
    {
        bytesPayload = payload;
        return deliver(channel, 0, payload.length);
    }

    /**
     * Publishes a message whose payload is ASCII text, such as compact JSON.
     *
     * @param channel the channel.
     * @param payload the text, one byte per char.
     * @return the number of connections that received it.
     */
    public int publish(final String channel, final CharSequence payload)
    {
        charsPayload = payload;
        return deliver(channel, 0, payload.length());
    }

    /**
     * Mutes or unmutes publishing: while muted, nothing is delivered, as while the node replays its command log, whose
     * market data was published when the commands first ran.
     *
     * @param muted true to drop every message.
     */
    void muted(final boolean muted)
    {
        this.muted = muted;
    }

    /** @return the number of channels with at least one subscriber. */
    public int channelCount()
    {
        return channelSubscribers.size();
    }

    /** @return the number of patterns with at least one subscriber. */
    public int patternCount()
    {
        return patternSubscribers.size();
    }

    /** @return the channels with at least one subscriber, for {@code PUBSUB CHANNELS}. */
    public Set<String> channels()
    {
        return Collections.unmodifiableSet(channelSubscribers.keySet());
    }

    /**
     * @param channel a channel.
     * @return the number of connections subscribed to exactly that channel.
     */
    public int subscriberCount(final String channel)
    {
        final ArrayList<Connection> subscribers = channelSubscribers.get(channel);
        return subscribers == null ? 0 : subscribers.size();
    }

    /** @return the number of messages published since start. */
    public long messagesPublished()
    {
        return messagesPublished;
    }

    boolean subscribe(final Connection connection, final String channel)
    {
        if (!connection.channels().add(channel))
        {
            return false;
        }
        channelSubscribers.computeIfAbsent(channel, (c) -> new ArrayList<>()).add(connection);
        return true;
    }

    boolean unsubscribe(final Connection connection, final String channel)
    {
        if (!connection.hasChannels() || !connection.channels().remove(channel))
        {
            return false;
        }
        removeFrom(channelSubscribers, channel, connection);
        return true;
    }

    boolean psubscribe(final Connection connection, final String pattern)
    {
        if (!connection.patterns().add(pattern))
        {
            return false;
        }
        patternSubscribers.computeIfAbsent(pattern, (p) ->
        {
            patternList.add(p);
            return new ArrayList<>();
        }).add(connection);
        return true;
    }

    boolean punsubscribe(final Connection connection, final String pattern)
    {
        if (!connection.hasPatterns() || !connection.patterns().remove(pattern))
        {
            return false;
        }
        if (removeFrom(patternSubscribers, pattern, connection))
        {
            patternList.remove(pattern);
        }
        return true;
    }

    /** Drops every subscription of a closing connection. */
    void unsubscribeAll(final Connection connection)
    {
        if (connection.hasChannels())
        {
            for (final String channel : connection.channels())
            {
                removeFrom(channelSubscribers, channel, connection);
            }
            connection.channels().clear();
        }
        if (connection.hasPatterns())
        {
            for (final String pattern : connection.patterns())
            {
                if (removeFrom(patternSubscribers, pattern, connection))
                {
                    patternList.remove(pattern);
                }
            }
            connection.patterns().clear();
        }
    }

    /** @return true when the key has no subscriber left and was removed. */
    private static boolean removeFrom(
        final Map<String, ArrayList<Connection>> subscribers, final String key, final Connection connection)
    {
        final ArrayList<Connection> connections = subscribers.get(key);
        if (connections == null)
        {
            return false;
        }
        connections.remove(connection);
        if (connections.isEmpty())
        {
            subscribers.remove(key);
            return true;
        }
        return false;
    }

    private int deliver(final String channel, final int offset, final int length)
    {
        if (muted)
        {
            return 0;
        }
        payloadOffset = offset;
        payloadLength = length;
        int receivers = 0;
        try
        {
            final ArrayList<Connection> subscribers = channelSubscribers.isEmpty() ? null : channelSubscribers.get(channel);
            if (subscribers != null)
            {
                // iterate backwards: a subscriber closed for its output limit leaves the list while we deliver
                for (int i = subscribers.size() - 1; i >= 0; i--)
                {
                    final Connection connection = subscribers.get(i);
                    final RespWriter out = connection.writer();
                    out.pushHeader(3).bulk(MESSAGE).bulk(channel);
                    writePayload(out);
                    delivered(connection);
                    receivers++;
                }
            }
            final ArrayList<String> patterns = this.patternList;
            for (int p = patterns.size() - 1; p >= 0; p--)
            {
                final String pattern = patterns.get(p);
                if (!GlobMatcher.matches(pattern, channel, false))
                {
                    continue;
                }
                final ArrayList<Connection> patternConnections = patternSubscribers.get(pattern);
                for (int i = patternConnections.size() - 1; i >= 0; i--)
                {
                    final Connection connection = patternConnections.get(i);
                    final RespWriter out = connection.writer();
                    out.pushHeader(4).bulk(PMESSAGE).bulk(pattern).bulk(channel);
                    writePayload(out);
                    delivered(connection);
                    receivers++;
                }
            }
        }
        finally
        {
            directPayload = null;
            byteBufPayload = null;
            bytesPayload = null;
            charsPayload = null;
        }
        messagesPublished++;
        return receivers;
    }

    private void writePayload(final RespWriter out)
    {
        if (directPayload != null)
        {
            out.bulk(directPayload, payloadOffset, payloadLength);
        }
        else if (byteBufPayload != null)
        {
            out.bulk(byteBufPayload, payloadOffset, payloadLength);
        }
        else if (bytesPayload != null)
        {
            out.bulk(bytesPayload, payloadOffset, payloadLength);
        }
        else
        {
            out.bulk(charsPayload);
        }
    }

    private static void delivered(final Connection connection)
    {
        final ConnectionHandler handler = connection.handler();
        if (handler != null && handler.enforceOutputLimit())
        {
            connection.requestFlush();
        }
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
