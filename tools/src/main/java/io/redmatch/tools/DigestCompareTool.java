package io.redmatch.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Asks several nodes for {@code DEBUG DIGEST} and says whether they hold the same matching state: exit code 0 when
 * every digest is equal, 1 when they differ, 2 when a node cannot be asked.
 */
@Command(
    name = "digest-compare",
    mixinStandardHelpOptions = true,
    description = "Compares DEBUG DIGEST of several nodes; exits 1 when they differ, 2 when one cannot be reached.")
public final class DigestCompareTool implements Callable<Integer>
{
    private static final ProtocolCommand DEBUG = () -> "DEBUG".getBytes(StandardCharsets.US_ASCII);

    @Parameters(arity = "2..*", paramLabel = "<host:port>", description = "The nodes, at least two.")
    private List<String> nodes;

    @Option(names = "--timeout-ms", defaultValue = "5000", paramLabel = "<ms>",
        description = "Connect and read timeout per node (default: ${DEFAULT-VALUE}).")
    private int timeoutMs;

    private final PrintStream out;

    /** A tool printing to standard output. */
    public DigestCompareTool()
    {
        this(System.out);
    }

    DigestCompareTool(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public Integer call()
    {
        final Map<String, String> digests = new LinkedHashMap<>();
        boolean unreachable = false;
        for (final String node : nodes)
        {
            try
            {
                final HostAndPort address = HostAndPort.from(node);
                try (Jedis jedis = new Jedis(address, DefaultJedisClientConfig.builder()
                    .connectionTimeoutMillis(timeoutMs).socketTimeoutMillis(timeoutMs).build()))
                {
                    final Object reply = jedis.sendCommand(DEBUG, "DIGEST");
                    final String digest = reply instanceof byte[] ?
                        new String((byte[])reply, StandardCharsets.US_ASCII) : String.valueOf(reply);
                    digests.put(node, digest);
                    out.println(node + " " + digest);
                }
            }
            catch (final RuntimeException ex)
            {
                unreachable = true;
                out.println(node + " ERROR " + ex.getMessage());
            }
        }
        if (unreachable)
        {
            out.println("UNKNOWN: not every node answered");
            return 2;
        }
        final boolean same = digests.values().stream().distinct().count() == 1;
        out.println(same ? "SAME: " + nodes.size() + " nodes hold the same state" : "DIFFERENT: the states differ");
        return same ? 0 : 1;
    }
}
