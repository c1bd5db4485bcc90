package io.redmatch.router;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Starts a router: {@code router --port <p> --shards <file>}. Runs until SIGTERM or Ctrl-C. */
@Command(
    name = "router",
    mixinStandardHelpOptions = true,
    version = "redmatch router",
    description = {
        "Runs the redmatch router: one RESP endpoint for a cluster of shards. Each pair's commands go to the " +
            "current primary of the shard the shard file assigns it to (learned from ROLE and the epoch of INFO " +
            "replication, re-checked every probe interval and at once on -READONLY or a lost connection).",
        "Shard file lines: 'shard <name> <host:port> [<host:port>...]' and 'pair <PAIR> <shard>'; '#' starts a " +
            "comment. The file is reloaded when it changes and on ROUTER.RELOAD; an invalid file is refused and " +
            "the map in force stays. See docs/ROUTER.md."
    })
public final class RouterMain implements Callable<Integer>
{
    private static final Logger LOG = LoggerFactory.getLogger(RouterMain.class);

    @Option(names = "--port", paramLabel = "<port>",
        description = "Port clients connect to (default: " + RouterContext.PORT_DEFAULT + ").")
    private int port = RouterContext.PORT_DEFAULT;

    @Option(names = "--bind", paramLabel = "<address>",
        description = "Address to listen on (default: " + RouterContext.BIND_DEFAULT + ").")
    private String bind = RouterContext.BIND_DEFAULT;

    @Option(names = "--shards", paramLabel = "<file>", required = true, description = "The shard file.")
    private Path shards;

    @Option(names = "--threads", paramLabel = "<n>",
        description = "Event loops (default: " + RouterContext.THREADS_DEFAULT + "); each has its own shard " +
            "connections.")
    private int threads = RouterContext.THREADS_DEFAULT;

    @Option(names = "--probe-interval-ms", paramLabel = "<ms>",
        description = "How often each shard's members are asked who is primary (default: " +
            RouterContext.PROBE_INTERVAL_MS_DEFAULT + ").")
    private long probeIntervalMs = RouterContext.PROBE_INTERVAL_MS_DEFAULT;

    @Option(names = "--upstream-timeout-ms", paramLabel = "<ms>",
        description = "A non-blocking command unanswered by its shard this long gets -TRYAGAIN and the shard " +
            "connection is reset (default: " + RouterContext.UPSTREAM_TIMEOUT_MS_DEFAULT + ").")
    private long upstreamTimeoutMs = RouterContext.UPSTREAM_TIMEOUT_MS_DEFAULT;

    @Option(names = "--max-clients", paramLabel = "<n>",
        description = "Client connections at most (default: " + RouterContext.MAX_CLIENTS_DEFAULT + ").")
    private int maxClients = RouterContext.MAX_CLIENTS_DEFAULT;

    /**
     * Runs the router.
     *
     * @param args command-line arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new RouterMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        final RouterContext context = new RouterContext().port(port).bind(bind).shardFile(shards).threads(threads)
            .probeIntervalMs(probeIntervalMs).upstreamTimeoutMs(upstreamTimeoutMs).maxClients(maxClients);
        final Router router;
        try
        {
            router = Router.start(context);
        }
        catch (final ShardMapException | IllegalArgumentException ex)
        {
            LOG.error("cannot start: {}", ex.getMessage());
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(router::close, "router-shutdown"));
        router.awaitClose();
        return 0;
    }
}
