package io.redmatch.clearing.ledger;

/**
 * Keys of the balance map: {@code <account> <asset>}. Account names never hold a space (SPEC §2 allows
 * {@code [A-Za-z0-9_.:-]}, the fee account adds {@code @}), nor do asset names, so the key splits back unambiguously.
 */
public final class BalanceKeys
{
    private BalanceKeys()
    {
    }

    /**
     * @param account the account.
     * @param asset   the asset.
     * @return the key.
     */
    public static String key(final String account, final String asset)
    {
        return account + ' ' + asset;
    }

    /**
     * @param key a balance key.
     * @return its account.
     */
    public static String account(final String key)
    {
        return key.substring(0, key.indexOf(' '));
    }

    /**
     * @param key a balance key.
     * @return its asset.
     */
    public static String asset(final String key)
    {
        return key.substring(key.indexOf(' ') + 1);
    }
}
