package io.redmatch.clearing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the clearing service: {@code clearing --port <p> --data-dir <dir> --engine <host:port>[,...]}, or checks a
 * running one: {@code clearing check --port <p>}. Runs until SIGTERM or Ctrl-C.
 */
@Command(
    name = "clearing",
    mixinStandardHelpOptions = true,
    version = "redmatch clearing " + ClearingService.VERSION,
    subcommands = ClearingCheckTool.class,
    description = {
        "Runs the redmatch clearing service: pulls every pair's fills from the engines (fills:<pair> streams, " +
            "consumer group 'clearing'), applies each exactly once to a persisted ledger of balances, and answers " +
            "BALANCE, LEDGER.CURSOR, LEDGER.CHECK, LEDGER.ALARMS and INFO over RESP (redis-cli -p <port>).",
        "'clearing check --port <p>' reconciles a running service and exits non-zero on any problem."
    })
public final class ClearingMain implements Callable<Integer>
{
    private static final Logger LOG = LoggerFactory.getLogger(ClearingMain.class);

    @Option(names = "--port", paramLabel = "<port>",
        description = "Port clients connect to (default: " + ClearingContext.PORT_DEFAULT + ").")
    private int port = ClearingContext.PORT_DEFAULT;

    @Option(names = "--bind", paramLabel = "<address>",
        description = "Address to listen on (default: " + ClearingContext.BIND_DEFAULT + ").")
    private String bind = ClearingContext.BIND_DEFAULT;

    @Option(names = "--data-dir", paramLabel = "<dir>",
        description = "Directory of the ledger (Chronicle Map files and write-ahead log); created if missing.")
    private Path dataDir;

    @Option(names = "--engine", paramLabel = "<host:port>", split = ",",
        description = "Engine nodes of the shard (primary and standbys) or a router; the one answering ROLE as " +
            "master is used, the others on failure.")
    private List<String> engines;

    @Option(names = "--fee-account", paramLabel = "<account>",
        description = "Account fees are credited to (default: " + ClearingContext.FEE_ACCOUNT_DEFAULT + ").")
    private String feeAccount = ClearingContext.FEE_ACCOUNT_DEFAULT;

    @Option(names = "--batch", paramLabel = "<fills>",
        description = "Fills read per pair per batch while caught up; 10000 while a read comes back full " +
            "(default: " + ClearingContext.BATCH_SIZE_DEFAULT + ").")
    private int batch = ClearingContext.BATCH_SIZE_DEFAULT;

    @Option(names = "--max-balances", paramLabel = "<n>",
        description = "(account, asset) balances the ledger is preallocated for (default: 1000000); fixed when " +
            "the ledger is created.")
    private long maxBalances = io.redmatch.clearing.ledger.LedgerOptions.MAX_BALANCES_DEFAULT;

    @Option(names = "--wal-limit-mb", paramLabel = "<MiB>",
        description = "Write-ahead log size that triggers its compaction into a snapshot (default: 64).")
    private long walLimitMb = io.redmatch.clearing.ledger.LedgerOptions.WAL_LIMIT_DEFAULT >> 20;

    @Option(names = "--pair-refresh-ms", paramLabel = "<ms>",
        description = "How often new pairs are looked for and the lag sampled (default: " +
            ClearingContext.PAIR_REFRESH_MS_DEFAULT + ").")
    private int pairRefreshMs = ClearingContext.PAIR_REFRESH_MS_DEFAULT;

    /**
     * Runs the service, or a subcommand.
     *
     * @param args command-line arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new ClearingMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException
    {
        if (dataDir == null || engines == null || engines.isEmpty())
        {
            System.err.println("clearing: --data-dir and --engine are required (see --help)");
            return 2;
        }
        final ClearingService service;
        try
        {
            final ClearingContext context = new ClearingContext()
                .port(port).bindAddress(bind).dataDir(dataDir).engines(engines).feeAccount(feeAccount)
                .batchSize(batch).maxBalances(maxBalances).walLimitBytes(walLimitMb << 20)
                .pairRefreshMs(pairRefreshMs).conclude();
            LOG.info("redmatch clearing {} starting: {}", ClearingService.VERSION, context);
            service = new ClearingService(context);
        }
        catch (final RuntimeException ex)
        {
            LOG.error("cannot start: {}", ex.getMessage());
            return 1;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            service.close();
            stopped.countDown();
        }, "clearing-stop"));
        stopped.await();
        return 0;
    }
}
