package io.redmatch.engine.replication;

import io.redmatch.engine.node.EngineNodeContext;

import java.util.Properties;

/**
 * Replication settings of a node, read from its configuration file's keys, each overridable by the system property
 * {@code redmatch.node.<key>}; {@code ./redmatch node --replicaof ... --ack ...} set the first two.
 * <ul>
 *   <li>{@value #REPLICAOF_KEY} {@code <host:port>}: start as the standby of that primary (none: a primary).</li>
 *   <li>{@value #ACK_KEY} {@code local|standby}: when replies are released; unset: {@code standby} once a standby
 *   has attached, {@code local} before.</li>
 *   <li>{@value #ACK_TIMEOUT_MS_KEY}: how long a batch waits for the standby (with no acknowledgement progress)
 *   before the policy applies; default {@value #ACK_TIMEOUT_MS_DEFAULT}.</li>
 *   <li>{@value #ACK_DEGRADE_KEY} {@code true|false}: on that timeout, degrade to {@code local} (logged as a
 *   warning, shown in {@code INFO replication}) instead of refusing writes with {@code -TRYAGAIN}; default
 *   false.</li>
 * </ul>
 * The replication endpoint's port is the log's {@code replication-port} key (see
 * {@link io.redmatch.engine.log.CommandLogContext#REPLICATION_PORT_KEY}).
 */
public final class ReplicationContext
{
    /** Key: the primary to follow, {@code host:port}. */
    public static final String REPLICAOF_KEY = "replicaof";
    /** Key: the ack mode. */
    public static final String ACK_KEY = "ack";
    /** Key: the ack timeout in milliseconds. */
    public static final String ACK_TIMEOUT_MS_KEY = "ack-timeout-ms";
    /** Default ack timeout. */
    public static final long ACK_TIMEOUT_MS_DEFAULT = 5_000;
    /** Key: degrade to local acks on timeout. */
    public static final String ACK_DEGRADE_KEY = "ack-degrade";

    private static final String PROP_PREFIX = "redmatch.node.";

    private final String primaryHost;
    private final int primaryPort;
    private final AckMode ackMode;
    private final long ackTimeoutMs;
    private final boolean ackDegrade;

    private ReplicationContext(
        final String primaryHost, final int primaryPort, final AckMode ackMode, final long ackTimeoutMs,
        final boolean ackDegrade)
    {
        this.primaryHost = primaryHost;
        this.primaryPort = primaryPort;
        this.ackMode = ackMode;
        this.ackTimeoutMs = ackTimeoutMs;
        this.ackDegrade = ackDegrade;
    }

    /**
     * @param node the node's configuration.
     * @return its replication settings, validated.
     * @throws IllegalArgumentException when a value is malformed.
     */
    public static ReplicationContext of(final EngineNodeContext node)
    {
        final Properties properties = node.configProperties();
        final String replicaOf = value(properties, REPLICAOF_KEY);
        String host = null;
        int port = 0;
        if (replicaOf != null && !replicaOf.isBlank() && !"no one".equalsIgnoreCase(replicaOf.trim()))
        {
            final int colon = replicaOf.lastIndexOf(':');
            if (colon <= 0)
            {
                throw new IllegalArgumentException(REPLICAOF_KEY + " must be host:port: " + replicaOf);
            }
            host = replicaOf.substring(0, colon).trim();
            port = Integer.parseInt(replicaOf.substring(colon + 1).trim());
            if (port <= 0 || port > 65535)
            {
                throw new IllegalArgumentException(REPLICAOF_KEY + " has a bad port: " + replicaOf);
            }
        }
        final String ack = value(properties, ACK_KEY);
        final String timeout = value(properties, ACK_TIMEOUT_MS_KEY);
        final long ackTimeoutMs = timeout == null ? ACK_TIMEOUT_MS_DEFAULT : Long.parseLong(timeout.trim());
        if (ackTimeoutMs <= 0)
        {
            throw new IllegalArgumentException(ACK_TIMEOUT_MS_KEY + " must be positive: " + ackTimeoutMs);
        }
        final String degrade = value(properties, ACK_DEGRADE_KEY);
        return new ReplicationContext(host, port, ack == null || ack.isBlank() ? null : AckMode.fromConfigName(ack),
            ackTimeoutMs, degrade != null && Boolean.parseBoolean(degrade.trim()));
    }

    /**
     * @param node the node's configuration.
     * @return true when it starts as a standby: it adds no pair of its own, its pairs come from its primary's log.
     */
    public static boolean isStandby(final EngineNodeContext node)
    {
        return of(node).primaryHost() != null;
    }

    /** @return the primary's host, or null for a node that starts as a primary. */
    public String primaryHost()
    {
        return primaryHost;
    }

    /** @return the primary's RESP port. */
    public int primaryPort()
    {
        return primaryPort;
    }

    /** @return the configured ack mode, or null for the default (standby once one attached). */
    public AckMode ackMode()
    {
        return ackMode;
    }

    /** @return the ack timeout. */
    public long ackTimeoutMs()
    {
        return ackTimeoutMs;
    }

    /** @return true to degrade to local acks on timeout. */
    public boolean ackDegrade()
    {
        return ackDegrade;
    }

    @Override
    public String toString()
    {
        return "ReplicationContext{" +
            "replicaof=" + (primaryHost == null ? "none" : primaryHost + ":" + primaryPort) +
            ", ack=" + (ackMode == null ? "default" : ackMode.configName()) +
            ", ackTimeoutMs=" + ackTimeoutMs +
            ", ackDegrade=" + ackDegrade +
            '}';
    }

    private static String value(final Properties properties, final String key)
    {
        final String property = System.getProperty(PROP_PREFIX + key);
        return property != null ? property : properties.getProperty(key);
    }
}
