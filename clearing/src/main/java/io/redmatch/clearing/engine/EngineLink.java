package io.redmatch.clearing.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import java.util.List;

/**
 * A Jedis connection to the engine that currently serves the fills: one of the {@code --engine} addresses that answers
 * {@code ROLE} as {@code master}. When the connection fails, or the engine answers {@code -READONLY}, {@code -LOADING},
 * {@code -TRYAGAIN}, {@code -UNBLOCKED} or {@code -MASTERDOWN} (a standby, a node recovering, a failover under way),
 * {@link #failed} drops it and the next {@link #connection()} tries the addresses in turn, starting after the one that
 * failed. Every new connection has a new {@link #generation()}, so its user re-checks what it relies on.
 */
public final class EngineLink implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(EngineLink.class);
    private static final List<String> FAILOVER_ERRORS = List.of("READONLY", "LOADING", "TRYAGAIN", "UNBLOCKED",
        "MASTERDOWN");

    private final List<HostAndPort> engines;
    private final int timeoutMillis;
    private final String clientName;
    private Jedis jedis;
    private int next;
    private int current = -1;
    private long generation;

    /**
     * @param engines       engine (or router) addresses, tried in this order.
     * @param timeoutMillis connect and read timeout; must exceed any {@code BLOCK} used.
     * @param clientName    the connection's {@code CLIENT SETNAME}.
     */
    public EngineLink(final List<HostAndPort> engines, final int timeoutMillis, final String clientName)
    {
        if (engines.isEmpty())
        {
            throw new IllegalArgumentException("no engine address");
        }
        this.engines = List.copyOf(engines);
        this.timeoutMillis = timeoutMillis;
        this.clientName = clientName;
    }

    /**
     * @return a connection to a primary engine.
     * @throws JedisConnectionException when no address answers as a primary (after one round over them).
     */
    public Jedis connection()
    {
        if (jedis != null)
        {
            return jedis;
        }
        final StringBuilder failures = new StringBuilder();
        for (int attempt = 0; attempt < engines.size(); attempt++)
        {
            final int index = (next + attempt) % engines.size();
            final HostAndPort address = engines.get(index);
            Jedis candidate = null;
            try
            {
                candidate = new Jedis(address, DefaultJedisClientConfig.builder()
                    .connectionTimeoutMillis(timeoutMillis).socketTimeoutMillis(timeoutMillis)
                    .clientName(clientName).build());
                final List<Object> role = candidate.role();
                final String name = role.isEmpty() ? "?" : asString(role.get(0));
                if (!"master".equals(name))
                {
                    throw new JedisDataException("ROLE is " + name);
                }
                jedis = candidate;
                current = index;
                next = index;
                generation++;
                LOG.info("connected to engine {} (primary), connection {}", address, generation);
                return jedis;
            }
            catch (final JedisException ex)
            {
                failures.append(failures.length() == 0 ? "" : "; ").append(address).append(": ")
                    .append(ex.getMessage());
                if (candidate != null)
                {
                    closeQuietly(candidate);
                }
            }
        }
        next = (next + 1) % engines.size();
        throw new JedisConnectionException("no primary engine among " + engines + " (" + failures + ")");
    }

    /**
     * @param ex a failure of a command.
     * @return true when it means this engine cannot serve us now (connection lost, standby, loading, failover), so
     *         another address should be tried; false for an answer that another engine would give too.
     */
    public static boolean isFailover(final Exception ex)
    {
        if (ex instanceof JedisConnectionException)
        {
            return true;
        }
        if (ex instanceof JedisDataException && ex.getMessage() != null)
        {
            for (final String prefix : FAILOVER_ERRORS)
            {
                if (ex.getMessage().startsWith(prefix))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Drops the current connection after a failure; the next {@link #connection()} tries the next address first.
     *
     * @param ex the failure.
     */
    public void failed(final Exception ex)
    {
        if (jedis != null)
        {
            LOG.warn("engine {} failed: {}; trying the engines again", engines.get(current), ex.getMessage());
            closeQuietly(jedis);
            jedis = null;
            next = (current + 1) % engines.size();
        }
    }

    /** @return the number of connections made so far; changes with each new connection. */
    public long generation()
    {
        return generation;
    }

    /** @return the address in use, or {@code none}. */
    public String currentAddress()
    {
        return jedis == null ? "none" : engines.get(current).toString();
    }

    @Override
    public void close()
    {
        if (jedis != null)
        {
            closeQuietly(jedis);
            jedis = null;
        }
    }

    static String asString(final Object value)
    {
        return value instanceof byte[] ? new String((byte[])value, java.nio.charset.StandardCharsets.UTF_8) :
            String.valueOf(value);
    }

    private static void closeQuietly(final Jedis connection)
    {
        try
        {
            connection.close();
        }
        catch (final RuntimeException ignored)
        {
            // the connection is already broken; nothing more to release
        }
    }
}
