package io.redmatch.engine.snapshot;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The layout of a snapshot file, little endian:
 * <pre>
 *   header (64 bytes):
 *     0  magic "RMSNAPSH"        8  format version (int)   12 header length (int)
 *     16 log seq (long)          24 log position (long)    32 engine time (long)
 *     40 epoch (long)            48 created, epoch ms      56 section count, END included (int)
 *     60 CRC32C of bytes 0..59 (int)
 *   sections, one after another:
 *     0 type (int)   4 CRC32C of type, length and payload (int)   8 payload length (long)   16 payload
 *   the last section is END, whose payload is the number of sections before it.
 * </pre>
 * A file is accepted only whole: magic, header checksum, format version, every section's checksum, the END section
 * and the exact file length. Files are written to a temporary name, forced to disk, then renamed into place, so a
 * crash leaves either the old set of snapshots or the new one plus an ignorable {@code .tmp} file.
 */
public final class SnapshotFile
{
    /** First bytes of every snapshot file. */
    public static final byte[] MAGIC = "RMSNAPSH".getBytes(StandardCharsets.US_ASCII);
    /** Version of the snapshot format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Length of the file header. */
    public static final int HEADER_LENGTH = 64;
    /** Length of a section's header. */
    public static final int SECTION_HEADER_LENGTH = 16;
    /** Suffix of a file still being written; such a file is never read. */
    public static final String TEMP_SUFFIX = ".tmp";

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int VERSION_OFFSET = 8;
    private static final int HEADER_LENGTH_OFFSET = 12;
    private static final int LOG_SEQ_OFFSET = 16;
    private static final int LOG_POSITION_OFFSET = 24;
    private static final int ENGINE_TIME_OFFSET = 32;
    private static final int EPOCH_OFFSET = 40;
    private static final int CREATED_OFFSET = 48;
    private static final int SECTION_COUNT_OFFSET = 56;
    private static final int HEADER_CRC_OFFSET = 60;

    private SnapshotFile()
    {
    }

    /**
     * Where a snapshot stands in the command log.
     *
     * @param formatVersion the file's format version.
     * @param logSeq        log sequence of the last command the state includes.
     * @param logPosition   recording position just after that command: replay resumes there.
     * @param engineTime    engine time of that command.
     * @param epoch         the log's epoch then.
     * @param createdMillis wall-clock time the state was copied, epoch milliseconds (informational).
     * @param sectionCount  sections in the file, END included.
     */
    public record Header(
        int formatVersion, long logSeq, long logPosition, long engineTime, long epoch, long createdMillis,
        int sectionCount)
    {
    }

    /**
     * One section as found in a file.
     *
     * @param type   its type.
     * @param offset where its payload starts in the file.
     * @param length its payload's length.
     */
    public record Section(int type, int offset, int length)
    {
    }

    /**
     * A snapshot read and verified.
     *
     * @param file     where it was read from.
     * @param header   its header.
     * @param sections its sections, END included.
     * @param bytes    the whole file.
     */
    public record Loaded(Path file, Header header, List<Section> sections, byte[] bytes)
    {
        /** @return a reader positioned before the first section. */
        public SnapshotReader reader()
        {
            return new SnapshotReader(bytes, HEADER_LENGTH, bytes.length);
        }

        @Override
        public String toString()
        {
            return "Snapshot{" + file + ", " + header + ", " + bytes.length + " bytes}";
        }
    }

    /**
     * Finishes a snapshot encoded by a writer: appends the END section, fills in the header and every checksum. Off
     * the matching thread: it reads the whole buffer once.
     *
     * @param writer the encoded sections.
     * @param header the header's values; its section count is taken from the writer.
     * @return the file's length: the writer's first {@code length} bytes, to write with
     *     {@link #write(Path, String, SnapshotWriter, int)}.
     */
    public static int seal(final SnapshotWriter writer, final Header header)
    {
        final int sectionsBefore = writer.sectionCount();
        writer.beginSection(SnapshotSection.END);
        writer.putInt(sectionsBefore);
        writer.endSection();
        final int length = writer.length();
        final CRC32C crc = new CRC32C();
        for (int offset = HEADER_LENGTH; offset < length; )
        {
            final int payloadLength = (int)writer.getLongAt(offset + 8);
            crc.reset();
            writer.updateChecksum(crc, offset, 4);
            writer.updateChecksum(crc, offset + 8, 8 + payloadLength);
            writer.putIntAt(offset + 4, (int)crc.getValue());
            offset += SECTION_HEADER_LENGTH + payloadLength;
        }
        writer.putBytesAt(0, MAGIC, 0, MAGIC.length);
        writer.putIntAt(VERSION_OFFSET, FORMAT_VERSION);
        writer.putIntAt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        writer.putLongAt(LOG_SEQ_OFFSET, header.logSeq());
        writer.putLongAt(LOG_POSITION_OFFSET, header.logPosition());
        writer.putLongAt(ENGINE_TIME_OFFSET, header.engineTime());
        writer.putLongAt(EPOCH_OFFSET, header.epoch());
        writer.putLongAt(CREATED_OFFSET, header.createdMillis());
        writer.putIntAt(SECTION_COUNT_OFFSET, writer.sectionCount());
        crc.reset();
        writer.updateChecksum(crc, 0, HEADER_CRC_OFFSET);
        writer.putIntAt(HEADER_CRC_OFFSET, (int)crc.getValue());
        return length;
    }

    /**
     * Writes a snapshot sealed by {@link #seal} durably, as {@link #write(Path, String, byte[], int)} does.
     *
     * @param dir    the snapshots directory; created if missing.
     * @param name   the file's name.
     * @param writer the sealed snapshot.
     * @param length its length.
     * @return the file written.
     * @throws IOException when it cannot be written; the temporary file is removed then.
     */
    public static Path write(final Path dir, final String name, final SnapshotWriter writer, final int length)
        throws IOException
    {
        return write(dir, name, channel -> writer.writeTo(channel, length));
    }

    /**
     * Writes a sealed snapshot durably: to {@code name.tmp}, forced to disk, renamed to {@code name} atomically, and
     * the directory forced so the rename survives a power cut.
     *
     * @param dir    the snapshots directory; created if missing.
     * @param name   the file's name.
     * @param bytes  the sealed snapshot.
     * @param length its length.
     * @return the file written.
     * @throws IOException when it cannot be written; the temporary file is removed then.
     */
    public static Path write(final Path dir, final String name, final byte[] bytes, final int length)
        throws IOException
    {
        return write(dir, name, channel ->
        {
            final ByteBuffer source = ByteBuffer.wrap(bytes, 0, length);
            while (source.hasRemaining())
            {
                channel.write(source);
            }
        });
    }

    /** What fills a new snapshot file. */
    private interface Content
    {
        void writeTo(FileChannel channel) throws IOException;
    }

    private static Path write(final Path dir, final String name, final Content content) throws IOException
    {
        Files.createDirectories(dir);
        final Path temp = dir.resolve(name + TEMP_SUFFIX);
        final Path file = dir.resolve(name);
        try
        {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                content.writeTo(channel);
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            Files.deleteIfExists(temp);
            throw ex;
        }
        forceDirectory(dir);
        return file;
    }

    /**
     * Reads a snapshot file and verifies all of it.
     *
     * @param file the file.
     * @return the snapshot.
     * @throws SnapshotFormatException when it is not a whole snapshot of a known format.
     * @throws IOException             when it cannot be read.
     */
    public static Loaded read(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        final Header header = readHeader(bytes);
        return new Loaded(file, header, readSections(bytes, header), bytes);
    }

    /**
     * Reads and verifies only the header of a snapshot file, e.g. to list snapshots without loading them.
     *
     * @param file the file.
     * @return its header.
     * @throws SnapshotFormatException when the header is not a valid one.
     * @throws IOException             when it cannot be read.
     */
    public static Header readHeader(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
            while (header.hasRemaining() && channel.read(header) >= 0)
            {
                // read until the header is whole or the file ends
            }
            return readHeader(Arrays.copyOf(header.array(), header.position()));
        }
    }

    private static Header readHeader(final byte[] bytes)
    {
        if (bytes.length < HEADER_LENGTH)
        {
            throw new SnapshotFormatException("truncated: " + bytes.length + " bytes, shorter than the header");
        }
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length))
        {
            throw new SnapshotFormatException("bad magic: not a redmatch snapshot");
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, HEADER_CRC_OFFSET);
        if ((int)crc.getValue() != buffer.getInt(HEADER_CRC_OFFSET, ORDER))
        {
            throw new SnapshotFormatException("header checksum mismatch");
        }
        final int version = buffer.getInt(VERSION_OFFSET, ORDER);
        if (version != FORMAT_VERSION)
        {
            throw new SnapshotFormatException("unknown format version " + version + " (this node reads " +
                FORMAT_VERSION + ")");
        }
        if (buffer.getInt(HEADER_LENGTH_OFFSET, ORDER) != HEADER_LENGTH)
        {
            throw new SnapshotFormatException("unexpected header length " + buffer.getInt(HEADER_LENGTH_OFFSET, ORDER));
        }
        return new Header(version, buffer.getLong(LOG_SEQ_OFFSET, ORDER), buffer.getLong(LOG_POSITION_OFFSET, ORDER),
            buffer.getLong(ENGINE_TIME_OFFSET, ORDER), buffer.getLong(EPOCH_OFFSET, ORDER),
            buffer.getLong(CREATED_OFFSET, ORDER), buffer.getInt(SECTION_COUNT_OFFSET, ORDER));
    }

    private static List<Section> readSections(final byte[] bytes, final Header header)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final CRC32C crc = new CRC32C();
        final List<Section> sections = new ArrayList<>();
        int offset = HEADER_LENGTH;
        while (true)
        {
            if (bytes.length - offset < SECTION_HEADER_LENGTH)
            {
                throw new SnapshotFormatException("truncated: section " + (sections.size() + 1) + " of " +
                    header.sectionCount() + " missing at offset " + offset);
            }
            final int type = buffer.getInt(offset, ORDER);
            final long length = buffer.getLong(offset + 8, ORDER);
            final int payload = offset + SECTION_HEADER_LENGTH;
            if (length < 0 || length > bytes.length - payload)
            {
                throw new SnapshotFormatException("truncated: section " + SnapshotSection.name(type) + " at offset " +
                    offset + " claims " + length + " bytes, " + (bytes.length - payload) + " left");
            }
            if (sectionChecksum(crc, bytes, offset, (int)length) != buffer.getInt(offset + 4, ORDER))
            {
                throw new SnapshotFormatException("checksum mismatch in section " + (sections.size() + 1) + " (" +
                    SnapshotSection.name(type) + ") at offset " + offset);
            }
            sections.add(new Section(type, payload, (int)length));
            offset = payload + (int)length;
            if (type == SnapshotSection.END)
            {
                break;
            }
        }
        final Section end = sections.get(sections.size() - 1);
        if (end.length() != 4 || buffer.getInt(end.offset(), ORDER) != sections.size() - 1 ||
            sections.size() != header.sectionCount())
        {
            throw new SnapshotFormatException("section count mismatch: " + sections.size() + " found, header says " +
                header.sectionCount());
        }
        if (offset != bytes.length)
        {
            throw new SnapshotFormatException((bytes.length - offset) + " bytes after the END section");
        }
        return Collections.unmodifiableList(sections);
    }

    /** CRC32C of a section's type, length and payload: everything of it but the checksum itself. */
    private static int sectionChecksum(final CRC32C crc, final byte[] bytes, final int offset, final int payloadLength)
    {
        crc.reset();
        crc.update(bytes, offset, 4);
        crc.update(bytes, offset + 8, 8 + payloadLength);
        return (int)crc.getValue();
    }

    private static void forceDirectory(final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            // some file systems refuse to open a directory; the rename is still atomic there
            if (!Files.isDirectory(dir))
            {
                throw ex;
            }
        }
    }
}
