package io.redmatch.clearing.ledger;

import io.redmatch.clearing.fill.Fill;
import io.redmatch.clearing.fill.PairAssets;
import io.redmatch.clearing.fill.Postings;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fills of one batch, applied in memory over the ledger's current state, becoming one {@link LedgerRecord} of
 * absolute new values. Nothing reaches the ledger until {@link Ledger#commit}.
 */
public final class LedgerBatch
{
    private final Ledger ledger;
    private final String feeAccount;
    /** account → the batch's changes of its balances; one entry per touched (account, asset). */
    private final Map<String, AccountChanges> changes = new LinkedHashMap<>();
    private final Map<String, PairState> states = new LinkedHashMap<>();
    private final Map<String, List<long[]>> appliedHashes = new LinkedHashMap<>();
    private int fills;

    /**
     * @param ledger     the ledger the batch applies to.
     * @param feeAccount the account fees go to.
     */
    public LedgerBatch(final Ledger ledger, final String feeAccount)
    {
        this.ledger = ledger;
        this.feeAccount = feeAccount;
    }

    /**
     * @param pair a pair.
     * @return its state as the batch has it so far (the ledger's, plus the fills applied in this batch).
     */
    public PairState state(final String pair)
    {
        return states.computeIfAbsent(pair, ledger::pairState);
    }

    /**
     * Applies a fill; its sequence must be the pair's cursor + 1 (checked by the caller).
     *
     * @param fill   the fill.
     * @param assets its pair's assets.
     */
    public void apply(final Fill fill, final PairAssets assets)
    {
        final PairState state = state(fill.pair());
        if (fill.seq() != state.cursor() + 1)
        {
            throw new IllegalStateException("fill " + fill.seq() + " of " + fill.pair() + " after cursor " +
                state.cursor());
        }
        Postings.post(fill, assets, feeAccount, this::post);
        state.applied(fill.seq(), fill.contentHash(), fill.ts());
        appliedHashes.computeIfAbsent(fill.pair(), (pair) -> new ArrayList<>())
            .add(new long[] { fill.seq(), fill.contentHash() });
        fills++;
    }

    private void post(final String account, final String asset, final BigDecimal delta)
    {
        AccountChanges deltas = changes.get(account);
        if (deltas == null)
        {
            deltas = new AccountChanges();
            changes.put(account, deltas);
        }
        deltas.add(asset, delta);
    }

    /** @return fills applied in this batch. */
    public int fills()
    {
        return fills;
    }

    /**
     * @param batchId the batch's number.
     * @return the record of absolute new values: each changed balance is the ledger's plus the batch's changes.
     */
    public LedgerRecord toRecord(final long batchId)
    {
        final Map<String, BigDecimal> newBalances = new LinkedHashMap<>(changes.size() * 4);
        for (final Map.Entry<String, AccountChanges> account : changes.entrySet())
        {
            final AccountChanges deltas = account.getValue();
            for (int i = 0; i < deltas.size; i++)
            {
                final String asset = deltas.assets[i];
                newBalances.put(BalanceKeys.key(account.getKey(), asset),
                    ledger.balance(account.getKey(), asset).add(deltas.sums[i]));
            }
        }
        final List<LedgerRecord.PairUpdate> pairs = new ArrayList<>();
        for (final Map.Entry<String, List<long[]>> entry : appliedHashes.entrySet())
        {
            // only the last HASH_WINDOW hashes of a pair are kept, so only those are logged
            final List<long[]> all = entry.getValue();
            final List<long[]> applied = all.subList(Math.max(0, all.size() - PairState.HASH_WINDOW), all.size());
            final long[] seqs = new long[applied.size()];
            final long[] hashes = new long[applied.size()];
            for (int i = 0; i < applied.size(); i++)
            {
                seqs[i] = applied.get(i)[0];
                hashes[i] = applied.get(i)[1];
            }
            final PairState state = states.get(entry.getKey());
            pairs.add(new LedgerRecord.PairUpdate(entry.getKey(), state.cursor(), state.lastTs(), seqs, hashes));
        }
        return new LedgerRecord(batchId, pairs, newBalances);
    }

    /**
     * One account's changes in a batch, per asset: an account touches few assets (those of the pairs it traded), so
     * a short array searched in order is cheaper than a key string and a hash lookup per change.
     */
    private static final class AccountChanges
    {
        private String[] assets = new String[2];
        private BigDecimal[] sums = new BigDecimal[2];
        private int size;

        void add(final String asset, final BigDecimal delta)
        {
            for (int i = 0; i < size; i++)
            {
                if (assets[i] == asset || assets[i].equals(asset))
                {
                    sums[i] = sums[i].add(delta);
                    return;
                }
            }
            if (size == assets.length)
            {
                assets = Arrays.copyOf(assets, size * 2);
                sums = Arrays.copyOf(sums, size * 2);
            }
            assets[size] = asset;
            sums[size] = delta;
            size++;
        }
    }
}
