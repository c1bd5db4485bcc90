package io.redmatch.perf.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.redmatch.engine.resp.AsciiDigits;
import io.redmatch.engine.resp.RespWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The numbers of an order record reply, formatted as the node formats them: a 16-digit microsecond timestamp and a
 * 7-digit order id with {@link AsciiDigits} vs Agrona's {@code putLongAscii}, and the seven decimals of a filled
 * order (price, quantities, fill, a 10-decimal average price) through {@link RespWriter#bulkDecimal}. Values cycle
 * over a random table so branch predictors see the mix a node sees.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class RespNumberBenchmark
{
    private static final int VALUES = 1024;
    private static final int RECORDS_PER_BATCH = 16;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private final long[] timestamps = new long[VALUES];
    private final long[] orderIds = new long[VALUES];
    private final long[] prices = new long[VALUES];
    private final long[] averagePrices = new long[VALUES];
    private RespWriter writer;
    private int next;

    /** Random values of the shapes the crossing flow of perf/run-resp-vs-redis.sh produces. */
    @Setup(Level.Trial)
    public void createValues()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < VALUES; i++)
        {
            timestamps[i] = 1_795_331_255_000_000L + random.nextLong(100_000_000_000L);
            orderIds[i] = random.nextLong(1, 20_000_000);
            prices[i] = random.nextInt(100) * 100 + 50 + (random.nextBoolean() ? 9_900 * random.nextInt(100) : 0);
            averagePrices[i] = prices[i] * 100_000_000L;
        }
        writer = new RespWriter(PooledByteBufAllocator.DEFAULT, RespWriter.INITIAL_CAPACITY_DEFAULT);
    }

    /** Gives the writer's buffer back. */
    @TearDown(Level.Trial)
    public void release()
    {
        writer.release();
    }

    /** A timestamp and an order id with Agrona. */
    @Benchmark
    public int agronaLongs()
    {
        final int i = next++ & (VALUES - 1);
        return buffer.putLongAscii(0, timestamps[i]) + buffer.putLongAscii(32, orderIds[i]);
    }

    /** A timestamp and an order id with {@link AsciiDigits}. */
    @Benchmark
    public int asciiDigitsLongs()
    {
        final int i = next++ & (VALUES - 1);
        return AsciiDigits.putLong(buffer, 0, timestamps[i]) + AsciiDigits.putLong(buffer, 32, orderIds[i]);
    }

    /** The decimals and integers of a filled order's record, for a pipelined batch of sixteen records. */
    @Benchmark
    @OperationsPerInvocation(RECORDS_PER_BATCH)
    public int recordNumbers()
    {
        final RespWriter writer = this.writer;
        for (int r = 0; r < RECORDS_PER_BATCH; r++)
        {
            final int i = next++ & (VALUES - 1);
            writer.integer(orderIds[i])
                .bulkDecimal(prices[i], 2)
                .bulkDecimal(100, 5)
                .bulkDecimal(100, 5)
                .bulkDecimal(0, 5)
                .bulkDecimal(averagePrices[i], 10)
                .integer(orderIds[i] >> 1)
                .bulkDecimal(prices[i], 2)
                .bulkDecimal(100, 5)
                .integer(timestamps[i]);
        }
        final ByteBuf written = writer.takeBuffer();
        final int length = written.readableBytes();
        written.release();
        return length;
    }
}
