package io.redmatch.clearing.ledger;

/**
 * Told as a batch goes through the ledger's writes, in order. Production passes {@link #NONE}; the recovery tests
 * throw from a step to stop the ledger there, as a crash would.
 */
@FunctionalInterface
public interface LedgerSteps
{
    /** Ignores every step. */
    LedgerSteps NONE = (step) ->
    {
    };

    /** The writes of one batch, in the order they happen. */
    enum Step
    {
        /** The record is written to the log, not yet synced. */
        WAL_WRITTEN,
        /** The record is on the disk. */
        WAL_SYNCED,
        /** One balance was put into the map (once per balance). */
        BALANCE_PUT,
        /** One pair's state was put into the map (once per pair). */
        PAIR_PUT
    }

    /**
     * @param step the step just done.
     */
    void reached(Step step);
}
