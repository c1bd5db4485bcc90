package io.redmatch.engine.log;

import io.aeron.Aeron;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.client.AeronArchive;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.redmatch.replicator.ReplicationChannels;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.AgentInvoker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The node's own Aeron: an embedded media driver and Aeron Archive in its data dir, and the clients of both.
 * <p>
 * Threads: the driver runs on one shared thread with a backoff idle strategy that parks up to 1 ms; its duties are
 * off the command path (it moves the publication's window, which is megabytes ahead). The archive runs in
 * {@link ArchiveThreadingMode#INVOKER} mode, its duty cycle called by the node's event loop through
 * {@link #invoke()}: when the group commit waits for a batch, the event loop itself has the recorder write it, so a
 * reply never waits for another thread to wake up (on a loaded two-core machine that wake-up costs more than the
 * write), and the archive needs no core of its own. The node also invokes it every 10 ms for its housekeeping
 * (keep-alives, control requests).
 * <p>
 * The archive takes remote control requests only on the node's replication endpoint, where a standby asks for a
 * replay of the log (see {@code io.redmatch.replicator.LogFollower}), and records no events. Nothing else may use
 * the directories while the node runs: {@link DataDirectory} holds the lock, so a mark file left by a killed node is
 * stale and removed at start.
 */
public final class EmbeddedArchive implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedArchive.class);

    /** Driver: spin a little, yield a little, then park up to 1 ms. */
    private static final long DRIVER_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final String ARCHIVE_MARK_FILE = "archive-mark.dat";

    private final ArchivingMediaDriver driver;
    private final AgentInvoker archiveInvoker;
    private final Aeron aeron;
    private final AeronArchive archive;

    private EmbeddedArchive(final ArchivingMediaDriver driver, final Aeron aeron, final AeronArchive archive)
    {
        this.driver = driver;
        this.archiveInvoker = driver.archive().invoker();
        this.aeron = aeron;
        this.archive = archive;
    }

    /**
     * Launches the driver and the archive, and connects to both.
     *
     * @param context the log's configuration, concluded.
     * @return the running archive; close it to stop both.
     */
    public static EmbeddedArchive launch(final CommandLogContext context)
    {
        final Path archiveDir = context.archiveDir();
        final String aeronDir = context.aeronDir().toAbsolutePath().toString();
        try
        {
            Files.createDirectories(archiveDir);
            Files.deleteIfExists(archiveDir.resolve(ARCHIVE_MARK_FILE));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot prepare " + archiveDir, ex);
        }
        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, DRIVER_MAX_PARK_NS))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(true)
            .errorHandler((error) -> LOG.error("media driver error", error));
        final Archive.Context archiveContext = new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveDir(archiveDir.toFile())
            .controlChannelEnabled(context.replicationHost() != null)
            .controlChannel(context.replicationHost() == null ? null :
                ReplicationChannels.udp(context.replicationHost(), context.replicationPort()))
            .controlStreamId(ReplicationChannels.ARCHIVE_CONTROL_STREAM_ID)
            .replicationChannel("aeron:udp?endpoint=127.0.0.1:0")
            .archiveClientContext(new AeronArchive.Context().controlResponseChannel("aeron:ipc"))
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.INVOKER)
            .segmentFileLength(context.segmentLength())
            .fileSyncLevel(context.sync().fileSyncLevel())
            .catalogFileSyncLevel(context.sync().fileSyncLevel())
            .deleteArchiveOnStart(false)
            .errorHandler((error) -> LOG.error("archive error", error));

        ArchivingMediaDriver driver = null;
        Aeron aeron = null;
        try
        {
            driver = ArchivingMediaDriver.launch(driverContext, archiveContext);
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(aeronDir)
                .clientName("redmatch-command-log")
                .errorHandler((error) -> LOG.error("aeron client error", error)));
            final AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
                .aeron(aeron)
                .agentInvoker(driver.archive().invoker())
                .controlRequestChannel(archiveContext.localControlChannel())
                .controlRequestStreamId(archiveContext.localControlStreamId())
                .controlResponseChannel("aeron:ipc"));
            return new EmbeddedArchive(driver, aeron, archive);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(aeron, driver);
            throw ex;
        }
    }

    /**
     * Runs the archive's duty cycle once: control requests, the recorder (writes what the log publication holds and
     * moves the recorded position), replays. On the node's event loop only.
     *
     * @return the amount of work done; 0 when there was nothing to do.
     */
    public int invoke()
    {
        return archiveInvoker.invoke();
    }

    /** @return the Aeron client. */
    public Aeron aeron()
    {
        return aeron;
    }

    /** @return the archive's client. */
    public AeronArchive archive()
    {
        return archive;
    }

    /** Stops the archive (which closes its recordings cleanly) and the driver. */
    @Override
    public void close()
    {
        CloseHelper.closeAll(archive, aeron, driver);
    }
}
