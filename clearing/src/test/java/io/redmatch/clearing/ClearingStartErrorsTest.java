package io.redmatch.clearing;

import io.redmatch.clearing.ledger.Ledger;
import io.redmatch.clearing.ledger.LedgerException;
import io.redmatch.clearing.ledger.LedgerOptions;
import io.redmatch.clearing.ledger.LedgerSteps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data dir that cannot be used, or a disk without room for the preallocated ledger, fails at start with a clear
 * message and leaves nothing half made.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClearingStartErrorsTest
{
    @TempDir
    Path tempDir;

    @Test
    void aDataDirThatCannotBeCreatedIsRefused() throws Exception
    {
        final Path file = Files.writeString(tempDir.resolve("a-file"), "not a directory");
        final LedgerException ex = assertThrows(LedgerException.class,
            () -> Ledger.open(file.resolve("ledger"), LedgerOptions.defaults(), LedgerSteps.NONE));
        assertTrue(ex.getMessage().contains("cannot create the data dir"), ex.getMessage());
    }

    @Test
    void aLedgerLargerThanTheFreeDiskIsRefusedAtStartAndLeavesNothing()
    {
        final long free = tempDir.toFile().getUsableSpace();
        // far more balances than the disk could hold at ~100 bytes each: the map's size is known before any write
        final long tooMany = Math.max(1_000_000_000L, free / 10);
        final Path dir = tempDir.resolve("ledger");
        final LedgerException ex = assertThrows(LedgerException.class,
            () -> Ledger.open(dir, new LedgerOptions(tooMany, 16, 1 << 20), LedgerSteps.NONE));
        assertTrue(ex.getMessage().contains("not enough disk space"), ex.getMessage());
        assertFalse(Files.exists(dir.resolve(Ledger.BALANCES_FILE)));
        assertFalse(Files.exists(dir.resolve(Ledger.WAL_FILE)));
        try (Ledger ledger = Ledger.open(dir, new LedgerOptions(1000, 16, 1 << 20), LedgerSteps.NONE))
        {
            assertTrue(ledger.allBalances().isEmpty(), "a later start with a sane size works");
        }
    }

    @Test
    void aDataDirInUseIsRefused()
    {
        final Path dir = tempDir.resolve("ledger");
        try (Ledger ledger = Ledger.open(dir, new LedgerOptions(1000, 16, 1 << 20), LedgerSteps.NONE))
        {
            final LedgerException ex = assertThrows(LedgerException.class,
                () -> Ledger.open(dir, new LedgerOptions(1000, 16, 1 << 20), LedgerSteps.NONE));
            assertTrue(ex.getMessage().contains("in use"), ex.getMessage());
        }
    }

    @Test
    void theServiceExitsNonZeroWithTheReason() throws Exception
    {
        final Path file = Files.writeString(tempDir.resolve("a-file"), "not a directory");
        final Path output = tempDir.resolve("clearing.out");
        try (JvmProcess process = JvmProcess.start(ClearingMain.class.getName(), output, "--port",
            String.valueOf(JvmProcess.freePort()), "--data-dir", file.resolve("ledger").toString(), "--engine",
            "127.0.0.1:1"))
        {
            assertTrue(process.waitFor(60), "it exits");
            assertEquals(1, process.exitValue());
            assertTrue(process.outputTail().contains("cannot create the data dir"), process.outputTail());
        }
    }
}
