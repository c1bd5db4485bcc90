package io.redmatch.perf.resp;

import java.nio.file.Path;

/**
 * Settings of one load run, with fluent setters; defaults are the named constants. {@link #conclude()} validates
 * them once before the run.
 */
final class LoadContext
{
    public static final String HOST_DEFAULT = "127.0.0.1";
    public static final int CONNECTIONS_DEFAULT = 50;
    public static final int RATE_DEFAULT = 20_000;
    public static final int WARMUP_SECONDS_DEFAULT = 3;
    public static final int DURATION_SECONDS_DEFAULT = 10;
    /** Shortest pause between two sending rounds: at high rates a round sends every request that fell due. */
    public static final int TICK_MICROS_DEFAULT = 20;
    /** Requests sent and not answered beyond which the target is declared saturated and sending stops. */
    public static final int MAX_OUTSTANDING_DEFAULT = 500_000;
    public static final int DRAIN_SECONDS_DEFAULT = 10;
    public static final Workload WORKLOAD_DEFAULT = Workload.ORDER;
    public static final String PAIR_DEFAULT = "BTC-USDT";
    public static final String MID_DEFAULT = "30000";
    public static final String TICK_DEFAULT = "0.01";
    public static final int SPREAD_TICKS_DEFAULT = 100;
    public static final String QTY_DEFAULT = "0.001";
    public static final int KEYSPACE_DEFAULT = 100_000;
    public static final String VALUE_DEFAULT = "xxx";
    public static final long SEED_DEFAULT = 42;

    private String host = HOST_DEFAULT;
    private int port;
    private int connections = CONNECTIONS_DEFAULT;
    private int rate = RATE_DEFAULT;
    private int warmupSeconds = WARMUP_SECONDS_DEFAULT;
    private int durationSeconds = DURATION_SECONDS_DEFAULT;
    private int tickMicros = TICK_MICROS_DEFAULT;
    private int maxOutstanding = MAX_OUTSTANDING_DEFAULT;
    private int drainSeconds = DRAIN_SECONDS_DEFAULT;
    private Workload workload = WORKLOAD_DEFAULT;
    private String pair = PAIR_DEFAULT;
    private String mid = MID_DEFAULT;
    private String tick = TICK_DEFAULT;
    private int spreadTicks = SPREAD_TICKS_DEFAULT;
    private String qty = QTY_DEFAULT;
    private int keyspace = KEYSPACE_DEFAULT;
    private String value = VALUE_DEFAULT;
    private long seed = SEED_DEFAULT;
    private String label;
    private Path histogramFile;

    /**
     * Checks the settings and fills in what derives from others.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first setting that is out of range.
     */
    public LoadContext conclude()
    {
        require(port > 0 && port < 65536, "port must be 1..65535: " + port);
        require(connections > 0, "connections must be positive: " + connections);
        require(rate > 0, "rate must be positive: " + rate);
        require(rate >= connections, "rate must be at least one request per connection per second: " + rate);
        require(warmupSeconds >= 0, "warm-up must not be negative: " + warmupSeconds);
        require(durationSeconds > 0, "duration must be positive: " + durationSeconds);
        require(tickMicros > 0, "tick must be positive: " + tickMicros);
        require(maxOutstanding > 0, "max outstanding must be positive: " + maxOutstanding);
        require(drainSeconds >= 0, "drain time must not be negative: " + drainSeconds);
        if (label == null)
        {
            label = workload.name().toLowerCase();
        }
        workload.newEncoder(this);
        return this;
    }

    /** @return requests the whole run sends, warm-up included. */
    public long totalRequests()
    {
        return (long)rate * (warmupSeconds + durationSeconds);
    }

    public String host()
    {
        return host;
    }

    public LoadContext host(final String host)
    {
        this.host = host;
        return this;
    }

    public int port()
    {
        return port;
    }

    public LoadContext port(final int port)
    {
        this.port = port;
        return this;
    }

    public int connections()
    {
        return connections;
    }

    public LoadContext connections(final int connections)
    {
        this.connections = connections;
        return this;
    }

    /** @return offered requests per second, over all connections. */
    public int rate()
    {
        return rate;
    }

    public LoadContext rate(final int rate)
    {
        this.rate = rate;
        return this;
    }

    public int warmupSeconds()
    {
        return warmupSeconds;
    }

    public LoadContext warmupSeconds(final int warmupSeconds)
    {
        this.warmupSeconds = warmupSeconds;
        return this;
    }

    public int durationSeconds()
    {
        return durationSeconds;
    }

    public LoadContext durationSeconds(final int durationSeconds)
    {
        this.durationSeconds = durationSeconds;
        return this;
    }

    public int tickMicros()
    {
        return tickMicros;
    }

    public LoadContext tickMicros(final int tickMicros)
    {
        this.tickMicros = tickMicros;
        return this;
    }

    public int maxOutstanding()
    {
        return maxOutstanding;
    }

    public LoadContext maxOutstanding(final int maxOutstanding)
    {
        this.maxOutstanding = maxOutstanding;
        return this;
    }

    public int drainSeconds()
    {
        return drainSeconds;
    }

    public LoadContext drainSeconds(final int drainSeconds)
    {
        this.drainSeconds = drainSeconds;
        return this;
    }

    public Workload workload()
    {
        return workload;
    }

    public LoadContext workload(final Workload workload)
    {
        this.workload = workload;
        return this;
    }

    public String pair()
    {
        return pair;
    }

    public LoadContext pair(final String pair)
    {
        this.pair = pair;
        return this;
    }

    public String mid()
    {
        return mid;
    }

    public LoadContext mid(final String mid)
    {
        this.mid = mid;
        return this;
    }

    public String tick()
    {
        return tick;
    }

    public LoadContext tick(final String tick)
    {
        this.tick = tick;
        return this;
    }

    public int spreadTicks()
    {
        return spreadTicks;
    }

    public LoadContext spreadTicks(final int spreadTicks)
    {
        this.spreadTicks = spreadTicks;
        return this;
    }

    public String qty()
    {
        return qty;
    }

    public LoadContext qty(final String qty)
    {
        this.qty = qty;
        return this;
    }

    public int keyspace()
    {
        return keyspace;
    }

    public LoadContext keyspace(final int keyspace)
    {
        this.keyspace = keyspace;
        return this;
    }

    public String value()
    {
        return value;
    }

    public LoadContext value(final String value)
    {
        this.value = value;
        return this;
    }

    public long seed()
    {
        return seed;
    }

    public LoadContext seed(final long seed)
    {
        this.seed = seed;
        return this;
    }

    /** @return the name of the target in the report, e.g. {@code node} or {@code redis}. */
    public String label()
    {
        return label;
    }

    public LoadContext label(final String label)
    {
        this.label = label;
        return this;
    }

    /** @return where to write the latency histogram's percentile distribution (.hgrm), or null. */
    public Path histogramFile()
    {
        return histogramFile;
    }

    public LoadContext histogramFile(final Path histogramFile)
    {
        this.histogramFile = histogramFile;
        return this;
    }

    public String toString()
    {
        return "LoadContext{target=" + host + ":" + port + ", label=" + label + ", workload=" + workload +
            ", connections=" + connections + ", rate=" + rate + "/s, warmup=" + warmupSeconds + "s, duration=" +
            durationSeconds + "s, tick=" + tickMicros + "us, maxOutstanding=" + maxOutstanding + ", seed=" + seed +
            "}";
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
