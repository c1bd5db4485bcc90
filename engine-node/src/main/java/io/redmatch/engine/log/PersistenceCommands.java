package io.redmatch.engine.log;

import io.aeron.exceptions.AeronException;
import io.redmatch.engine.node.Command;
import io.redmatch.engine.node.CommandGroup;
import io.redmatch.engine.node.CommandLog;
import io.redmatch.engine.node.CommandTable;
import io.redmatch.engine.node.Connection;
import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.InfoSection;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The node's durability: opens the command log in the data dir at start, recovers the state from it, and plugs it
 * into the sequencer; answers {@code -LOADING} while recovering and {@code -MISCONF} once the log cannot be written;
 * reports it all in {@code INFO persistence}.
 * <p>
 * Recovery, on the event loop, in order: lock the data dir and check its format ({@link DataDirectory}); cut a torn
 * tail off the recording ({@link RecordingTailRepair}); launch the archive ({@link EmbeddedArchive}); replay the
 * recording through {@link EngineNode#replay} in slices, serving clients between slices ({@link LogReplayer}); cut an
 * incomplete last entry; extend the recording ({@link ArchiveCommandLog}); then {@link EngineNode#recovered()}, which
 * adds the configured pairs and lifts {@code -LOADING}. A node without a data dir, or with {@code log=off}, keeps its
 * state in memory only and has nothing to recover.
 */
public final class PersistenceCommands implements CommandGroup
{
    private static final Logger LOG = LoggerFactory.getLogger(PersistenceCommands.class);
    private static final int REPLAY_FRAGMENT_LIMIT = 4096;
    private static final long REPLAY_SLICE_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long REPLAY_IDLE_MICROS = 100;
    private static final long HOUSEKEEPING_MILLIS = 10;
    private static final long TRUNCATE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final byte[] LOADING_ERROR = RespWriter.encodeError(
        "LOADING redmatch is replaying its command log; try again in a moment");

    private final Runnable replayTask = this::replaySlice;
    private EngineNode node;
    private CommandLogContext logContext;
    private DataDirectory dataDirectory;
    private EmbeddedArchive archive;
    private RecordingDescriptor recording;
    private LogReplayer replayer;
    private ArchiveCommandLog log;
    private long recoveryStartNs;
    private long recoveryMillis = -1;
    private long recoveredEntries;
    private String tailCut = "none";
    private ScheduledFuture<?> housekeeping;
    private boolean closed;

    public void register(final CommandTable table, final EngineNode node)
    {
        this.node = node;
        if (node.context().logEnabled())
        {
            logContext = CommandLogContext.of(node.context()).conclude();
        }
        node.addGate(this::loadingGate);
        node.addGate(this::logGate);
        node.info().register("persistence", this::info);
    }

    @Override
    public void onStart(final EngineNode node)
    {
        if (logContext == null)
        {
            return;
        }
        node.beginRecovery();
        recoveryStartNs = System.nanoTime();
        try
        {
            LOG.info("opening the command log: {}", logContext);
            dataDirectory = DataDirectory.open(logContext.dataDir());
            final RecordingTailRepair.Result tailRepair = RecordingTailRepair.repair(logContext.archiveDir(), CommandLogContext.STREAM_ID);
            if (tailRepair != null && tailRepair.cut())
            {
                tailCut = tailRepair.reason();
            }
            archive = EmbeddedArchive.launch(logContext);
            housekeeping = node.eventLoop().scheduleAtFixedRate(
                archive::invoke, HOUSEKEEPING_MILLIS, HOUSEKEEPING_MILLIS, TimeUnit.MILLISECONDS);
            recording = RecordingDescriptor.list(archive.archive(), CommandLogContext.STREAM_ID);
            if (recording != null && tailRepair != null && recording.stopPosition() > tailRepair.validPosition())
            {
                truncate(tailRepair.validPosition());
            }
            replayer = new LogReplayer(archive, recording, node::replay);
            replayer.start();
            node.eventLoop().schedule(replayTask, 0, TimeUnit.MICROSECONDS);
        }
        catch (final RuntimeException ex)
        {
            node.recoveryFailed(ex);
        }
    }

    @Override
    public void close()
    {
        closed = true;
        if (housekeeping != null)
        {
            housekeeping.cancel(false);
        }
        if (log != null && node.sequencer().commandLog() == log)
        {
            node.sequencer().commandLog(CommandLog.NONE);
        }
        CloseHelper.closeAll(log, replayer, archive, dataDirectory);
    }

    /** @return the command log once recovered; null before, or without a log. */
    public ArchiveCommandLog log()
    {
        return log;
    }

    private void replaySlice()
    {
        if (closed)
        {
            return;
        }
        try
        {
            final long deadline = System.nanoTime() + REPLAY_SLICE_NS;
            int work;
            do
            {
                work = archive.invoke() + replayer.poll(REPLAY_FRAGMENT_LIMIT, deadline);
            }
            while (work > 0 && !replayer.isDone() && System.nanoTime() < deadline);
            if (!replayer.isDone())
            {
                // scheduled, not executed: Netty runs a scheduled task only after its next round of I/O, so clients
                // are answered (-LOADING) between slices instead of after a run of them
                node.eventLoop().schedule(replayTask, work > 0 ? 0 : REPLAY_IDLE_MICROS, TimeUnit.MICROSECONDS);
                return;
            }
            finishRecovery();
        }
        catch (final RuntimeException ex)
        {
            node.recoveryFailed(ex);
        }
    }

    private void finishRecovery()
    {
        replayer.close();
        if (replayer.error() != null && replayer.validEntriesAfterError() > 0)
        {
            throw new IllegalStateException("command log corrupt before its tail (" + replayer.error() + "), " +
                replayer.validEntriesAfterError() + " whole entries after it; not starting. Restore the data dir " +
                "from a copy, or move its log away to start empty");
        }
        if (recording != null && replayer.validPosition() < recording.stopPosition())
        {
            final String why = replayer.error() != null ? replayer.error() : "the last entry is incomplete";
            LOG.warn("command log: cut the tail of recording {} at position {} (log seq {}), dropping {} bytes: {}",
                recording.recordingId(), replayer.validPosition(), replayer.lastLogSeq(),
                recording.stopPosition() - replayer.validPosition(), why);
            tailCut = why;
            truncate(replayer.validPosition());
        }
        recoveredEntries = replayer.entries();
        log = ArchiveCommandLog.open(archive, logContext, recording, node.sequencer().logSeq(), replayer.lastEpoch());
        node.sequencer().commandLog(log);
        recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveryStartNs);
        LOG.info("command log: recovered {} entries (last log seq {}) in {} ms", recoveredEntries,
            node.sequencer().logSeq(), recoveryMillis);
        node.recovered();
    }

    /** Cuts the recording at a position, retrying while the archive still winds down the replay. */
    private void truncate(final long position)
    {
        final long deadline = System.nanoTime() + TRUNCATE_TIMEOUT_NS;
        while (true)
        {
            try
            {
                archive.archive().truncateRecording(recording.recordingId(), position);
                break;
            }
            catch (final AeronException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    throw ex;
                }
                archive.invoke();
            }
        }
        recording = RecordingDescriptor.list(archive.archive(), CommandLogContext.STREAM_ID);
    }

    private boolean loadingGate(
        final Command command, final Connection connection, final RespRequest request, final RespWriter out)
    {
        if (!node.isLoading() || (command.flags() & Command.LOADING) != 0)
        {
            return true;
        }
        out.raw(LOADING_ERROR);
        return false;
    }

    private boolean logGate(
        final Command command, final Connection connection, final RespRequest request, final RespWriter out)
    {
        final ArchiveCommandLog log = this.log;
        if ((command.flags() & Command.WRITE) == 0 || log == null)
        {
            return true;
        }
        if (log.failure() != null)
        {
            out.error("MISCONF the command log cannot be written (" + log.failure() + "): writes are refused, " +
                "reads are served; restart the node once the cause is fixed");
            return false;
        }
        if (LogEntry.HEADER_LENGTH + request.frameLength() > log.maxEntryLength())
        {
            out.error("ERR command of " + request.frameLength() + " bytes is too long for the command log (at most " +
                (log.maxEntryLength() - LogEntry.HEADER_LENGTH) + ")");
            return false;
        }
        return true;
    }

    private void info(final StringBuilder info)
    {
        InfoSection.field(info, "loading", node.isLoading() ? 1 : 0);
        InfoSection.field(info, "log_enabled", logContext == null ? 0 : 1);
        if (logContext == null)
        {
            InfoSection.field(info, "log_entries", node.sequencer().logSeq());
            return;
        }
        InfoSection.field(info, "log_sync", logContext.sync());
        InfoSection.field(info, "data_dir", logContext.dataDir().toAbsolutePath());
        if (node.isLoading())
        {
            InfoSection.field(info, "loading_entries", replayer == null ? 0 : replayer.entries());
        }
        final ArchiveCommandLog log = this.log;
        if (log != null)
        {
            InfoSection.field(info, "log_status", log.failure() == null ? "ok" : "failed");
            if (log.failure() != null)
            {
                InfoSection.field(info, "log_error", log.failure());
            }
            InfoSection.field(info, "log_recording_id", log.recordingId());
            InfoSection.field(info, "log_position", log.appendedPosition());
            InfoSection.field(info, "log_committed_position", log.durablePosition());
            InfoSection.field(info, "log_entries", log.appendedLogSeq());
            InfoSection.field(info, "log_committed_seq", node.committedLogSeq());
            InfoSection.field(info, "log_entries_since_start", log.appendedSinceStart());
            InfoSection.field(info, "log_group_commits", node.groupCommits());
            InfoSection.field(info, "log_epoch", log.epoch());
        }
        InfoSection.field(info, "recovery_entries", recoveredEntries);
        InfoSection.field(info, "recovery_time_ms", recoveryMillis);
        InfoSection.field(info, "recovery_tail_cut", tailCut.replace('\r', ' ').replace('\n', ' '));
    }
}
