package io.redmatch.clearing;

/**
 * What {@code INFO} shows of one pair; written by the clearing agent, read by connections.
 */
public final class PairStatus
{
    /** Where a pair stands. */
    public enum State
    {
        /** Being cleared. */
        ACTIVE,
        /** Stopped by an alarm until the service restarts. */
        STOPPED,
        /** In the ledger, but the engine does not serve it (now). */
        ABSENT
    }

    private final String pair;
    private volatile State state = State.ACTIVE;
    private volatile String reason = "";
    private volatile long engineLastSeq;
    private volatile long engineLastTs;

    /**
     * @param pair the pair.
     */
    public PairStatus(final String pair)
    {
        this.pair = pair;
    }

    /** @return the pair. */
    public String pair()
    {
        return pair;
    }

    /** @return its state. */
    public State state()
    {
        return state;
    }

    /** @return why it stopped, or empty. */
    public String reason()
    {
        return reason;
    }

    /**
     * @param state  its new state.
     * @param reason why.
     */
    public void state(final State state, final String reason)
    {
        this.reason = reason;
        this.state = state;
    }

    /** @return the last fill sequence the engine had at the last sample. */
    public long engineLastSeq()
    {
        return engineLastSeq;
    }

    /** @return the engine time of that fill. */
    public long engineLastTs()
    {
        return engineLastTs;
    }

    /**
     * @param seq the engine's last fill sequence.
     * @param ts  its engine time.
     */
    public void engineLast(final long seq, final long ts)
    {
        this.engineLastTs = ts;
        this.engineLastSeq = seq;
    }
}
