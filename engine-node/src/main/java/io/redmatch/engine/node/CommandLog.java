package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;

/**
 * The seam for the durable command log: every state-changing command, in sequencer order, as the exact RESP bytes
 * the client sent, stamped with its log sequence and engine time. Replaying those bytes through the same command
 * handlers with the same stamps rebuilds the same state. {@link #NONE} keeps nothing (a node without a data dir, or
 * with {@code log=off}); {@code io.redmatch.engine.log.ArchiveCommandLog} records to an Aeron Archive on disk.
 */
public interface CommandLog
{
    /**
     * Appends one command.
     *
     * @param logSeq     the sequencer's number for it, from 1, gapless.
     * @param engineTime the engine time stamped on it, microseconds since the epoch.
     * @param frame      buffer holding the request's bytes.
     * @param offset     where the request starts in {@code frame}.
     * @param length     how many bytes it has.
     */
    void append(long logSeq, long engineTime, ByteBuf frame, int offset, int length);

    /**
     * Tells the group commit whether replies must wait: true while some appended command is not yet durable.
     *
     * @return true when commands were appended that {@link #awaitDurable()} has not yet seen durable.
     */
    default boolean hasPendingEntries()
    {
        return false;
    }

    /**
     * Waits, on the node's event loop, until every command appended so far is durable as configured. Called once per
     * event-loop batch by the group commit, which then releases the replies it held.
     *
     * @return true when they are durable; false when the log failed and they never will be.
     */
    default boolean awaitDurable()
    {
        return true;
    }

    /**
     * Tells the group commit what a false {@link #awaitDurable()} means.
     *
     * @return true when the log failed for good (the node refuses writes from then on); false when only the commands
     * waiting now cannot be confirmed (a standby stopped acknowledging), and their clients are disconnected.
     */
    default boolean isFailed()
    {
        return true;
    }

    /** A log that keeps nothing: every command counts as durable at once. */
    CommandLog NONE = (logSeq, engineTime, frame, offset, length) ->
    {
    };
}
