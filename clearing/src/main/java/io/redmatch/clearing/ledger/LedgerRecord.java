package io.redmatch.clearing.ledger;

import io.redmatch.clearing.fill.Amounts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The write-ahead record of one applied batch: the absolute new values of everything the batch changed (balances,
 * and per pair the cursor, the last fill's time and the hashes of the fills applied). Values are absolute, not deltas,
 * so replaying a record twice, or replaying one whose map updates had partly happened, gives the same state.
 * A snapshot is a record holding every balance and pair.
 *
 * @param batchId  increasing number of the batch.
 * @param pairs    the pairs the batch moved.
 * @param balances balance key ({@link BalanceKeys}) → new balance.
 */
public record LedgerRecord(long batchId, List<PairUpdate> pairs, Map<String, BigDecimal> balances)
{
    /**
     * A pair's new cursor, the engine time of the fill at it, and the hashes of fills applied by the batch.
     *
     * @param pair   the pair.
     * @param cursor its new cursor.
     * @param lastTs the engine time of the fill at the cursor.
     * @param seqs   sequences of the fills whose hashes follow.
     * @param hashes their content hashes.
     */
    public record PairUpdate(String pair, long cursor, long lastTs, long[] seqs, long[] hashes)
    {
    }

    byte[] encode()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + balances.size() * 40);
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeLong(batchId);
            out.writeInt(pairs.size());
            for (final PairUpdate pair : pairs)
            {
                out.writeUTF(pair.pair());
                out.writeLong(pair.cursor());
                out.writeLong(pair.lastTs());
                out.writeInt(pair.seqs().length);
                for (int i = 0; i < pair.seqs().length; i++)
                {
                    out.writeLong(pair.seqs()[i]);
                    out.writeLong(pair.hashes()[i]);
                }
            }
            out.writeInt(balances.size());
            for (final Map.Entry<String, BigDecimal> balance : balances.entrySet())
            {
                out.writeUTF(balance.getKey());
                out.write(Amounts.encode(balance.getValue()));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    static LedgerRecord decode(final byte[] body) throws IOException
    {
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        final long batchId = in.readLong();
        final int pairCount = in.readInt();
        final List<PairUpdate> pairs = new ArrayList<>(pairCount);
        for (int p = 0; p < pairCount; p++)
        {
            final String pair = in.readUTF();
            final long cursor = in.readLong();
            final long lastTs = in.readLong();
            final int hashCount = in.readInt();
            final long[] seqs = new long[hashCount];
            final long[] hashes = new long[hashCount];
            for (int i = 0; i < hashCount; i++)
            {
                seqs[i] = in.readLong();
                hashes[i] = in.readLong();
            }
            pairs.add(new PairUpdate(pair, cursor, lastTs, seqs, hashes));
        }
        final int balanceCount = in.readInt();
        final Map<String, BigDecimal> balances = new LinkedHashMap<>(balanceCount * 2);
        final byte[] amount = new byte[Amounts.ENCODED_LENGTH];
        for (int b = 0; b < balanceCount; b++)
        {
            final String key = in.readUTF();
            in.readFully(amount);
            balances.put(key, Amounts.decode(amount));
        }
        if (in.available() != 0)
        {
            throw new IOException("trailing bytes in a ledger record");
        }
        return new LedgerRecord(batchId, pairs, balances);
    }
}
