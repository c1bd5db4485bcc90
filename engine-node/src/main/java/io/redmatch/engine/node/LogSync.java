package io.redmatch.engine.node;

import java.util.Locale;

/**
 * When a command in the log counts as durable, which is when its reply may leave. The trade-off, in short: a kill of
 * the node process loses nothing either way; only a crash or power loss of the whole machine can lose what
 * {@link #PAGE_CACHE} acknowledged and the kernel had not yet written back (up to its writeback delay, about 30 s by
 * default), while {@link #FSYNC} pays a disk flush per group commit.
 */
public enum LogSync
{
    /** Durable once written to the operating system's page cache (Aeron Archive {@code fileSyncLevel} 0). */
    PAGE_CACHE("page-cache", 0),

    /** Durable once flushed to the disk with {@code fdatasync} (Aeron Archive {@code fileSyncLevel} 1). */
    FSYNC("fsync", 1);

    private final String configName;
    private final int fileSyncLevel;

    LogSync(final String configName, final int fileSyncLevel)
    {
        this.configName = configName;
        this.fileSyncLevel = fileSyncLevel;
    }

    /** @return the name used in configuration and {@code INFO}: {@code page-cache} or {@code fsync}. */
    public String configName()
    {
        return configName;
    }

    /** @return the Aeron Archive {@code fileSyncLevel} of this mode. */
    public int fileSyncLevel()
    {
        return fileSyncLevel;
    }

    /**
     * @param name {@code page-cache} or {@code fsync}, case-insensitive.
     * @return the mode.
     * @throws IllegalArgumentException for any other name.
     */
    public static LogSync fromConfigName(final String name)
    {
        final String lower = name.trim().toLowerCase(Locale.ROOT);
        for (final LogSync sync : values())
        {
            if (sync.configName.equals(lower))
            {
                return sync;
            }
        }
        throw new IllegalArgumentException("log-sync must be page-cache or fsync: " + name);
    }

    @Override
    public String toString()
    {
        return configName;
    }
}
