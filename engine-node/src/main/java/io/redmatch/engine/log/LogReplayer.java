package io.redmatch.engine.log;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Reads the log's recording back through an Aeron Archive replay and hands each whole, valid entry to an
 * {@link EntryHandler} (the node's {@code replay}), in order. Driven by {@link #poll(int)} so that the event loop
 * can serve clients ({@code -LOADING}) between polls.
 * <p>
 * Every entry is checked ({@link LogEntry#validate}, and log sequence numbers gapless from 1). The first bad entry
 * stops the replay of commands; the reader goes on checking what follows, so that the caller can tell a bad tail
 * ({@link #validEntriesAfterError()} is 0: cut the recording at {@link #validPosition()}) from damage in the middle
 * of the log, which must not be cut silently. An entry left incomplete at the end of the recording (a crash between
 * the fragments of a long command) leaves {@link #validPosition()} before it, with no error.
 */
public final class LogReplayer implements AutoCloseable
{
    /** Applies one replayed command. */
    @FunctionalInterface
    public interface EntryHandler
    {
        /**
         * @param frame      holds the command's RESP bytes.
         * @param offset     where they start.
         * @param length     how many.
         * @param logSeq     its log sequence number.
         * @param engineTime its engine time.
         * @return true when the command was known and applied.
         */
        boolean apply(ByteBuf frame, int offset, int length, long logSeq, long engineTime);
    }

    /** Stream id the archive replays the log on. */
    public static final int REPLAY_STREAM_ID = 1002;

    private static final String REPLAY_CHANNEL = "aeron:ipc";
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    /** The clock is read once per this many entries (a power of two): reading it per entry cost 2 % of a replay. */
    private static final int DEADLINE_CHECK_ENTRIES = 64;

    private final EmbeddedArchive archive;
    private final RecordingDescriptor recording;
    private final EntryHandler handler;
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this::onEntry);
    private final CRC32C crc = new CRC32C();
    private byte[] entryBytes = new byte[4096];
    private final UnsafeBuffer entry = new UnsafeBuffer(entryBytes);
    private ByteBuf frame = Unpooled.wrappedBuffer(entryBytes);
    private Subscription subscription;
    private long startDeadlineNs;
    private long pollDeadlineNs;
    private int entriesSinceDeadlineCheck;
    private boolean imageSeen;
    private long replayedPosition;
    private boolean done;
    private long validPosition;
    private long entries;
    private long lastLogSeq;
    private long lastEngineTime;
    private long lastEpoch;
    private String error;
    private long validEntriesAfterError;

    /**
     * @param archive   the node's archive.
     * @param recording the log's recording, stopped; null when there is none (nothing to replay).
     * @param handler   applies each command.
     */
    public LogReplayer(final EmbeddedArchive archive, final RecordingDescriptor recording, final EntryHandler handler)
    {
        this(archive, recording, recording == null ? 0 : recording.startPosition(), 0, 0, handler);
    }

    /**
     * A replay of the log after a snapshot.
     *
     * @param archive       the node's archive.
     * @param recording     the log's recording, stopped; null when there is none.
     * @param startPosition where to start: the snapshot's log position, an entry boundary within the recording.
     * @param startLogSeq   log sequence of the last entry the snapshot includes; the first entry replayed is the next.
     * @param startEpoch    the epoch at the snapshot, kept when no entry follows.
     * @param handler       applies each command.
     */
    public LogReplayer(
        final EmbeddedArchive archive,
        final RecordingDescriptor recording,
        final long startPosition,
        final long startLogSeq,
        final long startEpoch,
        final EntryHandler handler)
    {
        this.archive = archive;
        this.recording = recording;
        this.handler = handler;
        this.validPosition = startPosition;
        this.replayedPosition = startPosition;
        this.lastLogSeq = startLogSeq;
        this.lastEpoch = startEpoch;
    }

    /** Asks the archive to replay the whole recording. */
    public void start()
    {
        if (recording == null || recording.stopPosition() <= validPosition)
        {
            done = true;
            return;
        }
        subscription = archive.archive().replay(recording.recordingId(), validPosition,
            recording.stopPosition() - validPosition, REPLAY_CHANNEL, REPLAY_STREAM_ID);
        startDeadlineNs = System.nanoTime() + START_TIMEOUT_NS;
    }

    /**
     * Reads what the archive has replayed so far.
     *
     * @param fragmentLimit most fragments to read.
     * @return fragments read.
     * @throws IllegalStateException when the replay does not start, or an entry is valid but cannot be applied.
     */
    public int poll(final int fragmentLimit)
    {
        return poll(fragmentLimit, Long.MAX_VALUE);
    }

    /**
     * Reads what the archive has replayed so far, until a deadline, checked every few entries: the entry being
     * applied when the check finds it passed is the last of this poll.
     *
     * @param fragmentLimit most fragments to read.
     * @param deadlineNs    {@link System#nanoTime()} after which to stop.
     * @return fragments read.
     * @throws IllegalStateException when the replay does not start, or an entry is valid but cannot be applied.
     */
    public int poll(final int fragmentLimit, final long deadlineNs)
    {
        if (done)
        {
            return 0;
        }
        pollDeadlineNs = deadlineNs;
        final int fragments = subscription.controlledPoll(assembler, fragmentLimit);
        if (subscription.imageCount() > 0)
        {
            imageSeen = true;
            final Image image = subscription.imageAtIndex(0);
            replayedPosition = image.position();
            if (replayedPosition < recording.stopPosition() && image.isClosed())
            {
                throw new IllegalStateException(endedEarly());
            }
        }
        else if (imageSeen && replayedPosition < recording.stopPosition())
        {
            throw new IllegalStateException(endedEarly());
        }
        else if (!imageSeen && System.nanoTime() > startDeadlineNs)
        {
            throw new IllegalStateException("the archive did not replay the command log");
        }
        done = replayedPosition >= recording.stopPosition();
        return fragments;
    }

    /** @return true once the whole recording was read. */
    public boolean isDone()
    {
        return done;
    }

    /** @return the position just after the last whole, valid entry: where the log can be cut. */
    public long validPosition()
    {
        return validPosition;
    }

    /** @return how many entries were applied. */
    public long entries()
    {
        return entries;
    }

    /** @return the log sequence of the last entry applied, or the start's when none. */
    public long lastLogSeq()
    {
        return lastLogSeq;
    }

    /** @return the engine time of the last entry applied, 0 when none. */
    public long lastEngineTime()
    {
        return lastEngineTime;
    }

    /** @return the epoch of the last entry applied, or the start's when none. */
    public long lastEpoch()
    {
        return lastEpoch;
    }

    /** @return what was wrong with the first bad entry, or null when none was. */
    public String error()
    {
        return error;
    }

    /** @return how many valid entries followed the first bad one: more than 0 means damage before the tail. */
    public long validEntriesAfterError()
    {
        return validEntriesAfterError;
    }

    /** Stops the replay. */
    @Override
    public void close()
    {
        CloseHelper.quietClose(subscription);
        subscription = null;
    }

    private String endedEarly()
    {
        return "the replay of the command log ended at position " + replayedPosition + " of " +
            recording.stopPosition() + "; not starting";
    }

    private Action onEntry(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        apply(buffer, offset, length, header.position());
        if (pollDeadlineNs == Long.MAX_VALUE || ++entriesSinceDeadlineCheck < DEADLINE_CHECK_ENTRIES)
        {
            return Action.CONTINUE;
        }
        entriesSinceDeadlineCheck = 0;
        return System.nanoTime() > pollDeadlineNs ? Action.BREAK : Action.CONTINUE;
    }

    private void apply(final DirectBuffer buffer, final int offset, final int length, final long endPosition)
    {
        copy(buffer, offset, length);
        final String invalid = LogEntry.validate(entry, 0, length, crc);
        if (error != null)
        {
            if (invalid == null)
            {
                validEntriesAfterError++;
            }
            return;
        }
        if (invalid != null)
        {
            error = "entry ending at position " + endPosition + " after log seq " + lastLogSeq + ": " + invalid;
            return;
        }
        final long logSeq = LogEntry.logSeq(entry, 0);
        if (logSeq != lastLogSeq + 1)
        {
            error = "entry ending at position " + endPosition + " has log seq " + logSeq + " after " + lastLogSeq;
            return;
        }
        final long engineTime = LogEntry.engineTime(entry, 0);
        final int frameLength = LogEntry.frameLength(entry, 0);
        frame.setIndex(0, LogEntry.HEADER_LENGTH + frameLength);
        if (!handler.apply(frame, LogEntry.HEADER_LENGTH, frameLength, logSeq, engineTime))
        {
            throw new IllegalStateException("log entry " + logSeq + " is not a command this node knows; not starting");
        }
        entries++;
        lastLogSeq = logSeq;
        lastEngineTime = engineTime;
        lastEpoch = LogEntry.epoch(entry, 0);
        validPosition = endPosition;
    }

    private void copy(final DirectBuffer buffer, final int offset, final int length)
    {
        if (entryBytes.length < length)
        {
            entryBytes = new byte[Math.max(length, entryBytes.length * 2)];
            entry.wrap(entryBytes);
            frame = Unpooled.wrappedBuffer(entryBytes);
        }
        buffer.getBytes(offset, entryBytes, 0, length);
    }
}
