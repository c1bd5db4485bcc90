package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Configuration of an engine node's RESP server: where it listens and the limits that protect it from clients.
 * Fluent setters; defaults in named constants, each overridable by the system property named next to it; validated
 * once by {@link #conclude()}, and printed at start by {@link #toString()}.
 * <p>
 * A configuration file ({@code --config}) is a properties file whose keys are the property names without the
 * {@code redmatch.node.} prefix ({@code port=7001}, {@code max-clients=5000}); other groups read their own keys from
 * {@link #configProperties()}.
 */
public final class EngineNodeContext
{
    /** Port clients connect to. */
    public static final String PORT_PROP_NAME = "redmatch.node.port";
    /** Default port: the first engine node of a local cluster (SPEC §7). */
    public static final int PORT_DEFAULT = 7001;

    /** Address to listen on. */
    public static final String BIND_PROP_NAME = "redmatch.node.bind";
    /** Default bind address: loopback, so nothing is exposed unless asked. */
    public static final String BIND_DEFAULT = "127.0.0.1";

    /** Directory of the node's durable state. */
    public static final String DATA_DIR_PROP_NAME = "redmatch.node.data-dir";

    /** {@code on} keeps the command log in the data dir (recovered at start); {@code off} keeps state in memory only. */
    public static final String LOG_PROP_NAME = "redmatch.node.log";
    /** Default: the command log is on whenever there is a data dir. */
    public static final boolean LOG_DEFAULT = true;

    /** When a logged command counts as durable: {@code page-cache} or {@code fsync}; see {@link LogSync}. */
    public static final String LOG_SYNC_PROP_NAME = "redmatch.node.log-sync";
    /** Default sync mode: page cache, which survives a kill of the node, not a power loss. */
    public static final LogSync LOG_SYNC_DEFAULT = LogSync.PAGE_CACHE;

    /** Most simultaneous client connections; more are refused with {@code -ERR max number of clients reached}. */
    public static final String MAX_CLIENTS_PROP_NAME = "redmatch.node.max-clients";
    /** Default maximum of clients, as Redis's {@code maxclients}. */
    public static final int MAX_CLIENTS_DEFAULT = 10_000;

    /** Most arguments in one command. */
    public static final String MAX_ARGS_PROP_NAME = "redmatch.node.max-args";
    /** Default most arguments in one command. */
    public static final int MAX_ARGS_DEFAULT = RespParser.MAX_ARGS_DEFAULT;

    /** Most bytes in one argument. */
    public static final String MAX_BULK_LENGTH_PROP_NAME = "redmatch.node.max-bulk-length";
    /** Default most bytes in one argument: 1 MiB. */
    public static final int MAX_BULK_LENGTH_DEFAULT = RespParser.MAX_BULK_LENGTH_DEFAULT;

    /** Most bytes in an inline command line. */
    public static final String MAX_INLINE_LENGTH_PROP_NAME = "redmatch.node.max-inline-length";
    /** Default most bytes in an inline command line: 64 KiB. */
    public static final int MAX_INLINE_LENGTH_DEFAULT = RespParser.MAX_INLINE_LENGTH_DEFAULT;

    /** Most bytes of received, not yet executed input per client; a client past it is disconnected. */
    public static final String MAX_QUERY_BUFFER_PROP_NAME = "redmatch.node.max-query-buffer";
    /** Default query buffer limit: 32 MiB, room for a maximal argument many times over. */
    public static final int MAX_QUERY_BUFFER_DEFAULT = 32 * 1024 * 1024;

    /** Most bytes of replies and messages not yet sent per client; a client past it is disconnected. */
    public static final String MAX_PENDING_OUTPUT_PROP_NAME = "redmatch.node.max-pending-output";
    /** Default pending output limit: 64 MiB, to survive a burst yet drop a subscriber that never reads. */
    public static final int MAX_PENDING_OUTPUT_DEFAULT = 64 * 1024 * 1024;

    /** Unsent output above which the node stops reading a client's requests, until it drains to the low mark. */
    public static final String WRITE_HIGH_WATER_MARK_PROP_NAME = "redmatch.node.write-high-water-mark";
    /** Default high water mark: 1 MiB. */
    public static final int WRITE_HIGH_WATER_MARK_DEFAULT = 1024 * 1024;

    /** Unsent output below which reading a paused client resumes. */
    public static final String WRITE_LOW_WATER_MARK_PROP_NAME = "redmatch.node.write-low-water-mark";
    /** Default low water mark: 256 KiB. */
    public static final int WRITE_LOW_WATER_MARK_DEFAULT = 256 * 1024;

    /** Use the native epoll transport when the platform has it, else NIO. */
    public static final String EPOLL_PROP_NAME = "redmatch.node.epoll";
    /** Default: epoll when available. */
    public static final boolean EPOLL_DEFAULT = true;

    private static final String PROP_PREFIX = "redmatch.node.";

    private int port = Integer.getInteger(PORT_PROP_NAME, PORT_DEFAULT);
    private String bindAddress = System.getProperty(BIND_PROP_NAME, BIND_DEFAULT);
    private Path dataDir = propertyPath(DATA_DIR_PROP_NAME);
    private boolean log = parseOnOff(LOG_PROP_NAME, System.getProperty(LOG_PROP_NAME), LOG_DEFAULT);
    private LogSync logSync = LogSync.fromConfigName(
        System.getProperty(LOG_SYNC_PROP_NAME, LOG_SYNC_DEFAULT.configName()));
    private Path configFile;
    private Properties configProperties = new Properties();
    private int maxClients = Integer.getInteger(MAX_CLIENTS_PROP_NAME, MAX_CLIENTS_DEFAULT);
    private int maxArgs = Integer.getInteger(MAX_ARGS_PROP_NAME, MAX_ARGS_DEFAULT);
    private int maxBulkLength = Integer.getInteger(MAX_BULK_LENGTH_PROP_NAME, MAX_BULK_LENGTH_DEFAULT);
    private int maxInlineLength = Integer.getInteger(MAX_INLINE_LENGTH_PROP_NAME, MAX_INLINE_LENGTH_DEFAULT);
    private int maxQueryBuffer = Integer.getInteger(MAX_QUERY_BUFFER_PROP_NAME, MAX_QUERY_BUFFER_DEFAULT);
    private int maxPendingOutput = Integer.getInteger(MAX_PENDING_OUTPUT_PROP_NAME, MAX_PENDING_OUTPUT_DEFAULT);
    private int writeHighWaterMark = Integer.getInteger(
        WRITE_HIGH_WATER_MARK_PROP_NAME, WRITE_HIGH_WATER_MARK_DEFAULT);
    private int writeLowWaterMark = Integer.getInteger(WRITE_LOW_WATER_MARK_PROP_NAME, WRITE_LOW_WATER_MARK_DEFAULT);
    private boolean epoll = Boolean.parseBoolean(System.getProperty(EPOLL_PROP_NAME, String.valueOf(EPOLL_DEFAULT)));
    private final List<CommandGroup> commandGroups = new ArrayList<>(CommandGroups.standard());
    private boolean concluded;

    /**
     * Validates the configuration and creates the data directory. Called by the node; idempotent.
     *
     * @return this context.
     * @throws IllegalStateException when a value is out of range.
     */
    public EngineNodeContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        require(port >= 0 && port <= 65535, "port must be 0..65535 (0 picks a free one): " + port);
        require(bindAddress != null && !bindAddress.isBlank(), "bind address is empty");
        require(logSync != null, "log-sync is not set");
        require(maxClients > 0, "max-clients must be positive: " + maxClients);
        require(maxArgs > 0, "max-args must be positive: " + maxArgs);
        require(maxBulkLength > 0, "max-bulk-length must be positive: " + maxBulkLength);
        require(maxInlineLength > 0, "max-inline-length must be positive: " + maxInlineLength);
        require(maxQueryBuffer >= maxInlineLength && maxQueryBuffer > maxBulkLength,
            "max-query-buffer must hold an inline line and an argument: " + maxQueryBuffer);
        require(writeLowWaterMark > 0 && writeLowWaterMark <= writeHighWaterMark,
            "write water marks need 0 < low <= high: " + writeLowWaterMark + ", " + writeHighWaterMark);
        require(maxPendingOutput > writeHighWaterMark,
            "max-pending-output must exceed the high water mark: " + maxPendingOutput);
        if (dataDir != null)
        {
            try
            {
                Files.createDirectories(dataDir);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot create data dir " + dataDir, ex);
            }
        }
        concluded = true;
        return this;
    }

    /**
     * Reads a configuration file and applies the keys it knows; the others stay in {@link #configProperties()}.
     *
     * @param configFile a properties file.
     * @return this context.
     * @throws UncheckedIOException when it cannot be read.
     * @throws IllegalArgumentException when a value is not a number where one is needed.
     */
    public EngineNodeContext loadConfig(final Path configFile)
    {
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(configFile))
        {
            properties.load(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read config " + configFile, ex);
        }
        this.configFile = configFile;
        this.configProperties = properties;
        port = intProperty(properties, PORT_PROP_NAME, port);
        bindAddress = properties.getProperty(key(BIND_PROP_NAME), bindAddress);
        final String dir = properties.getProperty(key(DATA_DIR_PROP_NAME));
        if (dir != null)
        {
            dataDir = Path.of(dir);
        }
        log = parseOnOff(key(LOG_PROP_NAME), properties.getProperty(key(LOG_PROP_NAME)), log);
        final String sync = properties.getProperty(key(LOG_SYNC_PROP_NAME));
        if (sync != null)
        {
            logSync = LogSync.fromConfigName(sync);
        }
        maxClients = intProperty(properties, MAX_CLIENTS_PROP_NAME, maxClients);
        maxArgs = intProperty(properties, MAX_ARGS_PROP_NAME, maxArgs);
        maxBulkLength = intProperty(properties, MAX_BULK_LENGTH_PROP_NAME, maxBulkLength);
        maxInlineLength = intProperty(properties, MAX_INLINE_LENGTH_PROP_NAME, maxInlineLength);
        maxQueryBuffer = intProperty(properties, MAX_QUERY_BUFFER_PROP_NAME, maxQueryBuffer);
        maxPendingOutput = intProperty(properties, MAX_PENDING_OUTPUT_PROP_NAME, maxPendingOutput);
        writeHighWaterMark = intProperty(properties, WRITE_HIGH_WATER_MARK_PROP_NAME, writeHighWaterMark);
        writeLowWaterMark = intProperty(properties, WRITE_LOW_WATER_MARK_PROP_NAME, writeLowWaterMark);
        epoll = Boolean.parseBoolean(properties.getProperty(key(EPOLL_PROP_NAME), String.valueOf(epoll)));
        return this;
    }

    /** @return the port; 0 until bound means "pick a free one", see {@link EngineNode#port()}. */
    public int port()
    {
        return port;
    }

    /**
     * @param port the port to listen on, 0 for any free one.
     * @return this context.
     */
    public EngineNodeContext port(final int port)
    {
        this.port = port;
        return this;
    }

    /** @return the address to listen on. */
    public String bindAddress()
    {
        return bindAddress;
    }

    /**
     * @param bindAddress the address to listen on, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}.
     * @return this context.
     */
    public EngineNodeContext bindAddress(final String bindAddress)
    {
        this.bindAddress = bindAddress;
        return this;
    }

    /** @return the node's data directory, or null when it keeps nothing on disk. */
    public Path dataDir()
    {
        return dataDir;
    }

    /**
     * @param dataDir the node's data directory; created by {@link #conclude()}.
     * @return this context.
     */
    public EngineNodeContext dataDir(final Path dataDir)
    {
        this.dataDir = dataDir;
        return this;
    }

    /** @return true when the command log is switched on; it is kept only with a {@link #dataDir()}. */
    public boolean log()
    {
        return log;
    }

    /**
     * @param log true to keep the command log in the data dir, false to keep state in memory only (benchmarks).
     * @return this context.
     */
    public EngineNodeContext log(final boolean log)
    {
        this.log = log;
        return this;
    }

    /** @return true when commands are logged durably and recovered at start: a data dir and the log switched on. */
    public boolean logEnabled()
    {
        return log && dataDir != null;
    }

    /** @return when a logged command counts as durable. */
    public LogSync logSync()
    {
        return logSync;
    }

    /**
     * @param logSync when a logged command counts as durable.
     * @return this context.
     */
    public EngineNodeContext logSync(final LogSync logSync)
    {
        this.logSync = logSync;
        return this;
    }

    /** @return the configuration file read, or null. */
    public Path configFile()
    {
        return configFile;
    }

    /** @return every key of the configuration file, for groups that have settings of their own. */
    public Properties configProperties()
    {
        return configProperties;
    }

    /** @return most simultaneous clients. */
    public int maxClients()
    {
        return maxClients;
    }

    /**
     * @param maxClients most simultaneous clients.
     * @return this context.
     */
    public EngineNodeContext maxClients(final int maxClients)
    {
        this.maxClients = maxClients;
        return this;
    }

    /** @return most arguments per command. */
    public int maxArgs()
    {
        return maxArgs;
    }

    /**
     * @param maxArgs most arguments per command.
     * @return this context.
     */
    public EngineNodeContext maxArgs(final int maxArgs)
    {
        this.maxArgs = maxArgs;
        return this;
    }

    /** @return most bytes per argument. */
    public int maxBulkLength()
    {
        return maxBulkLength;
    }

    /**
     * @param maxBulkLength most bytes per argument.
     * @return this context.
     */
    public EngineNodeContext maxBulkLength(final int maxBulkLength)
    {
        this.maxBulkLength = maxBulkLength;
        return this;
    }

    /** @return most bytes per inline command line. */
    public int maxInlineLength()
    {
        return maxInlineLength;
    }

    /**
     * @param maxInlineLength most bytes per inline command line.
     * @return this context.
     */
    public EngineNodeContext maxInlineLength(final int maxInlineLength)
    {
        this.maxInlineLength = maxInlineLength;
        return this;
    }

    /** @return most bytes of unexecuted input per client. */
    public int maxQueryBuffer()
    {
        return maxQueryBuffer;
    }

    /**
     * @param maxQueryBuffer most bytes of unexecuted input per client.
     * @return this context.
     */
    public EngineNodeContext maxQueryBuffer(final int maxQueryBuffer)
    {
        this.maxQueryBuffer = maxQueryBuffer;
        return this;
    }

    /** @return most bytes of unsent output per client. */
    public int maxPendingOutput()
    {
        return maxPendingOutput;
    }

    /**
     * @param maxPendingOutput most bytes of unsent output per client.
     * @return this context.
     */
    public EngineNodeContext maxPendingOutput(final int maxPendingOutput)
    {
        this.maxPendingOutput = maxPendingOutput;
        return this;
    }

    /** @return unsent output above which reading a client pauses. */
    public int writeHighWaterMark()
    {
        return writeHighWaterMark;
    }

    /**
     * @param writeHighWaterMark unsent output above which reading a client pauses.
     * @return this context.
     */
    public EngineNodeContext writeHighWaterMark(final int writeHighWaterMark)
    {
        this.writeHighWaterMark = writeHighWaterMark;
        return this;
    }

    /** @return unsent output below which reading a paused client resumes. */
    public int writeLowWaterMark()
    {
        return writeLowWaterMark;
    }

    /**
     * @param writeLowWaterMark unsent output below which reading a paused client resumes.
     * @return this context.
     */
    public EngineNodeContext writeLowWaterMark(final int writeLowWaterMark)
    {
        this.writeLowWaterMark = writeLowWaterMark;
        return this;
    }

    /** @return true to use epoll when available. */
    public boolean epoll()
    {
        return epoll;
    }

    /**
     * @param epoll true to use epoll when available, false to force NIO.
     * @return this context.
     */
    public EngineNodeContext epoll(final boolean epoll)
    {
        this.epoll = epoll;
        return this;
    }

    /** @return the command groups the node registers, in order; {@link CommandGroups#standard()} by default. */
    public List<CommandGroup> commandGroups()
    {
        return commandGroups;
    }

    /**
     * Adds a command group after the standard ones, e.g. a test-only group.
     *
     * @param group the group.
     * @return this context.
     */
    public EngineNodeContext addCommandGroup(final CommandGroup group)
    {
        commandGroups.add(group);
        return this;
    }

    @Override
    public String toString()
    {
        return "EngineNodeContext{" +
            "port=" + port +
            ", bind=" + bindAddress +
            ", dataDir=" + dataDir +
            ", log=" + (logEnabled() ? "on, sync " + logSync : "off") +
            ", config=" + configFile +
            ", maxClients=" + maxClients +
            ", maxArgs=" + maxArgs +
            ", maxBulkLength=" + maxBulkLength +
            ", maxInlineLength=" + maxInlineLength +
            ", maxQueryBuffer=" + maxQueryBuffer +
            ", maxPendingOutput=" + maxPendingOutput +
            ", writeWaterMarks=" + writeLowWaterMark + ".." + writeHighWaterMark +
            ", epoll=" + epoll +
            ", commandGroups=" + commandGroups.size() +
            '}';
    }

    private static String key(final String propName)
    {
        return propName.substring(PROP_PREFIX.length());
    }

    private static int intProperty(final Properties properties, final String propName, final int defaultValue)
    {
        final String value = properties.getProperty(key(propName));
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
            throw new IllegalArgumentException(key(propName) + " is not an integer: " + value, ex);
        }
    }

    private static boolean parseOnOff(final String name, final String value, final boolean defaultValue)
    {
        if (value == null)
        {
            return defaultValue;
        }
        switch (value.trim().toLowerCase(Locale.ROOT))
        {
            case "on":
            case "true":
            case "yes":
                return true;
            case "off":
            case "false":
            case "no":
                return false;
            default:
                throw new IllegalArgumentException(name + " must be on or off: " + value);
        }
    }

    private static Path propertyPath(final String propName)
    {
        final String value = System.getProperty(propName);
        return value == null ? null : Path.of(value);
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalStateException(message);
        }
    }
}
