package io.redmatch.ops;

import io.redmatch.router.ShardMapException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import redis.clients.jedis.exceptions.JedisException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ops status}: one table of the nodes' roles, epochs, positions, lag, link states, ack modes, flags and pairs.
 * Positions are log sequences (entries), as {@code INFO replication} reports them. The nodes are listed
 * ({@code --nodes}), or taken from the cluster's shard map ({@code --shards} file or {@code --router}), in which case
 * the table goes shard by shard, each shard's primary is named (the reachable member claiming primary with the highest
 * epoch, as the router picks it), and the exit code is 1 when a shard has no reachable primary. With {@code --nodes},
 * it is 1 when a node cannot be reached. Otherwise 0.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
        "One table of the nodes' roles, epochs, positions, lag and flags.",
        "Per node: role, epoch, log position, committed position, acked position,",
        "lag (entries and ms), link state, ack mode, flags (degraded, out_of_sync,",
        "fenced, diverged, loading) and pairs. Positions are log sequences.",
        "Give the nodes (--nodes; exits 1 when a node cannot be reached), or the whole",
        "cluster through its shard file (--shards) or a router (--router): then the",
        "table goes shard by shard, names each shard's primary (highest epoch among the",
        "reachable members claiming primary) and exits 1 when a shard has none."})
public final class StatusTool implements Callable<Integer>
{
    private static final String[] HEADER = {
        "NODE", "ROLE", "EPOCH", "LOG", "COMMITTED", "ACKED", "LAG", "LAG_MS", "LINK", "ACK", "FLAGS", "PAIRS"};

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    /** Which nodes to ask: exactly one of the options. */
    static final class Target
    {
        @Option(names = "--nodes", required = true, split = ",", converter = NodeAddress.Converter.class,
            paramLabel = "<host:port>", description = "The nodes, comma-separated.")
        private List<NodeAddress> nodes;

        @Option(names = "--shards", required = true, paramLabel = "<file>",
            description = "The cluster's shard file (the router's --shards): every member of every shard.")
        private Path shardFile;

        @Option(names = "--router", required = true, converter = NodeAddress.Converter.class,
            paramLabel = "<host:port>",
            description = "A router: every member of every shard of its map (ROUTER.SHARDS), and where it routes.")
        private NodeAddress router;
    }

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        try
        {
            if (target.nodes != null)
            {
                return nodes(out, target.nodes);
            }
            final List<ShardLayout> layouts;
            try
            {
                layouts = target.shardFile != null ? ShardLayout.fromShardFile(target.shardFile) :
                    ShardLayout.fromRouter(target.router);
            }
            catch (final ShardMapException | JedisException | IllegalStateException | IllegalArgumentException ex)
            {
                out.println(target.shardFile != null ? ex.getMessage() :
                    "cannot read the shard map of the router " + target.router + ": " + ex.getMessage());
                return 1;
            }
            return shards(out, layouts);
        }
        finally
        {
            out.flush();
        }
    }

    private static int nodes(final PrintWriter out, final List<NodeAddress> nodes)
    {
        final List<NodeStatus> statuses = new ArrayList<>();
        for (final NodeAddress node : nodes)
        {
            statuses.add(NodeStatus.read(node));
        }
        final List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        int unreachable = 0;
        for (final NodeStatus status : statuses)
        {
            if (!status.reachable())
            {
                unreachable++;
            }
            rows.add(row(status, statuses));
        }
        print(out, rows);
        for (final NodeStatus status : statuses)
        {
            problems(out, "", status);
        }
        return unreachable == 0 ? 0 : 1;
    }

    private static int shards(final PrintWriter out, final List<ShardLayout> shards)
    {
        final List<String[]> rows = new ArrayList<>();
        rows.add(withShard("SHARD", HEADER));
        final List<List<NodeStatus>> statusesOfShards = new ArrayList<>();
        for (final ShardLayout shard : shards)
        {
            final List<NodeStatus> statuses = new ArrayList<>();
            for (final NodeAddress member : shard.members())
            {
                statuses.add(NodeStatus.read(member));
            }
            statusesOfShards.add(statuses);
            for (final NodeStatus status : statuses)
            {
                rows.add(withShard(shard.name(), row(status, statuses)));
            }
        }
        print(out, rows);
        int withoutPrimary = 0;
        for (int i = 0; i < shards.size(); i++)
        {
            if (!summary(out, shards.get(i), statusesOfShards.get(i)))
            {
                withoutPrimary++;
            }
        }
        return withoutPrimary == 0 ? 0 : 1;
    }

    /** Prints a shard's primary (or its absence) and its members' problems; @return true when it has a primary. */
    private static boolean summary(final PrintWriter out, final ShardLayout shard, final List<NodeStatus> statuses)
    {
        final NodeStatus primary = primaryOf(statuses);
        final String routed = shard.routedPrimary() == null ? "" : shard.routedPrimary().equals("none") ?
            "; the router routes it nowhere (-TRYAGAIN)" :
            "; the router routes it to " + shard.routedPrimary() + " (epoch " + shard.routedEpoch() + ")";
        final String pairs = shard.pairs().isEmpty() ? "no pairs" : String.join(",", shard.pairs());
        if (primary == null)
        {
            out.println("shard " + shard.name() + " (" + pairs + "): no reachable primary" + routed);
        }
        else
        {
            out.println("shard " + shard.name() + " (" + pairs + "): primary " + primary.address() + ", epoch " +
                primary.epoch() + routed);
            final List<String> missing = new ArrayList<>(shard.pairs());
            missing.removeAll(primary.pairs());
            if (!missing.isEmpty() && !primary.loading())
            {
                out.println("  pairs in the shard map that its primary does not serve: " + String.join(",", missing));
            }
        }
        for (final NodeStatus status : statuses)
        {
            if (primary != null && status != primary && status.reachable() && status.isPrimary())
            {
                out.println("  " + status.address() + " also claims primary, with epoch " + status.epoch() +
                    ": a former primary, to rejoin as a standby (docs/OPERATIONS.md)");
            }
            problems(out, "  ", status);
        }
        return primary != null;
    }

    /**
     * @return the member the router would route to: among reachable members claiming primary, the highest epoch, the
     * first listed on a tie; null when none.
     */
    static NodeStatus primaryOf(final List<NodeStatus> members)
    {
        NodeStatus best = null;
        for (final NodeStatus member : members)
        {
            if (member.reachable() && member.isPrimary() && (best == null || member.epoch() > best.epoch()))
            {
                best = member;
            }
        }
        return best;
    }

    private static void problems(final PrintWriter out, final String indent, final NodeStatus status)
    {
        if (!status.reachable())
        {
            out.println(indent + status.address() + " is unreachable: " + status.error());
        }
        else if (status.divergence() != null)
        {
            out.println(indent + status.address() + " stopped following its primary: " + status.divergence());
        }
    }

    private static String[] withShard(final String shard, final String[] row)
    {
        final String[] withShard = new String[row.length + 1];
        withShard[0] = shard;
        System.arraycopy(row, 0, withShard, 1, row.length);
        return withShard;
    }

    static String[] row(final NodeStatus status, final List<NodeStatus> all)
    {
        final String node = status.address().toString();
        if (!status.reachable())
        {
            return new String[] {node, "unreachable", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"};
        }
        final List<String> flags = new ArrayList<>();
        final String lag;
        final String lagMs;
        final String link;
        final String ack;
        if (status.isPrimary())
        {
            long lagEntries = status.standbys().isEmpty() ? -1 : 0;
            long lagMillis = status.standbys().isEmpty() ? -1 : 0;
            int outOfSync = 0;
            for (final Map<String, String> standby : status.standbys())
            {
                lagEntries = Math.max(lagEntries, NodeStatus.longField(standby, "lag_entries"));
                lagMillis = Math.max(lagMillis, NodeStatus.longField(standby, "lag_ms"));
                outOfSync += "out_of_sync".equals(standby.get("state")) ? 1 : 0;
            }
            lag = lagEntries < 0 ? "-" : Long.toString(lagEntries);
            lagMs = lagMillis < 0 ? "-" : Long.toString(lagMillis);
            link = "standbys=" + status.standbys().size();
            ack = status.ackMode() == null ? "-" : status.ackMode();
            addIf(flags, status.degraded(), "degraded");
            addIf(flags, outOfSync > 0, "standby_out_of_sync");
            addIf(flags, status.fenced(), "fenced");
            addIf(flags, "1".equals(status.replication().get("waiting_for_standby")), "waiting_for_standby");
        }
        else
        {
            final Map<String, String> line = lineOfPrimary(status, all);
            if (line != null)
            {
                lag = line.getOrDefault("lag_entries", "?");
                lagMs = line.getOrDefault("lag_ms", "?");
            }
            else
            {
                final long primaryCommitted = status.primaryCommittedPosition();
                lag = primaryCommitted < 0 ? "?" : Long.toString(Math.max(0, primaryCommitted - status.logPosition()));
                lagMs = "?";
            }
            link = status.linkState() == null ? "-" : status.linkState();
            ack = "-";
            addIf(flags, status.markedOutOfSync() || (line != null && "out_of_sync".equals(line.get("state"))),
                "out_of_sync");
            addIf(flags, status.divergence() != null, "diverged");
        }
        addIf(flags, status.loading(), "loading");
        return new String[] {node, status.isPrimary() ? "primary" : "standby", Long.toString(status.epoch()),
            Long.toString(status.logPosition()), Long.toString(status.committedPosition()),
            Long.toString(status.ackedPosition()), lag, lagMs, link, ack, flags.isEmpty() ? "-" : String.join(",", flags),
            status.pairs().isEmpty() ? "-" : String.join(",", status.pairs())};
    }

    /** The line a reachable primary among the nodes lists about this standby, or null. */
    private static Map<String, String> lineOfPrimary(final NodeStatus standby, final List<NodeStatus> all)
    {
        final String primaryOf = standby.primaryOf();
        for (final NodeStatus candidate : all)
        {
            if (candidate.reachable() && candidate.isPrimary() && primaryOf != null &&
                primaryOf.endsWith(":" + candidate.address().port()))
            {
                final Map<String, String> line = candidate.standbyLine(standby.address().port());
                if (line != null)
                {
                    return line;
                }
            }
        }
        return null;
    }

    private static void addIf(final List<String> flags, final boolean condition, final String flag)
    {
        if (condition)
        {
            flags.add(flag);
        }
    }

    private static void print(final PrintWriter out, final List<String[]> rows)
    {
        final int[] widths = new int[rows.get(0).length];
        for (final String[] row : rows)
        {
            for (int i = 0; i < row.length; i++)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (final String[] row : rows)
        {
            final StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++)
            {
                line.append(row[i]);
                if (i < row.length - 1)
                {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line);
        }
    }
}
