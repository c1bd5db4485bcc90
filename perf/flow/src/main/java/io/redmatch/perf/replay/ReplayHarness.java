package io.redmatch.perf.replay;

import io.redmatch.perf.flow.FillTally;
import io.redmatch.perf.flow.FlowOp;
import io.redmatch.perf.flow.OrderFlow;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures a {@link FlowReplayer} the same way for every engine: warm-up passes, then throughput passes (one timer
 * around the whole flow: operations per second, bytes allocated by the replay thread, collections), then latency
 * passes ({@code System.nanoTime()} before and after each operation, recorded into HdrHistograms overall and per
 * operation type). Each pass starts from an empty book; after each pass the book must have produced exactly the
 * flow's expected fills and open orders, or the run fails, so a number is never reported for wrong matching.
 * <p>
 * Latency here is service time of back-to-back operations on one thread (no queueing, so no coordinated omission
 * to correct); it includes the timer's own cost, which is reported as {@code timer_overhead_ns}.
 */
public final class ReplayHarness
{
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final FlowReplayer replayer;
    private final OrderFlow flow;
    private final ReplayContext context;
    private final PrintStream log;
    private final com.sun.management.ThreadMXBean threadBean =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean osBean =
        (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private long allocatedBytes;

    /**
     * @param log where progress goes, one line per phase; results are returned, not printed.
     */
    public ReplayHarness(
        final FlowReplayer replayer, final OrderFlow flow, final ReplayContext context, final PrintStream log)
    {
        this.replayer = replayer;
        this.flow = flow;
        this.context = context;
        this.log = log;
    }

    /** Runs every pass the context asks for and returns the measurements. */
    public ReplayResult run()
    {
        warmUp();
        final long gcCountBefore = gcCount();
        final long gcMillisBefore = gcMillis();
        final Throughput throughput = measureThroughput();
        final LatencySummary[] latency = measureLatency();
        final long gcCount = gcCount() - gcCountBefore;
        final long gcMillis = gcMillis() - gcMillisBefore;

        final FillTally tally = replayer.tally();
        return new ReplayResult(
            replayer.engine(),
            replayer.implementation(),
            flow.seed(),
            flow.size(),
            context.warmupPasses(),
            context.passes(),
            context.latencyPasses(),
            throughput.opsPerSecond,
            throughput.medianOpsPerSecond,
            throughput.bestOpsPerSecond,
            throughput.opsPerCpuSecond,
            throughput.allocBytesPerOp,
            gcCount,
            gcMillis,
            timerOverheadNs(),
            tally.fills(),
            tally.volume(),
            tally.hash(),
            flow.expectedOpenOrders(),
            latency[FlowOp.COUNT],
            List.of(Arrays.copyOf(latency, FlowOp.COUNT)));
    }

    /** Throughput figures of the measured passes. */
    private record Throughput(
        double opsPerSecond,
        double medianOpsPerSecond,
        double bestOpsPerSecond,
        double opsPerCpuSecond,
        double allocBytesPerOp)
    {
    }

    private void warmUp()
    {
        for (int pass = 0; pass < context.warmupPasses(); pass++)
        {
            final long nanos = throughputPass();
            log.printf("# warm-up pass %d: %.0f ops/s%n", pass + 1, opsPerSecond(flow.size(), nanos));
        }
    }

    private Throughput measureThroughput()
    {
        final int ops = flow.size();
        final long[] passNanos = new long[context.passes()];
        final long cpuNanosBefore = osBean.getProcessCpuTime();
        allocatedBytes = 0;
        long totalNanos = 0;
        for (int pass = 0; pass < passNanos.length; pass++)
        {
            final long nanos = throughputPass();
            passNanos[pass] = nanos;
            totalNanos += nanos;
            log.printf("# pass %d: %.0f ops/s%n", pass + 1, opsPerSecond(ops, nanos));
        }
        final long cpuNanos = osBean.getProcessCpuTime() - cpuNanosBefore;
        Arrays.sort(passNanos);
        final long measuredOps = (long)ops * passNanos.length;
        return new Throughput(
            opsPerSecond(measuredOps, totalNanos),
            opsPerSecond(ops, passNanos[passNanos.length / 2]),
            opsPerSecond(ops, passNanos[0]),
            opsPerSecond(measuredOps, cpuNanos),
            (double)allocatedBytes / measuredOps);
    }

    /** @return summaries by {@link FlowOp} code, then one over every operation at index {@link FlowOp#COUNT}. */
    private LatencySummary[] measureLatency()
    {
        final Histogram all = newHistogram();
        final Histogram[] byOp = new Histogram[FlowOp.COUNT];
        for (int op = 0; op < FlowOp.COUNT; op++)
        {
            byOp[op] = newHistogram();
        }
        for (int pass = 0; pass < context.latencyPasses(); pass++)
        {
            latencyPass(all, byOp);
            log.printf("# latency pass %d: p50=%dns p99=%dns max=%dns (cumulative)%n", pass + 1,
                all.getValueAtPercentile(50), all.getValueAtPercentile(99), all.getMaxValue());
        }
        final LatencySummary[] summaries = new LatencySummary[FlowOp.COUNT + 1];
        for (int op = 0; op < FlowOp.COUNT; op++)
        {
            summaries[op] = LatencySummary.of(byOp[op]);
        }
        summaries[FlowOp.COUNT] = LatencySummary.of(all);
        return summaries;
    }

    /** @return the time of one pass over the whole flow; adds what the replay thread allocated meanwhile. */
    private long throughputPass()
    {
        final FlowReplayer replayer = this.replayer;
        final int ops = flow.size();
        replayer.beginPass();
        final long allocatedBefore = threadBean.getCurrentThreadAllocatedBytes();
        final long start = System.nanoTime();
        for (int i = 0; i < ops; i++)
        {
            replayer.apply(i);
        }
        final long nanos = System.nanoTime() - start;
        allocatedBytes += threadBean.getCurrentThreadAllocatedBytes() - allocatedBefore;
        finishPass();
        return nanos;
    }

    private void latencyPass(final Histogram all, final Histogram[] byOp)
    {
        final FlowReplayer replayer = this.replayer;
        final OrderFlow flow = this.flow;
        final int ops = flow.size();
        replayer.beginPass();
        for (int i = 0; i < ops; i++)
        {
            final long start = System.nanoTime();
            replayer.apply(i);
            final long nanos = Math.min(System.nanoTime() - start, HIGHEST_TRACKABLE_NS);
            all.recordValue(nanos);
            byOp[flow.op(i)].recordValue(nanos);
        }
        finishPass();
    }

    /** Checks the pass reproduced the flow's expected outcome, then lets the replayer drain its book. */
    private void finishPass()
    {
        final FillTally tally = replayer.tally();
        final int openOrders = replayer.openOrderCount();
        final long failedOps = replayer.failedOps();
        if (failedOps != 0 || openOrders != flow.expectedOpenOrders() ||
            !tally.matches(flow.expectedFills(), flow.expectedVolume(), flow.expectedFillHash()))
        {
            throw new IllegalStateException(replayer.engine() + " " + replayer.implementation() +
                " did not reproduce the flow: got " + tally + " open_orders=" + openOrders + " failed_ops=" +
                failedOps + ", expected fills=" + flow.expectedFills() + " volume=" + flow.expectedVolume() +
                " hash=" + Long.toHexString(flow.expectedFillHash()) + " open_orders=" + flow.expectedOpenOrders());
        }
        replayer.endPass();
    }

    private static Histogram newHistogram()
    {
        return new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    private static double opsPerSecond(final long ops, final long nanos)
    {
        return ops * 1e9 / Math.max(1, nanos);
    }

    private long gcCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean collector : collectors)
        {
            count += Math.max(0, collector.getCollectionCount());
        }
        return count;
    }

    private long gcMillis()
    {
        long millis = 0;
        for (final GarbageCollectorMXBean collector : collectors)
        {
            millis += Math.max(0, collector.getCollectionTime());
        }
        return millis;
    }

    /** Median of many back-to-back {@code nanoTime()} pairs: the floor under every latency value. */
    private static long timerOverheadNs()
    {
        final long[] samples = new long[100_001];
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < samples.length; i++)
            {
                final long start = System.nanoTime();
                samples[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(samples);
        return samples[samples.length / 2];
    }
}
