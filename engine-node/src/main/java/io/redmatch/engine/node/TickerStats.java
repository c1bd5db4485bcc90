package io.redmatch.engine.node;

import io.redmatch.engine.snapshot.SnapshotFormatException;
import io.redmatch.engine.snapshot.SnapshotReader;
import io.redmatch.engine.snapshot.SnapshotWriter;

/**
 * Rolling 24-hour trade statistics of one pair in one-minute buckets of engine time: a trade costs a few array
 * writes, and a {@code TICKER} read sums at most 1440 buckets. The window therefore moves in whole minutes.
 */
final class TickerStats
{
    static final long BUCKET_MICROS = 60_000_000L;
    static final int BUCKETS = 24 * 60;

    private final long[] minute = new long[BUCKETS];
    private final long[] open = new long[BUCKETS];
    private final long[] high = new long[BUCKETS];
    private final long[] low = new long[BUCKETS];
    private final long[] volume = new long[BUCKETS];
    private final long[] quoteVolume = new long[BUCKETS];
    private final long[] trades = new long[BUCKETS];

    // Result of the last snapshot().
    long snapshotOpen;
    long snapshotHigh;
    long snapshotLow;
    long snapshotVolume;
    long snapshotQuoteVolume;
    long snapshotTrades;

    TickerStats()
    {
        java.util.Arrays.fill(minute, -1);
    }

    void onTrade(final long ts, final long price, final long qty, final long quoteQty)
    {
        final long m = ts / BUCKET_MICROS;
        final int slot = (int)(m % BUCKETS);
        if (minute[slot] != m)
        {
            minute[slot] = m;
            open[slot] = price;
            high[slot] = price;
            low[slot] = price;
            volume[slot] = 0;
            quoteVolume[slot] = 0;
            trades[slot] = 0;
        }
        high[slot] = Math.max(high[slot], price);
        low[slot] = Math.min(low[slot], price);
        volume[slot] = saturatingAdd(volume[slot], qty);
        quoteVolume[slot] = saturatingAdd(quoteVolume[slot], quoteQty);
        trades[slot]++;
    }

    /** Aggregates the 24 hours up to {@code nowMicros} into the snapshot fields; open/high/low are 0 with no trade. */
    void snapshot(final long nowMicros)
    {
        final long nowMinute = nowMicros / BUCKET_MICROS;
        final long firstMinute = nowMinute - BUCKETS + 1;
        snapshotOpen = 0;
        snapshotHigh = 0;
        snapshotLow = 0;
        snapshotVolume = 0;
        snapshotQuoteVolume = 0;
        snapshotTrades = 0;
        long openMinute = Long.MAX_VALUE;
        for (int slot = 0; slot < BUCKETS; slot++)
        {
            final long m = minute[slot];
            if (m < firstMinute || m > nowMinute)
            {
                continue;
            }
            if (snapshotTrades == 0)
            {
                snapshotHigh = high[slot];
                snapshotLow = low[slot];
            }
            else
            {
                snapshotHigh = Math.max(snapshotHigh, high[slot]);
                snapshotLow = Math.min(snapshotLow, low[slot]);
            }
            if (m < openMinute)
            {
                openMinute = m;
                snapshotOpen = open[slot];
            }
            snapshotVolume = saturatingAdd(snapshotVolume, volume[slot]);
            snapshotQuoteVolume = saturatingAdd(snapshotQuoteVolume, quoteVolume[slot]);
            snapshotTrades += trades[slot];
        }
    }

    /** Writes the used buckets, in slot order, for a snapshot. */
    void writeSnapshot(final SnapshotWriter out)
    {
        int used = 0;
        for (int slot = 0; slot < BUCKETS; slot++)
        {
            used += minute[slot] >= 0 ? 1 : 0;
        }
        out.putInt(used);
        for (int slot = 0; slot < BUCKETS; slot++)
        {
            if (minute[slot] >= 0)
            {
                out.putInt(slot).putLong(minute[slot]).putLong(open[slot]).putLong(high[slot]).putLong(low[slot])
                    .putLong(volume[slot]).putLong(quoteVolume[slot]).putLong(trades[slot]);
            }
        }
    }

    /** Reads the buckets of a snapshot into this empty instance. */
    void readSnapshot(final SnapshotReader in)
    {
        final int used = in.getCount(4 + 7 * 8);
        for (int i = 0; i < used; i++)
        {
            final int slot = in.getInt();
            if (slot < 0 || slot >= BUCKETS)
            {
                throw new SnapshotFormatException("ticker bucket " + slot + " out of range");
            }
            minute[slot] = in.getLong();
            open[slot] = in.getLong();
            high[slot] = in.getLong();
            low[slot] = in.getLong();
            volume[slot] = in.getLong();
            quoteVolume[slot] = in.getLong();
            trades[slot] = in.getLong();
        }
    }

    /** Feeds the digest with the buckets' contents in slot order. */
    void digest(final StateDigest digest)
    {
        for (int slot = 0; slot < BUCKETS; slot++)
        {
            if (minute[slot] >= 0)
            {
                digest.add(minute[slot]).add(open[slot]).add(high[slot]).add(low[slot]).add(volume[slot])
                    .add(quoteVolume[slot]).add(trades[slot]);
            }
        }
    }

    private static long saturatingAdd(final long a, final long b)
    {
        final long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
