package io.redmatch.router;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Pub/Sub of one client through the router. A channel names its pair after the first colon ({@code trades:BTC-USDT},
 * {@code depth:...}, {@code bbo:...}) and is subscribed on that pair's shard; a pattern is subscribed on every shard.
 * The client gets one subscriber connection per shard it listens to, in its own protocol; the router answers the
 * (un)subscribe confirmations itself (with its own counts) and relays {@code message}/{@code pmessage} frames byte
 * for byte. When a subscriber connection is lost or its shard's primary changes, it is reopened to the current
 * primary and every channel and pattern of that shard subscribed again; messages published in between are missed,
 * as with Redis Pub/Sub across a reconnect.
 */
final class Subscriptions
{
    private static final long RESUBSCRIBE_DELAY_MS = 200;
    private static final long PRIMARY_CHECK_MS = 500;
    private static final byte[] MESSAGE = "$7\r\nmessage\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PMESSAGE = "$8\r\npmessage\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ClientSession session;
    private final Set<String> channels = new LinkedHashSet<>();
    private final Set<String> patterns = new LinkedHashSet<>();
    private final Map<ShardState, UpstreamConnection> upstreams = new IdentityHashMap<>();
    private ScheduledFuture<?> primaryCheck;
    private boolean closed;

    Subscriptions(final ClientSession session)
    {
        this.session = session;
    }

    int count()
    {
        return channels.size() + patterns.size();
    }

    static boolean allowedWhileSubscribed(final CommandKind kind)
    {
        return kind == CommandKind.SUBSCRIBE || kind == CommandKind.PSUBSCRIBE || kind == CommandKind.UNSUBSCRIBE ||
            kind == CommandKind.PUNSUBSCRIBE || kind == CommandKind.PING || kind == CommandKind.QUIT ||
            kind == CommandKind.RESET;
    }

    void handle(final CommandKind kind, final RespRequest request, final Topology.View view)
    {
        closed = false;
        final boolean subscribe = kind == CommandKind.SUBSCRIBE || kind == CommandKind.PSUBSCRIBE;
        if (subscribe && !LocalCommands.arity(session, request, 2, Integer.MAX_VALUE))
        {
            return;
        }
        final boolean pattern = kind == CommandKind.PSUBSCRIBE || kind == CommandKind.PUNSUBSCRIBE;
        final Set<String> set = pattern ? patterns : channels;
        final String command = pattern ? (subscribe ? "PSUBSCRIBE" : "PUNSUBSCRIBE") :
            (subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE");
        final String confirmation = command.toLowerCase(java.util.Locale.ROOT);
        final List<String> targets = new ArrayList<>();
        for (int i = 1; i < request.argCount(); i++)
        {
            targets.add(request.argString(i));
        }
        if (!subscribe && targets.isEmpty())
        {
            targets.addAll(set);
        }
        final RespWriter out = session.beginLocal();
        if (targets.isEmpty())
        {
            out.pushHeader(3).bulk(confirmation).nil().integer(count());
        }
        for (final String name : targets)
        {
            final boolean changed = subscribe ? set.add(name) : set.remove(name);
            if (changed)
            {
                for (final ShardState shard : shardsOf(name, pattern, view))
                {
                    final UpstreamConnection upstream = subscribe ? upstream(shard) : upstreams.get(shard);
                    if (upstream != null)
                    {
                        upstream.sendBytes(frame(command, name), null);
                    }
                }
            }
            out.pushHeader(3).bulk(confirmation).bulkUtf8(name).integer(count());
        }
        session.endLocal();
        if (count() > 0 && primaryCheck == null)
        {
            primaryCheck = session.loop().eventLoop().scheduleAtFixedRate(this::checkPrimaries, PRIMARY_CHECK_MS,
                PRIMARY_CHECK_MS, TimeUnit.MILLISECONDS);
        }
    }

    private List<ShardState> shardsOf(final String name, final boolean pattern, final Topology.View view)
    {
        if (pattern)
        {
            return view.shardList();
        }
        final int colon = name.indexOf(':');
        final ShardState shard = colon < 0 ? null : view.map().pairs().containsKey(name.substring(colon + 1)) ?
            view.shards().get(view.map().pairs().get(name.substring(colon + 1))) : null;
        return shard == null ? List.of() : List.of(shard);
    }

    /** @return the subscriber connection to {@code shard}, opened (and every subscription of it sent) if missing. */
    private UpstreamConnection upstream(final ShardState shard)
    {
        final UpstreamConnection existing = upstreams.get(shard);
        if (existing != null && !existing.isClosed())
        {
            return existing;
        }
        final InetSocketAddress primary = shard.primary();
        if (primary == null)
        {
            scheduleResubscribe(shard);
            return null;
        }
        final UpstreamConnection connection = UpstreamConnection.open(session.loop(), shard, primary,
            session.isResp3(), new Relay());
        upstreams.put(shard, connection);
        final Topology.View view = session.router().topology().view();
        for (final String channel : channels)
        {
            if (shardsOf(channel, false, view).contains(shard))
            {
                connection.sendBytes(frame("SUBSCRIBE", channel), null);
            }
        }
        for (final String pattern : patterns)
        {
            connection.sendBytes(frame("PSUBSCRIBE", pattern), null);
        }
        return connection;
    }

    private void scheduleResubscribe(final ShardState shard)
    {
        session.loop().eventLoop().schedule(() -> resubscribe(shard), RESUBSCRIBE_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    private void resubscribe(final ShardState shard)
    {
        if (closed || session.isClosed() || count() == 0)
        {
            return;
        }
        final UpstreamConnection existing = upstreams.get(shard);
        if (existing != null && !existing.isClosed())
        {
            return;
        }
        upstreams.remove(shard);
        if (upstream(shard) != null)
        {
            session.loop().flushUpstreams();
        }
    }

    private void checkPrimaries()
    {
        if (closed || session.isClosed())
        {
            closeAll();
            return;
        }
        for (final UpstreamConnection connection : new ArrayList<>(upstreams.values()))
        {
            final InetSocketAddress primary = connection.shard().primary();
            if (!connection.isClosed() && primary != null && !primary.equals(connection.address()))
            {
                connection.close("shard " + connection.shard().name() + " has a new primary");
            }
        }
    }

    /** Drops every subscription (RESET, or the client left). */
    void closeAll()
    {
        closed = true;
        channels.clear();
        patterns.clear();
        if (primaryCheck != null)
        {
            primaryCheck.cancel(false);
            primaryCheck = null;
        }
        for (final UpstreamConnection connection : new ArrayList<>(upstreams.values()))
        {
            connection.close("unsubscribed");
        }
        upstreams.clear();
    }

    private static byte[] frame(final String command, final String argument)
    {
        final byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
        final String head = "*2\r\n$" + command.length() + "\r\n" + command + "\r\n$" + bytes.length + "\r\n";
        final byte[] frame = new byte[head.length() + bytes.length + 2];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, frame, 0, head.length());
        System.arraycopy(bytes, 0, frame, head.length(), bytes.length);
        frame[frame.length - 2] = '\r';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    /** Relays the messages of one subscriber connection, dropping the shard's own confirmations. */
    private final class Relay implements UpstreamConnection.PushListener
    {
        @Override
        public void onPush(final ByteBuf in, final int offset, final int length)
        {
            final int lineFeed = in.indexOf(offset, offset + length, (byte)'\n');
            final int body = lineFeed + 1;
            final int bodyLength = offset + length - body;
            final byte type = in.getByte(offset);
            if ((type == '*' || type == '>') && (UpstreamConnection.startsWith(in, body, bodyLength, MESSAGE) ||
                UpstreamConnection.startsWith(in, body, bodyLength, PMESSAGE)))
            {
                session.push(in, offset, length);
            }
        }

        @Override
        public void onClosed(final UpstreamConnection connection)
        {
            if (!closed && !session.isClosed() && upstreams.get(connection.shard()) == connection)
            {
                upstreams.remove(connection.shard());
                scheduleResubscribe(connection.shard());
            }
        }
    }
}
