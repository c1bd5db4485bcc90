package io.redmatch.clearing;

import io.redmatch.clearing.ledger.LedgerOptions;
import redis.clients.jedis.HostAndPort;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Configuration of a clearing service, with fluent setters, defaults in constants, validated once by
 * {@link #conclude()}.
 */
public final class ClearingContext
{
    /** Default client port (SPEC §7: base port + 100). */
    public static final int PORT_DEFAULT = 7100;
    /** Default listen address. */
    public static final String BIND_DEFAULT = "127.0.0.1";
    /** Consumer group clearing reads the fill streams in. */
    public static final String GROUP_DEFAULT = "clearing";
    /** Consumer name within the group. */
    public static final String CONSUMER_DEFAULT = "clearing-1";
    /** Account fees go to; {@code @} is not allowed in trading account names, so it never collides with one. */
    public static final String FEE_ACCOUNT_DEFAULT = "@fees";
    /** Fills read per stream per batch. */
    public static final int BATCH_SIZE_DEFAULT = 2000;
    /** How long a read waits for new fills. */
    public static final int BLOCK_MS_DEFAULT = 100;
    /** How often {@code PAIRS} is asked (new pairs) and the engine's last fills sampled (lag). */
    public static final int PAIR_REFRESH_MS_DEFAULT = 1000;
    /** Connect and read timeout towards engines. */
    public static final int ENGINE_TIMEOUT_MS_DEFAULT = 5000;

    private static final Pattern FEE_ACCOUNT = Pattern.compile("[A-Za-z0-9_.:@-]{1,64}");

    private int port = PORT_DEFAULT;
    private String bindAddress = BIND_DEFAULT;
    private Path dataDir;
    private final List<HostAndPort> engines = new ArrayList<>();
    private String group = GROUP_DEFAULT;
    private String consumer = CONSUMER_DEFAULT;
    private String feeAccount = FEE_ACCOUNT_DEFAULT;
    private int batchSize = BATCH_SIZE_DEFAULT;
    private int blockMs = BLOCK_MS_DEFAULT;
    private int pairRefreshMs = PAIR_REFRESH_MS_DEFAULT;
    private int engineTimeoutMs = ENGINE_TIMEOUT_MS_DEFAULT;
    private long maxBalances = LedgerOptions.MAX_BALANCES_DEFAULT;
    private long walLimitBytes = LedgerOptions.WAL_LIMIT_DEFAULT;

    /**
     * @param port client port; 0 picks a free one.
     * @return this.
     */
    public ClearingContext port(final int port)
    {
        this.port = port;
        return this;
    }

    /**
     * @param bindAddress listen address.
     * @return this.
     */
    public ClearingContext bindAddress(final String bindAddress)
    {
        this.bindAddress = bindAddress;
        return this;
    }

    /**
     * @param dataDir directory of the ledger.
     * @return this.
     */
    public ClearingContext dataDir(final Path dataDir)
    {
        this.dataDir = dataDir;
        return this;
    }

    /**
     * @param addresses engine or router addresses, {@code host:port}, tried in this order.
     * @return this.
     */
    public ClearingContext engines(final List<String> addresses)
    {
        engines.clear();
        for (final String address : addresses)
        {
            final int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1)
            {
                throw new IllegalArgumentException("engine address " + address + " is not host:port");
            }
            try
            {
                engines.add(new HostAndPort(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("engine address " + address + " has no port number");
            }
        }
        return this;
    }

    /**
     * @param feeAccount the account fees go to.
     * @return this.
     */
    public ClearingContext feeAccount(final String feeAccount)
    {
        this.feeAccount = feeAccount;
        return this;
    }

    /**
     * @param group consumer group name.
     * @return this.
     */
    public ClearingContext group(final String group)
    {
        this.group = group;
        return this;
    }

    /**
     * @param batchSize fills read per stream per batch.
     * @return this.
     */
    public ClearingContext batchSize(final int batchSize)
    {
        this.batchSize = batchSize;
        return this;
    }

    /**
     * @param pairRefreshMs how often pairs are discovered and lag sampled.
     * @return this.
     */
    public ClearingContext pairRefreshMs(final int pairRefreshMs)
    {
        this.pairRefreshMs = pairRefreshMs;
        return this;
    }

    /**
     * @param maxBalances (account, asset) balances the ledger is preallocated for.
     * @return this.
     */
    public ClearingContext maxBalances(final long maxBalances)
    {
        this.maxBalances = maxBalances;
        return this;
    }

    /**
     * @param walLimitBytes write-ahead log size that triggers its compaction.
     * @return this.
     */
    public ClearingContext walLimitBytes(final long walLimitBytes)
    {
        this.walLimitBytes = walLimitBytes;
        return this;
    }

    /**
     * Validates the settings.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public ClearingContext conclude()
    {
        require(port >= 0 && port <= 65535, "port must be 0..65535");
        require(dataDir != null, "a data dir is required");
        require(!engines.isEmpty(), "at least one engine address is required");
        require(FEE_ACCOUNT.matcher(feeAccount).matches(), "fee account must be 1-64 of [A-Za-z0-9_.:@-]");
        require(batchSize >= 1 && batchSize <= 10_000, "batch size must be 1..10000");
        require(blockMs >= 1 && blockMs < engineTimeoutMs, "block must be positive and below the engine timeout");
        require(pairRefreshMs >= 10, "pair refresh must be at least 10 ms");
        require(maxBalances >= 16, "max balances must be at least 16");
        require(walLimitBytes >= 1 << 16, "the write-ahead log limit must be at least 64 KiB");
        return this;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }

    /** @return client port. */
    public int port()
    {
        return port;
    }

    /** @return listen address. */
    public String bindAddress()
    {
        return bindAddress;
    }

    /** @return directory of the ledger. */
    public Path dataDir()
    {
        return dataDir;
    }

    /** @return engine addresses. */
    public List<HostAndPort> engines()
    {
        return List.copyOf(engines);
    }

    /** @return consumer group. */
    public String group()
    {
        return group;
    }

    /** @return consumer name. */
    public String consumer()
    {
        return consumer;
    }

    /** @return fee account. */
    public String feeAccount()
    {
        return feeAccount;
    }

    /** @return fills per stream per batch. */
    public int batchSize()
    {
        return batchSize;
    }

    /** @return read wait, ms. */
    public int blockMs()
    {
        return blockMs;
    }

    /** @return pair discovery period, ms. */
    public int pairRefreshMs()
    {
        return pairRefreshMs;
    }

    /** @return engine timeout, ms. */
    public int engineTimeoutMs()
    {
        return engineTimeoutMs;
    }

    /** @return ledger sizes. */
    public LedgerOptions ledgerOptions()
    {
        return new LedgerOptions(maxBalances, LedgerOptions.MAX_PAIRS_DEFAULT, walLimitBytes);
    }

    @Override
    public String toString()
    {
        return "port=" + port + " bind=" + bindAddress + " data-dir=" + dataDir + " engines=" + engines +
            " group=" + group + " consumer=" + consumer + " fee-account=" + feeAccount + " batch=" + batchSize +
            " block-ms=" + blockMs + " pair-refresh-ms=" + pairRefreshMs + " max-balances=" + maxBalances +
            " wal-limit=" + walLimitBytes;
    }
}
