package io.redmatch.ops;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node as ops sees it, read over RESP with {@code ROLE}, {@code INFO replication}, {@code INFO persistence} and
 * {@code PAIRS}; or why it could not be read.
 *
 * @param address     where it was asked.
 * @param error       why it could not be read, or null.
 * @param role        {@code master} or {@code slave}, from {@code ROLE}.
 * @param replication its {@code INFO replication} fields.
 * @param persistence its {@code INFO persistence} fields.
 * @param standbys    a primary's standby lines ({@code slaveN:ip=..,port=..,...}) as fields.
 * @param pairs       the pairs it serves.
 */
public record NodeStatus(
    NodeAddress address,
    String error,
    String role,
    Map<String, String> replication,
    Map<String, String> persistence,
    List<Map<String, String>> standbys,
    List<String> pairs)
{
    private static final int TIMEOUT_MS = 3_000;

    /**
     * Asks a node.
     *
     * @param address the node.
     * @return what it answered, or an unreachable status.
     */
    public static NodeStatus read(final NodeAddress address)
    {
        final DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(TIMEOUT_MS).socketTimeoutMillis(TIMEOUT_MS).build();
        try (Jedis jedis = new Jedis(new HostAndPort(address.host(), address.port()), config))
        {
            final List<Object> role = jedis.role();
            final String roleName = role.isEmpty() ? "?" : text(role.get(0));
            final Map<String, String> replication = parseInfo(jedis.info("replication"));
            final Map<String, String> persistence = parseInfo(jedis.info("persistence"));
            final List<String> pairs = new ArrayList<>();
            if (!"1".equals(persistence.get("loading")))
            {
                for (final Object pair : (List<?>)jedis.sendCommand(() -> "PAIRS".getBytes(StandardCharsets.US_ASCII)))
                {
                    pairs.add(text(pair));
                }
            }
            return new NodeStatus(address, null, roleName, replication, persistence, standbyLines(replication), pairs);
        }
        catch (final JedisException | ClassCastException ex)
        {
            return unreachable(address, ex.getMessage() == null ? ex.toString() : ex.getMessage());
        }
    }

    static NodeStatus unreachable(final NodeAddress address, final String why)
    {
        return new NodeStatus(address, why, null, Map.of(), Map.of(), List.of(), List.of());
    }

    /** @return true when the node answered. */
    public boolean reachable()
    {
        return error == null;
    }

    /** @return true when it is a primary. */
    public boolean isPrimary()
    {
        return "master".equals(role);
    }

    /** @return its epoch, -1 when unknown. */
    public long epoch()
    {
        return longField(replication, "epoch");
    }

    /** @return the log sequence of its last log entry (its log position), -1 when unknown. */
    public long logPosition()
    {
        return longField(replication, "log_position");
    }

    /** @return the log sequence its commit covers, -1 when unknown. */
    public long committedPosition()
    {
        return longField(replication, "committed_position");
    }

    /**
     * @return a primary: the log sequence its standbys acknowledged; a standby: what it recorded and acknowledges
     * (its committed position); -1 when unknown.
     */
    public long ackedPosition()
    {
        return isPrimary() ? longField(replication, "acked_position") : committedPosition();
    }

    /** @return a standby's link state ({@code connect}, {@code sync}, {@code connected}, ...), null for a primary. */
    public String linkState()
    {
        return replication.get("link_state");
    }

    /** @return a standby: the last committed log sequence its primary reported, -1 when it never did. */
    public long primaryCommittedPosition()
    {
        return longField(replication, "master_committed_position");
    }

    /** @return a standby: true when its primary, when last heard, marked it out of sync. */
    public boolean markedOutOfSync()
    {
        return "1".equals(replication.get("master_marked_out_of_sync"));
    }

    /** @return a primary: true when it degraded to local acks. */
    public boolean degraded()
    {
        return "1".equals(replication.get("degraded"));
    }

    /** @return a primary: true when a higher epoch fenced it. */
    public boolean fenced()
    {
        return "1".equals(replication.get("fenced"));
    }

    /** @return a standby: why it stopped following, or null. */
    public String divergence()
    {
        return replication.get("divergence");
    }

    /** @return true while it recovers its state. */
    public boolean loading()
    {
        return "1".equals(persistence.get("loading"));
    }

    /** @return the primary's effective ack mode, or null for a standby. */
    public String ackMode()
    {
        return replication.get("ack_mode");
    }

    /** @return a standby's primary as {@code host:port}, or null. */
    public String primaryOf()
    {
        final String host = replication.get("master_host");
        return host == null ? null : host + ":" + replication.get("master_port");
    }

    /**
     * @param port a standby's RESP port.
     * @return this primary's line about that standby, or null.
     */
    public Map<String, String> standbyLine(final int port)
    {
        for (final Map<String, String> line : standbys)
        {
            if (Integer.toString(port).equals(line.get("port")))
            {
                return line;
            }
        }
        return null;
    }

    static long longField(final Map<String, String> fields, final String name)
    {
        final String value = fields.get(name);
        if (value == null)
        {
            return -1;
        }
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private static List<Map<String, String>> standbyLines(final Map<String, String> replication)
    {
        final List<Map<String, String>> lines = new ArrayList<>();
        for (int i = 0; replication.containsKey("slave" + i); i++)
        {
            final Map<String, String> line = new HashMap<>();
            for (final String part : replication.get("slave" + i).split(","))
            {
                final int equals = part.indexOf('=');
                if (equals > 0)
                {
                    line.put(part.substring(0, equals), part.substring(equals + 1));
                }
            }
            lines.add(line);
        }
        return lines;
    }

    private static Map<String, String> parseInfo(final String text)
    {
        final Map<String, String> fields = new HashMap<>();
        for (final String line : text.split("\r?\n"))
        {
            final int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#"))
            {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    private static String text(final Object value)
    {
        return value instanceof byte[] ? new String((byte[])value, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
