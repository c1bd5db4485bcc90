package io.redmatch.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ops status}: one table of the given nodes' roles, epochs, positions, lag, link states, ack modes, flags and
 * pairs. Positions are log sequences (entries), as {@code INFO replication} reports them. Exits 1 when a node cannot
 * be reached, else 0.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
        "One table of the nodes' roles, epochs, positions, lag and flags.",
        "Per node: role, epoch, log position, committed position, acked position,",
        "lag (entries and ms), link state, ack mode, flags (degraded, out_of_sync,",
        "fenced, diverged, loading) and pairs.",
        "Positions are log sequences. Exits 1 when a node cannot be reached."})
public final class StatusTool implements Callable<Integer>
{
    private static final String[] HEADER = {
        "NODE", "ROLE", "EPOCH", "LOG", "COMMITTED", "ACKED", "LAG", "LAG_MS", "LINK", "ACK", "FLAGS", "PAIRS"};

    @Spec
    private CommandSpec spec;

    @Option(names = "--nodes", required = true, split = ",", converter = NodeAddress.Converter.class,
        paramLabel = "<host:port>", description = "The nodes, comma-separated.")
    private List<NodeAddress> nodes;

    @Override
    public Integer call()
    {
        final List<NodeStatus> statuses = new ArrayList<>();
        for (final NodeAddress node : nodes)
        {
            statuses.add(NodeStatus.read(node));
        }
        final PrintWriter out = spec.commandLine().getOut();
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
            if (!status.reachable())
            {
                out.println(status.address() + " is unreachable: " + status.error());
            }
            else if (status.divergence() != null)
            {
                out.println(status.address() + " stopped following its primary: " + status.divergence());
            }
        }
        out.flush();
        return unreachable == 0 ? 0 : 1;
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
        final int[] widths = new int[HEADER.length];
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
