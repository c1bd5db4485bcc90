package io.redmatch.engine.replication;

import io.redmatch.engine.log.LogEntry;
import io.redmatch.engine.log.RecordingDescriptor;
import io.redmatch.engine.log.RecordingFileReader;
import io.redmatch.engine.log.TailDiscard;
import io.redmatch.replicator.PrimaryEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a node started with {@code --replicaof} must cut its log before recovery, so that it continues its new
 * primary's: a former primary may hold entries of its own term that no standby recorded (an uncommitted tail) when
 * the standby was promoted. The new primary's term began with its {@code REPLICATION.EPOCH} entry at log seq
 * {@code epoch_start_seq} ({@code INFO replication}); everything before it came from this node's term, so the two
 * logs part there: when this node's last entry belongs to the term just before the primary's and reaches that log
 * seq, its entries from that log seq on are discarded (and named in a WARN line with their log seq range).
 * <p>
 * Only a primary one term ahead is handled: after several promotions in between, the point where the histories
 * part is not known here, the log is kept, and the standby stops as diverged if it does not continue the primary's.
 * An unreachable primary keeps the log as it is too (the standby retries following it).
 */
final class RejoinTailDiscard implements TailDiscard
{
    private static final Logger LOG = LoggerFactory.getLogger(RejoinTailDiscard.class);

    private final String primaryHost;
    private final int primaryPort;
    private final Path dataDir;

    RejoinTailDiscard(final String primaryHost, final int primaryPort, final Path dataDir)
    {
        this.primaryHost = primaryHost;
        this.primaryPort = primaryPort;
        this.dataDir = dataDir;
    }

    @Override
    public long cutPosition(final RecordingDescriptor recording)
    {
        final Map<String, String> primary;
        try
        {
            primary = PrimaryEndpoint.replicationInfo(primaryHost, primaryPort);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("rejoin: cannot ask {}:{} where its term started ({}); keeping this node's whole log",
                primaryHost, primaryPort, ex.getMessage());
            return KEEP_ALL;
        }
        final long primaryEpoch = field(primary, "epoch");
        final long epochStartSeq = field(primary, "epoch_start_seq");
        if (!"master".equals(primary.get("role")) || epochStartSeq <= 0)
        {
            return KEEP_ALL;
        }
        final LogScan scan = LogScan.of(dataDir, epochStartSeq);
        if (scan == null || scan.lastLogSeq < epochStartSeq || scan.lastEpoch >= primaryEpoch)
        {
            return KEEP_ALL;
        }
        if (scan.lastEpoch + 1 != primaryEpoch || scan.cutPosition < 0)
        {
            LOG.error("rejoin: this node's log ends in epoch {} at log seq {}, past log seq {} where {}:{} started " +
                "epoch {}, but other terms came in between: where the histories part is unknown here, so nothing " +
                "is discarded. Start this node on an empty data dir", scan.lastEpoch, scan.lastLogSeq, epochStartSeq,
                primaryHost, primaryPort, primaryEpoch);
            return KEEP_ALL;
        }
        LOG.warn("rejoin: DISCARDING the uncommitted tail of this node's log: log seq {} to {} ({} entries of epoch " +
            "{}, positions {} to {}), which {}:{} never had: it started epoch {} at log seq {}", epochStartSeq,
            scan.lastLogSeq, scan.lastLogSeq - epochStartSeq + 1, scan.lastEpoch, scan.cutPosition,
            recording.stopPosition(), primaryHost, primaryPort, primaryEpoch, epochStartSeq);
        return scan.cutPosition;
    }

    private static long field(final Map<String, String> fields, final String name)
    {
        try
        {
            return Long.parseLong(fields.getOrDefault(name, "-1").trim());
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    /** This node's log as read from its recording files: its last entry, and where a given log seq starts. */
    private static final class LogScan
    {
        private long lastLogSeq;
        private long lastEpoch;
        private long cutPosition = -1;

        static LogScan of(final Path dataDir, final long cutLogSeq)
        {
            final RecordingFileReader reader = RecordingFileReader.open(dataDir);
            if (reader == null)
            {
                return null;
            }
            final LogScan scan = new LogScan();
            final long[] entryStart = {reader.recording().startPosition()};
            reader.read((endPosition, entry, length, invalid) ->
            {
                if (invalid != null)
                {
                    return false;
                }
                final long logSeq = LogEntry.logSeq(entry, 0);
                if (logSeq == cutLogSeq)
                {
                    scan.cutPosition = entryStart[0];
                }
                scan.lastLogSeq = logSeq;
                scan.lastEpoch = LogEntry.epoch(entry, 0);
                entryStart[0] = endPosition;
                return true;
            });
            return scan;
        }
    }
}
