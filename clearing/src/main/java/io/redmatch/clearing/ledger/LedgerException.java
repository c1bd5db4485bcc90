package io.redmatch.clearing.ledger;

/** The ledger cannot be opened or written: its files, the disk, or its capacity. */
public final class LedgerException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with the path.
     * @param cause   the underlying failure, or null.
     */
    public LedgerException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
