package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;

/**
 * The seam for the durable command log: every state-changing command, in sequencer order, as the exact RESP bytes
 * the client sent, stamped with its log sequence and engine time. Replaying those bytes through the same command
 * handlers with the same stamps rebuilds the same state. The durable, replicated implementation (Aeron Archive)
 * replaces {@link #NONE}.
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

    /** A log that keeps nothing, until durability lands. */
    CommandLog NONE = (logSeq, engineTime, frame, offset, length) ->
    {
    };
}
