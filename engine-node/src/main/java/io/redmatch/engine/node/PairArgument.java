package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

/** Finds the pair named by argument 1 of a trading command, or answers {@code -NOPAIR}; no allocation. */
final class PairArgument
{
    private final MatchingEngine engine;

    PairArgument(final MatchingEngine engine)
    {
        this.engine = engine;
    }

    /** @return the pair, or null after writing {@code -NOPAIR}. */
    PairEngine find(final RespRequest request, final RespWriter out)
    {
        final PairEngine pair = engine.pair(request.bytes(), request.argOffset(1), request.argLength(1));
        if (pair == null)
        {
            out.error(Replies.NOPAIR);
        }
        return pair;
    }
}
