package io.redmatch.engine.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snapshot file format byte by byte: what is written reads back, and every kind of damage is refused. */
class SnapshotFileTest
{
    @TempDir
    Path dir;

    @Test
    void whatIsWrittenReadsBack() throws IOException
    {
        final Path file = write(sample());
        final SnapshotFile.Loaded loaded = SnapshotFile.read(file);
        assertEquals(new SnapshotFile.Header(1, 42, 4096, 1_700_000_000_000_000L, 3, 1234, 3), loaded.header());
        assertEquals(List.of(SnapshotSection.ENGINE, SnapshotSection.PAIR, SnapshotSection.END),
            loaded.sections().stream().map(SnapshotFile.Section::type).toList());
        assertEquals(loaded.header(), SnapshotFile.readHeader(file));
        final SnapshotReader in = loaded.reader();
        assertEquals(SnapshotSection.ENGINE, in.nextSection());
        assertEquals(Long.MIN_VALUE, in.getLong());
        assertEquals(-7, in.getInt());
        assertTrue(in.getBoolean());
        assertEquals("alice", in.getAscii());
        assertNull(in.getBytes());
        assertEquals(SnapshotSection.PAIR, in.nextSection());
        assertEquals(2, in.getCount(1));
        assertArrayEquals(new byte[]{1, 2, 3}, in.getBytes());
        assertArrayEquals(new byte[0], in.getBytes());
        assertThrows(SnapshotFormatException.class, in::getByte, "reading past a section is refused");
        assertEquals(SnapshotSection.END, in.nextSection());
        assertEquals(2, in.getInt());
        assertFalse(Files.exists(dir.resolve("s.rms" + SnapshotFile.TEMP_SUFFIX)), "no temporary file left");
    }

    @Test
    void unreadBytesOfASectionAreAnError() throws IOException
    {
        final SnapshotReader in = SnapshotFile.read(write(sample())).reader();
        in.nextSection();
        in.getLong();
        assertThrows(SnapshotFormatException.class, in::nextSection);
    }

    @Test
    void everyByteFlippedIsDetected() throws IOException
    {
        final byte[] good = Files.readAllBytes(write(sample()));
        for (int i = 0; i < good.length; i++)
        {
            final byte[] bad = good.clone();
            bad[i] ^= 0x01;
            final Path file = dir.resolve("flipped.rms");
            Files.write(file, bad);
            final int at = i;
            assertThrows(SnapshotFormatException.class, () -> SnapshotFile.read(file), "byte " + at);
        }
    }

    @Test
    void everyTruncationIsDetected() throws IOException
    {
        final byte[] good = Files.readAllBytes(write(sample()));
        for (int length = 0; length < good.length; length++)
        {
            final Path file = dir.resolve("cut.rms");
            Files.write(file, Arrays.copyOf(good, length));
            final SnapshotFormatException ex = assertThrows(SnapshotFormatException.class,
                () -> SnapshotFile.read(file), "length " + length);
            assertTrue(ex.getMessage().contains("truncated") || ex.getMessage().contains("checksum"),
                length + ": " + ex.getMessage());
        }
        final Path longer = dir.resolve("long.rms");
        Files.write(longer, Arrays.copyOf(good, good.length + 1));
        assertTrue(assertThrows(SnapshotFormatException.class, () -> SnapshotFile.read(longer)).getMessage()
            .contains("after the END section"));
    }

    @Test
    void anUnknownFormatVersionIsNamed() throws IOException
    {
        final byte[] bytes = Files.readAllBytes(write(sample()));
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(8, 2);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 60);
        buffer.putInt(60, (int)crc.getValue());
        final Path file = dir.resolve("v2.rms");
        Files.write(file, bytes);
        assertEquals("unknown format version 2 (this node reads 1)",
            assertThrows(SnapshotFormatException.class, () -> SnapshotFile.read(file)).getMessage());
    }

    @Test
    void storeListsNewestFirstAndPrunes() throws IOException
    {
        final SnapshotStore store = new SnapshotStore(dir);
        for (final long seq : new long[]{5, 100, 20})
        {
            final SnapshotWriter writer = new SnapshotWriter(0);
            SnapshotFile.write(store.dir(), SnapshotStore.fileName(seq), writer,
                SnapshotFile.seal(writer, new SnapshotFile.Header(1, seq, seq, 0, 0, 0, 0)));
        }
        Files.writeString(store.dir().resolve(SnapshotStore.fileName(500) + SnapshotFile.TEMP_SUFFIX), "partial");
        assertEquals(List.of(SnapshotStore.fileName(100), SnapshotStore.fileName(20), SnapshotStore.fileName(5)),
            store.list().stream().map(file -> file.getFileName().toString()).toList());
        assertEquals(1, store.deleteTemporaryFiles());
        assertEquals(2, store.prune(2).size());
        assertEquals(List.of(SnapshotStore.fileName(100), SnapshotStore.fileName(20)),
            store.list().stream().map(file -> file.getFileName().toString()).toList());
    }

    private static SnapshotWriter sample()
    {
        final SnapshotWriter writer = new SnapshotWriter(0);
        writer.beginSection(SnapshotSection.ENGINE);
        writer.putLong(Long.MIN_VALUE).putInt(-7).putBoolean(true).putAscii("alice").putBytes(null);
        writer.endSection();
        writer.beginSection(SnapshotSection.PAIR);
        final int count = writer.reserveInt();
        writer.putBytes(new byte[]{1, 2, 3}).putBytes(new byte[0]);
        writer.patchInt(count, 2);
        writer.endSection();
        return writer;
    }

    private Path write(final SnapshotWriter writer) throws IOException
    {
        final int length = SnapshotFile.seal(writer, new SnapshotFile.Header(9, 42, 4096, 1_700_000_000_000_000L, 3,
            1234, 0));
        return SnapshotFile.write(dir, "s.rms", writer, length);
    }
}
