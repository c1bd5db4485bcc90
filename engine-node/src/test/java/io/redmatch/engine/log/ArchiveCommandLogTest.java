package io.redmatch.engine.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log on its own, without a node: entries appended come back from the archive byte for byte with their stamps,
 * across a restart that extends the recording; long commands are fragmented and reassembled; appending allocates
 * nothing in steady state (STYLE 5).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ArchiveCommandLogTest
{
    private static final byte[] ORDER = ("*9\r\n$11\r\nORDER.PLACE\r\n$8\r\nBTC-USDT\r\n$3\r\nBUY\r\n$7\r\nACCOUNT\r\n" +
        "$5\r\nalice\r\n$3\r\nQTY\r\n$5\r\n0.001\r\n$5\r\nPRICE\r\n$5\r\n30000\r\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dataDir;

    private record Entry(byte[] frame, long logSeq, long engineTime)
    {
    }

    @Test
    void entriesComeBackWithTheirStampsAcrossRestarts()
    {
        final CommandLogContext context = new CommandLogContext().dataDir(dataDir).conclude();
        final List<Entry> written = new ArrayList<>();
        final byte[] large = largeCommand(300_000);
        try (EmbeddedArchive archive = EmbeddedArchive.launch(context))
        {
            final ArchiveCommandLog log = ArchiveCommandLog.open(archive, context, null, 0, 0);
            for (int i = 1; i <= 500; i++)
            {
                final byte[] frame = i == 250 ? large : ORDER;
                append(log, frame, i, 1_000_000L + i);
                written.add(new Entry(frame, i, 1_000_000L + i));
            }
            assertTrue(log.awaitDurable());
            assertFalse(log.hasPendingEntries());
            log.close();
        }
        try (EmbeddedArchive archive = EmbeddedArchive.launch(context))
        {
            final RecordingDescriptor recording = RecordingDescriptor.list(archive.archive(), CommandLogContext.STREAM_ID);
            assertSameEntries(written, replay(archive, recording));
            final ArchiveCommandLog log = ArchiveCommandLog.open(archive, context, recording, 500, 0);
            append(log, ORDER, 501, 2_000_000L);
            written.add(new Entry(ORDER, 501, 2_000_000L));
            assertTrue(log.awaitDurable());
            log.close();
        }
        try (EmbeddedArchive archive = EmbeddedArchive.launch(context))
        {
            final RecordingDescriptor recording = RecordingDescriptor.list(archive.archive(), CommandLogContext.STREAM_ID);
            assertEquals(0, recording.recordingId(), "one recording, extended");
            assertSameEntries(written, replay(archive, recording));
        }
    }

    private static void assertSameEntries(final List<Entry> written, final List<Entry> read)
    {
        assertEquals(written.size(), read.size());
        for (int i = 0; i < written.size(); i++)
        {
            assertEquals(written.get(i).logSeq(), read.get(i).logSeq());
            assertEquals(written.get(i).engineTime(), read.get(i).engineTime());
            assertArrayEquals(written.get(i).frame(), read.get(i).frame());
        }
    }

    @Test
    void appendingAllocatesNothing()
    {
        final CommandLogContext context = new CommandLogContext().dataDir(dataDir).conclude();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(ORDER.length);
        frame.writeBytes(ORDER);
        try (EmbeddedArchive archive = EmbeddedArchive.launch(context))
        {
            final ArchiveCommandLog log = ArchiveCommandLog.open(archive, context, null, 0, 0);
            long logSeq = 0;
            long fewest = Long.MAX_VALUE;
            for (int round = 0; round < 8; round++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 20_000; i++)
                {
                    logSeq++;
                    log.append(logSeq, logSeq, frame, 0, frame.readableBytes());
                    if ((i & 63) == 63)
                    {
                        assertTrue(log.awaitDurable());
                    }
                }
                fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
            }
            assertTrue(fewest < 64 * 1024, "allocated " + fewest + " bytes for 20k appends");
            log.close();
        }
        finally
        {
            frame.release();
        }
    }

    @Test
    void entryValidationNamesWhatIsWrong()
    {
        final UnsafeBuffer entry = new UnsafeBuffer(new byte[64]);
        LogEntry.putHeader(entry, 0, 7, 8, 9, 24);
        LogEntry.putChecksum(entry, 0, 64);
        assertNull(LogEntry.validate(entry, 0, 64, new CRC32C()));
        entry.putByte(50, (byte)1);
        assertEquals("checksum mismatch", LogEntry.validate(entry, 0, 64, new CRC32C()));
        assertTrue(LogEntry.validate(entry, 0, 60, new CRC32C()).startsWith("frame length"));
        assertTrue(LogEntry.validate(entry, 0, 20, new CRC32C()).contains("shorter"));
    }

    private static void append(final ArchiveCommandLog log, final byte[] frame, final long logSeq, final long time)
    {
        final ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(frame.length);
        try
        {
            buffer.writeBytes(frame);
            log.append(logSeq, time, buffer, 0, frame.length);
        }
        finally
        {
            buffer.release();
        }
    }

    private static List<Entry> replay(final EmbeddedArchive archive, final RecordingDescriptor recording)
    {
        final List<Entry> entries = new ArrayList<>();
        try (LogReplayer replayer = new LogReplayer(archive, recording, (frame, offset, length, logSeq, time) ->
        {
            final byte[] bytes = new byte[length];
            frame.getBytes(offset, bytes);
            entries.add(new Entry(bytes, logSeq, time));
            return true;
        }))
        {
            replayer.start();
            while (!replayer.isDone())
            {
                if (archive.invoke() + replayer.poll(100) == 0)
                {
                    Thread.yield();
                }
            }
            assertNull(replayer.error());
        }
        return entries;
    }

    private static byte[] largeCommand(final int argLength)
    {
        final String arg = "x".repeat(argLength);
        return ("*2\r\n$10\r\nTEST.LARGE\r\n$" + argLength + "\r\n" + arg + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
