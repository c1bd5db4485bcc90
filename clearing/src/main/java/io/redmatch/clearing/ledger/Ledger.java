package io.redmatch.clearing.ledger;

import io.redmatch.clearing.fill.Amounts;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The persisted ledger: balances per (account, asset) and the state of each pair (cursor, hashes of recent fills), in
 * two Chronicle Maps, made crash-safe by a {@link WriteAheadLog}.
 * <p>
 * Chronicle Map updates one key atomically, not several, and its recovery may drop entries it judges corrupt. So every
 * batch is first written to the log as one record holding the absolute new values of everything it changes, synced,
 * and only then put into the maps. At start the log is replayed over the maps: a record whose puts were cut short by a
 * crash is completed, and one whose puts all happened changes nothing. A record torn in the log itself was never put
 * into the maps, and its fills were never acknowledged: they are read again. The log always starts with a snapshot of
 * the whole state, so the maps can be rebuilt from it alone.
 * <p>
 * Writes come from one thread (the clearing agent); reads of balances and cursors may come from any thread.
 */
public final class Ledger implements AutoCloseable
{
    /** File of the balance map. */
    public static final String BALANCES_FILE = "balances.cm3";
    /** File of the pair map. */
    public static final String PAIRS_FILE = "pairs.cm3";
    /** File of the write-ahead log. */
    public static final String WAL_FILE = "ledger.wal";
    /** Held locked while a clearing service uses the directory. */
    public static final String LOCK_FILE = "clearing.lock";
    /** Present only after a clean close: the maps are then opened without Chronicle Map's recovery. */
    public static final String CLEAN_FILE = "clean-shutdown";

    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);

    static
    {
        // the Chronicle libraries would otherwise try to send usage statistics over the network
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }

    private final Path dir;
    private final LedgerOptions options;
    private final LedgerSteps steps;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final WriteAheadLog wal;
    private final ChronicleMap<String, byte[]> balances;
    private final ChronicleMap<String, byte[]> pairs;
    private final Map<String, PairState> pairStates = new HashMap<>();
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();
    private final Map<String, Long> lastTimes = new ConcurrentHashMap<>();
    private final Set<String> assets = ConcurrentHashMap.newKeySet();
    private final String recoveryNote;
    private long batchId;
    private long snapshotBytes;

    private Ledger(final Path dir, final LedgerOptions options, final LedgerSteps steps) throws IOException
    {
        this.dir = dir;
        this.options = options;
        this.steps = steps;
        final Path lockPath = dir.resolve(LOCK_FILE);
        lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock acquired;
        try
        {
            acquired = lockChannel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            acquired = null;
        }
        lock = acquired;
        if (lock == null)
        {
            lockChannel.close();
            throw new LedgerException("the data dir " + dir + " is in use by another clearing service", null);
        }
        ChronicleMap<String, byte[]> openedBalances = null;
        ChronicleMap<String, byte[]> openedPairs = null;
        WriteAheadLog openedWal = null;
        try
        {
            final Path walPath = dir.resolve(WAL_FILE);
            final boolean fresh = !Files.exists(walPath);
            if (fresh && (Files.exists(dir.resolve(BALANCES_FILE)) || Files.exists(dir.resolve(PAIRS_FILE))))
            {
                throw new LedgerException("the data dir " + dir + " has ledger maps but no " + WAL_FILE +
                    ": the write-ahead log is the ledger's source of truth; restore it or start on an empty dir",
                    null);
            }
            if (fresh)
            {
                WriteAheadLog.create(walPath, new LedgerRecord(0, List.of(), Map.of())).close();
            }
            final boolean clean = Files.deleteIfExists(dir.resolve(CLEAN_FILE));
            try
            {
                openedBalances = openMap(dir.resolve(BALANCES_FILE), balanceMapBuilder(options), clean);
                openedPairs = openMap(dir.resolve(PAIRS_FILE), pairMapBuilder(options), clean);
            }
            catch (final IOException | RuntimeException ex)
            {
                closeQuietly(openedBalances, openedPairs);
                if (fresh)
                {
                    deleteFresh();
                }
                final String why = describe(ex);
                throw new LedgerException((why.contains("space") ? "not enough disk space for the ledger in " :
                    "cannot create the ledger maps in ") + dir + " (max-balances " + options.maxBalances() +
                    "): " + why, ex);
            }
            reserveLogSpace(fresh);
            final WriteAheadLog.Replay replay = WriteAheadLog.replay(walPath);
            openedWal = WriteAheadLog.open(walPath);
            recoveryNote = replay.tornTail() == null ? "none" : replay.tornTail();
            balances = openedBalances;
            pairs = openedPairs;
            wal = openedWal;
            for (final LedgerRecord record : replay.records())
            {
                putAll(record, LedgerSteps.NONE);
                batchId = Math.max(batchId, record.batchId());
            }
            LOG.info("ledger {}: replayed {} write-ahead records (torn tail: {}), {} balances, {} pairs",
                dir, replay.records().size(), recoveryNote, balances.longSize(), pairStates.size());
            loadIndexes();
            compactIfDue(true);
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(openedWal, openedBalances, openedPairs);
            lock.release();
            lockChannel.close();
            throw ex;
        }
    }

    /**
     * Opens (or creates) the ledger in a data dir, recovering it after a crash.
     *
     * @param dir     the data dir; created if missing.
     * @param options sizes.
     * @param steps   told of each write (tests); {@link LedgerSteps#NONE} otherwise.
     * @return the open ledger.
     * @throws LedgerException when the dir cannot be used, the disk lacks room, or the files are damaged.
     */
    public static Ledger open(final Path dir, final LedgerOptions options, final LedgerSteps steps)
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException | SecurityException ex)
        {
            throw new LedgerException("cannot create the data dir " + dir + ": " + describe(ex), ex);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir))
        {
            throw new LedgerException("the data dir " + dir + " is not a writable directory", null);
        }
        try
        {
            return new Ledger(dir, options, steps);
        }
        catch (final LedgerException ex)
        {
            throw ex;
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new LedgerException("cannot open the ledger in " + dir + ": " + describe(ex), ex);
        }
    }

    /**
     * Applies a batch: the log record first (written and synced), then the maps.
     *
     * @param record the new values.
     * @throws LedgerException when the log cannot be written or a map is full; the batch may then be in the log, and
     *                         is applied at the next start.
     */
    public void commit(final LedgerRecord record)
    {
        try
        {
            wal.append(record, steps);
            batchId = Math.max(batchId, record.batchId());
            putAll(record, steps);
            compactIfDue(false);
        }
        catch (final IOException ex)
        {
            throw new LedgerException("cannot write the ledger's log in " + dir + ": " + describe(ex), ex);
        }
        catch (final IllegalStateException | IllegalArgumentException ex)
        {
            throw new LedgerException("cannot update the ledger in " + dir + " (is it full? max-balances " +
                options.maxBalances() + "): " + describe(ex), ex);
        }
        catch (final ArithmeticException ex)
        {
            throw new LedgerException("cannot update the ledger in " + dir + ": " + describe(ex), ex);
        }
    }

    /**
     * Compacts the log into a snapshot once it has grown by more than its limit since the last snapshot (so a state
     * larger than the limit is not snapshotted at every batch).
     */
    private void compactIfDue(final boolean atStart) throws IOException
    {
        if (atStart ? wal.size() > options.walLimitBytes() : wal.size() > snapshotBytes + options.walLimitBytes())
        {
            wal.rewrite(snapshot());
            snapshotBytes = wal.size();
        }
    }

    /** @return the number of the last batch applied. */
    public long lastBatchId()
    {
        return batchId;
    }

    /**
     * @param account an account.
     * @param asset   an asset.
     * @return its balance; zero when it never moved.
     */
    public BigDecimal balance(final String account, final String asset)
    {
        final byte[] bytes = balances.get(BalanceKeys.key(account, asset));
        return bytes == null ? BigDecimal.ZERO : Amounts.decode(bytes);
    }

    /**
     * @param account an account.
     * @return its balance per asset, for every asset it ever moved, sorted by asset.
     */
    public Map<String, BigDecimal> balances(final String account)
    {
        final Map<String, BigDecimal> result = new TreeMap<>();
        for (final String asset : new TreeSet<>(assets))
        {
            final byte[] bytes = balances.get(BalanceKeys.key(account, asset));
            if (bytes != null)
            {
                result.put(asset, Amounts.decode(bytes));
            }
        }
        return result;
    }

    /** @return every balance, by balance key. */
    public Map<String, BigDecimal> allBalances()
    {
        final Map<String, BigDecimal> result = new HashMap<>();
        balances.forEachEntry((entry) -> result.put(entry.key().get(), Amounts.decode(entry.value().get())));
        return result;
    }

    /** @return pair → cursor, safe to read from any thread. */
    public Map<String, Long> cursors()
    {
        return Collections.unmodifiableMap(new TreeMap<>(cursors));
    }

    /**
     * @param pair a pair.
     * @return the engine time of the last fill applied, microseconds (0 if none); safe from any thread.
     */
    public long lastAppliedTs(final String pair)
    {
        return lastTimes.getOrDefault(pair, 0L);
    }

    /**
     * @param pair a pair.
     * @return a copy of its state (a new empty state for a pair never applied).
     */
    public PairState pairState(final String pair)
    {
        final PairState state = pairStates.get(pair);
        return state == null ? new PairState() : state.copy();
    }

    /** @return a record holding the whole state. */
    LedgerRecord snapshot()
    {
        final List<LedgerRecord.PairUpdate> updates = new ArrayList<>();
        for (final Map.Entry<String, PairState> entry : new TreeMap<>(pairStates).entrySet())
        {
            final PairState state = entry.getValue();
            final long[] seqs = state.keptSeqs();
            final long[] hashes = new long[seqs.length];
            for (int i = 0; i < seqs.length; i++)
            {
                hashes[i] = state.hashAt(seqs[i]);
            }
            updates.add(new LedgerRecord.PairUpdate(entry.getKey(), state.cursor(), state.lastTs(), seqs, hashes));
        }
        return new LedgerRecord(batchId, updates, new LinkedHashMap<>(new TreeMap<>(allBalances())));
    }

    /** @return why the log's tail was cut at the last start, or {@code none}. */
    public String recoveryNote()
    {
        return recoveryNote;
    }

    /** @return the data dir. */
    public Path dir()
    {
        return dir;
    }

    @Override
    public void close()
    {
        closeQuietly(wal, balances, pairs);
        try
        {
            Files.createFile(dir.resolve(CLEAN_FILE));
            WriteAheadLog.syncDirectory(dir);
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot mark the ledger closed cleanly: {}", ex.toString());
        }
        try
        {
            lock.release();
            lockChannel.close();
        }
        catch (final IOException ex)
        {
            LOG.warn("closing {}: {}", LOCK_FILE, ex.toString());
        }
    }

    private void putAll(final LedgerRecord record, final LedgerSteps listener)
    {
        for (final Map.Entry<String, BigDecimal> balance : record.balances().entrySet())
        {
            balances.put(balance.getKey(), Amounts.encode(balance.getValue()));
            assets.add(BalanceKeys.asset(balance.getKey()));
            listener.reached(LedgerSteps.Step.BALANCE_PUT);
        }
        for (final LedgerRecord.PairUpdate update : record.pairs())
        {
            final PairState state = pairStates.computeIfAbsent(update.pair(), (pair) -> new PairState());
            state.restore(update.cursor(), update.lastTs());
            for (int i = 0; i < update.seqs().length; i++)
            {
                state.remember(update.seqs()[i], update.hashes()[i]);
            }
            pairs.put(update.pair(), state.encode());
            lastTimes.put(update.pair(), update.lastTs());
            cursors.put(update.pair(), update.cursor());
            listener.reached(LedgerSteps.Step.PAIR_PUT);
        }
    }

    private void loadIndexes()
    {
        pairs.forEachEntry((entry) ->
        {
            final String pair = entry.key().get();
            final PairState state = PairState.decode(entry.value().get());
            pairStates.put(pair, state);
            lastTimes.put(pair, state.lastTs());
            cursors.put(pair, state.cursor());
        });
        balances.forEachEntry((entry) -> assets.add(BalanceKeys.asset(entry.key().get())));
    }

    private static ChronicleMapBuilder<String, byte[]> balanceMapBuilder(final LedgerOptions options)
    {
        return ChronicleMap.of(String.class, byte[].class)
            .name("redmatch-balances")
            .entries(options.maxBalances())
            .averageKeySize(24)
            .constantValueSizeBySample(new byte[Amounts.ENCODED_LENGTH]);
    }

    private static ChronicleMapBuilder<String, byte[]> pairMapBuilder(final LedgerOptions options)
    {
        return ChronicleMap.of(String.class, byte[].class)
            .name("redmatch-pairs")
            .entries(options.maxPairs())
            .averageKeySize(16)
            .constantValueSizeBySample(new byte[PairState.ENCODED_LENGTH]);
    }

    private static ChronicleMap<String, byte[]> openMap(
        final Path path, final ChronicleMapBuilder<String, byte[]> builder, final boolean clean) throws IOException
    {
        final File file = path.toFile();
        if (file.exists() && !clean)
        {
            // after a crash (kill -9 included) a segment lock may still be held in the file, or an entry be half
            // written: Chronicle Map's recovery repairs the file; the write-ahead log then restores every value
            LOG.info("{} was not closed cleanly: recovering it", file);
            return builder.recoverPersistedTo(file, true);
        }
        return builder.createPersistedTo(file);
    }

    /**
     * Chronicle Map preallocates its files when it creates them ({@code fallocate}), so a disk too small for the maps
     * fails at their creation; this checks the room for the log and its compaction too, so that a full disk fails
     * here, at start, and not in the middle of a batch.
     */
    private void reserveLogSpace(final boolean fresh) throws IOException
    {
        final long needed = 2 * options.walLimitBytes();
        final long usable = Files.getFileStore(dir).getUsableSpace();
        if (usable < needed)
        {
            if (fresh)
            {
                deleteFresh();
            }
            throw new LedgerException(String.format(
                "not enough disk space in %s for the write-ahead log: it needs 2 x %,d MiB, %,d MiB are free", dir,
                options.walLimitBytes() >> 20, usable >> 20), null);
        }
    }

    private void deleteFresh() throws IOException
    {
        Files.deleteIfExists(dir.resolve(BALANCES_FILE));
        Files.deleteIfExists(dir.resolve(PAIRS_FILE));
        Files.deleteIfExists(dir.resolve(WAL_FILE));
    }

    private static void closeQuietly(final AutoCloseable... closeables)
    {
        for (final AutoCloseable closeable : closeables)
        {
            if (closeable != null)
            {
                try
                {
                    closeable.close();
                }
                catch (final Exception ex)
                {
                    LOG.warn("closing the ledger: {}", ex.toString());
                }
            }
        }
    }

    private static String describe(final Throwable ex)
    {
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }
}
