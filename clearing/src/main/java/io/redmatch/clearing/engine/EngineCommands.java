package io.redmatch.clearing.engine;

import io.redmatch.clearing.fill.FillDecoder;
import io.redmatch.clearing.fill.PairAssets;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine commands clearing sends, over Jedis. Stream replies are taken raw (nested RESP arrays) and turned into
 * {@link RawEntry}s here, rather than through Jedis's {@code StreamEntry} builders, which fold the fields into a hash
 * map: clearing must see a repeated or odd field list as it came, to refuse it.
 */
public final class EngineCommands
{
    private static final byte[][] FIELD_NAMES = FillDecoder.FIELDS.stream()
        .map((name) -> name.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    private static final ProtocolCommand PAIRS = () -> SafeEncoder.encode("PAIRS");
    private static final ProtocolCommand PAIR_INFO = () -> SafeEncoder.encode("PAIR.INFO");

    private EngineCommands()
    {
    }

    /**
     * @param jedis a connection.
     * @return the pairs the engine serves.
     */
    public static List<String> pairs(final Jedis jedis)
    {
        final List<String> pairs = new ArrayList<>();
        for (final Object name : list(jedis.sendCommand(PAIRS), "PAIRS"))
        {
            pairs.add(EngineLink.asString(name));
        }
        return pairs;
    }

    /**
     * @param jedis a connection.
     * @param pair  a pair.
     * @return its assets.
     * @throws JedisDataException when the engine does not know it or its record lacks them.
     */
    public static PairAssets pairAssets(final Jedis jedis, final String pair)
    {
        final List<Object> record = list(jedis.sendCommand(PAIR_INFO, pair), "PAIR.INFO");
        final Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < record.size(); i += 2)
        {
            fields.put(EngineLink.asString(record.get(i)), EngineLink.asString(record.get(i + 1)));
        }
        final String base = fields.get("base");
        final String quote = fields.get("quote");
        if (base == null || quote == null || base.isEmpty() || quote.isEmpty() || base.contains(" ") ||
            quote.contains(" "))
        {
            throw new JedisDataException("PAIR.INFO " + pair + " has no usable base and quote: " + fields);
        }
        return new PairAssets(pair, base, quote);
    }

    /**
     * Creates the consumer group of a stream at a position, unless it exists.
     *
     * @param jedis a connection.
     * @param key   the stream.
     * @param group the group.
     * @param seq   the position (fills up to it count as delivered).
     */
    public static void ensureGroup(final Jedis jedis, final String key, final String group, final long seq)
    {
        try
        {
            jedis.sendCommand(Protocol.Command.XGROUP, "CREATE", key, group, seq + "-0");
        }
        catch (final JedisDataException ex)
        {
            if (ex.getMessage() == null || !ex.getMessage().startsWith("BUSYGROUP"))
            {
                throw ex;
            }
        }
    }

    /**
     * {@code XREADGROUP GROUP g c COUNT n [BLOCK ms] STREAMS key... id...}, sent in one pipeline after the
     * acknowledgements of the previous batch ({@code XACK}), so a batch costs one round trip to the engine.
     *
     * @param jedis    a connection.
     * @param acks     stream key → IDs to acknowledge first (may be empty).
     * @param group    the group.
     * @param consumer the consumer.
     * @param count    entries per stream at most.
     * @param blockMs  how long to wait for new entries, or negative not to wait.
     * @param ids      stream key → ID ({@code >} for new entries, {@code 0} for the consumer's pending ones).
     * @return stream key → its entries, in order (streams with none may be missing).
     * @throws JedisDataException when the engine refused an acknowledgement or the read.
     */
    public static Map<String, List<RawEntry>> ackAndReadGroup(
        final Jedis jedis, final Map<String, List<String>> acks, final String group, final String consumer,
        final int count, final int blockMs, final Map<String, String> ids)
    {
        final List<String> args = new ArrayList<>();
        args.add("GROUP");
        args.add(group);
        args.add(consumer);
        args.add("COUNT");
        args.add(String.valueOf(count));
        if (blockMs >= 0)
        {
            args.add("BLOCK");
            args.add(String.valueOf(blockMs));
        }
        args.add("STREAMS");
        args.addAll(ids.keySet());
        args.addAll(ids.values());
        final Pipeline pipeline = jedis.pipelined();
        final List<Response<Object>> ackReplies = new ArrayList<>();
        for (final Map.Entry<String, List<String>> ack : acks.entrySet())
        {
            for (final String[] command : ackCommands(ack.getKey(), group, ack.getValue()))
            {
                ackReplies.add(pipeline.sendCommand(Protocol.Command.XACK, command));
            }
        }
        final Response<Object> readReply = pipeline.sendCommand(Protocol.Command.XREADGROUP,
            args.toArray(new String[0]));
        pipeline.sync();
        for (final Response<Object> ackReply : ackReplies)
        {
            ackReply.get();
        }
        final Object reply;
        try
        {
            reply = readReply.get();
        }
        catch (final JedisDataException ex)
        {
            if (ex.getMessage() == null || !ex.getMessage().startsWith("CROSSSLOT") || ids.size() < 2)
            {
                throw ex;
            }
            // a router in front of several shards: a group read cannot span them, so read stream by stream
            return readGroupPerStream(jedis, group, consumer, count, blockMs, ids);
        }
        final Map<String, List<RawEntry>> result = new LinkedHashMap<>();
        addStreams(reply, result);
        return result;
    }

    /**
     * One {@code XREADGROUP} per stream, pipelined, for a router whose shards each hold some of the streams: first
     * without waiting; only when no stream has anything, once more with {@code BLOCK} (the router blocks on each
     * shard separately, so an idle round costs at most the block time per stream of one shard).
     */
    private static Map<String, List<RawEntry>> readGroupPerStream(
        final Jedis jedis, final String group, final String consumer, final int count, final int blockMs,
        final Map<String, String> ids)
    {
        final Map<String, List<RawEntry>> result = readEachStream(jedis, group, consumer, count, -1, ids);
        if (!result.isEmpty() || blockMs < 0)
        {
            return result;
        }
        return readEachStream(jedis, group, consumer, count, blockMs, ids);
    }

    private static Map<String, List<RawEntry>> readEachStream(
        final Jedis jedis, final String group, final String consumer, final int count, final int blockMs,
        final Map<String, String> ids)
    {
        final Pipeline pipeline = jedis.pipelined();
        final List<Response<Object>> replies = new ArrayList<>();
        for (final Map.Entry<String, String> stream : ids.entrySet())
        {
            final List<String> args = new ArrayList<>(List.of("GROUP", group, consumer, "COUNT",
                String.valueOf(count)));
            if (blockMs >= 0)
            {
                args.add("BLOCK");
                args.add(String.valueOf(blockMs));
            }
            args.addAll(List.of("STREAMS", stream.getKey(), stream.getValue()));
            replies.add(pipeline.sendCommand(Protocol.Command.XREADGROUP, args.toArray(new String[0])));
        }
        pipeline.sync();
        final Map<String, List<RawEntry>> result = new LinkedHashMap<>();
        for (final Response<Object> reply : replies)
        {
            addStreams(reply.get(), result);
        }
        return result;
    }

    private static void addStreams(final Object reply, final Map<String, List<RawEntry>> result)
    {
        if (reply == null)
        {
            return;
        }
        for (final Object stream : list(reply, "XREADGROUP"))
        {
            final List<Object> keyAndEntries = list(stream, "XREADGROUP stream");
            if (keyAndEntries.size() != 2)
            {
                throw new JedisDataException("XREADGROUP: a stream reply of " + keyAndEntries.size() + " items");
            }
            final List<RawEntry> entries = entries(keyAndEntries.get(1));
            if (!entries.isEmpty())
            {
                result.put(EngineLink.asString(keyAndEntries.get(0)), entries);
            }
        }
    }

    /**
     * {@code XRANGE key start end COUNT n}.
     *
     * @param jedis a connection.
     * @param key   the stream.
     * @param start first ID (may be exclusive, {@code (id}).
     * @param end   last ID.
     * @param count entries at most.
     * @return the entries.
     */
    public static List<RawEntry> range(
        final Jedis jedis, final String key, final String start, final String end, final int count)
    {
        return entries(jedis.sendCommand(Protocol.Command.XRANGE, key, start, end, "COUNT", String.valueOf(count)));
    }

    /**
     * @param jedis a connection.
     * @param key   the stream.
     * @return the last entry, or null when the stream is empty.
     */
    public static RawEntry last(final Jedis jedis, final String key)
    {
        final List<RawEntry> entries = entries(jedis.sendCommand(Protocol.Command.XREVRANGE, key, "+", "-", "COUNT",
            "1"));
        return entries.isEmpty() ? null : entries.get(0);
    }

    /**
     * {@code XACK key group id...}, in commands of at most 1000 IDs.
     *
     * @param key   the stream.
     * @param group the group.
     * @param ids   the entry IDs.
     * @return the argument lists of the commands.
     */
    static List<String[]> ackCommands(final String key, final String group, final List<String> ids)
    {
        final int chunk = 1000;
        final List<String[]> commands = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += chunk)
        {
            final List<String> args = new ArrayList<>();
            args.add(key);
            args.add(group);
            args.addAll(ids.subList(from, Math.min(ids.size(), from + chunk)));
            commands.add(args.toArray(new String[0]));
        }
        return commands;
    }

    /**
     * Sends acknowledgements now.
     *
     * @param jedis a connection.
     * @param acks  stream key → IDs.
     * @param group the group.
     */
    public static void ack(final Jedis jedis, final Map<String, List<String>> acks, final String group)
    {
        for (final Map.Entry<String, List<String>> ack : acks.entrySet())
        {
            for (final String[] command : ackCommands(ack.getKey(), group, ack.getValue()))
            {
                jedis.sendCommand(Protocol.Command.XACK, command);
            }
        }
    }

    private static List<RawEntry> entries(final Object reply)
    {
        final List<RawEntry> entries = new ArrayList<>();
        if (reply == null)
        {
            return entries;
        }
        for (final Object item : list(reply, "entries"))
        {
            final List<Object> entry = list(item, "entry");
            if (entry.size() != 2 || !(entry.get(0) instanceof byte[]))
            {
                throw new JedisDataException("a stream entry that is not [id, fields]");
            }
            final List<String> fields;
            if (entry.get(1) != null)
            {
                final List<Object> items = list(entry.get(1), "entry fields");
                fields = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++)
                {
                    final Object field = items.get(i);
                    fields.add(field instanceof byte[] ? text((byte[])field, i) : null);
                }
            }
            else
            {
                fields = null;
            }
            entries.add(new RawEntry(EngineLink.asString(entry.get(0)), fields));
        }
        return entries;
    }

    /**
     * A field name at its usual place in a fill ({@link FillDecoder#FIELDS}) is the shared constant rather than a new
     * string (the bytes are compared first); anything else is decoded as UTF-8.
     */
    private static String text(final byte[] bytes, final int index)
    {
        if ((index & 1) == 0 && index / 2 < FIELD_NAMES.length && Arrays.equals(bytes, FIELD_NAMES[index / 2]))
        {
            return FillDecoder.FIELDS.get(index / 2);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(final Object reply, final String what)
    {
        if (!(reply instanceof List))
        {
            throw new JedisDataException(what + ": expected an array, got " + reply);
        }
        return (List<Object>)reply;
    }
}
