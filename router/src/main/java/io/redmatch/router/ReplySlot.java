package io.redmatch.router;

import io.netty.buffer.ByteBuf;

/**
 * Where the reply to one command sent to a shard goes: a client's ordered reply queue, a part of a fanned-out
 * command, or nowhere (the router's own handshake). Upstream connections complete their slots in send order.
 */
abstract class ReplySlot
{
    /** When the command was handed to the upstream connection, for its timeout. */
    long sentAtNanos;

    /** The shard replied: {@code length} bytes of {@code in} at {@code offset}, valid only during the call. */
    abstract void complete(ByteBuf in, int offset, int length);

    /** No reply will come (the connection failed or timed out): answer with this encoded error instead. */
    abstract void fail(byte[] encodedError);

    /** A slot whose reply is dropped: the HELLO 3 the router sends on its RESP3 upstream connections. */
    static final ReplySlot DISCARD = new ReplySlot()
    {
        @Override
        void complete(final ByteBuf in, final int offset, final int length)
        {
        }

        @Override
        void fail(final byte[] encodedError)
        {
        }
    };
}
