package io.redmatch.engine.log;

import io.redmatch.engine.snapshot.SnapshotFile;
import io.redmatch.engine.snapshot.SnapshotFormatException;
import io.redmatch.engine.snapshot.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes a primary's snapshot, copied by a standby whose log ends before the primary's log starts, the start of the
 * standby's state: verifies the copy whole ({@link SnapshotFile#read}: magic, format version, header and section
 * checksums, length), then discards the standby's own log recording and snapshots (they end before what the primary
 * still holds, so nothing can continue them) and writes the copy as the data dir's only snapshot. Recovery loads
 * it, and the standby's new log starts at its position, where it catches up from the primary's recording.
 * <p>
 * The steps are ordered so that a crash at any point leaves a data dir that a start with {@code --replicaof} brings
 * to the same end: the copy is a {@code .tmp} file until verified and written in place, and a data dir without a log
 * recording is behind any purged primary, so it copies the snapshot again.
 */
final class SnapshotInstall
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotInstall.class);

    private final EmbeddedArchive archive;
    private final Path dataDir;
    private final RecordingDescriptor recording;

    /**
     * @param archive   the node's archive.
     * @param dataDir   the node's data dir.
     * @param recording the node's log recording, stopped, or null when it has none.
     */
    SnapshotInstall(final EmbeddedArchive archive, final Path dataDir, final RecordingDescriptor recording)
    {
        this.archive = archive;
        this.dataDir = dataDir;
        this.recording = recording;
    }

    /**
     * Reads and verifies a copied snapshot; one that fails a check is deleted and refused. Off the event loop.
     *
     * @param file   the copy.
     * @param source where it came from, for the messages.
     * @return the verified snapshot.
     * @throws IllegalStateException when it fails a check: the node does not start.
     */
    static SnapshotFile.Loaded verify(final Path file, final String source)
    {
        try
        {
            return SnapshotFile.read(file);
        }
        catch (final SnapshotFormatException ex)
        {
            deleteQuietly(file);
            final String why = "the snapshot copied from " + source + " failed its checks (" + ex.getMessage() +
                "): REFUSED, not loaded. Check the primary's snapshots (./redmatch tools snapshot-dump) or take a " +
                "new one there (BGSAVE), then start this node again";
            LOG.error("bootstrap: {}", why);
            throw new IllegalStateException(why, ex);
        }
        catch (final IOException ex)
        {
            deleteQuietly(file);
            throw new UncheckedIOException("cannot read the snapshot copied from " + source, ex);
        }
    }

    /**
     * Discards this node's log and snapshots and installs the verified copy as its snapshot. On the event loop,
     * before recovery.
     *
     * @param fetched     the verified copy.
     * @param source      where it came from.
     * @param fetchMillis how long the copy and its verification took.
     * @return the snapshot as installed, to load.
     */
    SnapshotFile.Loaded install(final SnapshotFile.Loaded fetched, final String source, final long fetchMillis)
    {
        final SnapshotFile.Header header = fetched.header();
        if (recording != null)
        {
            LOG.warn("bootstrap: DISCARDING this node's log (recording {}, positions {} to {}): it ends before the " +
                "primary's log starts, so it cannot be continued", recording.recordingId(),
                recording.startPosition(), recording.stopPosition());
            archive.archive().purgeRecording(recording.recordingId());
        }
        final SnapshotStore store = new SnapshotStore(dataDir);
        for (final Path own : store.list())
        {
            deleteQuietly(own);
            LOG.warn("bootstrap: deleted this node's snapshot {}: it stands before the primary's log", own);
        }
        final Path installed;
        try
        {
            installed = SnapshotFile.write(store.dir(), SnapshotStore.fileName(header.logSeq()), fetched.bytes(),
                fetched.bytes().length);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the primary's snapshot into " + store.dir(), ex);
        }
        deleteQuietly(fetched.file());
        LOG.warn("bootstrap: installed the snapshot of {} as {}: log seq {}, log position {}, " +
            "epoch {}, {} bytes, copied and verified in {} ms; loading it", source, installed.getFileName(),
            header.logSeq(), header.logPosition(), header.epoch(), fetched.bytes().length, fetchMillis);
        return new SnapshotFile.Loaded(installed, header, fetched.sections(), fetched.bytes());
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            LOG.warn("bootstrap: cannot delete {}: {}", file, ex.toString());
        }
    }
}
