package io.redmatch.clearing.ledger;

import io.redmatch.clearing.fill.BadFillException;
import io.redmatch.clearing.fill.Fill;
import io.redmatch.clearing.fill.FillDecoder;
import io.redmatch.clearing.fill.PairAssets;
import io.redmatch.clearing.fill.TestFills;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger stopped at every step of a batch's writes, as a crash would stop it (the log written but not synced, the
 * log synced, after each balance put, after each pair put), then reopened: the batch is applied exactly once.
 * A record torn in the log is dropped (its fills are read again and applied once). Compaction keeps the log bounded
 * and the state whole; a map file lost is rebuilt from the log; damage before the log's tail stops the start.
 */
class LedgerRecoveryTest
{
    private static final PairAssets BTC = new PairAssets("BTC-USDT", "BTC", "USDT");
    private static final PairAssets ETH = new PairAssets("ETH-USDT", "ETH", "USDT");
    private static final LedgerOptions OPTIONS = new LedgerOptions(1000, 16, 1 << 16);

    @TempDir
    Path tempDir;

    /** Thrown by a step listener to stop the ledger there. */
    private static final class Crash extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void aBatchStoppedAtAnyStepIsAppliedExactlyOnceAfterRestart() throws Exception
    {
        final Map<String, BigDecimal> expected = expectedAfterTwoBatches();
        final int steps = countSteps();
        assertTrue(steps > 4, "the second batch has several writes: " + steps);
        for (int stopAt = 1; stopAt <= steps; stopAt++)
        {
            final Path dir = tempDir.resolve("stop-" + stopAt);
            final int limit = stopAt;
            final int[] seen = { 0 };
            try (Ledger ledger = Ledger.open(dir, OPTIONS, LedgerSteps.NONE))
            {
                commit(ledger, batch(ledger, 1, 2));
            }
            final Ledger crashing = Ledger.open(dir, OPTIONS, (step) ->
            {
                if (++seen[0] == limit)
                {
                    throw new Crash();
                }
            });
            try
            {
                assertThrows(Crash.class, () -> commit(crashing, batch(crashing, 3, 4)));
            }
            finally
            {
                crashed(crashing);
            }
            try (Ledger reopened = Ledger.open(dir, OPTIONS, LedgerSteps.NONE))
            {
                assertEquals(expected, reopened.allBalances(), "stopped at write " + stopAt);
                assertEquals(4, reopened.pairState("BTC-USDT").cursor(), "stopped at write " + stopAt);
                assertEquals(4, reopened.pairState("ETH-USDT").cursor(), "stopped at write " + stopAt);
                // the fills of the batch are delivered again (they were not acknowledged): all are at or below
                // the cursor, with the hashes applied, so nothing is applied twice
                for (int seq = 1; seq <= 4; seq++)
                {
                    final Fill fill = fill(BTC, seq);
                    assertTrue(reopened.pairState("BTC-USDT").knowsHash(seq));
                    assertEquals(fill.contentHash(), reopened.pairState("BTC-USDT").hashAt(seq));
                }
            }
        }
    }

    @Test
    void aRecordTornInTheLogIsCutAndItsFillsApplyOnceWhenReadAgain() throws Exception
    {
        final Path dir = tempDir.resolve("torn");
        try (Ledger ledger = Ledger.open(dir, OPTIONS, LedgerSteps.NONE))
        {
            commit(ledger, batch(ledger, 1, 2));
        }
        final long goodLength = Files.size(dir.resolve(Ledger.WAL_FILE));
        final Ledger crashing = Ledger.open(dir, OPTIONS, (step) ->
        {
            if (step == LedgerSteps.Step.WAL_WRITTEN)
            {
                throw new Crash();
            }
        });
        assertThrows(Crash.class, () -> commit(crashing, batch(crashing, 3, 4)));
        crashed(crashing);
        final long fullLength = Files.size(dir.resolve(Ledger.WAL_FILE));
        try (FileChannel wal = FileChannel.open(dir.resolve(Ledger.WAL_FILE), StandardOpenOption.WRITE))
        {
            wal.truncate(goodLength + (fullLength - goodLength) / 2);
        }
        try (Ledger reopened = Ledger.open(dir, OPTIONS, LedgerSteps.NONE))
        {
            assertTrue(reopened.recoveryNote().contains("beyond the end"), reopened.recoveryNote());
            assertEquals(2, reopened.pairState("BTC-USDT").cursor());
            assertEquals(goodLength, Files.size(dir.resolve(Ledger.WAL_FILE)));
            commit(reopened, batch(reopened, 3, 4));
            assertEquals(expectedAfterTwoBatches(), reopened.allBalances());
        }
    }

    @Test
    void compactionKeepsTheLogBoundedAndTheStateWhole() throws Exception
    {
        final Path dir = tempDir.resolve("compaction");
        Map<String, BigDecimal> before;
        try (Ledger ledger = Ledger.open(dir, OPTIONS, LedgerSteps.NONE))
        {
            for (int seq = 1; seq <= 2000; seq += 10)
            {
                commit(ledger, batch(ledger, seq, seq + 9));
            }
            before = ledger.allBalances();
            assertTrue(Files.size(dir.resolve(Ledger.WAL_FILE)) < 3 * OPTIONS.walLimitBytes());
        }
        Files.delete(dir.resolve(Ledger.BALANCES_FILE));
        try (Ledger reopened = Ledger.open(dir, OPTIONS, LedgerSteps.NONE))
        {
            assertEquals(before, reopened.allBalances(), "rebuilt from the log alone");
            assertEquals(2000, reopened.pairState("ETH-USDT").cursor());
            assertTrue(reopened.pairState("BTC-USDT").knowsHash(2000));
            assertTrue(reopened.pairState("BTC-USDT").knowsHash(2000 - PairState.HASH_WINDOW + 1));
        }
    }

    @Test
    void damageBeforeTheTailStopsTheStart() throws Exception
    {
        final Path dir = tempDir.resolve("damaged");
        try (Ledger ledger = Ledger.open(dir, OPTIONS, LedgerSteps.NONE))
        {
            commit(ledger, batch(ledger, 1, 2));
            commit(ledger, batch(ledger, 3, 4));
        }
        final byte[] wal = Files.readAllBytes(dir.resolve(Ledger.WAL_FILE));
        wal[40] ^= 0x55;
        Files.write(dir.resolve(Ledger.WAL_FILE), wal);
        final LedgerException ex = assertThrows(LedgerException.class,
            () -> Ledger.open(dir, OPTIONS, LedgerSteps.NONE));
        assertTrue(ex.getMessage().contains("damaged"), ex.getMessage());
    }

    @Test
    void replayingTwiceChangesNothing() throws Exception
    {
        final Path dir = tempDir.resolve("twice");
        try (Ledger ledger = Ledger.open(dir, OPTIONS, LedgerSteps.NONE))
        {
            commit(ledger, batch(ledger, 1, 2));
            commit(ledger, batch(ledger, 3, 4));
        }
        for (int i = 0; i < 2; i++)
        {
            final Ledger reopened = Ledger.open(dir, OPTIONS, LedgerSteps.NONE);
            assertEquals(expectedAfterTwoBatches(), reopened.allBalances());
            crashed(reopened);
        }
    }

    private Map<String, BigDecimal> expectedAfterTwoBatches()
    {
        final Path dir = tempDir.resolve("reference-" + System.nanoTime());
        try (Ledger ledger = Ledger.open(dir, OPTIONS, LedgerSteps.NONE))
        {
            commit(ledger, batch(ledger, 1, 2));
            commit(ledger, batch(ledger, 3, 4));
            return new TreeMap<>(ledger.allBalances());
        }
    }

    private int countSteps()
    {
        final Path dir = tempDir.resolve("count");
        final int[] count = { 0 };
        try (Ledger ledger = Ledger.open(dir, OPTIONS, LedgerSteps.NONE))
        {
            commit(ledger, batch(ledger, 1, 2));
        }
        try (Ledger ledger = Ledger.open(dir, OPTIONS, (step) -> count[0]++))
        {
            commit(ledger, batch(ledger, 3, 4));
        }
        return count[0];
    }

    /** Leaves the ledger as a crash would: its files as they are, not marked closed cleanly. */
    private static void crashed(final Ledger ledger) throws IOException
    {
        ledger.close();
        Files.deleteIfExists(ledger.dir().resolve(Ledger.CLEAN_FILE));
    }

    private static LedgerBatch batch(final Ledger ledger, final int fromSeq, final int toSeq)
    {
        final LedgerBatch batch = new LedgerBatch(ledger, "@fees");
        for (int seq = fromSeq; seq <= toSeq; seq++)
        {
            batch.apply(fill(BTC, seq), BTC);
            batch.apply(fill(ETH, seq), ETH);
        }
        return batch;
    }

    private static void commit(final Ledger ledger, final LedgerBatch batch)
    {
        ledger.commit(batch.toRecord(ledger.lastBatchId() + 1));
    }

    private static Fill fill(final PairAssets pair, final int seq)
    {
        final List<String> accounts = new ArrayList<>(List.of("alice", "bob", "carol"));
        try
        {
            return FillDecoder.decode(pair.pair(), seq + "-0", TestFills.flat(TestFills.fields(pair.pair(), seq,
                seq % 2 == 0 ? "BUY" : "SELL", accounts.get(seq % 3), accounts.get((seq + 1) % 3))));
        }
        catch (final BadFillException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
