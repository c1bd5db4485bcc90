package io.redmatch.engine.replication;

import io.redmatch.engine.log.SnapshotSource;
import io.redmatch.replicator.PrimaryEndpoint;
import io.redmatch.replicator.SnapshotFetcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * A standby's way to its primary's snapshot (SPEC §4: "a standby further behind first loads the primary's
 * snapshot"): at start, it asks the primary where its log starts ({@code log_start_position} of {@code INFO
 * persistence}); when that is beyond this node's log end (the primary purged the segments this node would replay, or
 * this node is new and the primary's log no longer starts at 0), it copies the primary's latest snapshot with
 * {@code SNAPSHOT.FETCH} ({@link SnapshotFetcher}). An unreachable primary copies nothing: the node starts from its
 * own data and the standby keeps trying to follow.
 */
final class PrimarySnapshotSource implements SnapshotSource
{
    private static final Logger LOG = LoggerFactory.getLogger(PrimarySnapshotSource.class);

    private final String primaryHost;
    private final int primaryPort;

    PrimarySnapshotSource(final String primaryHost, final int primaryPort)
    {
        this.primaryHost = primaryHost;
        this.primaryPort = primaryPort;
    }

    @Override
    public String fetchIfBehind(final long logPosition, final Path target)
    {
        final long primaryLogStart;
        try
        {
            primaryLogStart = logStartPosition(PrimaryEndpoint.info(primaryHost, primaryPort, "persistence"));
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("bootstrap: cannot ask {}:{} where its log starts ({}); starting from this node's own data",
                primaryHost, primaryPort, ex.getMessage());
            return null;
        }
        if (primaryLogStart <= logPosition)
        {
            return null;
        }
        LOG.warn("bootstrap: this node's log ends at position {} but {}:{} keeps its log from position {} only " +
            "(purged below its snapshots): copying its latest snapshot", logPosition, primaryHost, primaryPort,
            primaryLogStart);
        final long startNs = System.nanoTime();
        final SnapshotFetcher.Fetched fetched = SnapshotFetcher.fetch(primaryHost, primaryPort, target);
        LOG.info("bootstrap: copied {} of {}:{}: {} bytes, log seq {}, log position {}, in {} ms", fetched.name(),
            primaryHost, primaryPort, fetched.sizeBytes(), fetched.logSeq(), fetched.logPosition(),
            (System.nanoTime() - startNs) / 1_000_000);
        return fetched.name() + " of " + primaryHost + ":" + primaryPort;
    }

    /**
     * @param persistence a node's {@code INFO persistence} fields.
     * @return its {@code log_start_position}, 0 when it reports none (it keeps its whole log, or none).
     */
    static long logStartPosition(final Map<String, String> persistence)
    {
        final String value = persistence.get("log_start_position");
        try
        {
            return value == null ? 0 : Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }
}
