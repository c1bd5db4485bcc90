package io.redmatch.perf.resp;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Command line of the load generator: one run against one RESP server, report on standard output. Exit code 0 when
 * every measured request was answered, 1 when the run stopped early or the target fell behind, 2 for bad options.
 */
@Command(
    name = "resp-loadgen",
    mixinStandardHelpOptions = true,
    description = {
        "Open-loop RESP load at a fixed rate over N connections; latency of each request measured from its intended",
        "send time (no coordinated omission) into an HdrHistogram. --workload order sends a crossing ORDER.PLACE flow",
        "(an engine node), --workload set sends SET key:<random> (redis-server)."
    })
public final class RespLoadTool implements Callable<Integer>
{
    @Option(names = "--host", description = "Target host (default: ${DEFAULT-VALUE}).")
    private String host = LoadContext.HOST_DEFAULT;

    @Option(names = "--port", required = true, description = "Target port.")
    private int port;

    @Option(names = "--label", description = "Name of the target in the report (default: the workload).")
    private String label;

    @Option(names = "--workload", description = "order or set (default: ${DEFAULT-VALUE}).")
    private Workload workload = LoadContext.WORKLOAD_DEFAULT;

    @Option(names = "--connections", description = "Connections (default: ${DEFAULT-VALUE}).")
    private int connections = LoadContext.CONNECTIONS_DEFAULT;

    @Option(names = "--rate", description = "Offered requests per second, all connections together (default: " +
        "${DEFAULT-VALUE}).")
    private int rate = LoadContext.RATE_DEFAULT;

    @Option(names = "--warmup", description = "Seconds at the rate before measuring (default: ${DEFAULT-VALUE}).")
    private int warmupSeconds = LoadContext.WARMUP_SECONDS_DEFAULT;

    @Option(names = "--duration", description = "Seconds measured (default: ${DEFAULT-VALUE}).")
    private int durationSeconds = LoadContext.DURATION_SECONDS_DEFAULT;

    @Option(names = "--tick-us", description = "Shortest pause between sending rounds, microseconds (default: " +
        "${DEFAULT-VALUE}).")
    private int tickMicros = LoadContext.TICK_MICROS_DEFAULT;

    @Option(names = "--max-outstanding", description = "Unanswered requests at which the target counts as " +
        "saturated and sending stops (default: ${DEFAULT-VALUE}).")
    private int maxOutstanding = LoadContext.MAX_OUTSTANDING_DEFAULT;

    @Option(names = "--drain", description = "Seconds to wait for the last replies (default: ${DEFAULT-VALUE}).")
    private int drainSeconds = LoadContext.DRAIN_SECONDS_DEFAULT;

    @Option(names = "--pair", description = "order: the pair (default: ${DEFAULT-VALUE}).")
    private String pair = LoadContext.PAIR_DEFAULT;

    @Option(names = "--mid", description = "order: mid price (default: ${DEFAULT-VALUE}).")
    private String mid = LoadContext.MID_DEFAULT;

    @Option(names = "--tick", description = "order: the pair's price tick (default: ${DEFAULT-VALUE}).")
    private String tick = LoadContext.TICK_DEFAULT;

    @Option(names = "--spread-ticks", description = "order: buys go up to this many ticks above the mid, sells as " +
        "far below (default: ${DEFAULT-VALUE}).")
    private int spreadTicks = LoadContext.SPREAD_TICKS_DEFAULT;

    @Option(names = "--qty", description = "order: quantity of every order (default: ${DEFAULT-VALUE}).")
    private String qty = LoadContext.QTY_DEFAULT;

    @Option(names = "--keyspace", description = "set: number of keys (default: ${DEFAULT-VALUE}).")
    private int keyspace = LoadContext.KEYSPACE_DEFAULT;

    @Option(names = "--value", description = "set: the value (default: ${DEFAULT-VALUE}).")
    private String value = LoadContext.VALUE_DEFAULT;

    @Option(names = "--seed", description = "Seed of prices and keys (default: ${DEFAULT-VALUE}).")
    private long seed = LoadContext.SEED_DEFAULT;

    @Option(names = "--hgrm", description = "Also write the latency distribution (.hgrm, microseconds) here.")
    private Path histogramFile;

    /**
     * Runs the tool.
     *
     * @param args command-line arguments; {@code --help} lists them.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new RespLoadTool()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    public Integer call() throws Exception
    {
        final LoadContext context = new LoadContext()
            .host(host)
            .port(port)
            .label(label)
            .workload(workload)
            .connections(connections)
            .rate(rate)
            .warmupSeconds(warmupSeconds)
            .durationSeconds(durationSeconds)
            .tickMicros(tickMicros)
            .maxOutstanding(maxOutstanding)
            .drainSeconds(drainSeconds)
            .pair(pair)
            .mid(mid)
            .tick(tick)
            .spreadTicks(spreadTicks)
            .qty(qty)
            .keyspace(keyspace)
            .value(value)
            .seed(seed)
            .histogramFile(histogramFile);
        try
        {
            context.conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("resp-loadgen: " + ex.getMessage());
            return 2;
        }
        final LoadResult result;
        try
        {
            result = new LoadRun(context).run();
        }
        catch (final IllegalStateException ex)
        {
            System.err.println("resp-loadgen: " + ex.getMessage());
            return 1;
        }
        result.print(System.out);
        if (context.histogramFile() != null)
        {
            result.writeHistogram(context.histogramFile());
        }
        return result.complete() ? 0 : 1;
    }
}
