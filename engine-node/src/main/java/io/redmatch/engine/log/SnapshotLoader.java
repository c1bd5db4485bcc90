package io.redmatch.engine.log;

import io.redmatch.engine.snapshot.SnapshotFile;
import io.redmatch.engine.snapshot.SnapshotFormatException;
import io.redmatch.engine.snapshot.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Picks the snapshot recovery starts from: the newest one that reads whole (magic, version, checksums, length) and
 * whose log position lies within the recording, so the log after it can be replayed. Every snapshot passed over is
 * named in a WARN line with the reason; none is accepted silently.
 */
final class SnapshotLoader
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotLoader.class);

    private SnapshotLoader()
    {
    }

    /**
     * @param store     the data dir's snapshots.
     * @param recording the log's recording after its tail was repaired, or null when there is none.
     * @return the newest usable snapshot, or null when there is none.
     */
    static SnapshotFile.Loaded newestUsable(final SnapshotStore store, final RecordingDescriptor recording)
    {
        final long start = recording == null ? 0 : recording.startPosition();
        final long stop = recording == null ? 0 : recording.stopPosition();
        for (final Path file : store.list())
        {
            try
            {
                final SnapshotFile.Loaded snapshot = SnapshotFile.read(file);
                final long position = snapshot.header().logPosition();
                if (position < start || position > stop)
                {
                    LOG.warn("snapshot: skipping {}: its log position {} is outside the log's recording [{}, {}]",
                        file, position, start, stop);
                    continue;
                }
                return snapshot;
            }
            catch (final SnapshotFormatException ex)
            {
                LOG.warn("snapshot: skipping {}: {}", file, ex.getMessage());
            }
            catch (final IOException ex)
            {
                LOG.warn("snapshot: skipping {}: cannot read it: {}", file, ex.toString());
            }
        }
        return null;
    }
}
