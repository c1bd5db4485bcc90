package io.redmatch.perf.replay;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency histogram, in nanoseconds.
 *
 * @param count values recorded.
 */
public record LatencySummary(long count, double meanNs, long p50Ns, long p90Ns, long p99Ns, long p999Ns, long maxNs)
{
    /** Summarises a histogram of nanosecond values. */
    public static LatencySummary of(final Histogram histogram)
    {
        return new LatencySummary(
            histogram.getTotalCount(),
            histogram.getMean(),
            histogram.getValueAtPercentile(50.0),
            histogram.getValueAtPercentile(90.0),
            histogram.getValueAtPercentile(99.0),
            histogram.getValueAtPercentile(99.9),
            histogram.getMaxValue());
    }

    /** Appends {@code key=value} fields of the percentiles. */
    void appendTo(final StringBuilder line)
    {
        line.append(" count=").append(count)
            .append(" mean_ns=").append(String.format("%.1f", meanNs))
            .append(" p50_ns=").append(p50Ns)
            .append(" p90_ns=").append(p90Ns)
            .append(" p99_ns=").append(p99Ns)
            .append(" p999_ns=").append(p999Ns)
            .append(" max_ns=").append(maxNs);
    }
}
