package io.redmatch.engine.node;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

/**
 * A real engine node on a free loopback port, for end-to-end tests of the trading commands, with helpers to talk to
 * it over real sockets.
 */
final class TradingNode implements AutoCloseable
{
    static final String HOST = "127.0.0.1";
    private static final int SOCKET_TIMEOUT_MS = 30_000;

    private final EngineNode node;

    /** @param node a started node, closed with this. */
    TradingNode(final EngineNode node)
    {
        this.node = node;
    }

    /** @return a started node serving no pair yet. */
    static TradingNode start()
    {
        return new TradingNode(new EngineNode(context()).start());
    }

    /** @return a context for a node on any free loopback port that keeps nothing on disk. */
    static EngineNodeContext context()
    {
        return new EngineNodeContext().port(0).bindAddress(HOST).dataDir(null);
    }

    EngineNode node()
    {
        return node;
    }

    int port()
    {
        return node.port();
    }

    /** @return a new RESP2 Jedis connection; the caller closes it. */
    Jedis jedis()
    {
        return new Jedis(HOST, port(), DefaultJedisClientConfig.builder()
            .socketTimeoutMillis(SOCKET_TIMEOUT_MS).connectionTimeoutMillis(SOCKET_TIMEOUT_MS).build());
    }

    /** @return a new client over a new Jedis connection; the caller closes it. */
    TradingClient client()
    {
        return new TradingClient(jedis());
    }

    /** @return the matching engine of a node, started or not, to read its digest without a socket. */
    static MatchingEngine engine(final EngineNode node)
    {
        for (final CommandGroup group : node.context().commandGroups())
        {
            if (group instanceof MatchingCommandGroup)
            {
                return ((MatchingCommandGroup)group).engine();
            }
        }
        throw new IllegalStateException("no matching command group");
    }

    @Override
    public void close()
    {
        node.close();
    }
}
