package io.redmatch.clearing;

import io.redmatch.clearing.ledger.Ledger;
import io.redmatch.clearing.ledger.LedgerSteps;
import io.redmatch.clearing.server.ClearingServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A running clearing service: the ledger, the agent thread that fills it from the engines, and the RESP server that
 * answers queries about it.
 */
public final class ClearingService implements AutoCloseable
{
    /** Version reported by {@code INFO} and {@code HELLO}. */
    public static final String VERSION = "0.1.0";

    private static final Logger LOG = LoggerFactory.getLogger(ClearingService.class);

    private final ClearingContext context;
    private final Ledger ledger;
    private final Alarms alarms = new Alarms();
    private final ClearingStats stats = new ClearingStats();
    private final ClearingAgent agent;
    private final Thread agentThread;
    private final ExecutorService checks = Executors.newSingleThreadExecutor((task) ->
    {
        final Thread thread = new Thread(task, "clearing-check");
        thread.setDaemon(true);
        return thread;
    });
    private final ClearingServer server;
    private final long startMillis = System.currentTimeMillis();

    /**
     * Opens the ledger (recovering it), starts the server, then the agent.
     *
     * @param context the configuration, concluded.
     */
    public ClearingService(final ClearingContext context)
    {
        this.context = context;
        this.ledger = Ledger.open(context.dataDir(), context.ledgerOptions(), LedgerSteps.NONE);
        try
        {
            agent = new ClearingAgent(context, ledger, alarms, stats);
            server = new ClearingServer(this, context.bindAddress(), context.port());
        }
        catch (final RuntimeException ex)
        {
            ledger.close();
            throw ex;
        }
        agentThread = new Thread(agent, "clearing-agent");
        agentThread.start();
        LOG.info("clearing ready on {}:{}", context.bindAddress(), server.port());
    }

    /** @return the port the server listens on. */
    public int port()
    {
        return server.port();
    }

    /** @return the configuration. */
    public ClearingContext context()
    {
        return context;
    }

    /** @return the ledger (read from any thread). */
    public Ledger ledger()
    {
        return ledger;
    }

    /** @return the alarms. */
    public Alarms alarms()
    {
        return alarms;
    }

    /** @return the counters. */
    public ClearingStats stats()
    {
        return stats;
    }

    /** @return true when the ledger could not be written and clearing stopped. */
    public boolean ledgerFailed()
    {
        return agent.ledgerFailed();
    }

    /** @return when the service started, ms since the epoch. */
    public long startMillis()
    {
        return startMillis;
    }

    /**
     * Runs {@code LEDGER.CHECK}: a snapshot taken by the agent between two batches, checked on another thread.
     *
     * @return the result, when done.
     */
    public CompletableFuture<LedgerCheck.Result> check()
    {
        final CompletableFuture<LedgerCheck.Snapshot> snapshot = new CompletableFuture<>();
        final Runnable take = () -> snapshot.complete(new LedgerCheck.Snapshot(
            ledger.allBalances(), ledger.cursors(), alarms.count()));
        if (agentThread.isAlive())
        {
            agent.execute(take);
            if (!agentThread.isAlive() && !snapshot.isDone())
            {
                take.run();
            }
        }
        else
        {
            take.run();
        }
        return snapshot.thenApplyAsync((taken) -> LedgerCheck.check(taken, context), checks);
    }

    @Override
    public void close()
    {
        server.close();
        agent.stop();
        try
        {
            agentThread.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        checks.shutdownNow();
        ledger.close();
        LOG.info("clearing stopped");
    }
}
