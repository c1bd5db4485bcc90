package io.redmatch.engine.log;

import java.nio.file.Path;

/**
 * Where a standby gets its primary's snapshot when its own log ends before the primary's log starts (the primary
 * purged the segments this node would need to catch up): recovery then starts from that snapshot instead of this
 * node's log.
 */
@FunctionalInterface
public interface SnapshotSource
{
    /**
     * Copies the primary's latest snapshot when this node's log cannot continue from the primary's log. Blocking:
     * called off the event loop, once, before recovery.
     *
     * @param logPosition where this node's log ends, 0 when it has none.
     * @param target      the file to copy the snapshot into; the caller verifies it before any use.
     * @return what was copied, for the node's log (e.g. the file's name and the primary's address), or null when
     *     nothing was copied: this node's log continues the primary's, or the primary cannot be asked.
     */
    String fetchIfBehind(long logPosition, Path target);
}
