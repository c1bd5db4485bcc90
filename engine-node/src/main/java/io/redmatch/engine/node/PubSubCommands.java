package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code SUBSCRIBE}, {@code UNSUBSCRIBE}, {@code PSUBSCRIBE}, {@code PUNSUBSCRIBE} and {@code PUBSUB}, with Redis's
 * confirmations: one {@code [kind, channel, count]} per channel, a push frame in RESP3, an array in RESP2 (where the
 * connection then enters subscribed mode, see {@link Command#SUBSCRIBED}). Clients do not publish: the node's
 * channels carry its market data, published through {@link PubSub}; {@code PUBLISH} says so.
 */
final class PubSubCommands implements CommandGroup
{
    private static final byte[] SUBSCRIBE = ascii("subscribe");
    private static final byte[] UNSUBSCRIBE = ascii("unsubscribe");
    private static final byte[] PSUBSCRIBE = ascii("psubscribe");
    private static final byte[] PUNSUBSCRIBE = ascii("punsubscribe");
    private static final byte[] PUBLISH_NOT_ALLOWED = RespWriter.encodeError(
        "ERR PUBLISH is not allowed: the node's channels carry its own market data");

    public void register(final CommandTable table, final EngineNode node)
    {
        final int flags = Command.PUBSUB | Command.SUBSCRIBED | Command.LOADING | Command.STALE;
        table.register("SUBSCRIBE", -2, flags, PubSubCommands::subscribe)
            .group("pubsub").summary("Listens for messages published to channels").syntax("<channel> ...");
        table.register("UNSUBSCRIBE", -1, flags, PubSubCommands::unsubscribe)
            .group("pubsub").summary("Stops listening to channels").syntax("[channel ...]");
        table.register("PSUBSCRIBE", -2, flags, PubSubCommands::psubscribe)
            .group("pubsub").summary("Listens for messages published to channels matching patterns")
            .syntax("<pattern> ...");
        table.register("PUNSUBSCRIBE", -1, flags, PubSubCommands::punsubscribe)
            .group("pubsub").summary("Stops listening to channels matching patterns").syntax("[pattern ...]");
        table.register("PUBLISH", 3, Command.PUBSUB | Command.FAST, (connection, request, out) ->
            out.raw(PUBLISH_NOT_ALLOWED))
            .group("pubsub").summary("Not allowed: the node publishes its own channels")
            .syntax("<channel> <message>");
        table.registerSubcommand("PUBSUB", "CHANNELS", -2, Command.PUBSUB | Command.LOADING | Command.STALE,
            PubSubCommands::channels)
            .group("pubsub").summary("Returns the active channels").syntax("[pattern]");
        table.registerSubcommand("PUBSUB", "NUMPAT", 2, Command.PUBSUB | Command.LOADING | Command.STALE,
            (connection, request, out) -> out.integer(connection.node().pubSub().patternCount()))
            .group("pubsub").summary("Returns the number of unique patterns subscribed to");
        table.registerSubcommand("PUBSUB", "NUMSUB", -2, Command.PUBSUB | Command.LOADING | Command.STALE,
            PubSubCommands::numsub)
            .group("pubsub").summary("Returns the subscriber counts of channels").syntax("[channel ...]");
    }

    /** A channel or pattern name as the byte-per-char string {@link PubSub} keys on. */
    static String channelName(final RespRequest request, final int i)
    {
        return request.buffer().toString(request.argOffset(i), request.argLength(i), StandardCharsets.ISO_8859_1);
    }

    private static void subscribe(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final PubSub pubSub = connection.node().pubSub();
        for (int i = 1; i < request.argCount(); i++)
        {
            final String channel = channelName(request, i);
            pubSub.subscribe(connection, channel);
            confirm(out, SUBSCRIBE, channel, connection.subscriptionCount());
        }
    }

    private static void psubscribe(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final PubSub pubSub = connection.node().pubSub();
        for (int i = 1; i < request.argCount(); i++)
        {
            final String pattern = channelName(request, i);
            pubSub.psubscribe(connection, pattern);
            confirm(out, PSUBSCRIBE, pattern, connection.subscriptionCount());
        }
    }

    private static void unsubscribe(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final PubSub pubSub = connection.node().pubSub();
        final List<String> channels = new ArrayList<>();
        if (request.argCount() == 1)
        {
            if (connection.hasChannels())
            {
                channels.addAll(connection.channels());
            }
        }
        else
        {
            for (int i = 1; i < request.argCount(); i++)
            {
                channels.add(channelName(request, i));
            }
        }
        if (channels.isEmpty())
        {
            confirm(out, UNSUBSCRIBE, null, connection.subscriptionCount());
            return;
        }
        for (final String channel : channels)
        {
            pubSub.unsubscribe(connection, channel);
            confirm(out, UNSUBSCRIBE, channel, connection.subscriptionCount());
        }
    }

    private static void punsubscribe(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final PubSub pubSub = connection.node().pubSub();
        final List<String> patterns = new ArrayList<>();
        if (request.argCount() == 1)
        {
            if (connection.hasPatterns())
            {
                patterns.addAll(connection.patterns());
            }
        }
        else
        {
            for (int i = 1; i < request.argCount(); i++)
            {
                patterns.add(channelName(request, i));
            }
        }
        if (patterns.isEmpty())
        {
            confirm(out, PUNSUBSCRIBE, null, connection.subscriptionCount());
            return;
        }
        for (final String pattern : patterns)
        {
            pubSub.punsubscribe(connection, pattern);
            confirm(out, PUNSUBSCRIBE, pattern, connection.subscriptionCount());
        }
    }

    private static void channels(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final String pattern = request.argCount() > 2 ? channelName(request, 2) : null;
        final List<String> matching = new ArrayList<>();
        for (final String channel : connection.node().pubSub().channels())
        {
            if (pattern == null || GlobMatcher.matches(pattern, channel, false))
            {
                matching.add(channel);
            }
        }
        out.arrayHeader(matching.size());
        for (final String channel : matching)
        {
            out.bulk(channel);
        }
    }

    private static void numsub(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final PubSub pubSub = connection.node().pubSub();
        out.mapHeader(request.argCount() - 2);
        for (int i = 2; i < request.argCount(); i++)
        {
            final String channel = channelName(request, i);
            out.bulk(channel).integer(pubSub.subscriberCount(channel));
        }
    }

    private static void confirm(final RespWriter out, final byte[] kind, final String channel, final int count)
    {
        out.pushHeader(3).bulk(kind);
        if (channel == null)
        {
            out.nil();
        }
        else
        {
            out.bulk(channel);
        }
        out.integer(count);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
