package io.redmatch.engine.stream;

import io.redmatch.engine.resp.RespRequest;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Resolves a key argument to a fill stream without allocating, and tells the two ways it can fail apart: a
 * {@code fills:<PAIR>} key of a pair not served here ({@code -NOPAIR}), and any other key, which the stream commands
 * treat as a key that does not exist.
 */
final class StreamKeys
{
    private final FillStreamRegistry registry;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private boolean noPair;

    StreamKeys(final FillStreamRegistry registry)
    {
        this.registry = registry;
    }

    /**
     * @param request the command.
     * @param arg     the key's argument index.
     * @return the stream, or null when the key is not a served fill stream; {@link #noPair()} then says whether it
     * is a fill stream of a pair not served.
     */
    FillStream find(final RespRequest request, final int arg)
    {
        request.wrapArg(arg, view);
        final int length = view.capacity();
        if (!FillStreamRegistry.isFillsKey(view, 0, length))
        {
            noPair = false;
            return null;
        }
        final FillStream stream = registry.findByKey(view, 0, length);
        noPair = stream == null;
        return stream;
    }

    /** @return true when the last key {@link #find} did not resolve was {@code fills:<PAIR>} of an unserved pair. */
    boolean noPair()
    {
        return noPair;
    }
}
