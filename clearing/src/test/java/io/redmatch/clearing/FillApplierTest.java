package io.redmatch.clearing;

import io.redmatch.clearing.engine.RawEntry;
import io.redmatch.clearing.fill.PairAssets;
import io.redmatch.clearing.fill.TestFills;
import io.redmatch.clearing.ledger.Ledger;
import io.redmatch.clearing.ledger.LedgerOptions;
import io.redmatch.clearing.ledger.LedgerSteps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input from the engine side stops clearing of that pair with an alarm, never a guess: a malformed entry, a missing
 * field, a gap, a fill delivered again with another content. What came before the bad entry is applied; nothing after
 * it is applied or acknowledged; other pairs go on. Fills delivered again with the same content are skipped and
 * acknowledged.
 */
class FillApplierTest
{
    private static final Map<String, PairAssets> ASSETS = Map.of(
        "BTC-USDT", new PairAssets("BTC-USDT", "BTC", "USDT"),
        "ETH-USDT", new PairAssets("ETH-USDT", "ETH", "USDT"));

    @TempDir
    Path tempDir;

    private Ledger ledger;
    private Alarms alarms;
    private ClearingStats stats;
    private FillApplier applier;

    @BeforeEach
    void open()
    {
        ledger = Ledger.open(tempDir.resolve("ledger"), new LedgerOptions(1000, 16, 1 << 20), LedgerSteps.NONE);
        alarms = new Alarms();
        stats = new ClearingStats();
        applier = new FillApplier(ledger, "@fees", alarms, stats);
    }

    @AfterEach
    void close()
    {
        ledger.close();
    }

    @Test
    void appliesInOrderAndSkipsSameContentRedeliveries()
    {
        FillApplier.Outcome outcome = applier.apply(read("BTC-USDT", entries("BTC-USDT", 1, 3)), ASSETS);
        assertEquals(3, outcome.applied());
        assertEquals(List.of("1-0", "2-0", "3-0"), outcome.acks().get("fills:BTC-USDT"));
        final Map<String, BigDecimal> after = ledger.allBalances();
        outcome = applier.apply(read("BTC-USDT", entries("BTC-USDT", 2, 4)), ASSETS);
        assertEquals(1, outcome.applied());
        assertEquals(List.of("2-0", "3-0", "4-0"), outcome.acks().get("fills:BTC-USDT"));
        assertEquals(2, stats.duplicatesSkipped());
        assertEquals(4, ledger.cursors().get("BTC-USDT"));
        assertEquals(0, alarms.count());
        assertTrue(!after.equals(ledger.allBalances()));
    }

    @Test
    void aMalformedEntryStopsItsPairOnly()
    {
        final List<RawEntry> btc = entries("BTC-USDT", 1, 4);
        final Map<String, String> bad = TestFills.fields("BTC-USDT", 3, "BUY", "bob", "alice");
        bad.put("qty", "0.2x");
        btc.set(2, new RawEntry("3-0", TestFills.flat(bad)));
        final Map<String, List<RawEntry>> read = read("BTC-USDT", btc);
        read.put("fills:ETH-USDT", entries("ETH-USDT", 1, 2));
        final FillApplier.Outcome outcome = applier.apply(read, ASSETS);
        assertEquals(List.of("BTC-USDT"), outcome.stopped());
        assertEquals(List.of("1-0", "2-0"), outcome.acks().get("fills:BTC-USDT"), "nothing past the bad entry");
        assertEquals(List.of("1-0", "2-0"), outcome.acks().get("fills:ETH-USDT"));
        assertEquals(2, ledger.cursors().get("BTC-USDT"));
        assertEquals(2, ledger.cursors().get("ETH-USDT"));
        assertAlarm(Alarms.Kind.BAD_FILL, "qty");
        assertEquals(PairStatus.State.STOPPED, stats.pair("BTC-USDT").state());
    }

    @Test
    void aMissingFieldStopsThePair()
    {
        final Map<String, String> bad = TestFills.fields("BTC-USDT", 1, "BUY", "bob", "alice");
        bad.remove("maker_fee");
        final FillApplier.Outcome outcome = applier.apply(
            read("BTC-USDT", new ArrayList<>(List.of(new RawEntry("1-0", TestFills.flat(bad))))), ASSETS);
        assertEquals(0, outcome.applied());
        assertTrue(outcome.acks().isEmpty());
        assertTrue(ledger.allBalances().isEmpty());
        assertAlarm(Alarms.Kind.BAD_FILL, "maker_fee is missing");
    }

    @Test
    void aGapStopsThePair()
    {
        applier.apply(read("BTC-USDT", entries("BTC-USDT", 1, 2)), ASSETS);
        final FillApplier.Outcome outcome = applier.apply(read("BTC-USDT", entries("BTC-USDT", 4, 5)), ASSETS);
        assertEquals(0, outcome.applied());
        assertEquals(2, ledger.cursors().get("BTC-USDT"));
        assertAlarm(Alarms.Kind.GAP, "fills 3..3 are missing");
    }

    @Test
    void aRedeliveryWithAnotherContentStopsThePair()
    {
        applier.apply(read("BTC-USDT", entries("BTC-USDT", 1, 3)), ASSETS);
        final Map<String, BigDecimal> before = ledger.allBalances();
        final Map<String, String> changed = TestFills.fields("BTC-USDT", 2, "BUY", "bob", "alice");
        changed.put("taker_account", "mallory");
        final List<RawEntry> again = new ArrayList<>(List.of(new RawEntry("2-0", TestFills.flat(changed))));
        again.addAll(entries("BTC-USDT", 3, 4));
        final FillApplier.Outcome outcome = applier.apply(read("BTC-USDT", again), ASSETS);
        assertEquals(0, outcome.applied());
        assertEquals(before, ledger.allBalances());
        assertAlarm(Alarms.Kind.CONTENT_MISMATCH, "fill 2");
    }

    private void assertAlarm(final Alarms.Kind kind, final String text)
    {
        assertEquals(1, alarms.count(), alarms.recent().toString());
        final Alarms.Alarm alarm = alarms.recent().get(0);
        assertEquals(kind, alarm.kind());
        assertTrue(alarm.message().contains(text), alarm.message());
    }

    private static Map<String, List<RawEntry>> read(final String pair, final List<RawEntry> entries)
    {
        final Map<String, List<RawEntry>> read = new LinkedHashMap<>();
        read.put("fills:" + pair, entries);
        return read;
    }

    private static List<RawEntry> entries(final String pair, final int from, final int to)
    {
        final List<RawEntry> entries = new ArrayList<>();
        for (int seq = from; seq <= to; seq++)
        {
            entries.add(new RawEntry(seq + "-0", TestFills.flat(TestFills.fields(pair, seq,
                seq % 2 == 0 ? "BUY" : "SELL", "bob", "alice"))));
        }
        return entries;
    }
}
