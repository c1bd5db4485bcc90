package io.redmatch.engine.stream;

import io.redmatch.engine.core.Decimal;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.core.Side;
import io.redmatch.engine.snapshot.SnapshotFormatException;
import io.redmatch.engine.snapshot.SnapshotReader;
import io.redmatch.engine.snapshot.SnapshotWriter;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The fills of one pair, in fill sequence order, read as the Redis stream {@code fills:<PAIR>} whose entry IDs are
 * {@code <seq>-0}.
 * <p>
 * Fills are stored column by column in chunks of {@link #CHUNK_SIZE} ({@link FillChunk}), held in a ring: appending
 * writes a few array slots, trimming drops whole chunks from the head and keeps a couple spare for reuse, so a stream
 * in steady state (fills in, old fills out) allocates nothing.
 * <p>
 * Visibility: the matching engine appends fills as it makes them and moves the commit watermark with
 * {@link #commit(long)} once they may be shown: at the end of each command on a node without a command log, and once
 * the commands that made them are durable on a node with one (after each group commit). Plain readers ({@code XRANGE}, {@code XREAD}, {@code XLEN}, {@code XINFO}) see only committed entries.
 * Consumer groups are changed by logged commands, which see every entry appended before them in log order; see
 * {@link ConsumerGroup#deliverNew}.
 * <p>
 * Retention: an entry is trimmed only when every group has acknowledged it (delivered past it and not pending) and it
 * is older than the retention in engine time. Trimming runs on {@link #append}, with the fill's time, and on
 * {@link #trim(long)}, which logged commands such as {@code XACK} call with their engine time: both are points of the
 * command log, so a standby trims exactly the same entries.
 * <p>
 * Not thread safe: confined to the node's matching thread.
 */
public final class FillStream
{
    /** How long fills are kept, in engine time, unless configured: 24 h. */
    public static final long RETENTION_MICROS_DEFAULT = 24L * 3600 * 1_000_000;

    /** Prefix of every fill stream key; the pair name follows. */
    public static final String KEY_PREFIX = "fills:";

    static final int CHUNK_SHIFT = 9;
    static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
    static final int CHUNK_MASK = CHUNK_SIZE - 1;

    private static final int SPARE_CHUNKS_MAX = 2;
    private static final int INITIAL_CHUNK_SLOTS = 8;

    private final PairSpec spec;
    private final IntFunction<byte[]> accountNames;
    private final long retentionMicros;
    private final byte[] pairName;
    private final byte[] key;
    private final String keyName;

    private FillChunk[] chunks = new FillChunk[INITIAL_CHUNK_SLOTS];
    private int headChunk;
    private int chunkCount;
    private final FillChunk[] spareChunks = new FillChunk[SPARE_CHUNKS_MAX];
    private int spareCount;
    private long chunkBaseSeq = 1;

    private long firstSeq = 1;
    private long lastSeq;
    private long committedSeq;

    private final List<ConsumerGroup> groups = new ArrayList<>();
    private FillCommitListener commitListener = FillCommitListener.NONE;

    /**
     * A stream with the default retention.
     *
     * @param spec         the pair, for its name and the scales of its decimals.
     * @param accountNames gives an account's name bytes by account id.
     */
    public FillStream(final PairSpec spec, final IntFunction<byte[]> accountNames)
    {
        this(spec, accountNames, RETENTION_MICROS_DEFAULT);
    }

    /**
     * A stream.
     *
     * @param spec            the pair, for its name and the scales of its decimals.
     * @param accountNames    gives an account's name bytes by account id.
     * @param retentionMicros how long, in engine time, a fill is kept at least.
     */
    public FillStream(final PairSpec spec, final IntFunction<byte[]> accountNames, final long retentionMicros)
    {
        if (retentionMicros < 0)
        {
            throw new IllegalArgumentException("negative retention " + retentionMicros);
        }
        this.spec = spec;
        this.accountNames = accountNames;
        this.retentionMicros = retentionMicros;
        this.pairName = spec.name().getBytes(StandardCharsets.US_ASCII);
        this.keyName = KEY_PREFIX + spec.name();
        this.key = keyName.getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the pair this stream holds the fills of. */
    public PairSpec spec()
    {
        return spec;
    }

    /** @return the pair name as bytes; the caller must not change the array. */
    public byte[] pairName()
    {
        return pairName;
    }

    /** @return the stream's key, {@code fills:<PAIR>}, as bytes; the caller must not change the array. */
    public byte[] key()
    {
        return key;
    }

    /** @return the stream's key, {@code fills:<PAIR>}. */
    public String keyName()
    {
        return keyName;
    }

    /** @return the retention in engine time, microseconds. */
    public long retentionMicros()
    {
        return retentionMicros;
    }

    /**
     * Sets who is told of commits; {@link FillCommitListener#NONE} by default.
     *
     * @param listener the listener.
     */
    public void commitListener(final FillCommitListener listener)
    {
        this.commitListener = listener == null ? FillCommitListener.NONE : listener;
    }

    /**
     * Appends a fill. Called by the matching engine for every trade, in fill sequence order.
     *
     * @param seq            the pair's fill sequence: 1 for the first fill, then one more each time.
     * @param price          trade price at {@code spec.priceScale()}.
     * @param qty            traded quantity at {@code spec.qtyScale()}.
     * @param quoteQty       {@code price × qty} at {@code spec.notionalScale()}.
     * @param takerSide      side of the taker.
     * @param takerOrderId   order id of the taker.
     * @param makerOrderId   order id of the maker.
     * @param takerAccountId account id of the taker.
     * @param makerAccountId account id of the maker.
     * @param takerFee       taker's fee in the asset it receives: base ({@code spec.baseScale()}) for a buy, quote
     *                       ({@code spec.quoteScale()}) for a sell.
     * @param makerFee       maker's fee in the asset it receives, the other one.
     * @param ts             engine time of the trade, microseconds since the epoch.
     * @throws IllegalArgumentException when {@code seq} is not the next one: an engine bug, never client input.
     */
    public void append(
        final long seq,
        final long price,
        final long qty,
        final long quoteQty,
        final Side takerSide,
        final long takerOrderId,
        final long makerOrderId,
        final int takerAccountId,
        final int makerAccountId,
        final long takerFee,
        final long makerFee,
        final long ts)
    {
        if (seq != lastSeq + 1)
        {
            throw new IllegalArgumentException("fill " + seq + " appended after " + lastSeq + " in " + spec.name());
        }
        final long offset = seq - chunkBaseSeq;
        if (offset == (long)chunkCount << CHUNK_SHIFT)
        {
            addChunk();
        }
        final FillChunk chunk = chunks[(headChunk + (int)(offset >>> CHUNK_SHIFT)) & (chunks.length - 1)];
        final int i = (int)(offset & CHUNK_MASK);
        chunk.price[i] = price;
        chunk.qty[i] = qty;
        chunk.quoteQty[i] = quoteQty;
        chunk.takerSide[i] = (byte)takerSide.ordinal();
        chunk.takerOrderId[i] = takerOrderId;
        chunk.makerOrderId[i] = makerOrderId;
        chunk.takerAccountId[i] = takerAccountId;
        chunk.makerAccountId[i] = makerAccountId;
        chunk.takerFee[i] = takerFee;
        chunk.makerFee[i] = makerFee;
        chunk.ts[i] = ts;
        lastSeq = seq;
        trim(ts);
    }

    /**
     * Moves the commit watermark: readers see entries up to {@code seq}, and readers blocked on this stream are told.
     * A sequence at or below the watermark changes nothing, so it is safe to commit after every command.
     *
     * @param seq the highest committed fill sequence.
     * @throws IllegalArgumentException when {@code seq} is beyond the last appended fill.
     */
    public void commit(final long seq)
    {
        if (seq <= committedSeq)
        {
            return;
        }
        if (seq > lastSeq)
        {
            throw new IllegalArgumentException("commit of " + seq + " beyond fill " + lastSeq + " in " + spec.name());
        }
        committedSeq = seq;
        commitListener.onCommit(this);
    }

    /**
     * Trims what the retention rule allows at engine time {@code now}: from the head, each entry every group has
     * acknowledged and older than the retention. Costs O(groups) when there is nothing to trim, and O(1) per entry
     * trimmed.
     *
     * @param now engine time (µs) of the command doing it.
     * @return how many entries were trimmed.
     */
    public long trim(final long now)
    {
        final long oldest = now - retentionMicros;
        if (firstSeq > lastSeq || ts(firstSeq) >= oldest)
        {
            return 0;
        }
        long limit = lastSeq;
        for (int i = 0, n = groups.size(); i < n; i++)
        {
            limit = Math.min(limit, groups.get(i).ackFloorSeq() - 1);
        }
        final long before = firstSeq;
        while (firstSeq <= limit && ts(firstSeq) < oldest)
        {
            firstSeq++;
        }
        releaseTrimmedChunks();
        return firstSeq - before;
    }

    /** @return the sequence of the first entry still held (trimming moves it up); {@code lastSeq() + 1} if none. */
    public long firstSeq()
    {
        return firstSeq;
    }

    /** @return the sequence of the last fill appended, 0 before the first. */
    public long lastSeq()
    {
        return lastSeq;
    }

    /** @return the commit watermark: the last fill plain readers may see, 0 before the first commit. */
    public long committedSeq()
    {
        return committedSeq;
    }

    /** @return the number of committed entries still held, what {@code XLEN} gives. */
    public long length()
    {
        return Math.max(0, committedSeq - firstSeq + 1);
    }

    /** @return the first committed entry still held, or 0 when there is none. */
    public long firstCommittedSeq()
    {
        return committedSeq >= firstSeq ? firstSeq : 0;
    }

    /** @return how many chunks hold the entries, reported as {@code radix-tree-keys} by {@code XINFO STREAM}. */
    public int chunkCount()
    {
        return chunkCount;
    }

    /** @return true when the entry is held: appended and not trimmed, committed or not. */
    public boolean contains(final long seq)
    {
        return seq >= firstSeq && seq <= lastSeq;
    }

    /**
     * @param seq an entry held, see {@link #contains(long)}.
     * @return its price at {@code spec().priceScale()}.
     */
    public long price(final long seq)
    {
        return chunk(seq).price[index(seq)];
    }

    /**
     * @param seq an entry held.
     * @return its quantity at {@code spec().qtyScale()}.
     */
    public long qty(final long seq)
    {
        return chunk(seq).qty[index(seq)];
    }

    /**
     * @param seq an entry held.
     * @return its quote quantity at {@code spec().notionalScale()}.
     */
    public long quoteQty(final long seq)
    {
        return chunk(seq).quoteQty[index(seq)];
    }

    /**
     * @param seq an entry held.
     * @return the taker's side.
     */
    public Side takerSide(final long seq)
    {
        return Side.get(chunk(seq).takerSide[index(seq)]);
    }

    /**
     * @param seq an entry held.
     * @return the taker's order id.
     */
    public long takerOrderId(final long seq)
    {
        return chunk(seq).takerOrderId[index(seq)];
    }

    /**
     * @param seq an entry held.
     * @return the maker's order id.
     */
    public long makerOrderId(final long seq)
    {
        return chunk(seq).makerOrderId[index(seq)];
    }

    /**
     * @param seq an entry held.
     * @return the taker's account id.
     */
    public int takerAccountId(final long seq)
    {
        return chunk(seq).takerAccountId[index(seq)];
    }

    /**
     * @param seq an entry held.
     * @return the maker's account id.
     */
    public int makerAccountId(final long seq)
    {
        return chunk(seq).makerAccountId[index(seq)];
    }

    /**
     * @param seq an entry held.
     * @return the taker's fee at {@link #takerFeeScale(long)}.
     */
    public long takerFee(final long seq)
    {
        return chunk(seq).takerFee[index(seq)];
    }

    /**
     * @param seq an entry held.
     * @return the maker's fee at {@link #makerFeeScale(long)}.
     */
    public long makerFee(final long seq)
    {
        return chunk(seq).makerFee[index(seq)];
    }

    /**
     * @param seq an entry held.
     * @return the trade's engine time, microseconds since the epoch.
     */
    public long ts(final long seq)
    {
        return chunk(seq).ts[index(seq)];
    }

    /**
     * @param seq an entry held.
     * @return scale of the taker's fee: the base asset's for a buy, the quote asset's for a sell.
     */
    public int takerFeeScale(final long seq)
    {
        return takerSide(seq) == Side.BUY ? spec.baseScale() : spec.quoteScale();
    }

    /**
     * @param seq an entry held.
     * @return scale of the maker's fee: the asset the maker receives.
     */
    public int makerFeeScale(final long seq)
    {
        return takerSide(seq) == Side.BUY ? spec.quoteScale() : spec.baseScale();
    }

    /**
     * @param accountId an account id of an entry.
     * @return its name bytes; the caller must not change them.
     */
    public byte[] accountName(final int accountId)
    {
        return accountNames.apply(accountId);
    }

    /**
     * Writes the value of one field of an entry as its stream field reads: decimals without trailing zeros, sides as
     * {@code BUY}/{@code SELL}, accounts by name.
     *
     * @param seq    an entry held.
     * @param field  one of the {@link FillField} indices.
     * @param buffer where to write; 64 bytes past {@code offset} always suffice (account names are at most 64).
     * @param offset where to start.
     * @return the number of bytes written.
     */
    public int formatField(final long seq, final int field, final MutableDirectBuffer buffer, final int offset)
    {
        switch (field)
        {
            case FillField.SEQ:
                return buffer.putLongAscii(offset, seq);
            case FillField.PAIR:
                return putBytes(buffer, offset, pairName);
            case FillField.PRICE:
                return Decimal.format(price(seq), spec.priceScale(), buffer, offset);
            case FillField.QTY:
                return Decimal.format(qty(seq), spec.qtyScale(), buffer, offset);
            case FillField.QUOTE_QTY:
                return Decimal.format(quoteQty(seq), spec.notionalScale(), buffer, offset);
            case FillField.TAKER_SIDE:
                return putBytes(buffer, offset, takerSide(seq) == Side.BUY ? FillField.BUY : FillField.SELL);
            case FillField.TAKER_ORDER_ID:
                return buffer.putLongAscii(offset, takerOrderId(seq));
            case FillField.MAKER_ORDER_ID:
                return buffer.putLongAscii(offset, makerOrderId(seq));
            case FillField.TAKER_ACCOUNT:
                return putBytes(buffer, offset, accountName(takerAccountId(seq)));
            case FillField.MAKER_ACCOUNT:
                return putBytes(buffer, offset, accountName(makerAccountId(seq)));
            case FillField.TAKER_FEE:
                return Decimal.format(takerFee(seq), takerFeeScale(seq), buffer, offset);
            case FillField.MAKER_FEE:
                return Decimal.format(makerFee(seq), makerFeeScale(seq), buffer, offset);
            case FillField.TS:
                return buffer.putLongAscii(offset, ts(seq));
            default:
                throw new IllegalArgumentException("field " + field);
        }
    }

    /** @return how many consumer groups the stream has. */
    public int groupCount()
    {
        return groups.size();
    }

    /**
     * A group by its position in name order (unsigned bytes), the order Redis lists groups in.
     *
     * @param index from 0 to {@link #groupCount()} - 1.
     * @return the group.
     */
    public ConsumerGroup group(final int index)
    {
        return groups.get(index);
    }

    /**
     * Looks a group up by the bytes of its name, without allocating.
     *
     * @return the group, or null when there is none of that name.
     */
    public ConsumerGroup findGroup(final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = groupIndex(buffer, offset, length);
        return index >= 0 ? groups.get(index) : null;
    }

    /**
     * Creates a consumer group, as {@code XGROUP CREATE} does.
     *
     * @param lastDeliveredSeq the last entry considered delivered: 0 to read the whole stream, {@link #lastSeq()}
     *                         for {@code $}.
     * @return the new group, or null when one of that name exists ({@code BUSYGROUP}).
     */
    public ConsumerGroup createGroup(
        final DirectBuffer buffer, final int offset, final int length, final long lastDeliveredSeq)
    {
        final int index = groupIndex(buffer, offset, length);
        if (index >= 0)
        {
            return null;
        }
        final ConsumerGroup group = new ConsumerGroup(this, ByteKeys.copy(buffer, offset, length), lastDeliveredSeq);
        groups.add(-index - 1, group);
        return group;
    }

    /**
     * Destroys a consumer group with its consumers and pending list, as {@code XGROUP DESTROY} does.
     *
     * @return true when it existed.
     */
    public boolean destroyGroup(final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = groupIndex(buffer, offset, length);
        if (index < 0)
        {
            return false;
        }
        groups.remove(index);
        return true;
    }

    /**
     * Feeds everything this stream holds that applying the command log decides: the fills held, every column, and
     * every group with its consumers and pending list. The commit watermark is left out: it follows durability,
     * whose timing differs between nodes. A slow path, linear in what is held.
     *
     * @param sink receives the values.
     */
    public void digest(final StreamStateSink sink)
    {
        sink.add(key);
        sink.add(firstSeq);
        sink.add(lastSeq);
        for (long seq = firstSeq; seq <= lastSeq; seq++)
        {
            final FillChunk chunk = chunk(seq);
            final int i = index(seq);
            sink.add(chunk.price[i]);
            sink.add(chunk.qty[i]);
            sink.add(chunk.quoteQty[i]);
            sink.add(chunk.takerSide[i]);
            sink.add(chunk.takerOrderId[i]);
            sink.add(chunk.makerOrderId[i]);
            sink.add(chunk.takerAccountId[i]);
            sink.add(chunk.makerAccountId[i]);
            sink.add(chunk.takerFee[i]);
            sink.add(chunk.makerFee[i]);
            sink.add(chunk.ts[i]);
        }
        sink.add(groups.size());
        for (int g = 0; g < groups.size(); g++)
        {
            groups.get(g).digest(sink);
        }
    }

    /**
     * Writes what {@link #digest} covers, for a snapshot: the fills held, column by column per entry, and every
     * group. The commit watermark is not written: a snapshot is taken of durable state, so on load every fill held
     * is committed.
     *
     * @param out the snapshot.
     */
    public void writeSnapshot(final SnapshotWriter out)
    {
        out.putLong(firstSeq).putLong(lastSeq);
        for (long seq = firstSeq; seq <= lastSeq; seq++)
        {
            final FillChunk chunk = chunk(seq);
            final int i = index(seq);
            out.putLong(chunk.price[i]).putLong(chunk.qty[i]).putLong(chunk.quoteQty[i]).putByte(chunk.takerSide[i])
                .putLong(chunk.takerOrderId[i]).putLong(chunk.makerOrderId[i]).putInt(chunk.takerAccountId[i])
                .putInt(chunk.makerAccountId[i]).putLong(chunk.takerFee[i]).putLong(chunk.makerFee[i])
                .putLong(chunk.ts[i]);
        }
        out.putInt(groups.size());
        for (int g = 0; g < groups.size(); g++)
        {
            groups.get(g).writeSnapshot(out);
        }
    }

    /**
     * Reads what {@link #writeSnapshot} wrote into this new, empty stream; every fill read is committed.
     *
     * @param in          the snapshot.
     * @param lastFillSeq the pair's last fill sequence, which the stream's last entry must be.
     * @throws SnapshotFormatException when the values are not consistent.
     */
    public void readSnapshot(final SnapshotReader in, final long lastFillSeq)
    {
        if (lastSeq != 0 || !groups.isEmpty())
        {
            throw new IllegalStateException("fill stream " + keyName + " restored over existing state");
        }
        final long first = in.getLong();
        final long last = in.getLong();
        if (last != lastFillSeq || first < 1 || first > last + 1 || (last - first + 1) * FILL_SNAPSHOT_LENGTH >
            in.remaining())
        {
            throw new SnapshotFormatException(keyName + ": fills " + first + ".." + last + " do not fit (last fill " +
                lastFillSeq + ")");
        }
        chunkBaseSeq = 1 + ((first - 1) >>> CHUNK_SHIFT << CHUNK_SHIFT);
        firstSeq = first;
        lastSeq = first - 1;
        for (long seq = first; seq <= last; seq++)
        {
            final long offset = seq - chunkBaseSeq;
            if (offset == (long)chunkCount << CHUNK_SHIFT)
            {
                addChunk();
            }
            final FillChunk chunk = chunks[(headChunk + (int)(offset >>> CHUNK_SHIFT)) & (chunks.length - 1)];
            final int i = (int)(offset & CHUNK_MASK);
            chunk.price[i] = in.getLong();
            chunk.qty[i] = in.getLong();
            chunk.quoteQty[i] = in.getLong();
            chunk.takerSide[i] = in.getByte();
            chunk.takerOrderId[i] = in.getLong();
            chunk.makerOrderId[i] = in.getLong();
            chunk.takerAccountId[i] = in.getInt();
            chunk.makerAccountId[i] = in.getInt();
            chunk.takerFee[i] = in.getLong();
            chunk.makerFee[i] = in.getLong();
            chunk.ts[i] = in.getLong();
            lastSeq = seq;
        }
        if (first > last && last >= chunkBaseSeq)
        {
            // the chunk holding the trimmed last fill is kept until trimming moves past it, as it was
            addChunk();
        }
        lastSeq = last;
        committedSeq = last;
        final int groupCount = in.getCount(4);
        byte[] previous = null;
        for (int g = 0; g < groupCount; g++)
        {
            final ConsumerGroup group = ConsumerGroup.readSnapshot(this, in);
            if (previous != null && Arrays.compareUnsigned(previous, group.name()) >= 0)
            {
                throw new SnapshotFormatException(keyName + ": consumer groups out of name order");
            }
            previous = group.name();
            groups.add(group);
        }
    }

    private static final int FILL_SNAPSHOT_LENGTH = 8 * 8 + 4 * 2 + 1;

    private int groupIndex(final DirectBuffer buffer, final int offset, final int length)
    {
        int low = 0;
        int high = groups.size() - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final int cmp = ByteKeys.compare(groups.get(mid).name(), buffer, offset, length);
            if (cmp < 0)
            {
                low = mid + 1;
            }
            else if (cmp > 0)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -(low + 1);
    }

    private FillChunk chunk(final long seq)
    {
        if (seq < firstSeq || seq > lastSeq)
        {
            throw new IndexOutOfBoundsException(
                "fill " + seq + " not held in " + spec.name() + " [" + firstSeq + ", " + lastSeq + "]");
        }
        return chunks[(headChunk + (int)((seq - chunkBaseSeq) >>> CHUNK_SHIFT)) & (chunks.length - 1)];
    }

    private int index(final long seq)
    {
        return (int)((seq - chunkBaseSeq) & CHUNK_MASK);
    }

    private void addChunk()
    {
        if (chunkCount == chunks.length)
        {
            final FillChunk[] grown = new FillChunk[chunks.length * 2];
            for (int i = 0; i < chunkCount; i++)
            {
                grown[i] = chunks[(headChunk + i) & (chunks.length - 1)];
            }
            chunks = grown;
            headChunk = 0;
        }
        final FillChunk chunk = spareCount > 0 ? spareChunks[--spareCount] : new FillChunk();
        spareChunks[spareCount] = null;
        chunks[(headChunk + chunkCount) & (chunks.length - 1)] = chunk;
        chunkCount++;
    }

    private void releaseTrimmedChunks()
    {
        while (chunkCount > 0 && firstSeq - chunkBaseSeq >= CHUNK_SIZE)
        {
            final FillChunk chunk = chunks[headChunk];
            chunks[headChunk] = null;
            if (spareCount < SPARE_CHUNKS_MAX)
            {
                spareChunks[spareCount++] = chunk;
            }
            headChunk = (headChunk + 1) & (chunks.length - 1);
            chunkCount--;
            chunkBaseSeq += CHUNK_SIZE;
        }
    }

    private static int putBytes(final MutableDirectBuffer buffer, final int offset, final byte[] bytes)
    {
        buffer.putBytes(offset, bytes);
        return bytes.length;
    }
}
