package io.redmatch.engine.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SnapshotWriterTest
{
    @TempDir
    Path dir;

    @Test
    void valuesAcrossChunkBoundariesReadBackAsOneContiguousEncoding() throws Exception
    {
        final long seed = System.nanoTime();
        final SnapshotWriter small = new SnapshotWriter(0, 4096);
        final SnapshotWriter large = new SnapshotWriter(0, 1 << 22);
        final ByteBuffer reference = ByteBuffer.allocate(1 << 25).order(ByteOrder.LITTLE_ENDIAN);
        reference.position(SnapshotFile.HEADER_LENGTH);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int section = 0; section < 40; section++)
        {
            small.beginSection(SnapshotSection.PAIR);
            large.beginSection(SnapshotSection.PAIR);
            final int sectionStart = reference.position();
            reference.putInt(SnapshotSection.PAIR).putInt(0).putLong(0);
            final int countAt = small.reserveInt();
            assertEquals(countAt, large.reserveInt());
            reference.putInt(0);
            final int count = random.nextInt(200);
            for (int i = 0; i < count; i++)
            {
                switch (random.nextInt(5))
                {
                    case 0 ->
                    {
                        final long value = random.nextLong();
                        small.putLong(value);
                        large.putLong(value);
                        reference.putLong(value);
                    }
                    case 1 ->
                    {
                        final int value = random.nextInt();
                        small.putInt(value);
                        large.putInt(value);
                        reference.putInt(value);
                    }
                    case 2 ->
                    {
                        final int value = random.nextInt(256);
                        small.putByte(value);
                        large.putByte(value);
                        reference.put((byte)value);
                    }
                    case 3 ->
                    {
                        final byte[] bytes = new byte[random.nextInt(9000)];
                        random.nextBytes(bytes);
                        small.putBytes(bytes);
                        large.putBytes(bytes);
                        reference.putInt(bytes.length).put(bytes);
                    }
                    default ->
                    {
                        final String text = "account-" + random.nextInt(1_000_000);
                        small.putAscii(text);
                        large.putAscii(text);
                        reference.putInt(text.length()).put(text.getBytes(StandardCharsets.US_ASCII));
                    }
                }
            }
            small.patchInt(countAt, count);
            large.patchInt(countAt, count);
            reference.putInt(countAt, count);
            small.endSection();
            large.endSection();
            reference.putLong(sectionStart + 8, reference.position() - sectionStart - SnapshotFile.SECTION_HEADER_LENGTH);
        }
        assertEquals(reference.position(), small.length(), "seed " + seed);
        final byte[] expected = Arrays.copyOfRange(reference.array(), SnapshotFile.HEADER_LENGTH, reference.position());
        assertArrayEquals(expected, Arrays.copyOfRange(small.toByteArray(small.length()), SnapshotFile.HEADER_LENGTH,
            small.length()), "seed " + seed);

        final SnapshotFile.Header header = new SnapshotFile.Header(SnapshotFile.FORMAT_VERSION, 7, 4096, 99, 2, 1234, 0);
        final Path smallFile = SnapshotFile.write(dir, "small.rms", small, SnapshotFile.seal(small, header));
        final Path largeFile = SnapshotFile.write(dir, "large.rms", large, SnapshotFile.seal(large, header));
        assertArrayEquals(Files.readAllBytes(largeFile), Files.readAllBytes(smallFile), "seed " + seed);
        final SnapshotFile.Loaded loaded = SnapshotFile.read(smallFile);
        assertEquals(41, loaded.sections().size());
        assertEquals(7, loaded.header().logSeq());
    }

    @Test
    void aResetWriterReusesItsChunksAndWritesTheSameFile() throws Exception
    {
        final SnapshotWriter writer = new SnapshotWriter(0, 4096);
        final SnapshotFile.Header header = new SnapshotFile.Header(SnapshotFile.FORMAT_VERSION, 3, 512, 5, 0, 77, 0);
        fill(writer);
        final byte[] first = Files.readAllBytes(
            SnapshotFile.write(dir, "a.rms", writer, SnapshotFile.seal(writer, header)));
        writer.trimTo(first.length);
        writer.reset();
        fill(writer);
        final byte[] second = Files.readAllBytes(
            SnapshotFile.write(dir, "b.rms", writer, SnapshotFile.seal(writer, header)));
        assertArrayEquals(first, second);
        SnapshotFile.read(dir.resolve("b.rms"));
    }

    @Test
    void chunkSizesMustBePowersOfTwoOfAPageOrMore()
    {
        assertThrows(IllegalArgumentException.class, () -> new SnapshotWriter(0, 1000));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotWriter(0, 2048));
    }

    private static void fill(final SnapshotWriter writer)
    {
        writer.beginSection(SnapshotSection.ENGINE);
        for (int i = 0; i < 3000; i++)
        {
            writer.putLong(i * 31L).putInt(-i).putAscii("name" + i);
        }
        writer.endSection();
    }
}
