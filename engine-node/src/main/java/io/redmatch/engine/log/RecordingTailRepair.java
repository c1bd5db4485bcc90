package io.redmatch.engine.log;

import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.BitUtil;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Cuts a torn or corrupt tail off the log's recording before the archive starts on it.
 * <p>
 * A crash in the middle of a write (of the node, or of the machine, whose page cache then loses what it held) can
 * leave the last segment file with a partial frame, a frame whose bytes are partly zero, or garbage. Left alone, the
 * archive would count such a frame in the recording (it trusts a frame's length field) or refuse to start (a last
 * frame straddling a page whose next page is empty). So before the archive starts, this scans the frames of the last
 * segment file: each frame's header must be consistent with where it lies (length, type, term offset, term id,
 * stream id) and each whole entry must pass {@link LogEntry#validate}. The file is cut at the start of the first entry
 * that fails, the rest zeroed (truncated and re-extended, as the archive does), so the archive computes the recording's
 * stop at the last whole entry. A cut is logged.
 * <p>
 * Damage that is not a tail is not cut: when whole entries follow the first bad one, the log is corrupt in its middle
 * and the node refuses to start rather than silently drop acknowledged commands after it. Earlier segment files are
 * checked entry by entry when the log is replayed.
 */
public final class RecordingTailRepair
{
    /**
     * What the repair found.
     *
     * @param recordingId   the log's recording.
     * @param validPosition where its last whole entry ends: where the recording stops now.
     * @param cut           true when something after it was cut.
     * @param reason        why, or null.
     */
    public record Result(long recordingId, long validPosition, boolean cut, String reason)
    {
    }

    private static final Logger LOG = LoggerFactory.getLogger(RecordingTailRepair.class);
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int FRAME_HEADER = DataHeaderFlyweight.HEADER_LENGTH;

    private final RecordingDescriptor recording;
    private final Path segmentFile;
    private final long segmentBase;
    private final int startOffset;
    private final int positionBitsToShift;
    private final ExpandableArrayBuffer message = new ExpandableArrayBuffer(1024);
    private final CRC32C crc = new CRC32C();
    private UnsafeBuffer frames;
    private int messageLength;
    private int messageStart = -1;
    private boolean continuation;
    private String firstError;

    private RecordingTailRepair(final RecordingDescriptor recording, final Path segmentFile, final long segmentBase)
    {
        this.recording = recording;
        this.segmentFile = segmentFile;
        this.segmentBase = segmentBase;
        this.startOffset = (int)Math.max(0, recording.startPosition() - segmentBase);
        this.positionBitsToShift = Integer.numberOfTrailingZeros(recording.termLength());
    }

    /**
     * Repairs the tail of the log's recording in an archive that is not running.
     *
     * @param archiveDir the archive's directory.
     * @param streamId   the log's stream id.
     * @return what was found; null when there is no recording yet.
     * @throws IllegalStateException when the log is corrupt before its tail.
     * @throws UncheckedIOException  when the segment file cannot be read or cut.
     */
    public static Result repair(final Path archiveDir, final int streamId)
    {
        final RecordingDescriptor recording = RecordingDescriptor.readCatalog(archiveDir, streamId);
        if (recording == null)
        {
            return null;
        }
        final String prefix = recording.recordingId() + "-";
        long lastBase = -1;
        try (var files = Files.list(archiveDir))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final String name = file.getFileName().toString();
                if (name.startsWith(prefix) && name.endsWith(".rec"))
                {
                    lastBase = Math.max(lastBase, Long.parseLong(name.substring(prefix.length(), name.length() - 4)));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + archiveDir, ex);
        }
        if (lastBase < 0)
        {
            return new Result(recording.recordingId(), recording.startPosition(), false, null);
        }
        final Path segment = archiveDir.resolve(prefix + lastBase + ".rec");
        return new RecordingTailRepair(recording, segment, lastBase).run();
    }

    private Result run()
    {
        try (FileChannel channel = FileChannel.open(segmentFile, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            long limit = Math.min(channel.size(), recording.segmentLength());
            if (recording.isStopped())
            {
                limit = Math.max(0, Math.min(limit, recording.stopPosition() - segmentBase));
            }
            final int validOffset;
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, limit);
            try
            {
                frames = new UnsafeBuffer(mapped);
                validOffset = scan((int)limit);
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
            final long validPosition = segmentBase + validOffset;
            if (firstError == null)
            {
                if (!recording.isStopped())
                {
                    cut(channel, validOffset);
                }
                return new Result(recording.recordingId(), validPosition, false, null);
            }
            cut(channel, validOffset);
            LOG.warn("command log: cut the tail of recording {} at position {} ({} of {}): {}",
                recording.recordingId(), validPosition, validOffset, segmentFile.getFileName(), firstError);
            return new Result(recording.recordingId(), validPosition, true, firstError);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot repair " + segmentFile, ex);
        }
    }

    /** @return the offset just after the last whole entry. */
    private int scan(final int limit)
    {
        continuation = startOffset == 0 && segmentBase > recording.startPosition();
        int offset = startOffset;
        int validOffset = startOffset;
        boolean zeroFrame = false;
        while (offset + FRAME_HEADER <= limit)
        {
            final int frameLength = frames.getInt(offset, ORDER);
            if (frameLength == 0)
            {
                zeroFrame = true;
                break;
            }
            final String frameError = frameError(offset, frameLength, limit);
            if (frameError != null)
            {
                noteError("frame at position " + (segmentBase + offset) + ": " + frameError);
                break;
            }
            final int next = offset + BitUtil.align(frameLength, FrameDescriptor.FRAME_ALIGNMENT);
            final short type = frames.getShort(offset + DataHeaderFlyweight.TYPE_FIELD_OFFSET, ORDER);
            if (type == DataHeaderFlyweight.HDR_TYPE_PAD)
            {
                if (firstError == null && messageStart < 0 && !continuation)
                {
                    validOffset = next;
                }
            }
            else if (onDataFrame(offset, frameLength))
            {
                if (firstError != null)
                {
                    throw new IllegalStateException("command log corrupt in recording " + recording.recordingId() +
                        " before its tail (" + firstError + "), with whole entries after it; not starting. " +
                        "Restore the data dir from a copy, or move its log away to start empty");
                }
                validOffset = next;
            }
            offset = next;
        }
        if (firstError == null)
        {
            if (offset != validOffset)
            {
                noteError("entry at position " + (segmentBase + validOffset) + " is incomplete");
            }
            else if (!zeroFrame && offset < limit)
            {
                noteError("partial frame header at position " + (segmentBase + offset));
            }
            else if (recording.isStopped() && segmentBase + validOffset < recording.stopPosition())
            {
                noteError("the recording stops at position " + recording.stopPosition() + " but its data ends at " +
                    (segmentBase + validOffset));
            }
        }
        return validOffset;
    }

    /** @return true when the frame ends a whole, valid entry (or the unchecked end of one begun before the file). */
    private boolean onDataFrame(final int offset, final int frameLength)
    {
        final byte flags = frames.getByte(offset + DataHeaderFlyweight.FLAGS_FIELD_OFFSET);
        final boolean begin = (flags & FrameDescriptor.BEGIN_FRAG_FLAG) != 0;
        final boolean end = (flags & FrameDescriptor.END_FRAG_FLAG) != 0;
        if (begin)
        {
            if (messageStart >= 0)
            {
                noteError("entry at position " + (segmentBase + messageStart) + " has no end fragment");
            }
            continuation = false;
            messageStart = offset;
            messageLength = 0;
        }
        else if (messageStart < 0)
        {
            if (!continuation)
            {
                noteError("fragment at position " + (segmentBase + offset) + " belongs to no entry");
                return false;
            }
            if (end)
            {
                continuation = false;
                return firstError == null;
            }
            return false;
        }
        final int payloadLength = frameLength - FRAME_HEADER;
        message.putBytes(messageLength, frames, offset + FRAME_HEADER, payloadLength);
        messageLength += payloadLength;
        if (!end)
        {
            return false;
        }
        final int start = messageStart;
        messageStart = -1;
        final String error = LogEntry.validate(message, 0, messageLength, crc);
        if (error != null)
        {
            noteError("entry at position " + (segmentBase + start) + ": " + error);
            return false;
        }
        return true;
    }

    private String frameError(final int offset, final int frameLength, final int limit)
    {
        if (frameLength < FRAME_HEADER)
        {
            return "length " + frameLength + " is shorter than a frame header";
        }
        final int alignedLength = BitUtil.align(frameLength, FrameDescriptor.FRAME_ALIGNMENT);
        if (alignedLength > limit - offset)
        {
            return "length " + frameLength + " runs past the end of the data";
        }
        final int type = frames.getShort(offset + DataHeaderFlyweight.TYPE_FIELD_OFFSET, ORDER) & 0xFFFF;
        if (type != DataHeaderFlyweight.HDR_TYPE_DATA && type != DataHeaderFlyweight.HDR_TYPE_PAD)
        {
            return "unknown type " + type;
        }
        final long position = segmentBase + offset;
        final int termOffset = (int)(position & (recording.termLength() - 1));
        if (frames.getInt(offset + DataHeaderFlyweight.TERM_OFFSET_FIELD_OFFSET, ORDER) != termOffset)
        {
            return "term offset does not match its place";
        }
        final int termId = recording.initialTermId() + (int)(position >>> positionBitsToShift);
        if (frames.getInt(offset + DataHeaderFlyweight.TERM_ID_FIELD_OFFSET, ORDER) != termId)
        {
            return "term id does not match its place";
        }
        if (frames.getInt(offset + DataHeaderFlyweight.STREAM_ID_FIELD_OFFSET, ORDER) != recording.streamId())
        {
            return "stream id is not the log's";
        }
        if (termOffset + alignedLength > recording.termLength())
        {
            return "frame crosses the end of its term";
        }
        return null;
    }

    private void noteError(final String error)
    {
        if (firstError == null)
        {
            firstError = error;
        }
    }

    /**
     * Drops everything from {@code offset} on, as the archive's own truncation does: cut, then re-extend sparse. Done
     * after every unclean stop too, so no stale bytes lie beyond the end for a later crash recovery to misread.
     */
    private void cut(final FileChannel channel, final int offset) throws IOException
    {
        channel.truncate(offset);
        channel.write(ByteBuffer.wrap(new byte[1]), recording.segmentLength() - 1);
        channel.force(true);
    }
}
