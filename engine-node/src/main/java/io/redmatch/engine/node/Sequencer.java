package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.OffsetEpochNanoClock;

import java.util.function.LongSupplier;

/**
 * Puts every state-changing command of a node in one total order: stamps it with the next log sequence number and
 * the engine time, then appends it to the {@link CommandLog}. Engine time is {@code max(wall clock, previous + 1 µs)}
 * so it never goes backwards; nothing in matching reads a clock of its own.
 * <p>
 * Confined to the node's matching thread.
 */
public final class Sequencer
{
    private final LongSupplier wallClockMicros;
    private CommandLog commandLog;
    private long logSeq;
    private long engineTime;

    public Sequencer(final LongSupplier wallClockMicros, final CommandLog commandLog)
    {
        this.wallClockMicros = wallClockMicros;
        this.commandLog = commandLog;
    }

    /**
     * Microseconds since the epoch from the system clock, without allocating: Agrona's offset clock reads
     * {@code System.nanoTime()} against an epoch offset sampled at start ({@code Instant.now()} allocates per call).
     */
    public static long systemMicros()
    {
        return WALL_CLOCK.nanoTime() / 1_000;
    }

    private static final OffsetEpochNanoClock WALL_CLOCK = new OffsetEpochNanoClock();

    /**
     * Stamps and logs a live command. The stamps are taken only once the log accepted the command, so a log that
     * throws leaves the sequencer as it was and the command unapplied.
     *
     * @return its log sequence number.
     */
    public long sequence(final ByteBuf frame, final int offset, final int length)
    {
        final long nextEngineTime = Math.max(wallClockMicros.getAsLong(), engineTime + 1);
        final long nextLogSeq = logSeq + 1;
        commandLog.append(nextLogSeq, nextEngineTime, frame, offset, length);
        engineTime = nextEngineTime;
        logSeq = nextLogSeq;
        return logSeq;
    }

    /** Adopts the stamps of a command read back from a log, for replay; nothing is appended. */
    public void replay(final long logSeq, final long engineTime)
    {
        this.logSeq = logSeq;
        this.engineTime = engineTime;
    }

    /** @return engine time of the command being applied (or the last one). */
    public long engineTime()
    {
        return engineTime;
    }

    /** @return log sequence number of the command being applied (or the last one). */
    public long logSeq()
    {
        return logSeq;
    }

    /** @return the log every sequenced command is appended to. */
    public CommandLog commandLog()
    {
        return commandLog;
    }

    public void commandLog(final CommandLog commandLog)
    {
        this.commandLog = commandLog;
    }
}
