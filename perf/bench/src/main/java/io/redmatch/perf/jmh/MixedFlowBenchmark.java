package io.redmatch.perf.jmh;

import io.redmatch.perf.bench.BookChoice;
import io.redmatch.perf.bench.CoreReplayer;
import io.redmatch.perf.flow.FlowContext;
import io.redmatch.perf.flow.FlowGenerator;
import io.redmatch.perf.flow.OrderFlow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The generated order flow of the replay benchmarks (GTC and IOC limits, cancels, moves, reduces around a drifting
 * mid price, a book of about 2000 orders) replayed whole per invocation into one reused book, drained in between.
 * The time is per operation; with {@code -prof gc}, {@code gc.alloc.rate.norm} is the allocation per operation in
 * steady state. Every replay is checked against the flow's expected fills.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class MixedFlowBenchmark
{
    /** Operations in the flow, one invocation. */
    static final int FLOW_OPS = 200_000;

    /** Which book: {@code fast} or {@code reference}. */
    @Param({ "fast" })
    public String book;

    private OrderFlow flow;
    private CoreReplayer replayer;

    @Setup(Level.Trial)
    public void generateFlow()
    {
        flow = FlowGenerator.generate(new FlowContext().opCount(FLOW_OPS));
        replayer = new CoreReplayer(flow, BookChoice.parse(book), true);
    }

    @Setup(Level.Invocation)
    public void beginPass()
    {
        replayer.beginPass();
    }

    @TearDown(Level.Invocation)
    public void checkAndDrain()
    {
        if (replayer.failedOps() != 0 || replayer.openOrderCount() != flow.expectedOpenOrders() ||
            !replayer.tally().matches(flow.expectedFills(), flow.expectedVolume(), flow.expectedFillHash()))
        {
            throw new IllegalStateException("replay did not reproduce the flow: " + replayer.tally());
        }
        replayer.endPass();
    }

    /** One operation of the mixed flow, on average. */
    @Benchmark
    @OperationsPerInvocation(FLOW_OPS)
    public void mixedFlow()
    {
        final CoreReplayer replayer = this.replayer;
        for (int i = 0; i < FLOW_OPS; i++)
        {
            replayer.apply(i);
        }
    }
}
