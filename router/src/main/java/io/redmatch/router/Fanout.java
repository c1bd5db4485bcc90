package io.redmatch.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One client command split over several shards: collects the parts' replies and, when the merge rule says so,
 * completes the client's place in the reply order with the merged reply. An error from any part is the answer.
 * For a blocking read the first part with data finishes it, and the parts still blocked are cancelled.
 */
final class Fanout
{
    /** Builds the client's reply from the parts' replies (null for a part that has none). */
    interface Merger
    {
        ByteBuf merge(ByteBuf[] parts);

        /** @return true when this part's reply ends a blocking fan-out at once (it has data). */
        default boolean hasData(final ByteBuf part)
        {
            return true;
        }
    }

    private final ClientSession session;
    private final ClientSession.PendingReply target;
    private final ShardState[] shards;
    private final ByteBuf[] parts;
    private final boolean blocking;
    private final Merger merger;
    private int remaining;
    private boolean finished;

    Fanout(final ClientSession session, final ShardState[] shards, final boolean blocking, final Merger merger)
    {
        this.session = session;
        this.target = session.enqueue();
        this.shards = shards;
        this.parts = new ByteBuf[shards.length];
        this.blocking = blocking;
        this.merger = merger;
        this.remaining = shards.length;
    }

    ReplySlot part(final int index)
    {
        return new ReplySlot()
        {
            @Override
            void complete(final ByteBuf in, final int offset, final int length)
            {
                onPart(index, in.copy(offset, length));
            }

            @Override
            void fail(final byte[] encodedError)
            {
                onPart(index, Unpooled.wrappedBuffer(encodedError));
            }
        };
    }

    private void onPart(final int index, final ByteBuf reply)
    {
        if (finished)
        {
            reply.release();
            return;
        }
        parts[index] = reply;
        remaining--;
        if (reply.getByte(reply.readerIndex()) == '-')
        {
            finish(reply.retainedDuplicate());
            return;
        }
        if (remaining == 0 || (blocking && merger.hasData(reply)))
        {
            finish(merger.merge(parts));
        }
    }

    private void finish(final ByteBuf merged)
    {
        finished = true;
        try
        {
            target.complete(merged, merged.readerIndex(), merged.readableBytes());
        }
        finally
        {
            merged.release();
            for (int i = 0; i < parts.length; i++)
            {
                if (parts[i] != null)
                {
                    parts[i].release();
                    parts[i] = null;
                }
                else if (blocking)
                {
                    session.cancelBlocking(shards[i]);
                }
            }
        }
    }
}
