package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;

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

    /** Microseconds since the epoch from the system clock. */
    public static long systemMicros()
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * Stamps and logs a live command.
     *
     * @return its log sequence number.
     */
    public long sequence(final ByteBuf frame, final int offset, final int length)
    {
        engineTime = Math.max(wallClockMicros.getAsLong(), engineTime + 1);
        logSeq++;
        commandLog.append(logSeq, engineTime, frame, offset, length);
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

    public void commandLog(final CommandLog commandLog)
    {
        this.commandLog = commandLog;
    }
}
