package io.redmatch.clearing.ledger;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What the ledger keeps per pair: the cursor (the last fill sequence applied), the engine time of that fill, and the
 * content hashes of the last {@link #HASH_WINDOW} fills applied, so that a fill delivered again (after a failover, or a
 * consumer group that is behind) is recognised as the same fill, or alarmed on when its content differs.
 */
public final class PairState
{
    /** How many recent fills per pair keep their content hash. */
    public static final int HASH_WINDOW = 256;

    /** Bytes of an encoded state. */
    public static final int ENCODED_LENGTH = 8 + 8 + 4 + HASH_WINDOW * 16;

    private long cursor;
    private long lastTs;
    private final long[] seqs = new long[HASH_WINDOW];
    private final long[] hashes = new long[HASH_WINDOW];

    /** @return the last fill sequence applied; 0 before the first. */
    public long cursor()
    {
        return cursor;
    }

    /** @return the engine time of the last fill applied, microseconds; 0 before the first. */
    public long lastTs()
    {
        return lastTs;
    }

    /**
     * Records a fill as applied; the cursor moves to it.
     *
     * @param seq  its sequence, {@code cursor() + 1}.
     * @param hash its content hash.
     * @param ts   its engine time.
     */
    public void applied(final long seq, final long hash, final long ts)
    {
        cursor = seq;
        lastTs = ts;
        remember(seq, hash);
    }

    /**
     * @param seq a sequence at or below the cursor.
     * @return true when its hash is still kept.
     */
    public boolean knowsHash(final long seq)
    {
        return seq > 0 && seqs[slot(seq)] == seq;
    }

    /**
     * @param seq a sequence for which {@link #knowsHash} is true.
     * @return the content hash of the fill applied at it.
     */
    public long hashAt(final long seq)
    {
        return hashes[slot(seq)];
    }

    /** @return a copy. */
    public PairState copy()
    {
        final PairState copy = new PairState();
        copy.cursor = cursor;
        copy.lastTs = lastTs;
        System.arraycopy(seqs, 0, copy.seqs, 0, HASH_WINDOW);
        System.arraycopy(hashes, 0, copy.hashes, 0, HASH_WINDOW);
        return copy;
    }

    void restore(final long cursor, final long lastTs)
    {
        this.cursor = cursor;
        this.lastTs = lastTs;
    }

    void remember(final long seq, final long hash)
    {
        seqs[slot(seq)] = seq;
        hashes[slot(seq)] = hash;
    }

    /** @return the sequences whose hash is kept, for a snapshot. */
    long[] keptSeqs()
    {
        return Arrays.stream(seqs).filter((seq) -> seq > 0).toArray();
    }

    byte[] encode()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(ENCODED_LENGTH);
        buffer.putLong(cursor).putLong(lastTs).putInt(HASH_WINDOW);
        for (int i = 0; i < HASH_WINDOW; i++)
        {
            buffer.putLong(seqs[i]).putLong(hashes[i]);
        }
        return buffer.array();
    }

    static PairState decode(final byte[] bytes)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final PairState state = new PairState();
        state.cursor = buffer.getLong();
        state.lastTs = buffer.getLong();
        final int window = buffer.getInt();
        if (window != HASH_WINDOW || bytes.length != ENCODED_LENGTH)
        {
            throw new IllegalStateException("pair state of another format (hash window " + window + ")");
        }
        for (int i = 0; i < HASH_WINDOW; i++)
        {
            state.seqs[i] = buffer.getLong();
            state.hashes[i] = buffer.getLong();
        }
        return state;
    }

    private static int slot(final long seq)
    {
        return (int)(seq % HASH_WINDOW);
    }
}
