package io.redmatch.engine.stream;

/**
 * Told when a {@link FillStream}'s commit watermark moves forward, so readers blocked on the stream can be served.
 * Called on the thread that commits, the matching thread; an implementation must not call back into the stream's
 * write methods.
 */
@FunctionalInterface
public interface FillCommitListener
{
    /**
     * The stream's {@link FillStream#committedSeq()} moved forward.
     *
     * @param stream the stream that committed more fills.
     */
    void onCommit(FillStream stream);

    /** A listener that ignores commits. */
    FillCommitListener NONE = (stream) ->
    {
    };
}
