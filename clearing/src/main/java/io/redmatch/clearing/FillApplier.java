package io.redmatch.clearing;

import io.redmatch.clearing.engine.RawEntry;
import io.redmatch.clearing.fill.BadFillException;
import io.redmatch.clearing.fill.Fill;
import io.redmatch.clearing.fill.FillDecoder;
import io.redmatch.clearing.fill.PairAssets;
import io.redmatch.clearing.ledger.Ledger;
import io.redmatch.clearing.ledger.LedgerBatch;
import io.redmatch.clearing.ledger.PairState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one read of fills to the ledger as one batch, checking each fill against its pair's cursor:
 * <ul>
 * <li>{@code seq == cursor + 1}: applied;</li>
 * <li>{@code seq <= cursor}: delivered again; skipped when its content hash is the one applied (or no longer kept),
 * alarmed on ({@link Alarms.Kind#CONTENT_MISMATCH}) when it differs;</li>
 * <li>{@code seq > cursor + 1}: a gap ({@link Alarms.Kind#GAP});</li>
 * <li>an entry that is not a well-formed fill of the pair: {@link Alarms.Kind#BAD_FILL}.</li>
 * </ul>
 * An alarm stops the pair: nothing after the offending entry is applied or acknowledged. The fills applied and those
 * skipped are returned for acknowledgement, which the caller sends only after {@link Ledger#commit} returned.
 */
final class FillApplier
{
    private final Ledger ledger;
    private final String feeAccount;
    private final Alarms alarms;
    private final ClearingStats stats;

    /**
     * What one read came to.
     *
     * @param applied fills applied.
     * @param acks    stream key → IDs to acknowledge.
     * @param stopped pairs stopped by an alarm.
     */
    record Outcome(int applied, Map<String, List<String>> acks, List<String> stopped)
    {
    }

    FillApplier(final Ledger ledger, final String feeAccount, final Alarms alarms, final ClearingStats stats)
    {
        this.ledger = ledger;
        this.feeAccount = feeAccount;
        this.alarms = alarms;
        this.stats = stats;
    }

    /**
     * @param read   stream key ({@code fills:<pair>}) → entries, in order.
     * @param assets the pairs being cleared, with their assets; entries of other pairs are ignored.
     * @return what was applied, what to acknowledge, which pairs stopped.
     */
    Outcome apply(final Map<String, List<RawEntry>> read, final Map<String, PairAssets> assets)
    {
        final LedgerBatch batch = new LedgerBatch(ledger, feeAccount);
        final Map<String, List<String>> acks = new LinkedHashMap<>();
        final List<String> stopped = new ArrayList<>();
        int duplicates = 0;
        long oldestTs = Long.MAX_VALUE;
        for (final Map.Entry<String, List<RawEntry>> stream : read.entrySet())
        {
            final String pair = stream.getKey().startsWith("fills:") ?
                stream.getKey().substring("fills:".length()) : stream.getKey();
            final PairAssets pairAssets = assets.get(pair);
            if (pairAssets == null)
            {
                continue;
            }
            final List<String> ids = new ArrayList<>();
            for (final RawEntry entry : stream.getValue())
            {
                final Fill fill;
                try
                {
                    fill = FillDecoder.decode(pair, entry.id(), entry.fields());
                }
                catch (final BadFillException ex)
                {
                    stop(pair, Alarms.Kind.BAD_FILL, ex.getMessage());
                    stopped.add(pair);
                    break;
                }
                final PairState state = batch.state(pair);
                if (fill.seq() <= state.cursor())
                {
                    if (state.knowsHash(fill.seq()) && state.hashAt(fill.seq()) != fill.contentHash())
                    {
                        stop(pair, Alarms.Kind.CONTENT_MISMATCH, "fill " + fill.seq() + " delivered again with " +
                            "another content than the one applied");
                        stopped.add(pair);
                        break;
                    }
                    duplicates++;
                }
                else if (fill.seq() == state.cursor() + 1)
                {
                    batch.apply(fill, pairAssets);
                    oldestTs = Math.min(oldestTs, fill.ts());
                }
                else
                {
                    stop(pair, Alarms.Kind.GAP, "fill " + fill.seq() + " follows fill " + state.cursor() +
                        ": fills " + (state.cursor() + 1) + ".." + (fill.seq() - 1) + " are missing");
                    stopped.add(pair);
                    break;
                }
                ids.add(entry.id());
            }
            if (!ids.isEmpty())
            {
                acks.put(stream.getKey(), ids);
            }
        }
        if (batch.fills() > 0)
        {
            ledger.commit(batch.toRecord(ledger.lastBatchId() + 1));
        }
        if (batch.fills() > 0 || duplicates > 0)
        {
            final long nowMicros = System.currentTimeMillis() * 1000;
            stats.batch(batch.fills(), duplicates, batch.fills() > 0 ? Math.max(0, nowMicros - oldestTs) : 0);
        }
        return new Outcome(batch.fills(), acks, stopped);
    }

    /**
     * @param pair  the pair.
     * @param entry an entry at or below the cursor, as the engine has it now.
     * @param state the pair's state.
     * @return null when it is the fill applied at its sequence (or its hash is no longer kept), else the problem.
     */
    static String differsFromApplied(final String pair, final RawEntry entry, final PairState state)
    {
        final Fill fill;
        try
        {
            fill = FillDecoder.decode(pair, entry.id(), entry.fields());
        }
        catch (final BadFillException ex)
        {
            return ex.getMessage();
        }
        if (state.knowsHash(fill.seq()) && state.hashAt(fill.seq()) != fill.contentHash())
        {
            return "the engine's fill " + fill.seq() + " differs from the one applied at that sequence " +
                "(after a failover?)";
        }
        return null;
    }

    /**
     * Raises an alarm and marks the pair stopped.
     *
     * @param pair    the pair.
     * @param kind    the alarm.
     * @param message the details.
     */
    void stop(final String pair, final Alarms.Kind kind, final String message)
    {
        alarms.raise(kind, pair, message + " — clearing of " + pair + " stopped");
        stats.pair(pair).state(PairStatus.State.STOPPED, kind + ": " + message);
    }
}
