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
import io.aeron.archive.client.AeronArchive;
import io.redmatch.engine.snapshot.SnapshotFile;
import io.redmatch.engine.snapshot.SnapshotFormatException;
import io.redmatch.engine.snapshot.SnapshotStore;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The node's durability: opens the command log in the data dir at start, recovers the state from the newest usable
 * snapshot and the log after it, and plugs the log into the sequencer; takes snapshots ({@code SAVE}, {@code BGSAVE},
 * periodically), serves them to standbys ({@code SNAPSHOT.FETCH}) and purges the log below them; answers {@code -LOADING} while recovering and {@code -MISCONF} once
 * the log cannot be written; reports it all in {@code INFO persistence}.
 * <p>
 * Recovery, in order: lock the data dir and check its format ({@link DataDirectory}); cut a torn tail off the
 * recording ({@link RecordingTailRepair}); launch the archive ({@link EmbeddedArchive}); on a standby whose log ends
 * before its primary's log starts, copy, verify and install the primary's latest snapshot in place of its own log
 * ({@link SnapshotSource}, {@link SnapshotInstall}); on a thread of its own, load
 * the newest snapshot that reads whole ({@link SnapshotLoader}), skipping damaged ones with a WARN line, while the
 * event loop answers clients; back on the event loop, replay the recording
 * from the snapshot's position (or from its start) through {@link EngineNode#replay} in slices, serving clients
 * between slices ({@link LogReplayer}); cut an incomplete last entry; extend the recording
 * ({@link ArchiveCommandLog}); then {@link EngineNode#recovered()}, which adds the configured pairs and lifts
 * {@code -LOADING}. A node without a data dir, or with {@code log=off}, keeps its state in memory only and has
 * nothing to recover or snapshot.
 */
public final class PersistenceCommands implements CommandGroup
{
    private static final Logger LOG = LoggerFactory.getLogger(PersistenceCommands.class);
    private static final int REPLAY_FRAGMENT_LIMIT = 4096;
    private static final long REPLAY_SLICE_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long REPLAY_IDLE_MICROS = 100;
    private static final long HOUSEKEEPING_MILLIS = 10;
    private static final long TRUNCATE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final byte[] SCHEDULE = "SCHEDULE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] LOADING_ERROR = RespWriter.encodeError(
        "LOADING redmatch is loading its state from disk (snapshot and command log); try again in a moment");

    private static final String FETCHED_SNAPSHOT_NAME = "primary-snapshot" + SnapshotFile.TEMP_SUFFIX;
    private static final int MAX_FETCH_BYTES = 8 * 1024 * 1024;

    private static final long SNAPSHOT_CHECK_MILLIS = 100;
    private static final long SNAPSHOT_RETRY_MILLIS = 10_000;

    private final Runnable replayTask = this::replaySlice;
    private SnapshotStore snapshotStore;
    private SnapshotTaker snapshotTaker;
    private ScheduledFuture<?> snapshotCheck;
    private String recoverySnapshot = "none";
    private long recoverySnapshotMillis = -1;
    private long lastSaveMillis;
    private long lastSnapshotLogSeq;
    private long lastSnapshotAttemptMillis;
    private long logStartPosition;
    private long purgedSegments;
    private LongSupplier standbyAckedPosition;
    private TailDiscard tailDiscard;
    private EngineNode node;
    private CommandLogContext logContext;
    private DataDirectory dataDirectory;
    private EmbeddedArchive archive;
    private RecordingDescriptor recording;
    private LogReplayer replayer;
    private ArchiveCommandLog log;
    private long recoveryStartNs;
    private long recoveryMillis = -1;
    private long recoveryCpuStartNs;
    private long recoveryCpuMillis = -1;
    private long loaderCpuMillis;
    private long recoveryStartMillis;
    private String loadingPhase = "none";
    private Thread loader;
    private long recoveredEntries;
    private String tailCut = "none";
    private ScheduledFuture<?> housekeeping;
    private boolean closed;
    private SnapshotSource snapshotSource;
    /** The primary's snapshot a standby installed, until the loader has loaded it (then let go: it is the state's size). */
    private SnapshotFile.Loaded bootstrapSnapshot;
    private boolean bootstrapped;
    /** Log position of the snapshot recovery loaded; 0 without one. */
    private long recoveredSnapshotPosition;

    public void register(final CommandTable table, final EngineNode node)
    {
        this.node = node;
        if (node.context().logEnabled())
        {
            logContext = CommandLogContext.of(node.context()).conclude();
        }
        table.register("SAVE", 1, Command.ADMIN, this::save)
            .group("server").summary("Takes a snapshot of the state synchronously; replies once it is on disk");
        table.register("BGSAVE", -1, Command.ADMIN, this::bgsave)
            .group("server").summary("Takes a snapshot of the state in the background").syntax("[SCHEDULE]");
        table.register("SNAPSHOT.FETCH", 4, Command.ADMIN | Command.STALE, this::snapshotFetch)
            .group("server").summary("Copies a snapshot file in chunks (a standby loading its primary's snapshot): " +
                "[name, size, log seq, log position, bytes]").syntax("<LATEST|name> <offset> <count>");
        table.register("LASTSAVE", 1, Command.FAST | Command.STALE | Command.LOADING, this::lastsave)
            .group("server").summary("Returns the Unix time of the last successful snapshot");
        lastSaveMillis = node.startMillis();
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
        recoveryStartMillis = System.currentTimeMillis();
        recoveryCpuStartNs = threadCpuNanos();
        try
        {
            LOG.info("opening the command log: {}", logContext);
            dataDirectory = DataDirectory.open(logContext.dataDir());
            final RecordingTailRepair.Result tailRepair =
                RecordingTailRepair.repair(logContext.archiveDir(), CommandLogContext.STREAM_ID);
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
            discardTail();
            snapshotStore = new SnapshotStore(logContext.dataDir());
            if (snapshotSource != null)
            {
                fetchPrimarySnapshotThenLoad();
                return;
            }
            startSnapshotLoad();
        }
        catch (final RuntimeException ex)
        {
            node.recoveryFailed(ex);
        }
    }

    private void startSnapshotLoad()
    {
        final RecordingDescriptor replayed = recording;
        loadingPhase = "snapshot";
        node.beginStateLoad();
        loader = new Thread(() -> loadSnapshot(replayed), "redmatch-snapshot-load");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * A standby whose log ends before its primary's log starts: copies the primary's latest snapshot off the event
     * loop (clients get {@code -LOADING} meanwhile) and verifies it there, then installs it on the event loop
     * ({@link SnapshotInstall}) and recovers from it; a snapshot that fails its checks stops the start, with the reason.
     */
    private void fetchPrimarySnapshotThenLoad()
    {
        final long ownPosition = recording == null ? 0 : recording.stopPosition();
        final Path target = snapshotStore.dir().resolve(FETCHED_SNAPSHOT_NAME);
        loadingPhase = "primary_snapshot";
        final Thread thread = new Thread(() ->
        {
            try
            {
                final long startNs = System.nanoTime();
                Files.createDirectories(target.getParent());
                final String source = snapshotSource.fetchIfBehind(ownPosition, target);
                final SnapshotFile.Loaded fetched = source == null ? null : SnapshotInstall.verify(target, source);
                final long fetchMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                handOver(() -> installThenLoad(fetched, source, fetchMillis));
            }
            catch (final IOException | RuntimeException | Error ex)
            {
                // errors included (a copy too big for the heap): the start must fail, not stay loading for ever
                handOver(() -> node.recoveryFailed(ex instanceof RuntimeException ? ex :
                    new IllegalStateException("cannot copy the primary's snapshot: " + ex, ex)));
            }
        }, "redmatch-snapshot-fetch");
        thread.setDaemon(true);
        thread.start();
    }

    private void installThenLoad(final SnapshotFile.Loaded fetched, final String source, final long fetchMillis)
    {
        if (closed)
        {
            return;
        }
        try
        {
            if (fetched != null)
            {
                bootstrapSnapshot = new SnapshotInstall(archive, logContext.dataDir(), recording)
                    .install(fetched, source, fetchMillis);
                bootstrapped = true;
                recording = null;
            }
            startSnapshotLoad();
        }
        catch (final RuntimeException ex)
        {
            node.recoveryFailed(ex);
        }
    }

    /**
     * Loads the newest usable snapshot on a thread of its own, so that the event loop answers clients
     * ({@code -LOADING}, {@code INFO}) however long it takes. The event loop leaves the matching state alone until
     * {@link #replayLog} takes it back, a task handed over through its queue (which publishes everything written
     * here); {@link #close()} waits for this thread. The archive stays with the event loop: Aeron Archive checks
     * that its control sessions are served by one thread.
     */
    private void loadSnapshot(final RecordingDescriptor replayed)
    {
        final long cpuStartNs = threadCpuNanos();
        try
        {
            final SnapshotLoad load = loadNewestSnapshot(replayed);
            final long cpuNanos = threadCpuNanos() - cpuStartNs;
            handOver(() -> replayLog(load, cpuNanos));
        }
        catch (final RuntimeException | Error ex)
        {
            // errors included (out of memory: a snapshot too big for the heap): the start must fail, not wait
            handOver(() ->
            {
                node.endStateLoad();
                node.recoveryFailed(ex);
            });
        }
    }

    /**
     * The rest of recovery, on the event loop once the snapshot is loaded: takes the matching state back and replays
     * the log after the snapshot in slices, serving clients between them.
     */
    private void replayLog(final SnapshotLoad load, final long loaderCpuNanos)
    {
        node.endStateLoad();
        if (closed)
        {
            return;
        }
        loaderCpuMillis = TimeUnit.NANOSECONDS.toMillis(loaderCpuNanos);
        loadingPhase = "log";
        try
        {
            if (load == null)
            {
                replayer = new LogReplayer(archive, recording, node::replay);
            }
            else
            {
                final SnapshotFile.Header header = load.header();
                recoveredSnapshotPosition = header.logPosition();
                node.sequencer().replay(header.logSeq(), header.engineTime());
                recoverySnapshot = load.fileName();
                recoverySnapshotMillis = load.millis();
                lastSaveMillis = header.createdMillis();
                lastSnapshotLogSeq = header.logSeq();
                replayer = new LogReplayer(archive, recording, header.logPosition(), header.logSeq(), header.epoch(),
                    node::replay);
            }
            replayer.start();
            node.eventLoop().schedule(replayTask, 0, TimeUnit.MICROSECONDS);
        }
        catch (final RuntimeException ex)
        {
            node.recoveryFailed(ex);
        }
    }

    private void handOver(final Runnable task)
    {
        try
        {
            node.eventLoop().execute(task);
        }
        catch (final RejectedExecutionException ex)
        {
            LOG.debug("recovery: the node stopped while a snapshot was copied or loaded");
        }
    }

    /**
     * Sets where a standby gets its primary's snapshot when its log ends before the primary's log starts; without it,
     * recovery uses this node's own snapshots and log only.
     *
     * @param source the source; asked once, before the log is replayed.
     */
    public void snapshotSource(final SnapshotSource source)
    {
        this.snapshotSource = source;
    }

    @Override
    public void close()
    {
        closed = true;
        awaitLoader();
        if (housekeeping != null)
        {
            housekeeping.cancel(false);
        }
        if (snapshotCheck != null)
        {
            snapshotCheck.cancel(false);
        }
        CloseHelper.quietClose(snapshotTaker);
        if (log != null && node.sequencer().commandLog() == log)
        {
            node.sequencer().commandLog(CommandLog.NONE);
        }
        CloseHelper.closeAll(log, replayer, archive, dataDirectory);
    }

    /** Waits for the snapshot loader to finish with what it opened, so that it is released only once. */
    private void awaitLoader()
    {
        if (loader == null)
        {
            return;
        }
        boolean interrupted = false;
        while (loader.isAlive())
        {
            try
            {
                loader.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sets where standbys have acknowledged the log up to, so that the log is purged only below it as well as below
     * the snapshots kept; without it, only the snapshots bound the purge.
     *
     * @param position gives the lowest position acknowledged by every standby; on the event loop.
     */
    public void standbyAckedPosition(final LongSupplier position)
    {
        this.standbyAckedPosition = position;
    }

    /**
     * Sets who decides, at start, whether the end of the log must be discarded before recovery (a former primary
     * rejoining a new one); without it, the whole log is kept.
     *
     * @param discard the decision; called once, before the log is replayed.
     */
    public void tailDiscard(final TailDiscard discard)
    {
        this.tailDiscard = discard;
    }

    /**
     * Cuts the recording where {@link #tailDiscard} says, and deletes the snapshots taken beyond the cut: they hold
     * state of the discarded entries, and the log will grow past their positions again.
     */
    private void discardTail()
    {
        if (tailDiscard == null || recording == null)
        {
            return;
        }
        final long cut = tailDiscard.cutPosition(recording);
        if (cut == TailDiscard.KEEP_ALL || cut >= recording.stopPosition())
        {
            return;
        }
        if (cut < recording.startPosition())
        {
            throw new IllegalStateException("the log must be cut at position " + cut + ", before its start " +
                recording.startPosition() + " (purged): not starting. Start this node on an empty data dir");
        }
        truncate(cut);
        final SnapshotStore store = new SnapshotStore(logContext.dataDir());
        for (final Path file : store.list())
        {
            try
            {
                if (SnapshotFile.read(file).header().logPosition() > cut)
                {
                    Files.delete(file);
                    LOG.warn("snapshot: deleted {}: it holds state of the discarded log tail", file);
                }
            }
            catch (final IOException | SnapshotFormatException ex)
            {
                LOG.warn("snapshot: left {} ({}); recovery skips it while it lies beyond the log", file, ex.toString());
            }
        }
    }

    /** @return the node's archive once launched; null before, or without a log. */
    public EmbeddedArchive archive()
    {
        return archive;
    }

    /** @return the log's configuration; null without a log. */
    public CommandLogContext logContext()
    {
        return logContext;
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
        // without a recording (a standby that installed its primary's snapshot, or a log lost after a crash in the
        // middle of that install), the new log starts where the loaded snapshot stands, so positions keep matching
        final long newLogStart = recording == null ? recoveredSnapshotPosition : 0;
        log = ArchiveCommandLog.open(archive, logContext, recording, newLogStart, node.sequencer().logSeq(),
            replayer.lastEpoch());
        node.sequencer().commandLog(log);
        logStartPosition = recording == null ? newLogStart : recording.startPosition();
        snapshotTaker = new SnapshotTaker(node, snapshotStore, logContext.snapshotKeep(), this::onSnapshot);
        snapshotCheck = node.eventLoop().scheduleAtFixedRate(
            this::periodicSnapshot, SNAPSHOT_CHECK_MILLIS, SNAPSHOT_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveryStartNs);
        recoveryCpuMillis = loaderCpuMillis + TimeUnit.NANOSECONDS.toMillis(threadCpuNanos() - recoveryCpuStartNs);
        loadingPhase = "none";
        LOG.info("command log: recovered {} entries (last log seq {}) in {} ms ({} ms of CPU)",
            recoveredEntries, node.sequencer().logSeq(), recoveryMillis, recoveryCpuMillis);
        node.recovered();
    }

    /**
     * Loads the newest usable snapshot into the engine, on the loader thread.
     *
     * @return what was loaded, or null when there is no snapshot: the whole log is replayed.
     */
    private SnapshotLoad loadNewestSnapshot(final RecordingDescriptor replayed)
    {
        snapshotStore.deleteTemporaryFiles();
        final SnapshotFile.Loaded snapshot = bootstrapSnapshot != null ? bootstrapSnapshot :
            SnapshotLoader.newestUsable(snapshotStore, replayed);
        bootstrapSnapshot = null;
        if (snapshot == null)
        {
            if (replayed != null && replayed.startPosition() > 0)
            {
                throw new IllegalStateException("the command log starts at position " + replayed.startPosition() +
                    " (older segments were purged) and no snapshot in " + snapshotStore.dir() + " can be read; " +
                    "not starting. Restore a snapshot from a copy");
            }
            return null;
        }
        final long loadStartNs = System.nanoTime();
        final SnapshotFile.Header header = snapshot.header();
        try
        {
            node.matchingEngine().readSnapshot(snapshot.reader());
        }
        catch (final SnapshotFormatException ex)
        {
            throw new IllegalStateException("snapshot " + snapshot.file() + " passed its checksums but cannot be " +
                "loaded (" + ex.getMessage() + "); not starting. Move it away to start from an older one", ex);
        }
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStartNs);
        LOG.info("snapshot: loaded {} (log seq {}, position {}, {} bytes) in {} ms; replaying the log after it",
            snapshot.file(), header.logSeq(), header.logPosition(), snapshot.bytes().length, millis);
        if (bootstrapped)
        {
            LOG.info("snapshot: this standby's log starts at position {} (log seq {}), where the primary's snapshot " +
                "stands; it catches up from the primary's recording from there", header.logPosition(), header.logSeq());
        }
        return new SnapshotLoad(header, snapshot.file().getFileName().toString(), millis);
    }

    /**
     * A snapshot loaded into the engine.
     *
     * @param header   its header: where the replay of the log resumes.
     * @param fileName its file's name.
     * @param millis   how long decoding it took.
     */
    private record SnapshotLoad(SnapshotFile.Header header, String fileName, long millis)
    {
    }

    private void save(final Connection connection, final RespRequest request, final RespWriter out)
    {
        if (!canSnapshot(out))
        {
            return;
        }
        final SnapshotTaker.Result result = snapshotTaker.saveNow(log);
        if (result.error() != null)
        {
            out.error("ERR snapshot failed: " + result.error());
            return;
        }
        out.simpleString("OK");
    }

    private void bgsave(final Connection connection, final RespRequest request, final RespWriter out)
    {
        if (request.argCount() > 2 || (request.argCount() == 2 && !request.argEqualsIgnoreCase(1, SCHEDULE)))
        {
            out.error("ERR syntax error");
            return;
        }
        if (snapshotTaker != null && snapshotTaker.inProgress() && request.argCount() == 2)
        {
            // Redis's SCHEDULE: one is running; a later one would copy nearly the same state, so that one counts
            out.simpleString("Background saving scheduled");
            return;
        }
        if (!canSnapshot(out))
        {
            return;
        }
        try
        {
            lastSnapshotAttemptMillis = System.currentTimeMillis();
            snapshotTaker.saveInBackground(log);
            out.simpleString("Background saving started");
        }
        catch (final RuntimeException ex)
        {
            out.error("ERR snapshot failed: " + ex.getMessage());
        }
    }

    private void lastsave(final Connection connection, final RespRequest request, final RespWriter out)
    {
        out.integer(lastSaveMillis / 1000);
    }

    private boolean canSnapshot(final RespWriter out)
    {
        if (snapshotTaker == null)
        {
            out.error("ERR snapshots need the command log: start the node with a data dir and log on");
            return false;
        }
        if (snapshotTaker.inProgress())
        {
            out.error("ERR Background save already in progress");
            return false;
        }
        if (log.failure() != null)
        {
            out.error("MISCONF the command log cannot be written (" + log.failure() + "): no snapshot is taken");
            return false;
        }
        return true;
    }

    private void periodicSnapshot()
    {
        if (closed || log == null || log.failure() != null || snapshotTaker.inProgress())
        {
            return;
        }
        final long entries = node.sequencer().logSeq() - lastSnapshotLogSeq;
        final long nowMillis = System.currentTimeMillis();
        final long sinceMillis = nowMillis - Math.max(lastSaveMillis, node.startMillis());
        final boolean byEntries = logContext.snapshotEveryEntries() > 0 && entries >= logContext.snapshotEveryEntries();
        final boolean byTime = logContext.snapshotEverySeconds() > 0 && entries > 0 &&
            sinceMillis >= logContext.snapshotEverySeconds() * 1000;
        if ((byEntries || byTime) && nowMillis - lastSnapshotAttemptMillis >= SNAPSHOT_RETRY_MILLIS)
        {
            lastSnapshotAttemptMillis = nowMillis;
            try
            {
                snapshotTaker.saveInBackground(log);
            }
            catch (final RuntimeException ex)
            {
                LOG.error("snapshot: cannot take a periodic snapshot: {}", ex.getMessage());
            }
        }
    }

    /** A snapshot is on disk (or failed), on the event loop: note it and purge what the log no longer needs. */
    private void onSnapshot(final SnapshotTaker.Result result)
    {
        if (result.error() != null || closed)
        {
            return;
        }
        lastSaveMillis = result.createdMillis();
        lastSnapshotLogSeq = Math.max(lastSnapshotLogSeq, result.logSeq());
        if (logContext.logPurge())
        {
            long limit = result.oldestKeptPosition();
            if (standbyAckedPosition != null)
            {
                limit = Math.min(limit, standbyAckedPosition.getAsLong());
            }
            purgeBelow(limit);
        }
    }

    /** Purges the log's segment files that lie wholly below a position. */
    private void purgeBelow(final long position)
    {
        try
        {
            final RecordingDescriptor current =
                RecordingDescriptor.list(archive.archive(), CommandLogContext.STREAM_ID);
            if (current == null || position <= current.startPosition())
            {
                return;
            }
            final long newStart = AeronArchive.segmentFileBasePosition(
                current.startPosition(), position, current.termLength(), current.segmentLength());
            if (newStart <= current.startPosition())
            {
                return;
            }
            final long deleted = archive.archive().purgeSegments(current.recordingId(), newStart);
            purgedSegments += deleted;
            logStartPosition = newStart;
            LOG.info("command log: purged {} segment files of recording {} below position {} (kept for the " +
                "snapshots from position {})", deleted, current.recordingId(), newStart, position);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("command log: cannot purge segments below position {}: {}", position, ex.getMessage());
        }
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

    private void snapshotInfo(final StringBuilder info)
    {
        final SnapshotTaker.Result last = snapshotTaker == null ? null : snapshotTaker.last();
        final boolean inProgress = snapshotTaker != null && snapshotTaker.inProgress();
        final long changes = node.sequencer().logSeq() - lastSnapshotLogSeq;
        InfoSection.field(info, "rdb_changes_since_last_save", changes);
        InfoSection.field(info, "rdb_bgsave_in_progress", inProgress ? 1 : 0);
        InfoSection.field(info, "rdb_last_save_time", lastSaveMillis / 1000);
        InfoSection.field(info, "rdb_last_bgsave_status", last == null || last.error() == null ? "ok" : "err");
        InfoSection.field(info, "snapshot_in_progress", inProgress ? 1 : 0);
        InfoSection.field(info, "snapshot_every_entries", logContext.snapshotEveryEntries());
        InfoSection.field(info, "snapshot_every_seconds", logContext.snapshotEverySeconds());
        InfoSection.field(info, "snapshot_keep", logContext.snapshotKeep());
        InfoSection.field(info, "snapshots_on_disk", snapshotStore == null ? 0 : snapshotStore.list().size());
        InfoSection.field(info, "last_snapshot_seq", lastSnapshotLogSeq);
        InfoSection.field(info, "last_snapshot_time", lastSaveMillis / 1000);
        if (last != null)
        {
            InfoSection.field(info, "last_snapshot_status", last.error() == null ? "ok" : "failed");
            if (last.error() != null)
            {
                InfoSection.field(info, "last_snapshot_error", last.error().replace('\r', ' ').replace('\n', ' '));
            }
            else
            {
                InfoSection.field(info, "last_snapshot_file", last.file().getFileName());
                InfoSection.field(info, "last_snapshot_position", last.logPosition());
                InfoSection.field(info, "last_snapshot_size_bytes", last.sizeBytes());
                InfoSection.field(info, "last_snapshot_duration_ms",
                    TimeUnit.NANOSECONDS.toMillis(last.durationNanos()));
                InfoSection.field(info, "last_snapshot_pause_us", TimeUnit.NANOSECONDS.toMicros(last.pauseNanos()));
            }
        }
        InfoSection.field(info, "log_purge", logContext.logPurge() ? "on" : "off");
        InfoSection.field(info, "log_start_position", logStartPosition);
        InfoSection.field(info, "log_purged_segments", purgedSegments);
    }

    /** CPU time of this thread, which does all of recovery: on a shared machine it says more than wall time. */
    private static long threadCpuNanos()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
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
            InfoSection.field(info, "loading_phase", loadingPhase);
            InfoSection.field(info, "loading_start_time", recoveryStartMillis / 1000);
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
        snapshotInfo(info);
        InfoSection.field(info, "recovery_snapshot", recoverySnapshot);
        InfoSection.field(info, "recovery_snapshot_load_ms", recoverySnapshotMillis);
        InfoSection.field(info, "recovery_entries", recoveredEntries);
        InfoSection.field(info, "recovery_time_ms", recoveryMillis);
        InfoSection.field(info, "recovery_cpu_ms", recoveryCpuMillis);
        InfoSection.field(info, "recovery_tail_cut", tailCut.replace('\r', ' ').replace('\n', ' '));
    }

    /**
     * {@code SNAPSHOT.FETCH <LATEST|name> <offset> <count>}: up to {@code count} bytes of a snapshot file from
     * {@code offset}, as {@code [name, size, log seq, log position, bytes]}; {@code LATEST} is the newest file whose
     * header reads. A chunk is read from the page cache on the event loop: at most {@value #MAX_FETCH_BYTES} bytes.
     */
    private void snapshotFetch(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final long offset = request.argLong(2, -1);
        final long count = request.argLong(3, -1);
        if (offset < 0 || count <= 0 || count > MAX_FETCH_BYTES)
        {
            out.error("ERR SNAPSHOT.FETCH needs an offset >= 0 and a count from 1 to " + MAX_FETCH_BYTES);
            return;
        }
        if (snapshotStore == null)
        {
            out.error("ERR snapshots need the command log: start the node with a data dir and log on");
            return;
        }
        final String name = request.argString(1);
        final Path file = "LATEST".equalsIgnoreCase(name) ? newestReadableSnapshot() : snapshotStore.file(name);
        if (file == null || !Files.isRegularFile(file))
        {
            out.error("ERR no snapshot " + ("LATEST".equalsIgnoreCase(name) ? "on this node" : name) +
                " (it may have been pruned: start again from LATEST)");
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final SnapshotFile.Header header = SnapshotFile.readHeader(file);
            final long size = channel.size();
            final ByteBuffer chunk = ByteBuffer.allocate((int)Math.max(0, Math.min(count, size - offset)));
            while (chunk.hasRemaining() && channel.read(chunk, offset + chunk.position()) >= 0)
            {
                // until the chunk is whole
            }
            out.arrayHeader(5).bulk(file.getFileName().toString()).integer(size).integer(header.logSeq())
                .integer(header.logPosition()).bulk(chunk.array(), 0, chunk.position());
            if (offset == 0)
            {
                LOG.info("snapshot: serving {} ({} bytes, log seq {}, position {}) to {}", file.getFileName(), size,
                    header.logSeq(), header.logPosition(), connection.remoteAddress());
            }
        }
        catch (final IOException | SnapshotFormatException ex)
        {
            out.error("ERR cannot read snapshot " + file.getFileName() + ": " + ex.getMessage());
        }
    }

    private Path newestReadableSnapshot()
    {
        for (final Path file : snapshotStore.list())
        {
            try
            {
                SnapshotFile.readHeader(file);
                return file;
            }
            catch (final IOException | SnapshotFormatException ex)
            {
                LOG.warn("snapshot: not serving {}: {}", file, ex.getMessage());
            }
        }
        return null;
    }
}
