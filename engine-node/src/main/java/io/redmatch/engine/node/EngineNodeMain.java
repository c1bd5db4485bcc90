package io.redmatch.engine.node;

import io.redmatch.engine.replication.ReplicationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Starts one engine node: {@code node --port <p> --data-dir <dir> [--bind 127.0.0.1] [--config <file>]
 * [--replicaof <host:port>] [--ack local|standby] [--replication-port <udp-port>]}. Command-line
 * options override the configuration file, which overrides the defaults of {@link EngineNodeContext}. Runs until
 * {@code SHUTDOWN} or SIGTERM (or Ctrl-C), which stop the node cleanly.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    version = "redmatch engine node " + EngineNode.VERSION,
    description = "Runs one redmatch engine node, serving RESP (redis-cli, Jedis, Lettuce...) on its port.")
public final class EngineNodeMain implements Callable<Integer>
{
    private static final Logger LOG = LoggerFactory.getLogger(EngineNodeMain.class);

    @Option(names = "--port", paramLabel = "<port>",
        description = "Port clients connect to (default: " + EngineNodeContext.PORT_DEFAULT + ").")
    private Integer port;

    @Option(names = "--data-dir", paramLabel = "<dir>", required = true,
        description = "Directory of the node's durable state; created if missing.")
    private Path dataDir;

    @Option(names = "--bind", paramLabel = "<address>",
        description = "Address to listen on (default: " + EngineNodeContext.BIND_DEFAULT + ").")
    private String bindAddress;

    @Option(names = "--config", paramLabel = "<file>",
        description = "Properties file of settings, e.g. port=7001, max-clients=5000; options given here win.")
    private Path configFile;

    @Option(names = "--replicaof", paramLabel = "<host:port>",
        description = "Start as the hot standby of that primary (its RESP address): follow its command log, " +
            "answer reads, refuse writes (-READONLY) until promoted with REPLICAOF NO ONE.")
    private String replicaOf;

    @Option(names = "--ack", paramLabel = "local|standby",
        description = "When replies to writes are released: once recorded here (local) or also acknowledged by the " +
            "standby (standby). Default: standby once a standby has attached, local before.")
    private String ack;

    @Option(names = "--replication-port", paramLabel = "<udp-port>",
        description = "UDP port of the node's replication endpoint (default: a free one, see INFO replication).")
    private Integer replicationPort;

    /**
     * Runs the node until it stops.
     *
     * @param args command-line arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new EngineNodeMain()).execute(args));
    }

    public Integer call()
    {
        final EngineNodeContext context = new EngineNodeContext();
        final EngineNode node;
        try
        {
            if (configFile != null)
            {
                context.loadConfig(configFile);
            }
            if (port != null)
            {
                context.port(port);
            }
            if (bindAddress != null)
            {
                context.bindAddress(bindAddress);
            }
            if (replicaOf != null)
            {
                context.configProperties().setProperty("replicaof", replicaOf);
            }
            if (ack != null)
            {
                context.configProperties().setProperty("ack", ack);
            }
            if (replicationPort != null)
            {
                context.configProperties().setProperty("replication-port", replicationPort.toString());
            }
            context.dataDir(dataDir).conclude();
            ReplicationContext.of(context);
            LOG.info("redmatch engine node {} starting: {}", EngineNode.VERSION, context);
            node = new EngineNode(context);
        }
        catch (final RuntimeException ex)
        {
            LOG.error("cannot start: {}", ex.getMessage());
            return 1;
        }
        // before start: a SIGTERM while the node recovers its log stops it cleanly too
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "redmatch-stop"));
        try
        {
            node.start();
        }
        catch (final RuntimeException ex)
        {
            if (node.isShutdownRequested())
            {
                // SHUTDOWN is served while loading, as in Redis: a requested stop, not a failure
                LOG.info("stopped by SHUTDOWN before the state was recovered");
                node.terminationFuture().join();
                return 0;
            }
            LOG.error("cannot start: {}", ex.getMessage());
            return 1;
        }
        node.terminationFuture().join();
        return 0;
    }
}
