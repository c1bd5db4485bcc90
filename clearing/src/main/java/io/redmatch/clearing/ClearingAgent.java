package io.redmatch.clearing;

import io.redmatch.clearing.engine.EngineCommands;
import io.redmatch.clearing.engine.EngineLink;
import io.redmatch.clearing.engine.RawEntry;
import io.redmatch.clearing.fill.PairAssets;
import io.redmatch.clearing.ledger.Ledger;
import io.redmatch.clearing.ledger.LedgerException;
import io.redmatch.clearing.ledger.PairState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that writes the ledger. Each {@link #doWork} reads a batch of fills of every active pair from the
 * engine with {@code XREADGROUP} in clearing's consumer group, checks each fill against the pair's cursor, applies the
 * batch to the ledger (write-ahead record synced, then the maps), and only then acknowledges the fills with
 * {@code XACK}, pipelined ahead of the next read so that a batch costs one round trip. After every (re)connection it first reads back the consumer's pending fills (delivered before a crash
 * or a lost reply): those at or below the cursor were applied already and are only acknowledged.
 * <p>
 * Pairs are discovered with {@code PAIRS} every {@code pairRefreshMs}; a new pair is described with {@code PAIR.INFO}
 * (its base and quote assets) and cleared from its first fill.
 */
public final class ClearingAgent implements Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(ClearingAgent.class);
    private static final long RETRY_PAUSE_MS = 200;
    /** Fills read per pair while behind: the engine's cap per read. */
    static final int CATCH_UP_BATCH = 10_000;

    private final ClearingContext context;
    private final Ledger ledger;
    private final EngineLink link;
    private final Alarms alarms;
    private final ClearingStats stats;
    private final Map<String, PairAssets> assets = new LinkedHashMap<>();
    private final Map<String, Boolean> needsHistory = new LinkedHashMap<>();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Map<String, List<String>> pendingAcks = new LinkedHashMap<>();
    private volatile boolean running = true;
    private volatile boolean ledgerFailed;
    private final FillApplier applier;
    private long seenGeneration;
    private boolean behind;
    private long nextRefreshNanos;

    /**
     * @param context the configuration.
     * @param ledger  the ledger, written only by this agent.
     * @param alarms  where alarms go.
     * @param stats   counters.
     */
    public ClearingAgent(
        final ClearingContext context, final Ledger ledger, final Alarms alarms, final ClearingStats stats)
    {
        this.context = context;
        this.ledger = ledger;
        this.alarms = alarms;
        this.stats = stats;
        this.link = new EngineLink(context.engines(), context.engineTimeoutMs(), "redmatch-clearing");
        this.applier = new FillApplier(ledger, context.feeAccount(), alarms, stats);
        for (final String pair : ledger.cursors().keySet())
        {
            stats.pair(pair).state(PairStatus.State.ABSENT, "not yet seen on the engine");
        }
    }

    @Override
    public void run()
    {
        while (running && !ledgerFailed)
        {
            try
            {
                doWork(System.nanoTime());
            }
            catch (final LedgerException ex)
            {
                ledgerFailed = true;
                alarms.raise(Alarms.Kind.LEDGER_FAILURE, "*", ex.getMessage() + " (clearing stopped; fix the " +
                    "cause and restart: the write-ahead log completes the last batch)");
            }
            catch (final JedisException ex)
            {
                if (EngineLink.isFailover(ex))
                {
                    link.failed(ex);
                }
                else
                {
                    LOG.warn("engine answered: {}", ex.getMessage());
                    recoverFrom();
                }
                pause(RETRY_PAUSE_MS);
            }
            catch (final RuntimeException ex)
            {
                LOG.error("clearing agent error", ex);
                // fills delivered by the failed cycle are pending in the group: read them back before new ones
                seenGeneration = -1;
                pause(RETRY_PAUSE_MS);
            }
        }
        while (!tasks.isEmpty())
        {
            tasks.poll().run();
        }
        flushAcks();
        link.close();
    }

    /**
     * One duty cycle: run queued tasks, (re)connect and re-check if needed, refresh pairs when due, read and apply
     * one batch.
     *
     * @param nowNanos the monotonic time.
     * @return fills applied.
     */
    int doWork(final long nowNanos)
    {
        runTasks();
        stats.tick(nowNanos);
        final Jedis jedis = link.connection();
        if (link.generation() != seenGeneration)
        {
            // acknowledgements not sent on the old connection: the history read delivers those fills again
            pendingAcks.clear();
            seenGeneration = link.generation();
            stats.connected(link.currentAddress());
            needsHistory.replaceAll((pair, value) -> true);
            // pairs first (one gone is dropped, a new one started), then the others are checked on this connection
            final List<String> known = new ArrayList<>(assets.keySet());
            refreshPairs(jedis);
            for (final String pair : known)
            {
                if (assets.containsKey(pair))
                {
                    startPair(jedis, pair);
                }
            }
            nextRefreshNanos = nowNanos;
        }
        if (nowNanos - nextRefreshNanos >= 0)
        {
            nextRefreshNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(context.pairRefreshMs());
            refreshPairs(jedis);
            sampleEngine(jedis);
        }
        return readAndApply(jedis);
    }

    /**
     * Runs a task on this thread between two batches (the ledger is then consistent).
     *
     * @param task the task.
     */
    public void execute(final Runnable task)
    {
        tasks.add(task);
    }

    /** Stops the agent after its current cycle. */
    public void stop()
    {
        running = false;
    }

    /** @return true when the ledger could not be written and clearing stopped. */
    public boolean ledgerFailed()
    {
        return ledgerFailed;
    }

    /**
     * After an error answer that another engine would give too, the cycle starts again as after a reconnection: the
     * groups are made sure of (a group destroyed by an operator, {@code -NOGROUP}, is created again at the cursor)
     * and the pending fills read back, so nothing delivered by the failed cycle is skipped; the pairs are asked
     * again (one gone, {@code -NOPAIR}, is dropped).
     */
    private void recoverFrom()
    {
        seenGeneration = -1;
    }

    private void runTasks()
    {
        Runnable task;
        while ((task = tasks.poll()) != null)
        {
            task.run();
        }
    }

    private void refreshPairs(final Jedis jedis)
    {
        final List<String> served = EngineCommands.pairs(jedis);
        for (final String pair : served)
        {
            if (assets.containsKey(pair) || isStopped(pair))
            {
                continue;
            }
            final PairAssets pairAssets;
            try
            {
                pairAssets = EngineCommands.pairAssets(jedis, pair);
            }
            catch (final JedisDataException ex)
            {
                if (EngineLink.isFailover(ex))
                {
                    throw ex;
                }
                stop(pair, Alarms.Kind.UNKNOWN_PAIR, "PAIR.INFO failed: " + ex.getMessage());
                continue;
            }
            assets.put(pair, pairAssets);
            LOG.info("clearing pair {} (base {}, quote {}) from fill {}", pair, pairAssets.base(), pairAssets.quote(),
                ledger.pairState(pair).cursor() + 1);
            startPair(jedis, pair);
        }
        for (final String pair : new ArrayList<>(assets.keySet()))
        {
            if (!served.contains(pair))
            {
                assets.remove(pair);
                needsHistory.remove(pair);
                stats.pair(pair).state(PairStatus.State.ABSENT, "the engine does not serve it");
            }
        }
    }

    /**
     * Before reading a pair from a (new) engine connection: its consumer group exists (created at the cursor), the
     * engine's stream reaches the cursor, and its fills up to the cursor are the ones applied (by hash, over the
     * kept window). Any difference stops the pair with an alarm.
     */
    private void startPair(final Jedis jedis, final String pair)
    {
        final String key = key(pair);
        final PairState state = ledger.pairState(pair);
        final long cursor = state.cursor();
        final RawEntry last = EngineCommands.last(jedis, key);
        final long engineLast = last == null ? 0 : seqOf(last);
        if (engineLast < cursor)
        {
            stop(pair, Alarms.Kind.ENGINE_BEHIND, "the engine's fills end at " + engineLast + ", below the " +
                "ledger's cursor " + cursor + ": fills " + (engineLast + 1) + ".." + cursor + " were applied but " +
                "the engine no longer has them (a failover that lost committed fills?)");
            return;
        }
        if (cursor > 0)
        {
            final long from = Math.max(1, cursor - PairState.HASH_WINDOW + 1);
            for (final RawEntry entry : EngineCommands.range(jedis, key, String.valueOf(from), String.valueOf(cursor),
                PairState.HASH_WINDOW))
            {
                if (!checkApplied(pair, entry, state))
                {
                    return;
                }
            }
        }
        EngineCommands.ensureGroup(jedis, key, context.group(), cursor);
        needsHistory.put(pair, true);
        stats.pair(pair).state(PairStatus.State.ACTIVE, "");
    }

    private int readAndApply(final Jedis jedis)
    {
        final Map<String, String> history = new LinkedHashMap<>();
        final Map<String, String> fresh = new LinkedHashMap<>();
        for (final Map.Entry<String, Boolean> pair : needsHistory.entrySet())
        {
            if (pair.getValue())
            {
                history.put(key(pair.getKey()), "0");
            }
            else
            {
                fresh.put(key(pair.getKey()), ">");
            }
        }
        if (history.isEmpty() && fresh.isEmpty())
        {
            flushAcks();
            pause(context.blockMs());
            return 0;
        }
        final boolean readingHistory = !history.isEmpty();
        // while a read comes back full, clearing is behind: read up to the engine's cap, so that the round trip,
        // the write-ahead record and its sync are shared by more fills
        final int count = behind ? Math.max(context.batchSize(), CATCH_UP_BATCH) : context.batchSize();
        final Map<String, List<RawEntry>> read = EngineCommands.ackAndReadGroup(jedis, pendingAcks, context.group(),
            context.consumer(), count, readingHistory ? -1 : context.blockMs(), readingHistory ? history : fresh);
        pendingAcks.clear();
        behind = false;
        for (final List<RawEntry> entries : read.values())
        {
            behind |= entries.size() >= context.batchSize();
        }
        if (readingHistory)
        {
            for (final String key : history.keySet())
            {
                final List<RawEntry> entries = read.get(key);
                if (entries == null || entries.isEmpty())
                {
                    needsHistory.replace(pairOf(key), false);
                }
            }
        }
        return apply(jedis, read);
    }

    private int apply(final Jedis jedis, final Map<String, List<RawEntry>> read)
    {
        final FillApplier.Outcome outcome = applier.apply(read, assets);
        for (final String pair : outcome.stopped())
        {
            assets.remove(pair);
            needsHistory.remove(pair);
        }
        // durably applied: acknowledged with the next read
        outcome.acks().forEach((key, ids) -> pendingAcks.computeIfAbsent(key, (k) -> new ArrayList<>()).addAll(ids));
        return outcome.applied();
    }

    private void flushAcks()
    {
        if (!pendingAcks.isEmpty())
        {
            try
            {
                EngineCommands.ack(link.connection(), pendingAcks, context.group());
            }
            catch (final JedisException ex)
            {
                LOG.warn("acknowledging at stop failed ({}): those fills are delivered again at the next start " +
                    "and skipped", ex.getMessage());
            }
            pendingAcks.clear();
        }
    }

    private boolean checkApplied(final String pair, final RawEntry entry, final PairState state)
    {
        final String problem = FillApplier.differsFromApplied(pair, entry, state);
        if (problem != null)
        {
            stop(pair, problem.startsWith("fills:") ? Alarms.Kind.BAD_FILL : Alarms.Kind.CONTENT_MISMATCH, problem);
            return false;
        }
        return true;
    }

    private void sampleEngine(final Jedis jedis)
    {
        for (final String pair : assets.keySet())
        {
            final RawEntry last = EngineCommands.last(jedis, key(pair));
            if (last == null)
            {
                stats.pair(pair).engineLast(0, 0);
                continue;
            }
            final int tsIndex = last.fields() == null ? -1 : last.fields().indexOf("ts");
            long ts = 0;
            if (tsIndex >= 0 && tsIndex + 1 < last.fields().size())
            {
                try
                {
                    ts = Long.parseLong(last.fields().get(tsIndex + 1));
                }
                catch (final NumberFormatException ignored)
                {
                    // a bad entry is alarmed on when it is read; the sample just has no time
                }
            }
            stats.pair(pair).engineLast(seqOf(last), ts);
        }
    }

    private void stop(final String pair, final Alarms.Kind kind, final String message)
    {
        applier.stop(pair, kind, message);
        assets.remove(pair);
        needsHistory.remove(pair);
    }

    private boolean isStopped(final String pair)
    {
        final PairStatus status = stats.pairs().get(pair);
        return status != null && status.state() == PairStatus.State.STOPPED;
    }

    private static long seqOf(final RawEntry entry)
    {
        final int dash = entry.id().indexOf('-');
        try
        {
            return Long.parseLong(dash < 0 ? entry.id() : entry.id().substring(0, dash));
        }
        catch (final NumberFormatException ex)
        {
            throw new JedisDataException("a stream entry ID that is not <seq>-0: " + entry.id());
        }
    }

    private static String key(final String pair)
    {
        return "fills:" + pair;
    }

    private static String pairOf(final String key)
    {
        return key.startsWith("fills:") ? key.substring("fills:".length()) : key;
    }

    private static void pause(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
