package io.redmatch.clearing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters of the clearing agent for {@code INFO}: written by the agent thread only, read by any.
 */
public final class ClearingStats
{
    private final Map<String, PairStatus> pairs = new ConcurrentHashMap<>();
    private volatile long fillsApplied;
    private volatile long duplicatesSkipped;
    private volatile long batches;
    private volatile double fillsPerSecond;
    private volatile long applyDelayMaxMicros;
    private volatile long reconnects;
    private volatile String engine = "none";
    private long windowStartNanos = System.nanoTime();
    private long windowStartFills;
    private long windowDelayMaxMicros;

    /** @return pair → status. */
    public Map<String, PairStatus> pairs()
    {
        return pairs;
    }

    /**
     * @param pair a pair.
     * @return its status, created when first asked.
     */
    public PairStatus pair(final String pair)
    {
        return pairs.computeIfAbsent(pair, PairStatus::new);
    }

    /**
     * Counts a committed batch.
     *
     * @param fills           fills applied.
     * @param duplicates      fills delivered again and skipped.
     * @param applyDelayMicros the longest time between a fill's engine time and its application, in the batch.
     */
    void batch(final int fills, final int duplicates, final long applyDelayMicros)
    {
        fillsApplied += fills;
        duplicatesSkipped += duplicates;
        batches++;
        windowDelayMaxMicros = Math.max(windowDelayMaxMicros, applyDelayMicros);
    }

    /**
     * Closes the one-second measuring window when it is due.
     *
     * @param nowNanos the monotonic time.
     */
    void tick(final long nowNanos)
    {
        final long elapsed = nowNanos - windowStartNanos;
        if (elapsed >= 1_000_000_000L)
        {
            fillsPerSecond = (fillsApplied - windowStartFills) * 1e9 / elapsed;
            applyDelayMaxMicros = windowDelayMaxMicros;
            windowDelayMaxMicros = 0;
            windowStartFills = fillsApplied;
            windowStartNanos = nowNanos;
        }
    }

    void connected(final String address)
    {
        reconnects++;
        engine = address;
    }

    /** @return fills applied since start. */
    public long fillsApplied()
    {
        return fillsApplied;
    }

    /** @return fills delivered again (already applied, same content) and skipped. */
    public long duplicatesSkipped()
    {
        return duplicatesSkipped;
    }

    /** @return batches committed since start. */
    public long batches()
    {
        return batches;
    }

    /** @return fills applied per second over the last second. */
    public double fillsPerSecond()
    {
        return fillsPerSecond;
    }

    /** @return the longest engine-time-to-applied delay over the last second, microseconds. */
    public long applyDelayMaxMicros()
    {
        return applyDelayMaxMicros;
    }

    /** @return connections made to engines. */
    public long connections()
    {
        return reconnects;
    }

    /** @return the engine address in use. */
    public String engine()
    {
        return engine;
    }
}
