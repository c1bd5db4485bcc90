package io.redmatch.engine.stream;

import io.redmatch.engine.core.PairSpec;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The fill streams of a node, one per pair, in the order the pairs were added. Looks a stream up by the bytes of its
 * key, {@code fills:<PAIR>}, or of its pair name, straight from a request argument without allocating: an
 * open-addressing table of pair-name hashes, since the JDK's and Agrona's maps would need a key object per lookup.
 * <p>
 * Every stream created here gets the registry's retention and commit listener, so the command layer registers once
 * for all pairs, present and future. Confined to the node's matching thread.
 */
public final class FillStreamRegistry
{
    private static final byte[] KEY_PREFIX = FillStream.KEY_PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final int INITIAL_TABLE_CAPACITY = 64;

    private final IntFunction<byte[]> accountNames;
    private long retentionMicros;
    private final List<FillStream> streams = new ArrayList<>();
    private FillStream[] table = new FillStream[INITIAL_TABLE_CAPACITY];
    private int[] hashes = new int[INITIAL_TABLE_CAPACITY];
    private FillCommitListener commitListener = FillCommitListener.NONE;

    /** A registry with the default retention, whose streams get account names from their creator. */
    public FillStreamRegistry()
    {
        this(null, FillStream.RETENTION_MICROS_DEFAULT);
    }

    /**
     * A registry.
     *
     * @param accountNames    gives an account's name bytes by id, for {@link #create(PairSpec)}; may be null when
     *                        every stream is created with {@link #create(PairSpec, IntFunction)}.
     * @param retentionMicros fill retention in engine time, {@link FillStream#RETENTION_MICROS_DEFAULT} by default.
     */
    public FillStreamRegistry(final IntFunction<byte[]> accountNames, final long retentionMicros)
    {
        this.accountNames = accountNames;
        this.retentionMicros = retentionMicros;
    }

    /** @return the retention every stream of this registry gets. */
    public long retentionMicros()
    {
        return retentionMicros;
    }

    /**
     * Sets the retention of the streams created from now on, from the node's configuration before any pair exists.
     *
     * @param retentionMicros fill retention in engine time.
     * @return this registry.
     */
    public FillStreamRegistry retentionMicros(final long retentionMicros)
    {
        if (retentionMicros < 0)
        {
            throw new IllegalArgumentException("fill retention must not be negative: " + retentionMicros);
        }
        this.retentionMicros = retentionMicros;
        return this;
    }

    /**
     * Creates the stream of a new pair, on {@code PAIR.ADD}, with the registry's account names.
     *
     * @param spec the pair.
     * @return its stream.
     * @throws IllegalArgumentException when the pair has a stream already.
     */
    public FillStream create(final PairSpec spec)
    {
        if (accountNames == null)
        {
            throw new IllegalStateException("registry has no account names; use create(spec, accountNames)");
        }
        return create(spec, accountNames);
    }

    /**
     * Creates the stream of a new pair, on {@code PAIR.ADD}.
     *
     * @param spec         the pair.
     * @param accountNames gives an account's name bytes by id.
     * @return its stream.
     * @throws IllegalArgumentException when the pair has a stream already.
     */
    public FillStream create(final PairSpec spec, final IntFunction<byte[]> accountNames)
    {
        final FillStream stream = new FillStream(spec, accountNames, retentionMicros);
        final byte[] name = stream.pairName();
        if (find(name) != null)
        {
            throw new IllegalArgumentException("pair " + spec.name() + " has a fill stream already");
        }
        stream.commitListener(commitListener);
        streams.add(stream);
        if (streams.size() * 2 > table.length)
        {
            growTable();
        }
        else
        {
            insert(stream);
        }
        return stream;
    }

    /**
     * Sets who is told when any stream, present or future, commits.
     *
     * @param listener the listener.
     */
    public void commitListener(final FillCommitListener listener)
    {
        this.commitListener = listener == null ? FillCommitListener.NONE : listener;
        for (int i = 0, n = streams.size(); i < n; i++)
        {
            streams.get(i).commitListener(commitListener);
        }
    }

    /** @return how many streams there are. */
    public int size()
    {
        return streams.size();
    }

    /**
     * A stream by its position in the order pairs were added, for iteration (e.g. {@code INFO}).
     *
     * @param index from 0 to {@link #size()} - 1.
     * @return the stream.
     */
    public FillStream get(final int index)
    {
        return streams.get(index);
    }

    /** @return the streams in the order their pairs were added, read-only. */
    public List<FillStream> streams()
    {
        return Collections.unmodifiableList(streams);
    }

    /**
     * @return true when the bytes start with {@code fills:}, so they name a fill stream, served here or not.
     */
    public static boolean isFillsKey(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < KEY_PREFIX.length)
        {
            return false;
        }
        for (int i = 0; i < KEY_PREFIX.length; i++)
        {
            if (buffer.getByte(offset + i) != KEY_PREFIX[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Looks a stream up by its key, without allocating.
     *
     * @return the stream of key {@code fills:<PAIR>}, or null when the key is not of that form or the pair is not
     * served here.
     */
    public FillStream findByKey(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!isFillsKey(buffer, offset, length))
        {
            return null;
        }
        return findByPair(buffer, offset + KEY_PREFIX.length, length - KEY_PREFIX.length);
    }

    /**
     * Looks a stream up by its pair name, without allocating.
     *
     * @return the stream, or null when the pair is not served here.
     */
    public FillStream findByPair(final DirectBuffer buffer, final int offset, final int length)
    {
        final int hash = ByteKeys.hash(buffer, offset, length);
        final int mask = table.length - 1;
        for (int slot = hash & mask; table[slot] != null; slot = (slot + 1) & mask)
        {
            if (hashes[slot] == hash && ByteKeys.equals(table[slot].pairName(), buffer, offset, length))
            {
                return table[slot];
            }
        }
        return null;
    }

    /**
     * Looks a stream up by its pair name; for slow paths and tests.
     *
     * @return the stream, or null when the pair is not served here.
     */
    public FillStream findByPair(final String pairName)
    {
        return find(pairName.getBytes(StandardCharsets.US_ASCII));
    }

    private FillStream find(final byte[] pairName)
    {
        final int hash = ByteKeys.hash(pairName);
        final int mask = table.length - 1;
        for (int slot = hash & mask; table[slot] != null; slot = (slot + 1) & mask)
        {
            if (hashes[slot] == hash && Arrays.equals(table[slot].pairName(), pairName))
            {
                return table[slot];
            }
        }
        return null;
    }

    private void insert(final FillStream stream)
    {
        final int hash = ByteKeys.hash(stream.pairName());
        final int mask = table.length - 1;
        int slot = hash & mask;
        while (table[slot] != null)
        {
            slot = (slot + 1) & mask;
        }
        table[slot] = stream;
        hashes[slot] = hash;
    }

    private void growTable()
    {
        table = new FillStream[table.length * 2];
        hashes = new int[table.length];
        for (int i = 0, n = streams.size(); i < n; i++)
        {
            insert(streams.get(i));
        }
    }
}
