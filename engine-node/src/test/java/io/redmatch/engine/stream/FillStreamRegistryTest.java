package io.redmatch.engine.stream;

import io.redmatch.engine.core.PairSpec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.redmatch.engine.stream.FillStreamTest.T0;
import static io.redmatch.engine.stream.FillStreamTest.appendFill;
import static io.redmatch.engine.stream.FillStreamTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FillStreamRegistryTest
{
    private static PairSpec pair(final String name)
    {
        return PairSpec.of(name, "0.01", "0.001", null, null, null);
    }

    @Test
    void createsOneStreamPerPairAndFindsItByKeyOrName()
    {
        final FillStreamRegistry registry = new FillStreamRegistry(FillStreamTest::accountName, 1234);
        final FillStream btc = registry.create(pair("BTC-USD"));
        final FillStream eth = registry.create(pair("ETH-USD"), FillStreamTest::accountName);
        assertEquals(1234, btc.retentionMicros());
        assertThrows(IllegalArgumentException.class, () -> registry.create(pair("BTC-USD")));

        final UnsafeBuffer request = bytes("**fills:ETH-USD**");
        assertSame(eth, registry.findByKey(request, 2, 13));
        assertSame(btc, registry.findByKey(bytes("fills:BTC-USD"), 0, 13));
        assertNull(registry.findByKey(bytes("fills:BTC-USDT"), 0, 14));
        assertNull(registry.findByKey(bytes("fills:btc-usd"), 0, 13));
        assertNull(registry.findByKey(bytes("trades:BTC-USD"), 0, 14));
        assertNull(registry.findByKey(bytes("BTC-USD"), 0, 7));
        assertNull(registry.findByKey(bytes("fills:"), 0, 6));
        assertSame(btc, registry.findByPair(bytes("BTC-USD"), 0, 7));
        assertSame(eth, registry.findByPair("ETH-USD"));
        assertNull(registry.findByPair("XRP-USD"));

        assertTrue(FillStreamRegistry.isFillsKey(bytes("fills:NOPE-X"), 0, 12));
        assertTrue(FillStreamRegistry.isFillsKey(bytes("fills:"), 0, 6));
        assertFalse(FillStreamRegistry.isFillsKey(bytes("fills"), 0, 5));
        assertFalse(FillStreamRegistry.isFillsKey(bytes("Fills:BTC-USD"), 0, 13));
    }

    @Test
    void iteratesInTheOrderPairsWereAddedAndGrowsItsIndex()
    {
        final FillStreamRegistry registry = new FillStreamRegistry();
        final List<FillStream> created = new ArrayList<>();
        for (int i = 0; i < 300; i++)
        {
            created.add(registry.create(pair("P" + i + "-USD"), FillStreamTest::accountName));
        }
        assertEquals(300, registry.size());
        assertEquals(FillStream.RETENTION_MICROS_DEFAULT, registry.retentionMicros());
        for (int i = 0; i < 300; i++)
        {
            assertSame(created.get(i), registry.get(i));
            assertSame(created.get(i), registry.streams().get(i));
            final String key = "fills:P" + i + "-USD";
            assertSame(created.get(i), registry.findByKey(bytes(key), 0, key.length()));
        }
        assertThrows(UnsupportedOperationException.class, () -> registry.streams().clear());
        assertThrows(IllegalStateException.class, () -> registry.create(pair("X-Y")));
    }

    @Test
    void toldOfCommitsOfEveryStreamPresentAndFuture()
    {
        final FillStreamRegistry registry = new FillStreamRegistry(FillStreamTest::accountName, 1000);
        final FillStream before = registry.create(pair("A-B"));
        final List<String> committed = new ArrayList<>();
        registry.commitListener((stream) -> committed.add(stream.spec().name() + "@" + stream.committedSeq()));
        final FillStream after = registry.create(pair("C-D"));
        appendFill(before, 1, T0);
        appendFill(after, 1, T0);
        appendFill(after, 2, T0);
        after.commit(2);
        before.commit(1);
        assertEquals(List.of("C-D@2", "A-B@1"), committed);
    }
}
