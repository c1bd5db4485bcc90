package io.redmatch.perf.resp;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What one run measured, copied off the event loop: counts, the achieved rate, and the latency and send-lag
 * histograms. Prints a short human report and one {@code RESULT key=value ...} line for scripts.
 */
final class LoadResult
{
    private static final double NANOS_PER_MICRO = 1_000.0;

    private final LoadContext context;
    private final String requestDescription;
    private final Histogram latency;
    private final Histogram sendLag;
    private final long sent;
    private final long completed;
    private final long measuredSent;
    private final long measuredCompleted;
    private final long errors;
    private final String firstError;
    private final double achievedRate;
    private final boolean saturated;
    private final String stopReason;
    private final boolean epoll;

    LoadResult(
        final LoadContext context,
        final String requestDescription,
        final LatencyRecorder recorder,
        final boolean saturated,
        final String stopReason,
        final boolean epoll)
    {
        this.context = context;
        this.requestDescription = requestDescription;
        this.latency = recorder.latency().copy();
        this.sendLag = recorder.sendLag().copy();
        this.sent = recorder.sent();
        this.completed = recorder.completed();
        this.measuredSent = recorder.measuredSent();
        this.measuredCompleted = recorder.measuredCompleted();
        this.errors = recorder.errors();
        this.firstError = recorder.firstError();
        this.achievedRate = recorder.achievedRate();
        this.saturated = saturated;
        this.stopReason = stopReason;
        this.epoll = epoll;
    }

    /** @return true when every measured request was answered and nothing stopped the run early. */
    boolean complete()
    {
        return stopReason == null && measuredCompleted == measuredSent && measuredSent > 0;
    }

    /**
     * Prints the report.
     *
     * @param out where to.
     */
    void print(final PrintStream out)
    {
        out.println("# " + context);
        out.println("# requests: " + requestDescription);
        out.println("# transport: " + (epoll ? "epoll" : "nio") + ", one event loop thread");
        out.printf(Locale.ROOT, "# sent %d (measured %d), answered %d (measured %d), error replies %d%n",
            sent, measuredSent, completed, measuredCompleted, errors);
        if (firstError != null)
        {
            out.println("# first error reply: -" + firstError);
        }
        if (stopReason != null)
        {
            out.println("# STOPPED EARLY: " + stopReason);
        }
        out.printf(Locale.ROOT, "# offered %d/s, achieved %.1f/s%n", context.rate(), achievedRate);
        out.printf(Locale.ROOT, "# latency from intended send time, us: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f" +
            "  max %.1f  mean %.1f%n",
            micros(latency, 50), micros(latency, 90), micros(latency, 99), micros(latency, 99.9),
            latency.getMaxValue() / NANOS_PER_MICRO, latency.getMean() / NANOS_PER_MICRO);
        out.printf(Locale.ROOT, "# send lag (generator's own delay), us: p50 %.1f  p99 %.1f  max %.1f%n",
            micros(sendLag, 50), micros(sendLag, 99), sendLag.getMaxValue() / NANOS_PER_MICRO);
        out.println(resultLine());
    }

    /** @return the {@code RESULT} line: every figure as {@code key=value}, latencies in microseconds. */
    String resultLine()
    {
        return String.format(Locale.ROOT,
            "RESULT label=%s workload=%s connections=%d rate=%d achieved=%.1f measured=%d answered=%d errors=%d " +
            "p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f mean_us=%.1f send_lag_p99_us=%.1f " +
            "saturated=%b complete=%b",
            context.label(), context.workload().name().toLowerCase(Locale.ROOT), context.connections(),
            context.rate(), achievedRate, measuredSent, measuredCompleted, errors,
            micros(latency, 50), micros(latency, 90), micros(latency, 99), micros(latency, 99.9),
            latency.getMaxValue() / NANOS_PER_MICRO, latency.getMean() / NANOS_PER_MICRO, micros(sendLag, 99),
            saturated, complete());
    }

    /**
     * Writes the latency histogram's percentile distribution in microseconds, HdrHistogram's .hgrm text format.
     *
     * @param file where to.
     * @throws IOException when it cannot be written.
     */
    void writeHistogram(final Path file) throws IOException
    {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, "US-ASCII"))
        {
            latency.outputPercentileDistribution(out, NANOS_PER_MICRO);
        }
    }

    private static double micros(final Histogram histogram, final double percentile)
    {
        return histogram.getValueAtPercentile(percentile) / NANOS_PER_MICRO;
    }
}
