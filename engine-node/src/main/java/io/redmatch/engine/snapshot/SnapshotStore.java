package io.redmatch.engine.snapshot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The snapshots of a data dir, in {@code <data-dir>/snapshots/}, named {@code snapshot-<log seq, 20 digits>.rms} so
 * that names sort by log position. Lists them newest first, removes leftovers of interrupted writes, and keeps the
 * newest few.
 */
public final class SnapshotStore
{
    /** Name of the snapshots directory inside a data dir. */
    public static final String DIR_NAME = "snapshots";

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".rms";

    private final Path dir;

    /** @param dataDir the node's data dir. */
    public SnapshotStore(final Path dataDir)
    {
        this.dir = dataDir.resolve(DIR_NAME);
    }

    /** @return the snapshots directory. */
    public Path dir()
    {
        return dir;
    }

    /**
     * @param logSeq the log sequence a snapshot stands at.
     * @return its file name.
     */
    public static String fileName(final long logSeq)
    {
        return String.format("%s%020d%s", PREFIX, logSeq, SUFFIX);
    }

    /**
     * @param name a snapshot's file name, as {@link #fileName(long)} makes it.
     * @return its path in the snapshots directory, or null when the name is not a snapshot's (no path is taken).
     */
    public Path file(final String name)
    {
        if (!isSnapshotName(name) || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.contains(".."))
        {
            return null;
        }
        return dir.resolve(name);
    }

    /** @return the snapshot files, newest (highest log seq) first; temporary files excluded. */
    public List<Path> list()
    {
        if (!Files.isDirectory(dir))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir))
        {
            final List<Path> found = new ArrayList<>();
            files.filter(file -> isSnapshotName(file.getFileName().toString())).forEach(found::add);
            found.sort(Comparator.comparing((Path file) -> file.getFileName().toString()).reversed());
            return found;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir, ex);
        }
    }

    /**
     * Removes temporary files left by a write that a crash interrupted.
     *
     * @return how many were removed.
     */
    public int deleteTemporaryFiles()
    {
        if (!Files.isDirectory(dir))
        {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (file.getFileName().toString().endsWith(SnapshotFile.TEMP_SUFFIX))
                {
                    LOG.info("snapshot: removing {}, left by an interrupted write", file);
                    Files.deleteIfExists(file);
                    removed++;
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot clean " + dir, ex);
        }
        return removed;
    }

    /**
     * Deletes all but the newest {@code keep} snapshots.
     *
     * @param keep how many to keep, at least 1.
     * @return the snapshots kept, newest first.
     */
    public List<Path> prune(final int keep)
    {
        final List<Path> files = list();
        for (int i = keep; i < files.size(); i++)
        {
            try
            {
                Files.deleteIfExists(files.get(i));
                LOG.info("snapshot: removed {} (keeping the newest {})", files.get(i).getFileName(), keep);
            }
            catch (final IOException ex)
            {
                LOG.warn("snapshot: cannot remove {}: {}", files.get(i), ex.toString());
            }
        }
        return files.subList(0, Math.min(keep, files.size()));
    }

    private static boolean isSnapshotName(final String name)
    {
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }
}
