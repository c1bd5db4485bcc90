package io.redmatch.engine.node;

import io.redmatch.engine.core.InvalidFieldException;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.stream.FillStreamRegistry;
import org.agrona.DirectBuffer;

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

    /** @return the next order id; every order that reaches the sequencer gets one. */
    public long nextOrderId()
    {
        return ++lastOrderId;
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
