package io.redmatch.engine.stream;

/**
 * A consumer of a {@link ConsumerGroup}: its name, how many entries it holds pending, and when it was last seen
 * (created, or an {@code XREADGROUP} that delivered new entries or read pending ones back) and last active (a read
 * that delivered new entries), in engine time. A read that finds nothing changes neither: it is not logged.
 */
public final class StreamConsumer
{
    /** {@link #activeTime()} of a consumer that has never been delivered anything. */
    public static final long NEVER = -1;

    private final byte[] name;
    private final int id;
    private long pendingCount;
    private long seenTime;
    private long activeTime = NEVER;

    StreamConsumer(final byte[] name, final int id, final long now)
    {
        this.name = name;
        this.id = id;
        this.seenTime = now;
    }

    /** @return the consumer's name; the caller must not change the array. */
    public byte[] name()
    {
        return name;
    }

    /** @return the consumer's id within its group, stable while it exists. */
    public int id()
    {
        return id;
    }

    /** @return how many entries of the group's pending list belong to this consumer. */
    public long pendingCount()
    {
        return pendingCount;
    }

    /** @return engine time (µs) of the last read that delivered or re-read it something, or of its creation. */
    public long seenTime()
    {
        return seenTime;
    }

    /** @return engine time (µs) of the last read that delivered it something, or {@link #NEVER}. */
    public long activeTime()
    {
        return activeTime;
    }

    void seen(final long now)
    {
        seenTime = now;
    }

    void active(final long now)
    {
        activeTime = now;
    }

    void addPending(final long delta)
    {
        pendingCount += delta;
    }
}
