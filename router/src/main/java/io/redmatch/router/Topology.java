package io.redmatch.router;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shard map in force and the state of every shard. Reloads the shard file when it changes (checked every
 * second) or on {@code ROUTER.RELOAD}; an invalid file is reported and the map in force stays. A shard whose members
 * are unchanged keeps its state (and its primary) across a reload.
 */
final class Topology implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Topology.class);

    /** What routing needs, swapped as a whole. */
    record View(ShardMap map, Map<String, ShardState> shards, List<ShardState> shardList, PairTable pairs)
    {
    }

    private final RouterContext context;
    private final PrimaryProbe probe;
    private final Thread watcher;
    private volatile View view;
    private volatile String lastReloadError;
    private FileTime loadedModified;
    private volatile boolean running = true;

    Topology(final RouterContext context)
    {
        this.context = context;
        this.probe = new PrimaryProbe(context.probeConnectTimeoutMs(), context.probeReadTimeoutMs());
        final ShardMap map = ShardMap.load(context.shardFile());
        loadedModified = modified();
        view = build(map, Collections.emptyMap());
        for (final ShardState shard : view.shardList())
        {
            shard.probeNow();
        }
        view.shardList().forEach(ShardState::start);
        watcher = new Thread(this::watch, "router-shard-file");
        watcher.setDaemon(true);
        watcher.start();
    }

    View view()
    {
        return view;
    }

    String lastReloadError()
    {
        return lastReloadError;
    }

    /**
     * Reads the shard file again and swaps the new map in when it is valid.
     *
     * @return null when the new map is in force, else why the old one stays.
     */
    synchronized String reload()
    {
        loadedModified = modified();
        final ShardMap map;
        try
        {
            map = ShardMap.load(context.shardFile());
        }
        catch (final ShardMapException ex)
        {
            lastReloadError = ex.getMessage();
            LOG.error("shard file not reloaded, the previous map stays: {}", ex.getMessage());
            return ex.getMessage();
        }
        final View previous = view;
        final View next = build(map, previous.shards());
        for (final ShardState shard : next.shardList())
        {
            if (!previous.shards().containsValue(shard))
            {
                shard.probeNow();
                shard.start();
            }
        }
        view = next;
        for (final ShardState shard : previous.shardList())
        {
            if (!next.shards().containsValue(shard))
            {
                shard.stop();
            }
        }
        lastReloadError = null;
        LOG.info("shard map loaded: {} shards, {} pairs", map.shards().size(), map.pairs().size());
        return null;
    }

    private View build(final ShardMap map, final Map<String, ShardState> existing)
    {
        final Map<String, ShardState> shards = new LinkedHashMap<>();
        for (final ShardMap.Shard shard : map.shards().values())
        {
            final ShardState old = existing.get(shard.name());
            shards.put(shard.name(), old != null && old.members().equals(shard.members()) ? old :
                new ShardState(shard.name(), shard.members(), probe, context.probeIntervalMs()));
        }
        final Map<String, ShardState> pairs = new LinkedHashMap<>();
        map.pairs().forEach((pair, shard) -> pairs.put(pair, shards.get(shard)));
        return new View(map, Collections.unmodifiableMap(shards), List.copyOf(new ArrayList<>(shards.values())),
            new PairTable(pairs));
    }

    private void watch()
    {
        while (running)
        {
            try
            {
                Thread.sleep(context.shardFileCheckMs());
                final FileTime modified = modified();
                if (modified != null && !modified.equals(loadedModified))
                {
                    LOG.info("shard file {} changed, reloading", context.shardFile());
                    reload();
                }
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("shard file watch failed", ex);
            }
        }
    }

    private FileTime modified()
    {
        try
        {
            return Files.getLastModifiedTime(context.shardFile());
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    @Override
    public void close()
    {
        running = false;
        watcher.interrupt();
        view.shardList().forEach(ShardState::stop);
    }
}
