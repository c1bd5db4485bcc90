package io.redmatch.engine.log;

import io.redmatch.engine.node.EngineNodeContext;
import io.redmatch.engine.node.LogSync;
import io.redmatch.replicator.ReplicationChannels;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Configuration of a node's command log: where its files live under the data dir, how it syncs, and the Aeron
 * sizes. Built from the node's {@link EngineNodeContext} (data dir, {@code log-sync}) and the keys of its
 * configuration file below; validated once by {@link #conclude()}; printed at start by {@link #toString()}.
 * <p>
 * Layout of the data dir (format {@link DataDirectory#FORMAT_VERSION}):
 * <pre>
 *   &lt;data-dir&gt;/format          "redmatch-data-dir 1": the layout's version, checked at start
 *   &lt;data-dir&gt;/node.lock       locked while a node runs on the dir
 *   &lt;data-dir&gt;/log/archive/    the Aeron Archive: archive.catalog and the recording's segment files
 *   &lt;data-dir&gt;/log/aeron/      the embedded media driver's files (emptied at each start)
 * </pre>
 */
public final class CommandLogContext
{
    /** Configuration key: the media driver's directory; default {@code <data-dir>/log/aeron}. */
    public static final String AERON_DIR_KEY = "aeron-dir";

    /** Configuration key: Aeron term length of the log publication, a power of two; bounds the largest command. */
    public static final String TERM_LENGTH_KEY = "log-term-length";
    /** Default term length: 16 MiB, so a command of up to 2 MiB can be logged. */
    public static final int TERM_LENGTH_DEFAULT = 16 * 1024 * 1024;

    /** Configuration key: length of the archive's segment files, a power-of-two multiple of the term length. */
    public static final String SEGMENT_LENGTH_KEY = "log-segment-length";
    /** Default segment length: 64 MiB. */
    public static final int SEGMENT_LENGTH_DEFAULT = 64 * 1024 * 1024;

    /** Configuration key: how long the log may make no progress before the node declares it failed. */
    public static final String STALL_TIMEOUT_MS_KEY = "log-stall-timeout-ms";
    /** Default stall timeout: 10 s, longer than any sane disk flush. */
    public static final long STALL_TIMEOUT_MS_DEFAULT = 10_000;

    /**
     * Configuration key: the UDP port of the node's replication endpoint (its archive's control endpoint, where a
     * standby asks for the log, and where standbys acknowledge); default 0: a free port chosen at start, shown in
     * {@code INFO replication} as {@code replication_port}.
     */
    public static final String REPLICATION_PORT_KEY = "replication-port";

    /** Aeron stream id of the command log. */
    /** Config key: take a snapshot once this many log entries were appended since the last one; 0 turns it off. */
    public static final String SNAPSHOT_EVERY_ENTRIES_KEY = "snapshot-every-entries";
    /** A snapshot every million entries bounds replay at start to about a million entries. */
    public static final long SNAPSHOT_EVERY_ENTRIES_DEFAULT = 1_000_000;

    /** Config key: take a snapshot this many seconds after the last one if entries were appended; 0 turns it off. */
    public static final String SNAPSHOT_EVERY_SECONDS_KEY = "snapshot-every-seconds";
    /** An hour: a quiet node still gets a recent snapshot. */
    public static final long SNAPSHOT_EVERY_SECONDS_DEFAULT = 3600;

    /** Config key: how many snapshots to keep; the log is kept from the oldest of them on. */
    public static final String SNAPSHOT_KEEP_KEY = "snapshot-keep";
    /** Two fallbacks when the newest snapshot cannot be read. */
    public static final int SNAPSHOT_KEEP_DEFAULT = 3;

    /** Config key: purge log segments that no kept snapshot needs, after each snapshot (on/off). */
    public static final String LOG_PURGE_KEY = "log-purge";
    /** Purging is on: the log would otherwise grow without bound. */
    public static final boolean LOG_PURGE_DEFAULT = true;

    public static final int STREAM_ID = 1001;

    /** Tag of the log channel, so the archive's spy finds the publication. */
    public static final long CHANNEL_TAG = 1001;

    private static final int TERM_LENGTH_MIN = 64 * 1024;
    private static final int SEGMENT_LENGTH_MAX = 1024 * 1024 * 1024;

    private Path dataDir;
    private Path aeronDir;
    private LogSync sync = EngineNodeContext.LOG_SYNC_DEFAULT;
    private int termLength = TERM_LENGTH_DEFAULT;
    private int segmentLength = SEGMENT_LENGTH_DEFAULT;
    private long stallTimeoutMs = STALL_TIMEOUT_MS_DEFAULT;
    private long snapshotEveryEntries = SNAPSHOT_EVERY_ENTRIES_DEFAULT;
    private long snapshotEverySeconds = SNAPSHOT_EVERY_SECONDS_DEFAULT;
    private int snapshotKeep = SNAPSHOT_KEEP_DEFAULT;
    private boolean logPurge = LOG_PURGE_DEFAULT;
    private String replicationHost;
    private int replicationPort;

    /**
     * @param node the node's configuration, with a data dir.
     * @return the log configuration of that node.
     * @throws IllegalArgumentException when a key holds no number where one is needed.
     */
    public static CommandLogContext of(final EngineNodeContext node)
    {
        final Properties properties = node.configProperties();
        final CommandLogContext context = new CommandLogContext().dataDir(node.dataDir()).sync(node.logSync());
        final String aeronDir = properties.getProperty(AERON_DIR_KEY);
        if (aeronDir != null)
        {
            context.aeronDir(Path.of(aeronDir.trim()));
        }
        context.termLength(intProperty(properties, TERM_LENGTH_KEY, TERM_LENGTH_DEFAULT));
        context.segmentLength(intProperty(properties, SEGMENT_LENGTH_KEY, SEGMENT_LENGTH_DEFAULT));
        context.stallTimeoutMs(intProperty(properties, STALL_TIMEOUT_MS_KEY, (int)STALL_TIMEOUT_MS_DEFAULT));
        context.snapshotEveryEntries(
            longProperty(properties, SNAPSHOT_EVERY_ENTRIES_KEY, SNAPSHOT_EVERY_ENTRIES_DEFAULT));
        context.snapshotEverySeconds(
            longProperty(properties, SNAPSHOT_EVERY_SECONDS_KEY, SNAPSHOT_EVERY_SECONDS_DEFAULT));
        context.snapshotKeep(intProperty(properties, SNAPSHOT_KEEP_KEY, SNAPSHOT_KEEP_DEFAULT));
        final String purge = properties.getProperty(LOG_PURGE_KEY);
        if (purge != null)
        {
            final String value = purge.trim().toLowerCase(java.util.Locale.ROOT);
            if (!value.equals("on") && !value.equals("off"))
            {
                throw new IllegalArgumentException(LOG_PURGE_KEY + " must be on or off: " + purge);
            }
            context.logPurge(value.equals("on"));
        }
        context.replicationEndpoint(node.bindAddress(), intProperty(properties, REPLICATION_PORT_KEY, 0));
        return context;
    }

    /**
     * Validates the configuration.
     *
     * @return this context.
     * @throws IllegalStateException when a value is out of range.
     */
    public CommandLogContext conclude()
    {
        require(dataDir != null, "the command log needs a data dir");
        if (aeronDir == null)
        {
            aeronDir = logDir().resolve("aeron");
        }
        require(termLength >= TERM_LENGTH_MIN && Integer.bitCount(termLength) == 1,
            TERM_LENGTH_KEY + " must be a power of two of at least 64 KiB: " + termLength);
        require(segmentLength >= termLength && segmentLength <= SEGMENT_LENGTH_MAX &&
            Integer.bitCount(segmentLength) == 1,
            SEGMENT_LENGTH_KEY + " must be a power of two from the term length to 1 GiB: " + segmentLength);
        require(stallTimeoutMs > 0, STALL_TIMEOUT_MS_KEY + " must be positive: " + stallTimeoutMs);
        require(sync != null, "log-sync is not set");
        require(snapshotEveryEntries >= 0,
            SNAPSHOT_EVERY_ENTRIES_KEY + " must not be negative: " + snapshotEveryEntries);
        require(snapshotEverySeconds >= 0,
            SNAPSHOT_EVERY_SECONDS_KEY + " must not be negative: " + snapshotEverySeconds);
        require(snapshotKeep >= 1, SNAPSHOT_KEEP_KEY + " must be at least 1: " + snapshotKeep);
        require(replicationPort >= 0 && replicationPort <= 65535, REPLICATION_PORT_KEY + " must be 0..65535");
        if (replicationHost != null && replicationPort == 0)
        {
            replicationPort = ReplicationChannels.freeUdpPort(replicationHost);
        }
        return this;
    }

    /** @return the node's data dir. */
    public Path dataDir()
    {
        return dataDir;
    }

    /**
     * @param dataDir the node's data dir.
     * @return this context.
     */
    public CommandLogContext dataDir(final Path dataDir)
    {
        this.dataDir = dataDir;
        return this;
    }

    /** @return {@code <data-dir>/log}. */
    public Path logDir()
    {
        return dataDir.resolve("log");
    }

    /** @return {@code <data-dir>/log/archive}, the Aeron Archive's directory. */
    public Path archiveDir()
    {
        return logDir().resolve("archive");
    }

    /** @return the media driver's directory. */
    public Path aeronDir()
    {
        return aeronDir;
    }

    /**
     * @param aeronDir the media driver's directory, e.g. under {@code /dev/shm}.
     * @return this context.
     */
    public CommandLogContext aeronDir(final Path aeronDir)
    {
        this.aeronDir = aeronDir;
        return this;
    }

    /** @return when an entry counts as durable. */
    public LogSync sync()
    {
        return sync;
    }

    /**
     * @param sync when an entry counts as durable.
     * @return this context.
     */
    public CommandLogContext sync(final LogSync sync)
    {
        this.sync = sync;
        return this;
    }

    /** @return the log publication's term length. */
    public int termLength()
    {
        return termLength;
    }

    /**
     * @param termLength the log publication's term length, a power of two.
     * @return this context.
     */
    public CommandLogContext termLength(final int termLength)
    {
        this.termLength = termLength;
        return this;
    }

    /** @return the archive's segment file length. */
    public int segmentLength()
    {
        return segmentLength;
    }

    /**
     * @param segmentLength the archive's segment file length, a power-of-two multiple of the term length.
     * @return this context.
     */
    public CommandLogContext segmentLength(final int segmentLength)
    {
        this.segmentLength = segmentLength;
        return this;
    }

    /** @return how long the log may make no progress before it is declared failed. */
    public long stallTimeoutMs()
    {
        return stallTimeoutMs;
    }

    /**
     * @param stallTimeoutMs how long the log may make no progress before it is declared failed.
     * @return this context.
     */
    public CommandLogContext stallTimeoutMs(final long stallTimeoutMs)
    {
        this.stallTimeoutMs = stallTimeoutMs;
        return this;
    }

    /** @return entries between periodic snapshots, 0 when off. */
    public long snapshotEveryEntries()
    {
        return snapshotEveryEntries;
    }

    public CommandLogContext snapshotEveryEntries(final long snapshotEveryEntries)
    {
        this.snapshotEveryEntries = snapshotEveryEntries;
        return this;
    }

    /** @return seconds between periodic snapshots of a node that appended entries, 0 when off. */
    public long snapshotEverySeconds()
    {
        return snapshotEverySeconds;
    }

    public CommandLogContext snapshotEverySeconds(final long snapshotEverySeconds)
    {
        this.snapshotEverySeconds = snapshotEverySeconds;
        return this;
    }

    /** @return how many snapshots are kept. */
    public int snapshotKeep()
    {
        return snapshotKeep;
    }

    public CommandLogContext snapshotKeep(final int snapshotKeep)
    {
        this.snapshotKeep = snapshotKeep;
        return this;
    }

    /** @return true when log segments no kept snapshot needs are purged. */
    public boolean logPurge()
    {
        return logPurge;
    }

    public CommandLogContext logPurge(final boolean logPurge)
    {
        this.logPurge = logPurge;
        return this;
    }

    /** @return the address of the replication endpoint, or null when the archive takes no remote requests. */
    public String replicationHost()
    {
        return replicationHost;
    }

    /** @return the UDP port of the replication endpoint; chosen by {@link #conclude()} when configured as 0. */
    public int replicationPort()
    {
        return replicationPort;
    }

    /**
     * @param host the address to bind the replication endpoint on; null for none (no standby can follow).
     * @param port its UDP port, 0 for a free one.
     * @return this context.
     */
    public CommandLogContext replicationEndpoint(final String host, final int port)
    {
        this.replicationHost = host;
        this.replicationPort = port;
        return this;
    }

    @Override
    public String toString()
    {
        return "CommandLogContext{" +
            "archiveDir=" + (dataDir == null ? null : archiveDir()) +
            ", aeronDir=" + aeronDir +
            ", sync=" + sync +
            ", termLength=" + termLength +
            ", segmentLength=" + segmentLength +
            ", stallTimeoutMs=" + stallTimeoutMs +
            ", snapshotEveryEntries=" + snapshotEveryEntries +
            ", snapshotEverySeconds=" + snapshotEverySeconds +
            ", snapshotKeep=" + snapshotKeep +
            ", logPurge=" + logPurge +
            ", replication=" + (replicationHost == null ? "off" : replicationHost + ":" + replicationPort) +
            '}';
    }

    private static int intProperty(final Properties properties, final String key, final int defaultValue)
    {
        final String value = properties.getProperty(key);
        if (value == null)
        {
            return defaultValue;
        }
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + " is not an integer: " + value, ex);
        }
    }

    private static long longProperty(final Properties properties, final String key, final long defaultValue)
    {
        final String value = properties.getProperty(key);
        if (value == null)
        {
            return defaultValue;
        }
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + " is not an integer: " + value, ex);
        }
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalStateException(message);
        }
    }
}
