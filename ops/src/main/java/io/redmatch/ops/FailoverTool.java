package io.redmatch.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ops failover}: promotes a shard's standby. When the primary answers as a primary, a planned {@code FAILOVER}
 * sent to it (it stops writes, waits until its standby acknowledged everything, has it promote itself and follows
 * it). When it does not answer, the standby is promoted with {@code REPLICAOF NO ONE}, but only when it is safe: it
 * has recorded the last committed position its primary reported to it, its primary did not mark it out of sync, and
 * it follows its primary's log (not diverged, not loading); otherwise ops refuses unless {@code --force}. Then checks
 * that the new primary is one (its {@code ROLE} is master, its epoch went up, not fenced) and says what it did.
 * Exits 0 when the standby is the primary at the end, 1 when ops refused or the promotion failed.
 */
@Command(
    name = "failover",
    mixinStandardHelpOptions = true,
    description = {
        "Promotes a shard's standby.",
        "If the primary answers as a primary: a planned FAILOVER (nothing acknowledged",
        "is lost). If not: checks that the standby recorded the last committed position",
        "its primary reported and is not out of sync (refuses otherwise, unless",
        "--force), then sends it REPLICAOF NO ONE. Last, checks the new primary (ROLE",
        "master, epoch up) and says what it did. Exits 1 when it refused or failed.",
        "Fence a primary that may be alive but unreachable first (stop it)."})
public final class FailoverTool implements Callable<Integer>
{
    private static final int TIMEOUT_MS = 3_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--primary", required = true, converter = NodeAddress.Converter.class, paramLabel = "<host:port>",
        description = "The shard's primary (it may be dead).")
    private NodeAddress primary;

    @Option(names = "--standby", required = true, converter = NodeAddress.Converter.class, paramLabel = "<host:port>",
        description = "The standby to promote.")
    private NodeAddress standby;

    @Option(names = "--force", description = "Promote a standby that is behind, out of sync or diverged, accepting " +
        "the loss of acknowledged writes it lacks.")
    private boolean force;

    @Option(names = "--timeout-ms", defaultValue = "10000", paramLabel = "<ms>",
        description = "How long a planned FAILOVER may wait for the standby, and how long a standby of a dead " +
            "primary may take to record what it received (default ${DEFAULT-VALUE}).")
    private long timeoutMs;

    private PrintWriter out;

    @Override
    public Integer call() throws InterruptedException
    {
        out = spec.commandLine().getOut();
        try
        {
            return failover();
        }
        finally
        {
            out.flush();
        }
    }

    private int failover() throws InterruptedException
    {
        final NodeStatus standbyBefore = NodeStatus.read(standby);
        if (!standbyBefore.reachable())
        {
            return refuse("the standby " + standby + " is unreachable (" + standbyBefore.error() + "): nothing to " +
                "promote");
        }
        if (standbyBefore.isPrimary())
        {
            return refuse(standby + " is already a primary (epoch " + standbyBefore.epoch() + "): nothing done");
        }
        final NodeStatus primaryBefore = NodeStatus.read(primary);
        if (primaryBefore.reachable() && primaryBefore.isPrimary())
        {
            return plannedFailover(primaryBefore, standbyBefore);
        }
        if (primaryBefore.reachable())
        {
            return refuse(primary + " answers as a standby of " + primaryBefore.primaryOf() + ", not as a primary: " +
                "check the shard with ops status");
        }
        out.println("primary " + primary + " is unreachable (" + primaryBefore.error() + ")");
        return promoteStandbyOfDeadPrimary(standbyBefore);
    }

    private int plannedFailover(final NodeStatus primaryBefore, final NodeStatus standbyBefore)
    {
        if (primaryBefore.standbyLine(standby.port()) == null)
        {
            return refuse("the primary " + primary + " does not list " + standby + " as its standby (it lists " +
                primaryBefore.standbys().size() + "): nothing done");
        }
        if (primaryBefore.standbys().size() > 1)
        {
            out.println("note: " + primary + " has " + primaryBefore.standbys().size() + " standbys; FAILOVER " +
                "promotes the one most caught up that is in sync");
        }
        out.println("primary " + primary + " answers (epoch " + primaryBefore.epoch() + ", log position " +
            primaryBefore.logPosition() + "): planned FAILOVER TIMEOUT " + timeoutMs);
        final String reply;
        try
        {
            reply = send(primary, (int)timeoutMs + TIMEOUT_MS, "FAILOVER", "TIMEOUT", Long.toString(timeoutMs));
        }
        catch (final JedisException ex)
        {
            return fail("FAILOVER failed: " + ex.getMessage() + "; the primary " + primary + " keeps its role");
        }
        out.println("FAILOVER answered " + reply);
        return verify(Math.max(primaryBefore.epoch(), standbyBefore.epoch()), "planned FAILOVER via " + primary);
    }

    private int promoteStandbyOfDeadPrimary(final NodeStatus standbyBefore) throws InterruptedException
    {
        NodeStatus current = awaitRecorded(standbyBefore);
        final List<String> problems = problems(current);
        out.println("standby " + standby + ": link " + current.linkState() + ", log position " +
            current.logPosition() + ", committed " + current.committedPosition() + ", primary's last reported " +
            "committed position " + current.primaryCommittedPosition() + " (" +
            current.replication().getOrDefault("master_status_ms_ago", "?") + " ms ago), epoch " + current.epoch());
        if (!problems.isEmpty())
        {
            if (!force)
            {
                return refuse("not promoting " + standby + ": " + String.join("; ", problems) +
                    ". Use --force to promote it anyway and lose what it lacks");
            }
            out.println("--force: promoting despite: " + String.join("; ", problems));
        }
        final String reply;
        try
        {
            reply = send(standby, TIMEOUT_MS, "REPLICAOF", "NO", "ONE");
        }
        catch (final JedisException ex)
        {
            return fail("REPLICAOF NO ONE failed on " + standby + ": " + ex.getMessage());
        }
        out.println("REPLICAOF NO ONE answered " + reply);
        return verify(current.epoch(), "REPLICAOF NO ONE on " + standby + (problems.isEmpty() ? "" : " (forced)"));
    }

    /** The standby may still be recording what it received before the primary died: waits for it, within bounds. */
    private NodeStatus awaitRecorded(final NodeStatus first) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        NodeStatus current = first;
        while (current.reachable() && !current.isPrimary() && current.primaryCommittedPosition() >= 0 &&
            current.committedPosition() < current.primaryCommittedPosition() && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(100);
            final NodeStatus next = NodeStatus.read(standby);
            if (next.reachable() && next.committedPosition() == current.committedPosition() &&
                next.logPosition() == current.logPosition())
            {
                return next;
            }
            current = next.reachable() ? next : current;
        }
        return current;
    }

    private static List<String> problems(final NodeStatus standbyStatus)
    {
        final List<String> problems = new ArrayList<>();
        if (standbyStatus.loading())
        {
            problems.add("it is still loading its state");
        }
        if (standbyStatus.divergence() != null)
        {
            problems.add("it stopped following its primary (" + standbyStatus.divergence() + ")");
        }
        if (standbyStatus.markedOutOfSync())
        {
            problems.add("its primary marked it out of sync (it degraded to local acks while the standby was " +
                "behind): it may lack acknowledged writes");
        }
        final long primaryCommitted = standbyStatus.primaryCommittedPosition();
        if (primaryCommitted < 0)
        {
            problems.add("it never heard a committed position from its primary, so it cannot show it is caught up");
        }
        else if (standbyStatus.committedPosition() < primaryCommitted)
        {
            problems.add("it recorded up to log position " + standbyStatus.committedPosition() + " but its primary " +
                "had committed " + primaryCommitted + " (" + (primaryCommitted - standbyStatus.committedPosition()) +
                " entries missing)");
        }
        return problems;
    }

    private int verify(final long epochBefore, final String action)
    {
        final NodeStatus after = NodeStatus.read(standby);
        if (!after.reachable())
        {
            return fail(action + " sent, but " + standby + " no longer answers: " + after.error());
        }
        if (!after.isPrimary() || after.epoch() <= epochBefore || after.fenced())
        {
            return fail(action + " sent, but " + standby + " is not a primary of a new epoch: role " + after.role() +
                ", epoch " + after.epoch() + " (was " + epochBefore + ")" + (after.fenced() ? ", fenced" : ""));
        }
        out.println("done: " + action + "; " + standby + " is the primary of epoch " + after.epoch() + " at log " +
            "position " + after.logPosition() + (after.replication().containsKey("promotion_ms") ?
            ", promoted in " + after.replication().get("promotion_ms") + " ms" : "") + ", accepting writes (ack mode " +
            after.ackMode() + ")");
        out.println("next: make the old primary " + primary + " a standby of it (REPLICAOF " + standby.host() + " " +
            standby.port() + ", or restart it with --replicaof " + standby + ") once it is back; routers whose shard " +
            "file lists it route to it by themselves, clients connected to nodes directly must now write to " + standby);
        return 0;
    }

    private int refuse(final String why)
    {
        out.println("refused: " + why);
        return 1;
    }

    private int fail(final String why)
    {
        out.println("failed: " + why);
        return 1;
    }

    private static String send(final NodeAddress node, final int socketTimeoutMs, final String... args)
    {
        final DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(TIMEOUT_MS).socketTimeoutMillis(socketTimeoutMs).build();
        try (Jedis jedis = new Jedis(new HostAndPort(node.host(), node.port()), config))
        {
            final String[] rest = new String[args.length - 1];
            System.arraycopy(args, 1, rest, 0, rest.length);
            final Object reply = jedis.sendCommand(() -> args[0].getBytes(StandardCharsets.US_ASCII), rest);
            return reply instanceof byte[] ? new String((byte[])reply, StandardCharsets.UTF_8) : String.valueOf(reply);
        }
    }
}
