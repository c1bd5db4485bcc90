package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.agrona.concurrent.UnsafeBuffer;

/** Finds the pair named by argument 1 of a trading command, or answers {@code -NOPAIR}; no allocation. */
final class PairArgument
{
    private final MatchingEngine engine;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

    PairArgument(final MatchingEngine engine)
    {
        this.engine = engine;
    }

    /** @return the pair, or null after writing {@code -NOPAIR}. */
    PairEngine find(final RespRequest request, final RespWriter out)
    {
        request.wrapArg(1, view);
        final PairEngine pair = engine.pair(view, 0, view.capacity());
        if (pair == null)
        {
            out.error(Replies.NOPAIR);
        }
        return pair;
    }
}
