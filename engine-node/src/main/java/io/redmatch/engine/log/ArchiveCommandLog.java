package io.redmatch.engine.log;

import io.aeron.ChannelUri;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.archive.status.RecordingPos;
import io.aeron.logbuffer.BufferClaim;
import io.netty.buffer.ByteBuf;
import io.redmatch.engine.node.CommandLog;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The durable command log: every sequenced command is appended as one {@link LogEntry} to an Aeron publication that
 * the node's archive records on disk, and {@link #awaitDurable()} waits for the archive's recorded position to pass
 * what was appended, once per event-loop batch (the group commit), running the archive's recorder itself meanwhile
 * ({@link EmbeddedArchive#invoke()}).
 * <p>
 * The publication is a UDP channel in manual control mode, tagged so that the archive records it locally through a
 * spy ({@link SourceLocation#LOCAL}): it sends nothing on the network until a destination is added, which is where a
 * hot standby will plug in, and {@code ssc=true} lets the recording proceed with no receiver. After a restart the
 * same recording is extended from its stop position, so the log is one recording for the life of the data dir.
 * <p>
 * Append never drops: when the publication is back-pressured (the recorder is a whole window behind) it retries,
 * idling, until the recorder catches up; when the log makes no progress for the stall timeout, or the recording
 * stops (a disk error), the log has failed: the append throws, {@link #awaitDurable()} answers false, and the node
 * refuses writes ({@code -MISCONF}).
 * <p>
 * Steady state allocates nothing: the entry is claimed in the publication's buffer, its header and checksum written,
 * the RESP bytes copied in place. Confined to the node's event loop.
 */
public final class ArchiveCommandLog implements CommandLog, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveCommandLog.class);
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int CHECK_EVERY_MASK = 0x3FF;

    private final EmbeddedArchive archive;
    private final CommandLogContext context;
    private final ExclusivePublication publication;
    private final CountersReader counters;
    private final int counterId;
    private final long recordingId;
    private final long startPosition;
    private final int maxPayloadLength;
    private final BufferClaim claim = new BufferClaim();
    private final byte[] headerBytes = new byte[LogEntry.HEADER_LENGTH];
    private final UnsafeBuffer header = new UnsafeBuffer(headerBytes);
    private final UnsafeBuffer frameView = new UnsafeBuffer(0, 0);
    private final ExpandableArrayBuffer largeEntry = new ExpandableArrayBuffer(4096);
    private final CRC32C crc = new CRC32C();
    private final IdleStrategy idle = new BackoffIdleStrategy(20, 50, 1_000, TimeUnit.MICROSECONDS.toNanos(50));
    private final long stallTimeoutNs;
    private long epoch;
    private long appendedPosition;
    private long appendedLogSeq;
    private long durablePosition;
    private long durableLogSeq;
    private long startLogSeq;
    private String failure;
    private boolean closed;

    private ArchiveCommandLog(
        final EmbeddedArchive archive,
        final CommandLogContext context,
        final ExclusivePublication publication,
        final int counterId,
        final long recordingId,
        final long lastLogSeq,
        final long epoch)
    {
        this.archive = archive;
        this.context = context;
        this.publication = publication;
        this.counters = archive.aeron().countersReader();
        this.counterId = counterId;
        this.recordingId = recordingId;
        this.startPosition = publication.position();
        this.maxPayloadLength = publication.maxPayloadLength();
        this.stallTimeoutNs = TimeUnit.MILLISECONDS.toNanos(context.stallTimeoutMs());
        this.epoch = epoch;
        this.appendedPosition = startPosition;
        this.durablePosition = startPosition;
        this.appendedLogSeq = lastLogSeq;
        this.durableLogSeq = lastLogSeq;
        this.startLogSeq = lastLogSeq;
    }

    /**
     * Starts appending: extends the log's recording from where it stops, or starts the recording when there is none.
     *
     * @param archive    the node's archive.
     * @param context    the log's configuration.
     * @param recording  the recording to extend (stopped, its tail repaired), or null to start one.
     * @param lastLogSeq the log sequence of its last entry, 0 when empty.
     * @param epoch      the epoch new entries carry.
     * @return the log, recording.
     * @throws IllegalStateException when the recording does not start in time.
     */
    public static ArchiveCommandLog open(
        final EmbeddedArchive archive,
        final CommandLogContext context,
        final RecordingDescriptor recording,
        final long lastLogSeq,
        final long epoch)
    {
        return open(archive, context, recording, 0, lastLogSeq, epoch);
    }

    /**
     * Starts appending, as {@link #open(EmbeddedArchive, CommandLogContext, RecordingDescriptor, long, long)} does;
     * a new recording starts at a given position (a standby whose state starts from its primary's snapshot there), so
     * that its entries keep the primary's positions.
     *
     * @param archive       the node's archive.
     * @param context       the log's configuration.
     * @param recording     the recording to extend, or null to start one.
     * @param startPosition where a new recording starts; a multiple of 32 (an entry boundary); ignored when extending.
     * @param lastLogSeq    the log sequence of the entry just before, 0 when none.
     * @param epoch         the epoch new entries carry.
     * @return the log, recording.
     * @throws IllegalStateException when the recording does not start in time.
     */
    public static ArchiveCommandLog open(
        final EmbeddedArchive archive,
        final CommandLogContext context,
        final RecordingDescriptor recording,
        final long startPosition,
        final long lastLogSeq,
        final long epoch)
    {
        final ChannelUriStringBuilder channel = new ChannelUriStringBuilder()
            .media("udp")
            .controlMode("manual")
            .tags(String.valueOf(CommandLogContext.CHANNEL_TAG))
            .spiesSimulateConnection(true)
            .termLength(context.termLength());
        if (recording != null)
        {
            channel.initialPosition(recording.stopPosition(), recording.initialTermId(), recording.termLength())
                .mtu(recording.mtu());
        }
        else if (startPosition > 0)
        {
            channel.initialPosition(startPosition, 0, context.termLength());
        }
        final String uri = channel.build();
        final ExclusivePublication publication = archive.aeron().addExclusivePublication(
            uri, CommandLogContext.STREAM_ID);
        try
        {
            final String recorded = ChannelUri.addSessionId(uri, publication.sessionId());
            if (recording == null)
            {
                archive.archive().startRecording(recorded, CommandLogContext.STREAM_ID, SourceLocation.LOCAL);
            }
            else
            {
                archive.archive().extendRecording(
                    recording.recordingId(), recorded, CommandLogContext.STREAM_ID, SourceLocation.LOCAL);
            }
            final CountersReader counters = archive.aeron().countersReader();
            final long deadline = System.nanoTime() + CONNECT_TIMEOUT_NS;
            int counterId;
            while ((counterId = RecordingPos.findCounterIdBySession(
                counters, publication.sessionId(), archive.archive().archiveId())) == CountersReader.NULL_COUNTER_ID)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("the archive did not start recording the command log");
                }
                if (archive.invoke() == 0)
                {
                    Thread.yield();
                }
            }
            final long recordingId = RecordingPos.getRecordingId(counters, counterId);
            LOG.info("command log: {} recording {} at position {} (last log seq {}, sync {})",
                recording == null ? "started" : "extending", recordingId, publication.position(), lastLogSeq,
                context.sync());
            return new ArchiveCommandLog(archive, context, publication, counterId, recordingId, lastLogSeq, epoch);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(publication);
            throw ex;
        }
    }

    @Override
    public void append(
        final long logSeq, final long engineTime, final ByteBuf frame, final int offset, final int length)
    {
        if (failure != null || closed)
        {
            throw new IllegalStateException(closed ? "the command log is closed" : "the command log failed: " + failure);
        }
        final int entryLength = LogEntry.HEADER_LENGTH + length;
        LogEntry.putHeader(header, 0, logSeq, engineTime, epoch, length);
        crc.reset();
        crc.update(headerBytes, LogEntry.CHECKSUMMED_OFFSET, LogEntry.HEADER_LENGTH - LogEntry.CHECKSUMMED_OFFSET);
        updateChecksum(frame, offset, length);
        header.putInt(LogEntry.CHECKSUM_OFFSET, (int)crc.getValue(), ORDER);
        final long position = entryLength <= maxPayloadLength ?
            appendClaimed(frame, offset, length, entryLength) : appendFragmented(frame, offset, length, entryLength);
        appendedPosition = position;
        appendedLogSeq = logSeq;
    }

    /**
     * Appends an entry as another node's log holds it, header included (a standby re-appending its primary's log):
     * the entry keeps its log sequence, engine time, epoch and checksum, so that the two logs hold the same bytes at
     * the same positions.
     *
     * @param buffer holds the entry.
     * @param offset where it starts.
     * @param length its length, header included; checked by {@link LogEntry#validate} before.
     */
    public void appendEntry(final DirectBuffer buffer, final int offset, final int length)
    {
        if (failure != null || closed)
        {
            throw new IllegalStateException(closed ? "the command log is closed" : "the command log failed: " + failure);
        }
        long result;
        idle.reset();
        long stalledSinceNs = 0;
        while ((result = publication.offer(buffer, offset, length)) < 0)
        {
            stalledSinceNs = onRefused(result, stalledSinceNs);
        }
        appendedPosition = result;
        appendedLogSeq = LogEntry.logSeq(buffer, offset);
        epoch = Math.max(epoch, LogEntry.epoch(buffer, offset));
    }

    @Override
    public boolean hasPendingEntries()
    {
        return failure == null && !closed && durablePosition < appendedPosition;
    }

    @Override
    public boolean awaitDurable()
    {
        if (failure != null || closed)
        {
            return false;
        }
        final long target = appendedPosition;
        long recorded = counters.getCounterValue(counterId);
        if (recorded < target)
        {
            idle.reset();
            long lastProgress = recorded;
            long progressNs = System.nanoTime();
            int spins = 0;
            while ((recorded = counters.getCounterValue(counterId)) < target)
            {
                if ((++spins & CHECK_EVERY_MASK) == 0 && !checkProgress(recorded, lastProgress, progressNs))
                {
                    return false;
                }
                if (recorded != lastProgress)
                {
                    lastProgress = recorded;
                    progressNs = System.nanoTime();
                }
                if (archive.invoke() == 0)
                {
                    idle.idle();
                }
            }
        }
        durablePosition = target;
        durableLogSeq = appendedLogSeq;
        return true;
    }

    /** @return the archive's id of the log's recording. */
    public long recordingId()
    {
        return recordingId;
    }

    /** @return the log position (bytes, Aeron position) after the last entry appended. */
    public long appendedPosition()
    {
        return appendedPosition;
    }

    /** @return the log position known durable. */
    public long durablePosition()
    {
        return durablePosition;
    }

    /** @return the log sequence of the last entry appended; the log holds entries 1 to it. */
    public long appendedLogSeq()
    {
        return appendedLogSeq;
    }

    /** @return the log sequence of the last entry known durable. */
    public long durableLogSeq()
    {
        return durableLogSeq;
    }

    /** @return entries appended since this node started. */
    public long appendedSinceStart()
    {
        return appendedLogSeq - startLogSeq;
    }

    /** @return the longest entry, header included, the log takes: Aeron's limit of one eighth of a term. */
    public int maxEntryLength()
    {
        return publication.maxMessageLength();
    }

    /** @return the epoch new entries carry. */
    public long epoch()
    {
        return epoch;
    }

    /**
     * @param epoch the epoch new entries carry, when replication starts a new primary term.
     */
    public void epoch(final long epoch)
    {
        this.epoch = epoch;
    }

    /** @return true once closed: it takes nothing more. */
    public boolean isClosed()
    {
        return closed;
    }

    /** @return why the log failed, or null while it works. */
    public String failure()
    {
        return failure;
    }

    /** @return the configuration. */
    public CommandLogContext context()
    {
        return context;
    }

    /**
     * Waits for what was appended to be recorded, then stops appending; the recording stops cleanly. Afterwards the
     * log takes nothing and reports nothing pending, so that a task running after the archive stopped touches none
     * of its memory.
     */
    @Override
    public void close()
    {
        if (hasPendingEntries())
        {
            awaitDurable();
        }
        closed = true;
        CloseHelper.quietClose(publication);
    }

    /** @return the archive recording the log. */
    EmbeddedArchive archive()
    {
        return archive;
    }

    private long appendClaimed(final ByteBuf frame, final int offset, final int length, final int entryLength)
    {
        long result;
        idle.reset();
        long stalledSinceNs = 0;
        while ((result = publication.tryClaim(entryLength, claim)) < 0)
        {
            stalledSinceNs = onRefused(result, stalledSinceNs);
        }
        final MutableDirectBuffer buffer = claim.buffer();
        final int entryOffset = claim.offset();
        buffer.putBytes(entryOffset, header, 0, LogEntry.HEADER_LENGTH);
        copyFrame(frame, offset, length, buffer, entryOffset + LogEntry.HEADER_LENGTH);
        claim.commit();
        return result;
    }

    private long appendFragmented(final ByteBuf frame, final int offset, final int length, final int entryLength)
    {
        if (entryLength > publication.maxMessageLength())
        {
            throw new IllegalArgumentException("a command of " + length + " bytes is too long for the command log");
        }
        largeEntry.putBytes(0, header, 0, LogEntry.HEADER_LENGTH);
        copyFrame(frame, offset, length, largeEntry, LogEntry.HEADER_LENGTH);
        long result;
        idle.reset();
        long stalledSinceNs = 0;
        while ((result = publication.offer(largeEntry, 0, entryLength)) < 0)
        {
            stalledSinceNs = onRefused(result, stalledSinceNs);
        }
        return result;
    }

    /** @return when the refusals began; throws once the log has failed. */
    private long onRefused(final long result, final long stalledSinceNs)
    {
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
        {
            fail(result == Publication.CLOSED ? "the log publication is closed" : "the log reached its maximum length");
        }
        final long nowNs = System.nanoTime();
        final long since = stalledSinceNs == 0 ? nowNs : stalledSinceNs;
        if (!RecordingPos.isActive(counters, counterId, recordingId))
        {
            fail("the archive stopped recording the log (see the archive error above)");
        }
        else if (nowNs - since > stallTimeoutNs)
        {
            fail("the log accepted nothing for " + context.stallTimeoutMs() + " ms (" +
                (result == Publication.NOT_CONNECTED ? "not connected" : "back-pressured") + ")");
        }
        if (failure != null)
        {
            throw new IllegalStateException("the command log failed: " + failure);
        }
        if (archive.invoke() == 0)
        {
            idle.idle();
        }
        return since;
    }

    private boolean checkProgress(final long recorded, final long lastProgress, final long progressNs)
    {
        if (!RecordingPos.isActive(counters, counterId, recordingId))
        {
            fail("the archive stopped recording the log at position " + recorded);
        }
        else if (recorded == lastProgress && System.nanoTime() - progressNs > stallTimeoutNs)
        {
            fail("the archive recorded nothing for " + context.stallTimeoutMs() + " ms, stuck at position " +
                recorded + " of " + appendedPosition);
        }
        return failure == null;
    }

    private void fail(final String reason)
    {
        if (failure == null)
        {
            failure = reason;
            LOG.error("command log failed: {}; writes are refused (-MISCONF) until the node is restarted", reason);
        }
    }

    private void updateChecksum(final ByteBuf frame, final int offset, final int length)
    {
        if (frame.hasArray())
        {
            crc.update(frame.array(), frame.arrayOffset() + offset, length);
        }
        else if (frame.nioBufferCount() == 1)
        {
            crc.update(frame.internalNioBuffer(offset, length));
        }
        else
        {
            crc.update(frame.nioBuffer(offset, length));
        }
    }

    private void copyFrame(
        final ByteBuf frame, final int offset, final int length, final MutableDirectBuffer buffer, final int index)
    {
        if (frame.hasMemoryAddress())
        {
            frameView.wrap(frame.memoryAddress() + offset, length);
            buffer.putBytes(index, frameView, 0, length);
        }
        else if (frame.hasArray())
        {
            buffer.putBytes(index, frame.array(), frame.arrayOffset() + offset, length);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                buffer.putByte(index + i, frame.getByte(offset + i));
            }
        }
    }
}
