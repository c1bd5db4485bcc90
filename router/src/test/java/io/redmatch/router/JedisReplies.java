package io.redmatch.router;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.util.SafeEncoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Sends any command with Jedis and turns its reply into plain values: bulk strings as {@code String}, lists. */
final class JedisReplies
{
    private JedisReplies()
    {
    }

    /** @return the reply of {@code args[0]} with the rest as its arguments, normalised. */
    static Object call(final Jedis jedis, final String... args)
    {
        return normalize(jedis.sendCommand(command(args[0]), Arrays.copyOfRange(args, 1, args.length)));
    }

    static ProtocolCommand command(final String name)
    {
        return () -> SafeEncoder.encode(name);
    }

    static Object normalize(final Object reply)
    {
        if (reply instanceof byte[] bytes)
        {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (reply instanceof List<?> list)
        {
            final List<Object> out = new ArrayList<>();
            list.forEach(element -> out.add(normalize(element)));
            return out;
        }
        return reply;
    }
}
