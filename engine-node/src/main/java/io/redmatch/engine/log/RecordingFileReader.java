package io.redmatch.engine.log;

import io.aeron.archive.client.AeronArchive;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.BitUtil;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads the command log's entries straight from the archive's segment files, without launching an archive: read
 * only, so it is safe next to a running node, and what the {@code log-dump} tool uses. Walks the Aeron frames from a
 * position, joins fragmented entries and checks each with {@link LogEntry#validate}. Recovery itself replays through
 * the archive ({@link LogReplayer}).
 */
public final class RecordingFileReader
{
    /** Receives each entry read. */
    @FunctionalInterface
    public interface EntryHandler
    {
        /**
         * @param endPosition the log position just after the entry.
         * @param entry       the entry, header and RESP frame; valid during the call.
         * @param length      its length.
         * @param invalid     why it is not a valid entry, or null when it is.
         * @return false to stop reading.
         */
        boolean onEntry(long endPosition, UnsafeBuffer entry, int length, String invalid);
    }

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final Path archiveDir;
    private final RecordingDescriptor recording;

    private RecordingFileReader(final Path archiveDir, final RecordingDescriptor recording)
    {
        this.archiveDir = archiveDir;
        this.recording = recording;
    }

    /**
     * @param dataDir a node's data dir.
     * @return a reader of its command log, or null when it has none.
     */
    public static RecordingFileReader open(final Path dataDir)
    {
        final Path archiveDir = new CommandLogContext().dataDir(dataDir).archiveDir();
        final RecordingDescriptor recording = RecordingDescriptor.readCatalog(archiveDir, CommandLogContext.STREAM_ID);
        return recording == null ? null : new RecordingFileReader(archiveDir, recording);
    }

    /** @return the recording read. */
    public RecordingDescriptor recording()
    {
        return recording;
    }

    /**
     * Reads entries from the recording's start to the end of its data.
     *
     * @param handler receives them.
     * @return the position after the last whole entry read.
     */
    public long read(final EntryHandler handler)
    {
        final ExpandableArrayBuffer message = new ExpandableArrayBuffer(4096);
        final UnsafeBuffer entry = new UnsafeBuffer(0, 0);
        final CRC32C crc = new CRC32C();
        final long stop = recording.stopPosition() > 0 ? recording.stopPosition() : Long.MAX_VALUE;
        long position = recording.startPosition();
        long lastWhole = position;
        int messageLength = -1;
        long segmentBase = -1;
        UnsafeBuffer segment = null;
        while (position < stop)
        {
            final long base = AeronArchive.segmentFileBasePosition(
                recording.startPosition(), position, recording.termLength(), recording.segmentLength());
            if (base != segmentBase)
            {
                segmentBase = base;
                segment = load(archiveDir.resolve(recording.recordingId() + "-" + base + ".rec"));
                if (segment == null)
                {
                    break;
                }
            }
            final int offset = (int)(position - segmentBase);
            if (offset + DataHeaderFlyweight.HEADER_LENGTH > segment.capacity())
            {
                break;
            }
            final int frameLength = segment.getInt(offset, ORDER);
            if (frameLength < DataHeaderFlyweight.HEADER_LENGTH || offset + frameLength > segment.capacity())
            {
                break;
            }
            final short type = segment.getShort(offset + DataHeaderFlyweight.TYPE_FIELD_OFFSET, ORDER);
            final int next = BitUtil.align(frameLength, FrameDescriptor.FRAME_ALIGNMENT);
            if (type == DataHeaderFlyweight.HDR_TYPE_DATA)
            {
                final byte flags = segment.getByte(offset + DataHeaderFlyweight.FLAGS_FIELD_OFFSET);
                final int payload = frameLength - DataHeaderFlyweight.HEADER_LENGTH;
                if ((flags & FrameDescriptor.BEGIN_FRAG_FLAG) != 0)
                {
                    messageLength = 0;
                }
                if (messageLength >= 0)
                {
                    message.putBytes(messageLength, segment, offset + DataHeaderFlyweight.HEADER_LENGTH, payload);
                    messageLength += payload;
                }
                if ((flags & FrameDescriptor.END_FRAG_FLAG) != 0 && messageLength >= 0)
                {
                    entry.wrap(message, 0, messageLength);
                    final String invalid = LogEntry.validate(entry, 0, messageLength, crc);
                    lastWhole = position + next;
                    final int length = messageLength;
                    messageLength = -1;
                    if (!handler.onEntry(lastWhole, entry, length, invalid))
                    {
                        break;
                    }
                }
            }
            position += next;
        }
        return lastWhole;
    }

    private static UnsafeBuffer load(final Path file)
    {
        if (!Files.exists(file))
        {
            return null;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            return new UnsafeBuffer(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
    }
}
