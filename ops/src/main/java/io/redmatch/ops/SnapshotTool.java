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
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ops snapshot}: {@code BGSAVE} on each node, then waits until its snapshot is written and reports its log
 * position and file. Exits 1 when a node cannot be reached or its snapshot fails.
 */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    description = {"Takes a snapshot on each node (BGSAVE) and reports it.",
        "Waits until each snapshot is written. Exits 1 when a node cannot be reached",
        "or its snapshot fails."})
public final class SnapshotTool implements Callable<Integer>
{
    private static final int TIMEOUT_MS = 3_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--nodes", required = true, split = ",", converter = NodeAddress.Converter.class,
        paramLabel = "<host:port>", description = "The nodes, comma-separated.")
    private List<NodeAddress> nodes;

    @Option(names = "--timeout-ms", defaultValue = "60000", paramLabel = "<ms>",
        description = "How long to wait for each snapshot (default ${DEFAULT-VALUE}).")
    private long timeoutMs;

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        int failures = 0;
        for (final NodeAddress node : nodes)
        {
            final String result = snapshot(node);
            failures += result.startsWith("ok") ? 0 : 1;
            out.println(node + ": " + result);
            out.flush();
        }
        return failures == 0 ? 0 : 1;
    }

    private String snapshot(final NodeAddress node) throws InterruptedException
    {
        final DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(TIMEOUT_MS).socketTimeoutMillis(TIMEOUT_MS).build();
        try (Jedis jedis = new Jedis(new HostAndPort(node.host(), node.port()), config))
        {
            final long lastSaveBefore = jedis.lastsave();
            final String previousFile = field(jedis.info("persistence"), "last_snapshot_file");
            final String reply = jedis.bgsave();
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (System.nanoTime() < deadlineNs)
            {
                final String info = jedis.info("persistence");
                final String file = field(info, "last_snapshot_file");
                if ("0".equals(field(info, "snapshot_in_progress")) &&
                    (jedis.lastsave() > lastSaveBefore || (file != null && !file.equals(previousFile)) ||
                    "failed".equals(field(info, "last_snapshot_status"))))
                {
                    if ("failed".equals(field(info, "last_snapshot_status")))
                    {
                        return "failed: " + field(info, "last_snapshot_error");
                    }
                    return "ok, snapshot at log seq " + field(info, "last_snapshot_seq") + " in " + file + " (" +
                        field(info, "last_snapshot_size_bytes") + " bytes, " + field(info, "last_snapshot_duration_ms") +
                        " ms)";
                }
                Thread.sleep(50);
            }
            return "BGSAVE answered " + reply + " but the snapshot was not written within " + timeoutMs + " ms";
        }
        catch (final JedisException ex)
        {
            return "failed: " + ex.getMessage();
        }
    }

    private static String field(final String info, final String name)
    {
        for (final String line : info.split("\r?\n"))
        {
            if (line.startsWith(name + ":"))
            {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }
}
