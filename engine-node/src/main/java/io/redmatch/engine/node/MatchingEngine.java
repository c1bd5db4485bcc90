package io.redmatch.engine.node;

import io.redmatch.engine.core.InvalidFieldException;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.stream.FillStreamRegistry;
import io.redmatch.engine.snapshot.SnapshotFormatException;
import io.redmatch.engine.snapshot.SnapshotReader;
import io.redmatch.engine.snapshot.SnapshotSection;
import io.redmatch.engine.snapshot.SnapshotWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The whole matching state of a node: its pairs in the order they were added, the account registry and the
 * node-wide order id counter. A deterministic function of the command log; confined to the matching thread.
 */
public final class MatchingEngine
{
    /** How long closed orders stay readable, in engine time, unless configured. */
    public static final long CLOSED_RETENTION_MICROS_DEFAULT = 24L * 3600 * 1_000_000;
    /** Most closed orders kept per pair, whatever their age, so memory stays bounded under any load. */
    public static final int MAX_CLOSED_ORDERS_DEFAULT = 1_000_000;

    private final FillStreamRegistry streams;
    private final MarketDataListener marketData;
    private final long closedRetentionMicros;
    private final int maxClosedOrders;
    private final AccountRegistry accounts = new AccountRegistry();
    private final OrderPool pool = new OrderPool();
    private final List<PairEngine> pairs = new ArrayList<>();
    private final AsciiKeyIndex pairIndex = new AsciiKeyIndex(64);
    private long lastOrderId;
    private boolean deferFillCommit;

    public MatchingEngine(
        final FillStreamRegistry streams,
        final MarketDataListener marketData,
        final long closedRetentionMicros,
        final int maxClosedOrders)
    {
        this.streams = streams;
        this.marketData = marketData;
        this.closedRetentionMicros = closedRetentionMicros;
        this.maxClosedOrders = maxClosedOrders;
    }

    /**
     * Adds a pair.
     *
     * @throws InvalidFieldException when a pair of that name exists.
     */
    public PairEngine addPair(final PairSpec spec)
    {
        final byte[] name = spec.name().getBytes(StandardCharsets.US_ASCII);
        if (pairIndex.get(name) != AsciiKeyIndex.MISSING)
        {
            throw new InvalidFieldException("PAIR", "already exists");
        }
        final PairEngine pair = new PairEngine(
            pairs.size(), spec, pool, streams.create(spec, accounts::name), marketData, closedRetentionMicros,
            maxClosedOrders);
        pair.deferFillCommit(deferFillCommit);
        pairIndex.put(name, pairs.size());
        pairs.add(pair);
        return pair;
    }

    /**
     * Sets when fills become readable: at the end of each command, or, with a durable command log, only at
     * {@link #commitFills()} once the commands that made them are durable (SPEC §3).
     *
     * @param deferFillCommit true to commit fills only in {@link #commitFills()}.
     */
    public void deferFillCommit(final boolean deferFillCommit)
    {
        this.deferFillCommit = deferFillCommit;
        for (final PairEngine pair : pairs)
        {
            pair.deferFillCommit(deferFillCommit);
        }
    }

    /** Commits every pair's fills: all commands applied so far are durable. */
    public void commitFills()
    {
        for (int i = 0, size = pairs.size(); i < size; i++)
        {
            pairs.get(i).commitFills();
        }
    }

    /** @return the pair named by these bytes, or null when it is not served here. */
    public PairEngine pair(final DirectBuffer buffer, final int offset, final int length)
    {
        final long index = pairIndex.get(buffer, offset, length);
        return index == AsciiKeyIndex.MISSING ? null : pairs.get((int)index);
    }

    /** @return the pair of this name, or null. */
    public PairEngine pair(final String name)
    {
        final long index = pairIndex.get(name.getBytes(StandardCharsets.US_ASCII));
        return index == AsciiKeyIndex.MISSING ? null : pairs.get((int)index);
    }

    /** @return the pairs in the order they were added. */
    public List<PairEngine> pairs()
    {
        return Collections.unmodifiableList(pairs);
    }

    public AccountRegistry accounts()
    {
        return accounts;
    }

    public OrderPool pool()
    {
        return pool;
    }

    /** @return the last order id given out, 0 before the first. */
    public long lastOrderId()
    {
        return lastOrderId;
    }

    /** @return the next order id; every order that reaches the sequencer gets one. */
    public long nextOrderId()
    {
        return ++lastOrderId;
    }

    /**
     * Copies the whole matching state into a snapshot: an {@link SnapshotSection#ENGINE} section with the order id
     * counter and the account names, then one {@link SnapshotSection#PAIR} section per pair, in the order they were
     * added. On the matching thread, between commands.
     *
     * @param out the snapshot being written.
     */
    public void writeSnapshot(final SnapshotWriter out)
    {
        out.beginSection(SnapshotSection.ENGINE);
        out.putLong(lastOrderId).putInt(accounts.size());
        for (int i = 0; i < accounts.size(); i++)
        {
            out.putBytes(accounts.name(i));
        }
        out.endSection();
        for (final PairEngine pair : pairs)
        {
            out.beginSection(SnapshotSection.PAIR);
            final PairSpec spec = pair.spec();
            out.putAscii(spec.name()).putInt(spec.priceScale()).putLong(spec.tickUnits()).putInt(spec.qtyScale())
                .putLong(spec.lotUnits()).putLong(spec.minQtyUnits()).putLong(spec.makerFeeRate())
                .putLong(spec.takerFeeRate()).putInt(spec.baseScale()).putInt(spec.quoteScale());
            pair.writeSnapshot(out, accounts.size());
            out.endSection();
        }
    }

    /**
     * Loads a snapshot into this engine, which must be new (no pair, no account): reads its sections up to
     * {@link SnapshotSection#END}. Every fill loaded is committed.
     *
     * @param in a reader over a verified snapshot, before its first section.
     * @throws SnapshotFormatException when the sections do not make a consistent state.
     */
    public void readSnapshot(final SnapshotReader in)
    {
        if (!pairs.isEmpty() || accounts.size() != 0 || lastOrderId != 0)
        {
            throw new IllegalStateException("a snapshot is loaded into a new engine only");
        }
        if (in.nextSection() != SnapshotSection.ENGINE)
        {
            throw new SnapshotFormatException("the first section is " + SnapshotSection.name(in.sectionType()));
        }
        lastOrderId = in.getLong();
        final int accountCount = in.getCount(4);
        for (int i = 0; i < accountCount; i++)
        {
            final byte[] name = in.getBytes();
            final UnsafeBuffer view = new UnsafeBuffer(name == null ? new byte[0] : name);
            if (!AccountRegistry.isValidName(view, 0, view.capacity()) ||
                accounts.intern(view, 0, view.capacity()) != i)
            {
                throw new SnapshotFormatException("account " + i + " has an invalid or repeated name");
            }
        }
        for (int type = in.nextSection(); type != SnapshotSection.END; type = in.nextSection())
        {
            if (type != SnapshotSection.PAIR)
            {
                throw new SnapshotFormatException("unexpected section " + SnapshotSection.name(type));
            }
            final PairSpec spec;
            try
            {
                spec = PairSpec.restore(in.getAscii(), in.getInt(), in.getLong(), in.getInt(), in.getLong(),
                    in.getLong(), in.getLong(), in.getLong(), in.getInt(), in.getInt());
            }
            catch (final IllegalArgumentException ex)
            {
                throw new SnapshotFormatException("pair spec: " + ex.getMessage());
            }
            addPair(spec).readSnapshot(in, accountCount);
        }
        in.getInt();
        commitFills();
    }

    /** @return the hex SHA-1 of the whole matching state. */
    public String digest()
    {
        final StateDigest digest = new StateDigest();
        digest.add(lastOrderId).add(accounts.size());
        for (int i = 0; i < accounts.size(); i++)
        {
            digest.add(accounts.name(i));
        }
        for (final PairEngine pair : pairs)
        {
            pair.digest(digest);
        }
        return digest.hex();
    }
}
