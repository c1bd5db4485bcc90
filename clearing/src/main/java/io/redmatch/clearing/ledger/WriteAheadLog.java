package io.redmatch.clearing.ledger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The ledger's write-ahead log: a file of {@link LedgerRecord}s, each framed as {@code length, CRC32C, body}, after an
 * 8-byte header. A record is written and synced ({@code fdatasync}) before the map is touched; at start every whole
 * record is replayed in order. A record torn by a crash (short, or its CRC wrong) is the last one written, whose map
 * updates never started: it is cut. The log is compacted by {@link #rewrite}: a new file holding one snapshot record
 * replaces it atomically, so the log always begins with the whole state.
 * <p>
 * Written by hand on a {@link FileChannel} rather than with a log library: what is needed is one small record per
 * batch, synced before the maps are touched, and a torn tail told apart from damage; Chronicle Queue (the nearest
 * library at hand) appends through memory-mapped files without a sync per append, and Aeron Archive (the engine's
 * log) would bring a media driver into a service that writes a few records a second.
 */
final class WriteAheadLog implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);
    private static final byte[] HEADER = { 'R', 'M', 'C', 'L', 'W', 'A', 'L', '1' };
    private static final int FRAME_HEADER = 8;
    private static final int MAX_RECORD = 1 << 30;

    private final Path path;
    private FileChannel channel;
    private long size;

    private WriteAheadLog(final Path path, final FileChannel channel, final long size)
    {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** What a replay found. */
    record Replay(List<LedgerRecord> records, String tornTail)
    {
    }

    /**
     * Creates an empty log holding one record.
     *
     * @param path    the file, which must not exist.
     * @param initial the first record (the empty state's snapshot).
     * @return the open log.
     */
    static WriteAheadLog create(final Path path, final LedgerRecord initial) throws IOException
    {
        writeFile(path, initial);
        return open(path);
    }

    /**
     * Reads every whole record of a log and cuts a torn tail.
     *
     * @param path the log.
     * @return the records, in order, and why a tail was cut (null if none was).
     */
    static Replay replay(final Path path) throws IOException
    {
        final List<LedgerRecord> records = new ArrayList<>();
        String torn = null;
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long length = file.size();
            final ByteBuffer header = ByteBuffer.allocate(HEADER.length);
            readFully(file, header, 0);
            if (header.hasRemaining() || !Arrays.equals(header.array(), HEADER))
            {
                throw new IOException(path + " is not a redmatch clearing write-ahead log");
            }
            long position = HEADER.length;
            final ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER);
            while (position < length)
            {
                frame.clear();
                readFully(file, frame, position);
                if (frame.hasRemaining())
                {
                    torn = "a partial record header at " + position;
                    break;
                }
                final int bodyLength = frame.getInt(0);
                final int crc = frame.getInt(4);
                if (bodyLength <= 0 || bodyLength > MAX_RECORD || position + FRAME_HEADER + bodyLength > length)
                {
                    torn = "a record at " + position + " of length " + bodyLength + " beyond the end (" + length + ")";
                    break;
                }
                final ByteBuffer body = ByteBuffer.allocate(bodyLength);
                readFully(file, body, position + FRAME_HEADER);
                if (crc(body.array()) != crc)
                {
                    if (position + FRAME_HEADER + bodyLength < length)
                    {
                        // whole records follow a bad one: that is damage, not a crash in the middle of a write
                        throw new IOException(path + ": the record at " + position +
                            " is damaged (CRC) and more records follow; refusing to guess");
                    }
                    torn = "the last record, at " + position + ", whose CRC does not match";
                    break;
                }
                records.add(LedgerRecord.decode(body.array()));
                position += FRAME_HEADER + bodyLength;
            }
            if (torn != null)
            {
                LOG.warn("write-ahead log {}: cut {} bytes at its tail: {} (a batch whose map updates never began)",
                    path, length - position, torn);
                file.truncate(position);
                file.force(true);
            }
        }
        return new Replay(records, torn);
    }

    /**
     * Opens a log for appending, after {@link #replay}.
     *
     * @param path the log.
     * @return the open log.
     */
    static WriteAheadLog open(final Path path) throws IOException
    {
        final FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE);
        return new WriteAheadLog(path, channel, channel.size());
    }

    /**
     * Appends a record and syncs it to the disk.
     *
     * @param record the record.
     * @param steps  told after the write and after the sync.
     */
    void append(final LedgerRecord record, final LedgerSteps steps) throws IOException
    {
        final ByteBuffer frame = frame(record);
        final long start = size;
        while (frame.hasRemaining())
        {
            channel.write(frame, start + frame.position());
        }
        size = start + frame.limit();
        steps.reached(LedgerSteps.Step.WAL_WRITTEN);
        channel.force(false);
        steps.reached(LedgerSteps.Step.WAL_SYNCED);
    }

    /** @return bytes in the log. */
    long size()
    {
        return size;
    }

    /**
     * Replaces the log with one holding only {@code snapshot}: written to a new file, synced, moved over the log
     * atomically, and the directory synced. A crash at any point leaves either the old log or the new one.
     *
     * @param snapshot the whole state.
     */
    void rewrite(final LedgerRecord snapshot) throws IOException
    {
        final Path next = path.resolveSibling(path.getFileName() + ".next");
        Files.deleteIfExists(next);
        writeFile(next, snapshot);
        channel.close();
        Files.move(next, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(path.getParent());
        channel = FileChannel.open(path, StandardOpenOption.WRITE);
        size = channel.size();
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }

    private static void writeFile(final Path path, final LedgerRecord record) throws IOException
    {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            final ByteBuffer header = ByteBuffer.wrap(HEADER);
            while (header.hasRemaining())
            {
                file.write(header);
            }
            final ByteBuffer frame = frame(record);
            while (frame.hasRemaining())
            {
                file.write(frame);
            }
            file.force(true);
        }
        syncDirectory(path.getParent());
    }

    private static ByteBuffer frame(final LedgerRecord record)
    {
        final byte[] body = record.encode();
        final ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER + body.length);
        frame.putInt(body.length).putInt(crc(body)).put(body).flip();
        return frame;
    }

    private static int crc(final byte[] body)
    {
        final CRC32C crc = new CRC32C();
        crc.update(body);
        return (int)crc.getValue();
    }

    private static void readFully(final FileChannel file, final ByteBuffer buffer, final long position)
        throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (file.read(buffer, position + buffer.position()) < 0)
            {
                return;
            }
        }
    }

    static void syncDirectory(final Path directory) throws IOException
    {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ))
        {
            dir.force(true);
        }
    }
}
