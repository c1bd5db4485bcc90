package io.redmatch.perf.flow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The binary file of an {@link OrderFlow}, so both benchmark JVMs replay the very same bytes.
 * <p>
 * Little-endian. Header ({@value #HEADER_LENGTH} bytes): magic {@code RMFLOW}, format version (short), seed (long),
 * operation count, account count, target open orders (ints), expected fills, volume and fill hash (longs),
 * expected open orders (int). Then one {@value #RECORD_LENGTH}-byte record per operation: op, side (bytes), account
 * id (int), order id, price, qty (longs).
 */
public final class FlowFile
{
    /** Format version written in the header; a reader refuses any other. */
    public static final short VERSION = 1;
    public static final int HEADER_LENGTH = 56;
    public static final int RECORD_LENGTH = 30;

    private static final byte[] MAGIC = { 'R', 'M', 'F', 'L', 'O', 'W' };
    private static final int CHUNK_RECORDS = 32 * 1024;

    private FlowFile()
    {
    }

    /** Writes a flow, atomically: to a temporary file next to {@code path}, then renamed. */
    public static void write(final OrderFlow flow, final Path path) throws IOException
    {
        final Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        final Path temp = Files.createTempFile(parent, path.getFileName().toString(), ".tmp");
        try (FileChannel channel =
            FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            header.put(MAGIC).putShort(VERSION).putLong(flow.seed()).putInt(flow.size()).putInt(flow.accountCount())
                .putInt(flow.targetOpenOrders()).putLong(flow.expectedFills()).putLong(flow.expectedVolume())
                .putLong(flow.expectedFillHash()).putInt(flow.expectedOpenOrders()).flip();
            writeFully(channel, header);

            final ByteBuffer chunk = ByteBuffer.allocate(CHUNK_RECORDS * RECORD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < flow.size(); i++)
            {
                chunk.put(flow.op(i)).put(flow.side(i)).putInt(flow.accountId(i)).putLong(flow.orderId(i))
                    .putLong(flow.price(i)).putLong(flow.qty(i));
                if (!chunk.hasRemaining())
                {
                    writeFully(channel, chunk.flip());
                    chunk.clear();
                }
            }
            writeFully(channel, chunk.flip());
        }
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a flow written by {@link #write}. */
    public static OrderFlow read(final Path path) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, header, path);
            header.flip();
            for (final byte b : MAGIC)
            {
                if (header.get() != b)
                {
                    throw new IOException(path + " is not an order flow file");
                }
            }
            final short version = header.getShort();
            if (version != VERSION)
            {
                throw new IOException(path + " has format version " + version + ", expected " + VERSION);
            }
            final long seed = header.getLong();
            final int size = header.getInt();
            final int accountCount = header.getInt();
            final int targetOpenOrders = header.getInt();
            final long expectedFills = header.getLong();
            final long expectedVolume = header.getLong();
            final long expectedFillHash = header.getLong();
            final int expectedOpenOrders = header.getInt();
            if (channel.size() != HEADER_LENGTH + (long)size * RECORD_LENGTH)
            {
                throw new IOException(path + " is truncated or too long for " + size + " operations");
            }

            final OrderFlow flow = new OrderFlow(seed, accountCount, targetOpenOrders, size);
            final ByteBuffer chunk = ByteBuffer.allocate(CHUNK_RECORDS * RECORD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            int remaining = size;
            while (remaining > 0)
            {
                final int records = Math.min(remaining, CHUNK_RECORDS);
                chunk.clear().limit(records * RECORD_LENGTH);
                readFully(channel, chunk, path);
                chunk.flip();
                for (int r = 0; r < records; r++)
                {
                    flow.append(
                        chunk.get(), chunk.get(), chunk.getInt(), chunk.getLong(), chunk.getLong(), chunk.getLong());
                }
                remaining -= records;
            }
            flow.expect(expectedFills, expectedVolume, expectedFillHash, expectedOpenOrders);
            return flow;
        }
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }

    private static void readFully(final FileChannel channel, final ByteBuffer buffer, final Path path)
        throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
            {
                throw new IOException(path + " ended early");
            }
        }
    }
}
