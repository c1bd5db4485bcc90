package io.redmatch.engine.log;

/**
 * Decides, when a node starts, whether the end of its command log must go before recovery replays it: a former
 * primary restarted as the standby of a new one holds entries its new primary never had (an uncommitted tail), and
 * its log must end where the two histories part.
 */
@FunctionalInterface
public interface TailDiscard
{
    /** No tail is discarded. */
    long KEEP_ALL = -1;

    /**
     * @param recording the log's recording (stopped, its torn tail already repaired).
     * @return the position to cut the recording at (the start of the first entry to discard), or {@link #KEEP_ALL}.
     */
    long cutPosition(RecordingDescriptor recording);
}
