package io.redmatch.clearing;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code clearing check --port <p>}: asks a running clearing service for {@code LEDGER.CHECK} and prints its alarms.
 * Exit code 0 when the ledger reconciles and no alarm was raised, 1 when not, 2 when the service cannot be reached.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = "Reconciles a running clearing service (LEDGER.CHECK) and lists its alarms; exits 0 when all is " +
        "well, 1 on any alarm or discrepancy, 2 when the service cannot be reached.")
public final class ClearingCheckTool implements Callable<Integer>
{
    @Option(names = "--port", paramLabel = "<port>",
        description = "Port of the clearing service (default: " + ClearingContext.PORT_DEFAULT + ").")
    private int port = ClearingContext.PORT_DEFAULT;

    @Option(names = "--host", paramLabel = "<host>", description = "Its host (default: 127.0.0.1).")
    private String host = "127.0.0.1";

    @Option(names = "--timeout-ms", paramLabel = "<ms>",
        description = "How long the check may take (default: 600000).")
    private int timeoutMs = 600_000;

    @Override
    public Integer call()
    {
        try (Jedis jedis = new Jedis(new HostAndPort(host, port), DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(5000).socketTimeoutMillis(timeoutMs).build()))
        {
            int status = 0;
            try
            {
                final Object reply = jedis.sendCommand(() -> SafeEncoder.encode("LEDGER.CHECK"));
                System.out.println(SafeEncoder.encode((byte[])reply));
            }
            catch (final JedisDataException ex)
            {
                System.out.println(ex.getMessage());
                status = 1;
            }
            @SuppressWarnings("unchecked")
            final List<Object> alarms = (List<Object>)jedis.sendCommand(() -> SafeEncoder.encode("LEDGER.ALARMS"));
            for (final Object alarm : alarms)
            {
                System.out.println("alarm: " + SafeEncoder.encode((byte[])alarm));
                status = 1;
            }
            return status;
        }
        catch (final JedisConnectionException ex)
        {
            System.err.println("clearing check: cannot reach " + host + ":" + port + ": " + ex.getMessage());
            return 2;
        }
    }
}
