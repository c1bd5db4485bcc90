package io.redmatch.engine.log;

import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.MatchingEngine;
import io.redmatch.engine.node.Sequencer;
import io.redmatch.engine.snapshot.SnapshotFile;
import io.redmatch.engine.snapshot.SnapshotFormatException;
import io.redmatch.engine.snapshot.SnapshotStore;
import io.redmatch.engine.snapshot.SnapshotWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Takes snapshots of the node's matching state. The state is copied on the event loop, between commands, into one
 * heap buffer (the pause: it makes the log durable up to the last command, then encodes the state); checksumming,
 * writing, forcing to disk, renaming and pruning old snapshots happen either on the same thread ({@code SAVE}) or on
 * a writer thread of its own ({@code BGSAVE} and periodic snapshots), which hands the result back to the event loop.
 * Event loop only, except where noted.
 */
final class SnapshotTaker implements AutoCloseable
{
    /**
     * The outcome of one snapshot.
     *
     * @param logSeq             log sequence it stands at.
     * @param logPosition        log position it stands at.
     * @param createdMillis      wall-clock time of the copy, epoch ms.
     * @param file               the file written, null when it failed.
     * @param sizeBytes          its size.
     * @param pauseNanos         how long the copy held the event loop.
     * @param durationNanos      from the start of the copy to the file being in place.
     * @param oldestKeptPosition log position of the oldest snapshot kept: the log is needed from there on.
     * @param error              why it failed, or null.
     */
    record Result(
        long logSeq, long logPosition, long createdMillis, Path file, long sizeBytes, long pauseNanos,
        long durationNanos, long oldestKeptPosition, String error)
    {
    }

    private record Capture(SnapshotWriter writer, SnapshotFile.Header header, long startNs, long pauseNs)
    {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotTaker.class);
    private static final int MIN_BUFFER = 64 * 1024;

    private final EngineNode node;
    private final MatchingEngine engine;
    private final Sequencer sequencer;
    private final SnapshotStore store;
    private final int keep;
    private final Consumer<Result> onWritten;
    private ExecutorService writerThread;
    private boolean inProgress;
    private Result last;
    private long lastSizeBytes;
    /** The last snapshot's chunks, reused by the next one (event loop only; handed back once written). */
    private SnapshotWriter spare;

    SnapshotTaker(
        final EngineNode node, final SnapshotStore store, final int keep, final Consumer<Result> onWritten)
    {
        this.node = node;
        this.engine = node.matchingEngine();
        this.sequencer = node.sequencer();
        this.store = store;
        this.keep = keep;
        this.onWritten = onWritten;
    }

    /** @return true while a background snapshot is being written. */
    boolean inProgress()
    {
        return inProgress;
    }

    /** @return the last snapshot taken since start, successful or not; null when none. */
    Result last()
    {
        return last;
    }

    /**
     * Takes a snapshot on this thread, as {@code SAVE} does.
     *
     * @param log the command log, to make durable up to the state copied.
     * @return the outcome; its error is set when it failed.
     */
    Result saveNow(final ArchiveCommandLog log)
    {
        if (inProgress)
        {
            throw new IllegalStateException("a background snapshot is in progress");
        }
        Result result;
        Capture capture = null;
        try
        {
            capture = capture(log);
            result = persist(capture);
        }
        catch (final RuntimeException ex)
        {
            result = failed(ex);
        }
        done(result);
        keepForReuse(capture);
        return result;
    }

    /**
     * Copies the state now and writes it on the writer thread, as {@code BGSAVE} does.
     *
     * @param log the command log.
     * @return false when a background snapshot is already in progress.
     * @throws IllegalStateException when the command log cannot be made durable.
     */
    boolean saveInBackground(final ArchiveCommandLog log)
    {
        if (inProgress)
        {
            return false;
        }
        final Capture capture = capture(log);
        inProgress = true;
        if (writerThread == null)
        {
            writerThread = Executors.newSingleThreadExecutor(runnable ->
            {
                final Thread thread = new Thread(runnable, "redmatch-snapshot-writer");
                thread.setDaemon(true);
                return thread;
            });
        }
        writerThread.execute(() ->
        {
            Result result;
            try
            {
                result = persist(capture);
            }
            catch (final RuntimeException ex)
            {
                result = failed(ex);
            }
            final Result outcome = result;
            try
            {
                node.eventLoop().execute(() ->
                {
                    inProgress = false;
                    done(outcome);
                    keepForReuse(capture);
                });
            }
            catch (final RejectedExecutionException ex)
            {
                LOG.info("snapshot: {} written while the node stopped", outcome.file());
            }
        });
        return true;
    }

    /** Waits for a snapshot being written, then stops the writer thread. */
    @Override
    public void close()
    {
        if (writerThread != null)
        {
            writerThread.shutdown();
            try
            {
                if (!writerThread.awaitTermination(30, TimeUnit.SECONDS))
                {
                    LOG.warn("snapshot: the writer did not finish within 30 s; its temporary file is ignored at start");
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Capture capture(final ArchiveCommandLog log)
    {
        final long startNs = System.nanoTime();
        if (log.hasPendingEntries() && !log.awaitDurable())
        {
            throw new IllegalStateException("the command log failed: " + log.failure());
        }
        SnapshotWriter writer = spare;
        spare = null;
        if (writer == null)
        {
            writer = new SnapshotWriter((int)Math.min(Integer.MAX_VALUE - 64,
                Math.max(MIN_BUFFER, lastSizeBytes + lastSizeBytes / 4)));
        }
        else
        {
            writer.reset();
        }
        engine.writeSnapshot(writer);
        final SnapshotFile.Header header = new SnapshotFile.Header(SnapshotFile.FORMAT_VERSION, sequencer.logSeq(),
            log.durablePosition(), sequencer.engineTime(), log.epoch(), System.currentTimeMillis(), 0);
        return new Capture(writer, header, startNs, System.nanoTime() - startNs);
    }

    /**
     * Keeps a written snapshot's chunks for the next one, so that steady snapshots allocate nothing; room for a
     * quarter more than the last size is kept, the rest let go, and nothing when the state is over a quarter of the
     * heap.
     */
    private void keepForReuse(final Capture capture)
    {
        // a state that takes a large share of the heap keeps no spare: its chunks would stay live between snapshots
        if (capture != null && lastSizeBytes <= Runtime.getRuntime().maxMemory() / 4)
        {
            capture.writer().trimTo(lastSizeBytes + lastSizeBytes / 4);
            spare = capture.writer();
        }
    }

    /** Seals, writes and prunes; on any thread. */
    private Result persist(final Capture capture)
    {
        final SnapshotFile.Header header = capture.header();
        try
        {
            final int length = SnapshotFile.seal(capture.writer(), header);
            final Path file = SnapshotFile.write(store.dir(), SnapshotStore.fileName(header.logSeq()),
                capture.writer(), length);
            final long durationNs = System.nanoTime() - capture.startNs();
            final long oldestKept = oldestKeptPosition(store.prune(keep), header.logPosition());
            return new Result(header.logSeq(), header.logPosition(), header.createdMillis(), file, length,
                capture.pauseNs(), durationNs, oldestKept, null);
        }
        catch (final IOException ex)
        {
            return new Result(header.logSeq(), header.logPosition(), header.createdMillis(), null, 0,
                capture.pauseNs(), System.nanoTime() - capture.startNs(), -1, ex.toString());
        }
    }

    private static long oldestKeptPosition(final List<Path> kept, final long newest)
    {
        long oldest = newest;
        for (final Path file : kept)
        {
            try
            {
                oldest = Math.min(oldest, SnapshotFile.readHeader(file).logPosition());
            }
            catch (final IOException | SnapshotFormatException ex)
            {
                LOG.warn("snapshot: cannot read the header of {}: {}", file, ex.getMessage());
            }
        }
        return oldest;
    }

    private static Result failed(final RuntimeException ex)
    {
        return new Result(-1, -1, System.currentTimeMillis(), null, 0, 0, 0, -1, String.valueOf(ex.getMessage()));
    }

    private void done(final Result result)
    {
        last = result;
        if (result.error() == null)
        {
            lastSizeBytes = result.sizeBytes();
            LOG.info("snapshot: {} at log seq {} (position {}): {} bytes, event loop paused {} ms, written in {} ms",
                result.file().getFileName(), result.logSeq(), result.logPosition(), result.sizeBytes(),
                TimeUnit.NANOSECONDS.toMillis(result.pauseNanos()), TimeUnit.NANOSECONDS.toMillis(result.durationNanos()));
        }
        else
        {
            LOG.error("snapshot failed at log seq {}: {}", result.logSeq(), result.error());
        }
        onWritten.accept(result);
    }
}
