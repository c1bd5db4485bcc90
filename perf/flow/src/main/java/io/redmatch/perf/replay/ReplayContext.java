package io.redmatch.perf.replay;

import io.redmatch.perf.flow.FlowContext;

import java.nio.file.Path;

/**
 * How a replay benchmark runs: where its flow comes from (a {@link io.redmatch.perf.flow.FlowFile} or generated
 * in-process from a {@link FlowContext}) and how many passes of each kind it makes. Every pass replays the whole
 * flow into a fresh book.
 */
public final class ReplayContext
{
    public static final int WARMUP_PASSES_DEFAULT = 5;
    public static final int PASSES_DEFAULT = 10;
    public static final int LATENCY_PASSES_DEFAULT = 5;

    private Path flowFile;
    private FlowContext flowContext = new FlowContext();
    private int warmupPasses = WARMUP_PASSES_DEFAULT;
    private int passes = PASSES_DEFAULT;
    private int latencyPasses = LATENCY_PASSES_DEFAULT;

    /** Checks the values once, before running. */
    public ReplayContext conclude()
    {
        if (warmupPasses < 0 || passes < 1 || latencyPasses < 0)
        {
            throw new IllegalArgumentException(
                "need warm-up passes >= 0, passes >= 1, latency passes >= 0: " + this);
        }
        if (flowFile == null)
        {
            flowContext.conclude();
        }
        return this;
    }

    /** A flow file to replay; null (the default) generates the flow from {@link #flowContext()} instead. */
    public ReplayContext flowFile(final Path flowFile)
    {
        this.flowFile = flowFile;
        return this;
    }

    public Path flowFile()
    {
        return flowFile;
    }

    public ReplayContext flowContext(final FlowContext flowContext)
    {
        this.flowContext = flowContext;
        return this;
    }

    public FlowContext flowContext()
    {
        return flowContext;
    }

    /** Passes run before any measurement, so the JIT has compiled the replay path. */
    public ReplayContext warmupPasses(final int warmupPasses)
    {
        this.warmupPasses = warmupPasses;
        return this;
    }

    public int warmupPasses()
    {
        return warmupPasses;
    }

    /** Passes timed as a whole for throughput, allocation and GC, with no timer per operation. */
    public ReplayContext passes(final int passes)
    {
        this.passes = passes;
        return this;
    }

    public int passes()
    {
        return passes;
    }

    /** Passes with {@code System.nanoTime()} around each operation, recorded into histograms. */
    public ReplayContext latencyPasses(final int latencyPasses)
    {
        this.latencyPasses = latencyPasses;
        return this;
    }

    public int latencyPasses()
    {
        return latencyPasses;
    }

    @Override
    public String toString()
    {
        return "ReplayContext{flow=" + (flowFile != null ? flowFile : flowContext) + " warmupPasses=" + warmupPasses +
            " passes=" + passes + " latencyPasses=" + latencyPasses + '}';
    }
}
