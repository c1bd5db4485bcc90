package io.redmatch.replicator;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies a node's latest snapshot file over RESP, in chunks of {@link #CHUNK_BYTES}, with
 * {@code SNAPSHOT.FETCH LATEST 0 <count>} and then {@code SNAPSHOT.FETCH <name> <offset> <count>}, so that every chunk
 * comes from the same file even if the node takes a newer snapshot meanwhile. Each reply is
 * {@code [name, size, log seq, log position, bytes]}. The copy is not verified here: the caller checks the whole file
 * (format version, checksums) before it uses it. Blocking: not for an event loop.
 */
public final class SnapshotFetcher
{
    /** Bytes asked for per {@code SNAPSHOT.FETCH}. */
    public static final int CHUNK_BYTES = 1024 * 1024;

    private static final int TIMEOUT_MS = 30_000;

    private static final int MAX_ATTEMPTS = 3;

    private SnapshotFetcher()
    {
    }

    /** The snapshot being copied was pruned on the node before the copy ended. */
    private static final class PrunedDuringCopy extends IllegalStateException
    {
        private static final long serialVersionUID = 1L;

        PrunedDuringCopy(final String message)
        {
            super(message);
        }
    }

    /**
     * What was copied.
     *
     * @param name        the snapshot's file name on the node.
     * @param sizeBytes   its size.
     * @param logSeq      the log seq it stands at, as the node read it from its header.
     * @param logPosition the log position it stands at.
     * @param file        where the copy is.
     */
    public record Fetched(String name, long sizeBytes, long logSeq, long logPosition, Path file)
    {
    }

    /**
     * Copies the node's latest snapshot into a file.
     *
     * @param host   the node's host.
     * @param port   its RESP port.
     * @param target the file to write (replaced), forced to disk once whole.
     * @return what was copied.
     * @throws UncheckedIOException  when the node cannot be reached or the file cannot be written.
     * @throws IllegalStateException when the node answers an error (e.g. it has no snapshot) or an unexpected reply.
     */
    public static Fetched fetch(final String host, final int port, final Path target)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return fetchOnce(host, port, target);
            }
            catch (final PrunedDuringCopy ex)
            {
                // the node took newer snapshots while this one was copied and pruned it: start over from its latest
                if (attempt == MAX_ATTEMPTS)
                {
                    throw ex;
                }
            }
        }
    }

    private static Fetched fetchOnce(final String host, final int port, final Path target)
    {
        try (Socket socket = new Socket();
            FileChannel file = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
        {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            final OutputStream out = socket.getOutputStream();
            final InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            String name = "LATEST";
            long size = -1;
            long logSeq = -1;
            long logPosition = -1;
            long offset = 0;
            do
            {
                out.write(request(name, offset));
                out.flush();
                final String header = readLine(in);
                if (header.startsWith("-ERR no snapshot") && size >= 0)
                {
                    throw new PrunedDuringCopy(host + ":" + port + " answered " + header.substring(1));
                }
                if (header.startsWith("-"))
                {
                    throw new IllegalStateException(host + ":" + port + " answered " + header.substring(1));
                }
                if (!"*5".equals(header))
                {
                    throw new IllegalStateException("unexpected reply to SNAPSHOT.FETCH: " + header);
                }
                final String replyName = new String(readBulk(in), StandardCharsets.US_ASCII);
                final long replySize = readInteger(in);
                final long replyLogSeq = readInteger(in);
                final long replyLogPosition = readInteger(in);
                final byte[] chunk = readBulk(in);
                if (size >= 0 && (!replyName.equals(name) || replySize != size))
                {
                    throw new IllegalStateException("the snapshot changed during the copy: " + replyName + " of " +
                        replySize + " bytes after " + name + " of " + size);
                }
                name = replyName;
                size = replySize;
                logSeq = replyLogSeq;
                logPosition = replyLogPosition;
                if (chunk.length == 0 && offset < size)
                {
                    throw new IllegalStateException("the node sent no bytes at offset " + offset + " of " + size);
                }
                final ByteBuffer bytes = ByteBuffer.wrap(chunk);
                while (bytes.hasRemaining())
                {
                    offset += file.write(bytes, offset);
                }
            }
            while (offset < size);
            file.force(true);
            return new Fetched(name, size, logSeq, logPosition, target);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot copy the snapshot of " + host + ":" + port, ex);
        }
    }

    private static byte[] request(final String name, final long offset)
    {
        final String[] args = {"SNAPSHOT.FETCH", name, Long.toString(offset), Integer.toString(CHUNK_BYTES)};
        final StringBuilder request = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (final String arg : args)
        {
            request.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
        }
        return request.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static long readInteger(final InputStream in) throws IOException
    {
        final String line = readLine(in);
        if (!line.startsWith(":"))
        {
            throw new IllegalStateException("expected an integer in SNAPSHOT.FETCH's reply, got " + line);
        }
        return Long.parseLong(line.substring(1));
    }

    private static byte[] readBulk(final InputStream in) throws IOException
    {
        final String line = readLine(in);
        if (!line.startsWith("$"))
        {
            throw new IllegalStateException("expected a bulk string in SNAPSHOT.FETCH's reply, got " + line);
        }
        final int length = Integer.parseInt(line.substring(1));
        final byte[] bytes = in.readNBytes(length);
        if (bytes.length != length || in.read() != '\r' || in.read() != '\n')
        {
            throw new IOException("the connection ended inside a reply");
        }
        return bytes;
    }

    private static String readLine(final InputStream in) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n')
        {
            if (c == -1)
            {
                throw new IOException("the connection ended inside a reply");
            }
            if (c != '\r')
            {
                line.append((char)c);
            }
        }
        return line.toString();
    }
}
