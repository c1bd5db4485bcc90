package io.redmatch.clearing.ledger;

import io.redmatch.clearing.fill.Fill;
import io.redmatch.clearing.fill.PairAssets;
import io.redmatch.clearing.fill.Postings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-account sums of a batch against a plain map of balance key → {@link BigDecimal} sum, over random batches
 * of fills of three pairs sharing assets (so an account touches more assets than a pair has), committed one after
 * the other: every new value equals the previous balance plus the batch's changes. Randomized; the seed is printed.
 */
class LedgerBatchTest
{
    private static final String FEES = "@fees";
    private static final List<PairAssets> PAIRS = List.of(new PairAssets("BTC-USDT", "BTC", "USDT"),
        new PairAssets("ETH-USDT", "ETH", "USDT"), new PairAssets("ETH-BTC", "ETH", "BTC"));

    @TempDir
    Path dir;

    @Test
    void sumsEachBalanceOncePerBatch()
    {
        final long seed = System.nanoTime();
        System.out.println("LedgerBatchTest seed " + seed);
        final Random random = new Random(seed);
        final Map<String, BigDecimal> expected = new HashMap<>();
        final Map<String, Long> cursors = new HashMap<>();
        try (Ledger ledger = Ledger.open(dir, new LedgerOptions(10_000, 16, 1 << 20), LedgerSteps.NONE))
        {
            for (int batchNo = 0; batchNo < 30; batchNo++)
            {
                final LedgerBatch batch = new LedgerBatch(ledger, FEES);
                final Map<String, BigDecimal> batchSums = new HashMap<>();
                final int fills = 1 + random.nextInt(200);
                for (int i = 0; i < fills; i++)
                {
                    final PairAssets assets = PAIRS.get(random.nextInt(PAIRS.size()));
                    final long seq = cursors.merge(assets.pair(), 1L, Long::sum);
                    final Fill fill = fill(random, assets.pair(), seq);
                    batch.apply(fill, assets);
                    Postings.post(fill, assets, FEES, (account, asset, delta) ->
                        batchSums.merge(BalanceKeys.key(account, asset), delta, BigDecimal::add));
                }
                final LedgerRecord record = batch.toRecord(ledger.lastBatchId() + 1);
                assertEquals(batchSums.keySet(), record.balances().keySet(), "seed " + seed);
                batchSums.forEach((key, sum) -> expected.merge(key, sum, BigDecimal::add));
                for (final Map.Entry<String, BigDecimal> balance : record.balances().entrySet())
                {
                    assertEquals(0, expected.get(balance.getKey()).compareTo(balance.getValue()),
                        "seed " + seed + ", batch " + batchNo + ", " + balance.getKey());
                }
                ledger.commit(record);
            }
            for (final Map.Entry<String, BigDecimal> balance : expected.entrySet())
            {
                assertEquals(0, balance.getValue().compareTo(ledger.balance(BalanceKeys.account(balance.getKey()),
                    BalanceKeys.asset(balance.getKey()))), "seed " + seed + ", " + balance.getKey());
            }
        }
    }

    private static Fill fill(final Random random, final String pair, final long seq)
    {
        final boolean takerBuys = random.nextBoolean();
        final BigDecimal price = BigDecimal.valueOf(1 + random.nextInt(1_000_000), random.nextInt(4));
        final BigDecimal qty = BigDecimal.valueOf(1 + random.nextInt(1_000_000), random.nextInt(8));
        final BigDecimal quoteQty = price.multiply(qty);
        final BigDecimal baseFee = qty.multiply(new BigDecimal("0.001"));
        final BigDecimal quoteFee = quoteQty.multiply(new BigDecimal("0.002"));
        return new Fill(pair, seq, price, qty, quoteQty, takerBuys, "a" + random.nextInt(6), "a" + random.nextInt(6),
            takerBuys ? baseFee : quoteFee, takerBuys ? quoteFee : baseFee, 1_795_306_980_000_000L + seq,
            random.nextLong());
    }
}
