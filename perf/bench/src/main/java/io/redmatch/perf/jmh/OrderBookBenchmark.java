package io.redmatch.perf.jmh;

import io.redmatch.engine.core.Order;
import io.redmatch.engine.core.Side;
import io.redmatch.engine.core.TimeInForce;
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
 * Single operations of the matching core on a book holding 1000 background orders over 50 levels a side. Each
 * invocation applies a batch of {@value #BATCH} operations, and whatever undoes them (cancelling what a batch placed,
 * placing what it will cancel or take) runs in per-invocation setup and tear-down, outside the measurement, so the
 * book stays in a steady state. With {@code -prof gc}, {@code gc.alloc.rate.norm} is the allocation per operation,
 * set-up and tear-down included (they reuse pooled orders, so they allocate nothing either).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OrderBookBenchmark
{
    /** Operations per invocation. */
    static final int BATCH = 1000;
    /** Resting placements cycle over the background levels and a few new ones beyond them. */
    private static final int RESTING_LEVELS = BenchBook.BACKGROUND_LEVELS + 10;

    /** A book with background orders; the batch's own order ids. */
    @State(Scope.Thread)
    public static class BookState
    {
        /** Which book: {@code fast} or {@code reference}. */
        @Param({ "fast" })
        public String book;

        BenchBook bench;
        final long[] batchOrderIds = new long[BATCH];

        @Setup(Level.Trial)
        public void createBook()
        {
            bench = new BenchBook(book);
            prepare();
        }

        /** Adds what a benchmark needs to the fresh book, once per trial. JMH runs a subclass's own set-up first. */
        void prepare()
        {
        }
    }

    /** For {@link #placeResting}: cancels the batch it placed. */
    public static class RestingState extends BookState
    {
        @TearDown(Level.Invocation)
        public void cancelBatch()
        {
            for (final long orderId : batchOrderIds)
            {
                bench.cancel(orderId);
            }
        }
    }

    /** For {@link #cancel}: places the batch it will cancel. */
    public static class CancelState extends BookState
    {
        @Setup(Level.Invocation)
        public void placeBatch()
        {
            for (int i = 0; i < BATCH; i++)
            {
                batchOrderIds[i] = placeRestingAt(bench, i);
            }
        }
    }

    /** For {@link #placeCrossing}: a batch of asks at a new best level, each to be taken whole by one buy. */
    public static class CrossingState extends BookState
    {
        @Setup(Level.Invocation)
        public void placeMakers()
        {
            for (int i = 0; i < BATCH; i++)
            {
                bench.place(Side.SELL, BenchBook.MID, BenchBook.BACKGROUND_QTY, TimeInForce.GTC);
            }
        }
    }

    /** For the amend benchmarks: a batch of bids that stay in the book and are amended over and over. */
    public static class AmendState extends BookState
    {
        /** Large enough to be reduced by one lot per invocation for any run length. */
        static final long AMENDABLE_QTY = 1_000_000_000L;

        long priceShift = 1;

        @Override
        void prepare()
        {
            for (int i = 0; i < BATCH; i++)
            {
                batchOrderIds[i] = bench.place(
                    Side.BUY, BenchBook.MID - 1 - (i % BenchBook.BACKGROUND_LEVELS), AMENDABLE_QTY, TimeInForce.GTC);
            }
        }

        @TearDown(Level.Invocation)
        public void turnAround()
        {
            priceShift = -priceShift;
        }
    }

    static long placeRestingAt(final BenchBook bench, final int i)
    {
        final long depth = 1 + (i >> 1) % RESTING_LEVELS;
        return (i & 1) == 0 ?
            bench.place(Side.BUY, BenchBook.MID - depth, BenchBook.BACKGROUND_QTY, TimeInForce.GTC) :
            bench.place(Side.SELL, BenchBook.MID + depth, BenchBook.BACKGROUND_QTY, TimeInForce.GTC);
    }

    /** A GTC limit order that does not cross: rests at an existing level or opens a new one. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void placeResting(final RestingState state)
    {
        final BenchBook bench = state.bench;
        final long[] ids = state.batchOrderIds;
        for (int i = 0; i < BATCH; i++)
        {
            ids[i] = placeRestingAt(bench, i);
        }
    }

    /** A GTC limit buy that takes one resting ask whole (one trade; both orders close). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void placeCrossing(final CrossingState state)
    {
        final BenchBook bench = state.bench;
        for (int i = 0; i < BATCH; i++)
        {
            bench.place(Side.BUY, BenchBook.MID, BenchBook.BACKGROUND_QTY, TimeInForce.GTC);
        }
    }

    /** Looks a resting order up by id and cancels it. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void cancel(final CancelState state)
    {
        final BenchBook bench = state.bench;
        final long[] ids = state.batchOrderIds;
        for (int i = 0; i < BATCH; i++)
        {
            bench.cancel(ids[i]);
        }
    }

    /** Looks a resting bid up by id and moves it one tick (to the back of a neighbouring level; never crosses). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void amendPrice(final AmendState state)
    {
        final BenchBook bench = state.bench;
        final long[] ids = state.batchOrderIds;
        final long shift = state.priceShift;
        for (int i = 0; i < BATCH; i++)
        {
            final Order order = bench.openOrder(ids[i]);
            bench.amend(order, 0, order.price + shift);
        }
    }

    /** Looks a resting bid up by id and reduces its open quantity by one lot (keeps its place). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void amendReduce(final AmendState state)
    {
        final BenchBook bench = state.bench;
        final long[] ids = state.batchOrderIds;
        for (int i = 0; i < BATCH; i++)
        {
            final Order order = bench.openOrder(ids[i]);
            bench.amend(order, order.openQty - 1, Order.NO_PRICE);
        }
    }
}
