package io.redmatch.clearing;

import io.redmatch.clearing.engine.EngineCommands;
import io.redmatch.clearing.engine.EngineLink;
import io.redmatch.clearing.engine.RawEntry;
import io.redmatch.clearing.fill.BadFillException;
import io.redmatch.clearing.fill.Fill;
import io.redmatch.clearing.fill.FillDecoder;
import io.redmatch.clearing.fill.PairAssets;
import io.redmatch.clearing.fill.Postings;
import io.redmatch.clearing.ledger.BalanceKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reconciliation ({@code LEDGER.CHECK}) of a consistent snapshot of the ledger (taken between two batches): no alarm
 * was raised; for every asset the balances sum to zero; and, while the engines still hold every fill from 1 up to
 * each cursor, the balances equal a recomputation from those fills ({@code XRANGE} from the start).
 */
public final class LedgerCheck
{
    private static final int RANGE_COUNT = 10_000;
    private static final int LISTED = 10;

    /**
     * The ledger as it stood between two batches.
     *
     * @param balances balance key → amount.
     * @param cursors  pair → cursor.
     * @param alarms   alarms raised so far.
     */
    public record Snapshot(Map<String, BigDecimal> balances, Map<String, Long> cursors, long alarms)
    {
    }

    /**
     * What the check found.
     *
     * @param problems discrepancies (empty when the ledger reconciles).
     * @param notes    what could not be checked, and why.
     */
    public record Result(List<String> problems, List<String> notes)
    {
        /** @return the reply text: OK, possibly with notes, or the problems. */
        public String summary()
        {
            if (problems.isEmpty())
            {
                return notes.isEmpty() ? "OK" : "OK (" + String.join("; ", notes) + ")";
            }
            final List<String> listed = problems.subList(0, Math.min(LISTED, problems.size()));
            return "LEDGER.CHECK failed: " + problems.size() + " problem(s): " + String.join("; ", listed) +
                (problems.size() > LISTED ? "; ..." : "");
        }
    }

    private LedgerCheck()
    {
    }

    /**
     * Checks a snapshot.
     *
     * @param snapshot   the ledger.
     * @param context    for the engine addresses and fee account.
     * @return the result.
     */
    public static Result check(final Snapshot snapshot, final ClearingContext context)
    {
        final List<String> problems = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        if (snapshot.alarms() > 0)
        {
            problems.add(snapshot.alarms() + " alarm(s) raised (LEDGER.ALARMS lists them)");
        }
        final Map<String, BigDecimal> sums = new TreeMap<>();
        snapshot.balances().forEach((key, amount) -> sums.merge(BalanceKeys.asset(key), amount, BigDecimal::add));
        sums.forEach((asset, sum) ->
        {
            if (sum.signum() != 0)
            {
                problems.add("asset " + asset + " sums to " + sum.toPlainString() + ", not 0");
            }
        });
        try (EngineLink link = new EngineLink(context.engines(), context.engineTimeoutMs(), "redmatch-clearing-check"))
        {
            final Map<String, BigDecimal> recomputed = new HashMap<>();
            boolean complete = true;
            for (final Map.Entry<String, Long> cursor : snapshot.cursors().entrySet())
            {
                if (cursor.getValue() > 0 &&
                    !recompute(link, cursor.getKey(), cursor.getValue(), context, recomputed, problems, notes))
                {
                    complete = false;
                }
            }
            if (complete)
            {
                compare(snapshot.balances(), recomputed, problems);
            }
        }
        catch (final JedisException ex)
        {
            notes.add("recomputation from the engines skipped: " + ex.getMessage());
        }
        return new Result(problems, notes);
    }

    private static boolean recompute(
        final EngineLink link, final String pair, final long cursor, final ClearingContext context,
        final Map<String, BigDecimal> recomputed, final List<String> problems, final List<String> notes)
    {
        final Jedis jedis = link.connection();
        final PairAssets assets = EngineCommands.pairAssets(jedis, pair);
        final String key = "fills:" + pair;
        long expected = 1;
        String start = "1";
        while (expected <= cursor)
        {
            final List<RawEntry> entries = EngineCommands.range(jedis, key, start, String.valueOf(cursor),
                RANGE_COUNT);
            if (entries.isEmpty())
            {
                problems.add("fills:" + pair + " ends at " + (expected - 1) + ", below the cursor " + cursor);
                return false;
            }
            for (final RawEntry entry : entries)
            {
                final Fill fill;
                try
                {
                    fill = FillDecoder.decode(pair, entry.id(), entry.fields());
                }
                catch (final BadFillException ex)
                {
                    problems.add(ex.getMessage());
                    return false;
                }
                if (fill.seq() != expected)
                {
                    if (expected == 1)
                    {
                        notes.add("recomputation skipped: fills:" + pair + " holds fills from " + fill.seq() +
                            " only (older ones trimmed by retention)");
                    }
                    else
                    {
                        problems.add("fills:" + pair + " has a gap: " + fill.seq() + " after " + (expected - 1));
                    }
                    return false;
                }
                Postings.post(fill, assets, context.feeAccount(), (account, asset, delta) ->
                    recomputed.merge(BalanceKeys.key(account, asset), delta, BigDecimal::add));
                expected++;
            }
            start = "(" + (expected - 1);
        }
        return true;
    }

    private static void compare(
        final Map<String, BigDecimal> ledger, final Map<String, BigDecimal> recomputed, final List<String> problems)
    {
        final TreeSet<String> keys = new TreeSet<>(ledger.keySet());
        keys.addAll(recomputed.keySet());
        for (final String key : keys)
        {
            final BigDecimal held = ledger.getOrDefault(key, BigDecimal.ZERO);
            final BigDecimal expected = recomputed.getOrDefault(key, BigDecimal.ZERO);
            if (held.compareTo(expected) != 0)
            {
                problems.add(BalanceKeys.account(key) + " " + BalanceKeys.asset(key) + " is " + held.toPlainString() +
                    " in the ledger, " + expected.toPlainString() + " from the fills");
            }
        }
    }
}
