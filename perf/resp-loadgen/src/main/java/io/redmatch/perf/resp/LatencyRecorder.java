package io.redmatch.perf.resp;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * Counts and times every request of a run, on the event loop. A request belongs to the measurement when its intended
 * send time falls in the measurement window; its latency runs from that intended time to its reply, so a request the
 * generator could only send late, because the target or the generator stalled, is charged the whole delay (no
 * coordinated omission). How late requests actually left is kept apart, as the send lag, to show the generator's own
 * share.
 */
final class LatencyRecorder
{
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(5);
    private static final int SIGNIFICANT_DIGITS = 3;

    private long measureStartNs = Long.MAX_VALUE;
    private long measureEndNs = Long.MAX_VALUE;
    private final Histogram latency = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private final Histogram sendLag = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private long sent;
    private long completed;
    private long measuredSent;
    private long measuredCompleted;
    private long errors;
    private String firstError;
    private long firstMeasuredSendNs = Long.MAX_VALUE;
    private long lastMeasuredReplyNs;

    /**
     * Sets the measurement window, before the first request is sent.
     *
     * @param measureStartNs intended send time of the first measured request, {@link System#nanoTime()} clock.
     * @param measureEndNs   end of the window, exclusive.
     */
    void window(final long measureStartNs, final long measureEndNs)
    {
        this.measureStartNs = measureStartNs;
        this.measureEndNs = measureEndNs;
    }

    void onSend(final long intendedNs, final long nowNs)
    {
        sent++;
        if (inWindow(intendedNs))
        {
            measuredSent++;
            firstMeasuredSendNs = Math.min(firstMeasuredSendNs, intendedNs);
            sendLag.recordValue(Math.min(HIGHEST_TRACKABLE_NS, Math.max(0, nowNs - intendedNs)));
        }
    }

    void onReply(final long intendedNs, final long nowNs, final String error)
    {
        completed++;
        if (error != null)
        {
            errors++;
            if (firstError == null)
            {
                firstError = error;
            }
        }
        if (inWindow(intendedNs))
        {
            measuredCompleted++;
            lastMeasuredReplyNs = nowNs;
            latency.recordValue(Math.min(HIGHEST_TRACKABLE_NS, Math.max(0, nowNs - intendedNs)));
        }
    }

    /** @return requests sent and not answered yet. */
    long outstanding()
    {
        return sent - completed;
    }

    long sent()
    {
        return sent;
    }

    long completed()
    {
        return completed;
    }

    long measuredSent()
    {
        return measuredSent;
    }

    long measuredCompleted()
    {
        return measuredCompleted;
    }

    long errors()
    {
        return errors;
    }

    /** @return the first error reply, without its leading {@code -}, or null. */
    String firstError()
    {
        return firstError;
    }

    /** @return latency from intended send to reply, in nanoseconds, of the measured requests. */
    Histogram latency()
    {
        return latency;
    }

    /** @return how late the measured requests left after their intended time, in nanoseconds. */
    Histogram sendLag()
    {
        return sendLag;
    }

    /**
     * @return measured requests answered per second, from the first one's intended send time to the last reply: the
     * offered rate when the target keeps up, its real throughput when it does not.
     */
    double achievedRate()
    {
        if (measuredCompleted == 0 || lastMeasuredReplyNs <= firstMeasuredSendNs)
        {
            return 0;
        }
        final double seconds = Math.max(lastMeasuredReplyNs - firstMeasuredSendNs, measureEndNs - measureStartNs) / 1e9;
        return measuredCompleted / seconds;
    }

    private boolean inWindow(final long intendedNs)
    {
        return intendedNs >= measureStartNs && intendedNs < measureEndNs;
    }
}
