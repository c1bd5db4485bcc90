package io.redmatch.ops;

import io.redmatch.router.ShardMap;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One shard as the cluster's configuration declares it: its members and pairs, read from a shard file (the router's
 * format, parsed by the router's own {@link ShardMap}) or from a running router ({@code ROUTER.SHARDS}), which also
 * tells where it routes the shard's commands now.
 *
 * @param name          the shard's name.
 * @param members       its members, in the shard file's order.
 * @param pairs         the pairs the shard map assigns to it.
 * @param routedPrimary the member the router sends the shard's commands to, {@code none} when it has none, or null
 *                      when the layout comes from a shard file.
 * @param routedEpoch   the epoch of that member as the router knows it, -1 from a shard file.
 */
public record ShardLayout(String name, List<NodeAddress> members, List<String> pairs, String routedPrimary,
    long routedEpoch)
{
    private static final int TIMEOUT_MS = 3_000;

    /**
     * Reads a shard file.
     *
     * @param file the file, as the router takes it.
     * @return its shards, in file order.
     * @throws io.redmatch.router.ShardMapException when the file cannot be read or is invalid.
     */
    public static List<ShardLayout> fromShardFile(final Path file)
    {
        final ShardMap map = ShardMap.load(file);
        final List<ShardLayout> shards = new ArrayList<>();
        for (final ShardMap.Shard shard : map.shards().values())
        {
            final List<NodeAddress> members = new ArrayList<>();
            for (final InetSocketAddress member : shard.members())
            {
                members.add(new NodeAddress(member.getHostString(), member.getPort()));
            }
            final List<String> pairs = new ArrayList<>();
            map.pairs().forEach((pair, owner) ->
            {
                if (owner.equals(shard.name()))
                {
                    pairs.add(pair);
                }
            });
            shards.add(new ShardLayout(shard.name(), List.copyOf(members), List.copyOf(pairs), null, -1));
        }
        return shards;
    }

    /**
     * Asks a router for its shard map with {@code ROUTER.SHARDS}.
     *
     * @param router the router's address.
     * @return its shards, in its shard file's order.
     * @throws redis.clients.jedis.exceptions.JedisException when the router cannot be asked.
     * @throws IllegalStateException                          when the reply is not a shard list.
     */
    public static List<ShardLayout> fromRouter(final NodeAddress router)
    {
        final DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(TIMEOUT_MS).socketTimeoutMillis(TIMEOUT_MS).build();
        try (Jedis jedis = new Jedis(new HostAndPort(router.host(), router.port()), config))
        {
            final Object reply = jedis.sendCommand(() -> "ROUTER.SHARDS".getBytes(StandardCharsets.US_ASCII));
            final List<ShardLayout> shards = new ArrayList<>();
            for (final Object shard : list(reply))
            {
                shards.add(fromRecord(record(list(shard))));
            }
            return shards;
        }
    }

    private static ShardLayout fromRecord(final Map<String, Object> record)
    {
        final List<NodeAddress> members = new ArrayList<>();
        for (final Object member : list(record.get("members")))
        {
            members.add(NodeAddress.parse(text(member)));
        }
        final List<String> pairs = new ArrayList<>();
        for (final Object pair : list(record.get("pairs")))
        {
            pairs.add(text(pair));
        }
        final Object primary = record.get("primary");
        final Object epoch = record.get("epoch");
        return new ShardLayout(text(record.get("shard")), List.copyOf(members), List.copyOf(pairs),
            primary == null ? "none" : text(primary), epoch instanceof Long value ? value : -1);
    }

    private static Map<String, Object> record(final List<?> flat)
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2)
        {
            fields.put(text(flat.get(i)), flat.get(i + 1));
        }
        return fields;
    }

    private static List<?> list(final Object value)
    {
        if (value instanceof List<?> list)
        {
            return list;
        }
        throw new IllegalStateException("not a ROUTER.SHARDS reply: expected an array, got " + text(value));
    }

    private static String text(final Object value)
    {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
