package io.redmatch.engine.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A node's hold on its data dir: an exclusive lock ({@code node.lock}, released by the operating system even after
 * {@code kill -9}), so two nodes never share one dir, and the layout's format version ({@code format}), written on
 * first use and checked at every start. See {@link CommandLogContext} for the layout.
 */
public final class DataDirectory implements AutoCloseable
{
    /** Version of the data dir layout and of the files in it. */
    public static final int FORMAT_VERSION = 1;

    /** Name of the file holding the format version. */
    public static final String FORMAT_FILE = "format";

    /** Name of the lock file. */
    public static final String LOCK_FILE = "node.lock";

    private static final String FORMAT_PREFIX = "redmatch-data-dir ";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(final Path dir, final FileChannel lockChannel, final FileLock lock)
    {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Locks a data dir and checks its format, creating both files on first use.
     *
     * @param dir the data dir; created if missing.
     * @return the held dir; close it to release the lock.
     * @throws IllegalStateException when another process holds the dir, or its format is unknown.
     * @throws UncheckedIOException when the files cannot be read or written.
     */
    public static DataDirectory open(final Path dir)
    {
        FileChannel channel = null;
        try
        {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            final FileLock lock = channel.tryLock();
            if (lock == null)
            {
                throw new IllegalStateException("data dir " + dir + " is in use by another node");
            }
            final DataDirectory directory = new DataDirectory(dir, channel, lock);
            channel = null;
            try
            {
                directory.checkFormat();
            }
            catch (final RuntimeException ex)
            {
                directory.close();
                throw ex;
            }
            return directory;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot lock data dir " + dir, ex);
        }
        finally
        {
            if (channel != null)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignore)
                {
                    // the lock failed already; that is the error to report
                }
            }
        }
    }

    /** @return the data dir. */
    public Path dir()
    {
        return dir;
    }

    /** Releases the lock. */
    @Override
    public void close()
    {
        try
        {
            lock.release();
            lockChannel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot release the lock of " + dir, ex);
        }
    }

    private void checkFormat() throws IOException
    {
        final Path file = dir.resolve(FORMAT_FILE);
        if (!Files.exists(file))
        {
            final Path temp = dir.resolve(FORMAT_FILE + ".tmp");
            Files.writeString(temp, FORMAT_PREFIX + FORMAT_VERSION + "\n", StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        final String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (!text.startsWith(FORMAT_PREFIX))
        {
            throw new IllegalStateException(file + " does not name a redmatch data dir format: " + text);
        }
        final int version;
        try
        {
            version = Integer.parseInt(text.substring(FORMAT_PREFIX.length()).trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalStateException(file + " holds no format version: " + text, ex);
        }
        if (version != FORMAT_VERSION)
        {
            throw new IllegalStateException("data dir " + dir + " has format " + version + "; this node reads format " +
                FORMAT_VERSION);
        }
    }
}
