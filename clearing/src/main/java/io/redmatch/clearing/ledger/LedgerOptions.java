package io.redmatch.clearing.ledger;

/**
 * Sizes of the ledger, fixed when its files are created.
 *
 * @param maxBalances   (account, asset) pairs the balance map holds; the map is preallocated for them.
 * @param maxPairs      pairs the pair map holds.
 * @param walLimitBytes the write-ahead log is compacted into a snapshot when it grows beyond this.
 */
public record LedgerOptions(long maxBalances, long maxPairs, long walLimitBytes)
{
    /** Default {@link #maxBalances}. */
    public static final long MAX_BALANCES_DEFAULT = 1_000_000;
    /** Default {@link #maxPairs}. */
    public static final long MAX_PAIRS_DEFAULT = 1024;
    /** Default {@link #walLimitBytes}. */
    public static final long WAL_LIMIT_DEFAULT = 64L << 20;

    /** @return the defaults. */
    public static LedgerOptions defaults()
    {
        return new LedgerOptions(MAX_BALANCES_DEFAULT, MAX_PAIRS_DEFAULT, WAL_LIMIT_DEFAULT);
    }
}
